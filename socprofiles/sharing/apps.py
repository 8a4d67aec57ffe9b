from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "socprofiles.sharing"
    label = "sharing"
    verbose_name = "Sharing, feedback and FOI"
