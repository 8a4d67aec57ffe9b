from django.apps import AppConfig


class OcgsConfig(AppConfig):
    name = "socprofiles.ocgs"
    label = "ocgs"
    verbose_name = "Organised crime groups and joint operations"
