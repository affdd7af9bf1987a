from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "shenbao.funding"
    label = "funding"
