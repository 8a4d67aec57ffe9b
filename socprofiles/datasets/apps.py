from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "socprofiles.datasets"
    label = "datasets"
    verbose_name = "Partner data sets"
