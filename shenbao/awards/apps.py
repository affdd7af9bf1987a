from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "shenbao.awards"
    label = "awards"
