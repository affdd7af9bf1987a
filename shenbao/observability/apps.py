from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservabilityConfig(AppConfig):
    name = "shenbao.observability"
    verbose_name = _("运行监测")

    def ready(self) -> None:
        import logging

        from django.core.signals import request_finished

        from . import context, errors

        request_finished.connect(context.forget_request, dispatch_uid="shenbao.observability.forget_request")
        errors.configure_error_reports()
        # Python's warnings (a missing static folder, a deprecation) become log lines of `py.warnings`, in the
        # same shape as the rest, instead of raw text on standard error.
        logging.captureWarnings(True)
