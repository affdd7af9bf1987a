from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "shenbao.applications"
    label = "applications"
    verbose_name = "申报"
