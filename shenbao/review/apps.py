from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "shenbao.review"
    label = "review"
