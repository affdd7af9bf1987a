from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "shenbao.calls"
    label = "calls"
