from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiAccessConfig(AppConfig):
    name = "shenbao.apiaccess"
    verbose_name = _("接口服务账号")
