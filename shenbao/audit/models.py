"""The audit trail: one append-only table for data changes (django-auditlog) and security/workflow events."""

from auditlog.models import AbstractLogEntry
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(AbstractLogEntry):
    """审计记录. django-auditlog writes data changes here (AUDITLOG_LOGENTRY_MODEL); our services add events.

    `event` names what happened in the business vocabulary ("login", "login_failed", "workflow:submit" …);
    for plain data changes it is "create", "update" or "delete".
    """

    class Result(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")

    event = models.CharField(_("事件"), max_length=64, default="", blank=True)
    result = models.CharField(_("结果"), max_length=16, choices=Result.choices, default=Result.SUCCESS)

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [
            models.Index(fields=["-timestamp", "-id"], name="audit_recent"),
            models.Index(fields=["actor", "-timestamp"], name="audit_by_actor"),
            models.Index(fields=["content_type", "-timestamp"], name="audit_by_type"),
            models.Index(fields=["event", "-timestamp"], name="audit_by_event"),
        ]
