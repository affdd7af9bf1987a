from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shenbao.core"
    label = "core"
