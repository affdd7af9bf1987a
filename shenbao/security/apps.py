from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """安全管理: password policy, lock-out, second factor, sessions and the security administrator's pages."""

    name = "shenbao.security"
    label = "security"
    verbose_name = _("安全管理")

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth import signals

        from . import checks, receivers  # noqa: F401  (checks register themselves)

        signals.user_logged_in.connect(receivers.on_user_logged_in, dispatch_uid="security_session_start")
        signals.user_logged_out.connect(receivers.on_user_logged_out, dispatch_uid="security_session_end")
        user_locked_out.connect(receivers.on_user_locked_out, dispatch_uid="security_lockout")
