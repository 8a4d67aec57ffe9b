from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "socprofiles.analysis"
    label = "analysis"
    verbose_name = "Threat picture analysis"
