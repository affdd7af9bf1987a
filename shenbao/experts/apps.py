from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "shenbao.experts"
    label = "experts"
    verbose_name = "评审专家"
