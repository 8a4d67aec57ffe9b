from django.apps import AppConfig


class GainConfig(AppConfig):
    name = "socprofiles.gain"
    label = "gain"
    verbose_name = "GAIN"
