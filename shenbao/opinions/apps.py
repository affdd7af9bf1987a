from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "shenbao.opinions"
    label = "opinions"
