from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "shenbao.notifications"
    label = "notifications"
