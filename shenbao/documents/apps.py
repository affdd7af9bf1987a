from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "shenbao.documents"
    label = "documents"
    verbose_name = "文书"
