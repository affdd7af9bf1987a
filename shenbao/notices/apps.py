from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "shenbao.notices"
    label = "notices"
