from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "socprofiles.profiles"
    label = "profiles"
    verbose_name = "Local Profiles"
