from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "shenbao.scoring"
    label = "scoring"
