from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "socprofiles.demo"
    label = "demo"
    verbose_name = "Demonstration data"
