from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "shenbao.audit"
    label = "audit"
