from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservabilityConfig(AppConfig):
    name = "shenbao.observability"
    verbose_name = _("运行监测")

    def ready(self) -> None:
        from . import errors

        errors.configure_error_reports()
