from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "socprofiles.audit"
    label = "audit"
    verbose_name = "Audit trail"
