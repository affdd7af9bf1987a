from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """运维: backup and restore of the whole installation (database and uploaded files). No models, no pages."""

    name = "shenbao.operations"
    label = "operations"
    verbose_name = _("运维")
