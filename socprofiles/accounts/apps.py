from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "socprofiles.accounts"
    label = "accounts"
    verbose_name = "Accounts, organisations and partnerships"
