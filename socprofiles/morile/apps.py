from django.apps import AppConfig


class MorileConfig(AppConfig):
    name = "socprofiles.morile"
    label = "morile"
    verbose_name = "MoRiLE risk assessments"
