"""The audit trail: one append-only table for data changes (django-auditlog) and security/workflow events."""

import contextlib
import threading

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.conf import settings
from django.db import models, transaction
from django.db.models import signals
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


# The entries of the open `linked_at_end` block of this thread, per database alias (None: no block is open).
_deferred = threading.local()


@contextlib.contextmanager
def linked_at_end(*, using: str = "default"):
    """Within the block, audit entries are kept and inserted together, linked, as its last step (`AuditEntryQuerySet
    .create`): the chain lock is then held from there to the commit only, not from the block's first entry on, so
    transactions that write audit entries wait for each other for a few milliseconds instead of for their whole
    work (issue 18, the deadline rush).

    Use it inside the transaction the entries belong to (the transition helper's), as its last inner step: an
    exception discards the kept entries with the transaction. An entry made in the block has no id until the block
    ends. A block inside another adds to the outer one, which inserts them all. An entry made inside a savepoint
    that is rolled back (code that catches a database error and carries on) is dropped with it, as its INSERT
    would have been: each kept entry is tied to a no-op commit hook, which Django discards with the savepoint.
    """
    pending = getattr(_deferred, using, None)
    if pending is not None or not transaction.get_connection(using).in_atomic_block:
        # Inside an outer block, which inserts; or outside a transaction, where each entry is its own.
        yield
        return
    pending = []
    setattr(_deferred, using, pending)
    try:
        yield
    finally:
        setattr(_deferred, using, None)
    # Only on a normal exit: with an exception the entries go with the rolled-back work.
    kept = {id(hook) for _sids, hook, _robust in transaction.get_connection(using).run_on_commit}
    entries = [entry for entry, hook in pending if id(hook) in kept]
    if entries:
        AuditEntry.objects.using(using)._insert_linked(entries)


class _KeptEntry:
    """The commit hook standing for one kept entry (`linked_at_end`): it does nothing when run."""

    def __call__(self):
        return None


class AuditEntryQuerySet(models.QuerySet):
    def create(self, **kwargs):
        """Insert one entry at the head of the hash chain (`shenbao.audit.chain`).

        Every writer comes through here: auditlog's `log_create` and `log_m2m_changes` and our `record_event`
        all end in `create`. The chain lock is held until the surrounding transaction ends. Inside a
        `linked_at_end` block the entry is kept and inserted with the block's others at its end.
        """
        self._for_write = True
        entry = self.model(**kwargs)
        pending = getattr(_deferred, self.db, None)
        if pending is not None:
            hook = _KeptEntry()
            transaction.on_commit(hook, using=self.db)
            pending.append((entry, hook))
        else:
            self._insert_linked([entry])
        return entry

    def _insert_linked(self, entries):
        """Insert `entries` in order after the chain's head, under the chain lock (held to the commit), in one
        INSERT: a submission keeps three entries, an approval more, and each separate INSERT was a round trip
        made while every other audited transaction waited for the chain lock."""
        using = self.db
        # Outside a transaction this block is the one the chain lock lives in. Inside one, no savepoint: an entry
        # that cannot be inserted fails the whole transaction it records, and a savepoint per entry cost two more
        # statements for each of them.
        with transaction.atomic(using=using, savepoint=False):
            chain.lock_chain(using)
            head = chain.read_head(using, table=self.model._meta.db_table)
            for entry in entries:
                # What save() sends before its INSERT: django-auditlog's request context fills actor, actor_email,
                # remote_addr and remote_port in a pre_save receiver. The link is computed after it, so the hash
                # covers exactly the values inserted.
                signals.pre_save.send(sender=self.model, instance=entry, raw=False, using=using, update_fields=None)
                chain.link(entry, head=head)
                head = (entry.sequence, entry.entry_hash)
            models.QuerySet.bulk_create(self, entries)
            for entry in entries:
                signals.post_save.send(
                    sender=self.model, instance=entry, created=True, update_fields=None, raw=False, using=using
                )

    def bulk_create(self, objs, *args, **kwargs):
        raise NotImplementedError("audit entries are chained as they are made: use AuditEntry.objects.create()")


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
