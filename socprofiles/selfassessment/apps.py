from django.apps import AppConfig


class SelfAssessmentConfig(AppConfig):
    name = "socprofiles.selfassessment"
    label = "selfassessment"
    verbose_name = "Public fraud and cyber crime self-assessment"
