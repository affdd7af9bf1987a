from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcceptanceConfig(AppConfig):
    name = "shenbao.acceptance"
    label = "acceptance"
    verbose_name = _("建设期管理与评估验收")
