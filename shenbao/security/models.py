"""Password history and signed-in sessions (DOMAIN.md §8 identity controls).

Lock-out attempts live in django-axes' tables and second-factor devices in django-otp's; this app only adds
what those packages do not keep.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PasswordHistory(models.Model):
    """密码历史: the hash of a password a user has set, so the last few cannot be chosen again.

    Written by `shenbao.security.passwords.PasswordHistoryValidator.password_changed`, which Django calls
    whenever a password set with `set_password` is saved; only hashes are kept, never the password.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("密码哈希"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("密码历史")
        verbose_name_plural = _("密码历史")
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="password_history_recent")]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class UserSession(models.Model):
    """登录会话: one row per log-in, so the security administrator can list and end sessions.

    The session itself stays in Django's session store (`session_key` points at it); whether it is still
    alive is read from that store. `ended_at` is set at log-out, idle timeout or termination.
    """

    class EndReason(models.TextChoices):
        LOGOUT = "logout", _("退出登录")
        IDLE = "idle", _("超时未操作")
        TERMINATED = "terminated", _("被安全管理员终止")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracked_sessions")
    session_key = models.CharField(_("会话标识"), max_length=64, db_index=True)
    started_at = models.DateTimeField(_("登录时间"))
    remote_addr = models.GenericIPAddressField(_("来源IP"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=255, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=16, choices=EndReason.choices, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("终止人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")
        indexes = [models.Index(fields=["ended_at", "-started_at"], name="user_session_open")]

    def __str__(self):
        return f"{self.user} · {self.started_at:%Y-%m-%d %H:%M}"
