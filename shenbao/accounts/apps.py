from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shenbao.accounts"
    label = "accounts"
