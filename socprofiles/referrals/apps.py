from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "socprofiles.referrals"
    label = "referrals"
    verbose_name = "Partner referrals (Prevent and Protect)"
