"""The audit event vocabulary (事件). Later features add their workflow events here, one line each."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    ACCESS = "access", _("查阅")
    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    AUDIT_EXPORT = "audit_export", _("导出审计记录")
    DOCUMENT_GENERATE = "document:generate", _("生成文书")

    @classmethod
    def label_for(cls, value):
        """The Chinese label, or the raw name for an event recorded before it was declared here."""
        try:
            return cls(value).label
        except ValueError:
            return value
