from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "shenbao.organisations"
    label = "organisations"
