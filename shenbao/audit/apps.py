from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "shenbao.audit"
    label = "audit"
    verbose_name = _("审计")

    def ready(self):
        from django.contrib.auth import signals

        from . import receivers

        signals.user_logged_in.connect(receivers.on_user_logged_in, dispatch_uid="audit_login")
        signals.user_logged_out.connect(receivers.on_user_logged_out, dispatch_uid="audit_logout")
        signals.user_login_failed.connect(receivers.on_user_login_failed, dispatch_uid="audit_login_failed")
