"""The audit trail: one append-only table for data changes (django-auditlog) and security/workflow events."""

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from . import chain
from .events import Event

# auditlog's numeric action → our event vocabulary, so one column answers "what happened" for every row.
ACTION_EVENTS = {
    AbstractLogEntry.Action.CREATE: Event.CREATE,
    AbstractLogEntry.Action.UPDATE: Event.UPDATE,
    AbstractLogEntry.Action.DELETE: Event.DELETE,
    AbstractLogEntry.Action.ACCESS: Event.ACCESS,
}


class AuditEntryQuerySet(models.QuerySet):
    def create(self, **kwargs):
        """Insert one entry at the head of the hash chain (`shenbao.audit.chain`).

        Every writer comes through here: auditlog's `log_create` and `log_m2m_changes` and our `record_event`
        all end in `create`. The chain lock is held until the surrounding transaction ends.
        """
        self._for_write = True
        using = self.db
        with transaction.atomic(using=using):
            chain.lock_chain(using)
            head = (
                self.model._base_manager.using(using)
                .order_by("-sequence")
                .values_list("sequence", "entry_hash")
                .first()
            )
            entry = self.model(**kwargs)
            # Linked in `AuditEntry._do_insert`, after every pre_save receiver (django-auditlog's context fills
            # actor, actor_email, remote_addr and remote_port there) and just before the INSERT.
            entry._chain_head = head
            entry.save(force_insert=True, using=using)
        return entry

    def bulk_create(self, objs, *args, **kwargs):
        raise NotImplementedError("audit entries are chained one by one: use AuditEntry.objects.create()")


class AuditEntryManager(LogEntryManager.from_queryset(AuditEntryQuerySet)):
    """auditlog's manager, naming the event when auditlog writes a data change, over the chaining queryset.

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

    Rows are never updated or deleted by the application; the database refuses it too (migration 0003). Each row
    is chained to the one before it by SHA-256 (`sequence`, `previous_hash`, `entry_hash`; see `chain`), so a
    change made past the database's guards shows up in `manage.py audit_verify`.
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
    # The hash chain (shenbao/audit/chain.py), filled by AuditEntryQuerySet.create; no default, so a row saved
    # any other way is refused by the NOT NULL constraint.
    sequence = models.BigIntegerField(_("链序号"), unique=True, editable=False)
    previous_hash = models.CharField(_("前一条记录的哈希"), max_length=64, editable=False)
    entry_hash = models.CharField(_("哈希"), max_length=64, editable=False)

    objects = AuditEntryManager()

    def _do_insert(self, manager, using, fields, returning_fields, raw):
        """Hash exactly what is inserted: the link is computed as the last step before the INSERT.

        `save()` sends pre_save after `AuditEntryQuerySet.create` built the entry, and django-auditlog's
        request context fills actor and source address in a pre_save receiver; hashing any earlier would chain
        values that are not the ones stored. Only `create` sets `_chain_head` (under the chain lock); any other
        save of a new row stays unlinked and the NOT NULL `sequence` column refuses it.
        """
        if hasattr(self, "_chain_head"):
            chain.link(self, head=self._chain_head)
            del self._chain_head
        return super()._do_insert(manager, using, fields, returning_fields, raw)

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
