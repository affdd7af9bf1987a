"""The audit trail: one append-only table for data changes (django-auditlog) and security/workflow events."""

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .events import Event

# auditlog's numeric action → our event vocabulary, so one column answers "what happened" for every row.
ACTION_EVENTS = {
    AbstractLogEntry.Action.CREATE: Event.CREATE,
    AbstractLogEntry.Action.UPDATE: Event.UPDATE,
    AbstractLogEntry.Action.DELETE: Event.DELETE,
    AbstractLogEntry.Action.ACCESS: Event.ACCESS,
}


class AuditEntryManager(LogEntryManager):
    """auditlog's manager, naming the event when auditlog writes a data change.

    The event is set before the INSERT: rows are append-only (see migration 0003), so nothing may fill a
    column in afterwards (a `post_log` receiver would have to UPDATE the row).
    """

    def log_create(self, instance, force_log=False, **kwargs):
        kwargs.setdefault("event", ACTION_EVENTS.get(kwargs.get("action"), ""))
        return super().log_create(instance, force_log=force_log, **kwargs)

    def log_m2m_changes(self, changed_queryset, instance, operation, field_name, **kwargs):
        kwargs.setdefault("event", Event.UPDATE)
        return super().log_m2m_changes(changed_queryset, instance, operation, field_name, **kwargs)


class AuditEntry(AbstractLogEntry):
    """审计记录. django-auditlog writes data changes here (AUDITLOG_LOGENTRY_MODEL); our services add events.

    `event` names what happened in the business vocabulary ("login", "login_failed", "workflow:submit" …);
    for plain data changes it is "create", "update" or "delete". Events without an object (a failed log-in
    with an unknown user name, an export) have no content type.

    Rows are never updated or deleted by the application; the database refuses it too (migration 0003).
    Hence the foreign keys PROTECT instead of auditlog's SET_NULL/CASCADE: users are deactivated, never
    deleted, and a content type that still has audit rows stays.
    """

    class Result(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")

    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("对象类型"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    event = models.CharField(_("事件"), max_length=64, default="", blank=True)
    result = models.CharField(_("结果"), max_length=16, choices=Result.choices, default=Result.SUCCESS)

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [
            models.Index(fields=["-timestamp", "-id"], name="audit_recent"),
            models.Index(fields=["actor", "-timestamp"], name="audit_by_actor"),
            models.Index(fields=["content_type", "-timestamp"], name="audit_by_type"),
            models.Index(fields=["event", "-timestamp"], name="audit_by_event"),
            models.Index(fields=["remote_addr", "-timestamp"], name="audit_by_ip"),
            models.Index(fields=["content_type", "object_pk", "-timestamp"], name="audit_by_object"),
        ]

    @property
    def event_label(self):
        return Event.label_for(self.event)
