from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "socprofiles.actions"
    label = "actions"
    verbose_name = "4P action plans"
