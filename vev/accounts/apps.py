from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vev.accounts"
    label = "accounts"
    verbose_name = "Accounts"
