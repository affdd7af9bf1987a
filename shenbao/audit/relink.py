"""Re-linking a chain written before the hash was computed at the INSERT (`manage.py audit_relink`).

Until the fix that links an entry after django-auditlog's pre_save receivers
(`AuditEntryQuerySet._insert_linked`), an entry was hashed before django-auditlog's request context filled
`actor`, `actor_email`, `remote_addr` and `remote_port` in its pre_save receiver, so every entry written inside a
web request was stored with values its hash did not cover, and `audit_verify` reported it as altered.

This module repairs exactly that and nothing else. Walking the chain in order, each entry must be either intact
or explained by those late fields: its stored hash must equal the hash of the entry with some of those four
fields blank (the values they had when the old code hashed). Any other break (a changed field, a gap, an entry
that does not link to its predecessor) refuses the whole repair, so tampering is never laundered.
The repaired entries and every later one get new links (their content is untouched), the append-only guard is
lifted for this one transaction, and the repair itself is appended as an audit event naming what was re-linked
and the old and new heads. The result is verified before the transaction commits.
"""

from dataclasses import dataclass
from itertools import product

from django.db import connections, transaction
from django.utils.translation import gettext as _

from . import chain
from .events import Event
from .models import AuditEntry

TABLE = AuditEntry._meta.db_table
# The fields django-auditlog's context may have filled after the old code hashed, in two groups: the actor (set
# only when the entry had none) and the source address and port.
LATE_GROUPS = (("actor_id", "actor_email"), ("remote_addr", "remote_port"))


class RelinkRefused(Exception):
    """The chain has a break that late fields do not explain; nothing was changed."""


@dataclass(frozen=True)
class RelinkResult:
    checked: int
    late_field_ids: list[int]
    relinked: int
    old_head: tuple[int, str] | None
    new_head: tuple[int, str] | None


def _hashed_as_stored_before_the_fix(entry):
    """Whether the stored hash is the hash of the entry with some late fields still blank."""
    for blanks in product((False, True), repeat=len(LATE_GROUPS)):
        if not any(blanks):
            continue
        saved = {}
        for blank, group in zip(blanks, LATE_GROUPS, strict=True):
            if blank:
                for attname in group:
                    saved[attname] = getattr(entry, attname)
                    setattr(entry, attname, None)
        try:
            matches = entry.entry_hash == chain.compute_hash(
                entry, sequence=entry.sequence, previous_hash=entry.previous_hash
            )
        finally:
            for attname, value in saved.items():
                setattr(entry, attname, value)
        if matches:
            return True
    return False


def _plan(entries):
    """Walk the chain as stored; return (late-field ids, new links by id) or raise RelinkRefused."""
    late_ids, links = [], {}
    stored_previous, new_previous = chain.GENESIS_HASH, chain.GENESIS_HASH
    for expected_sequence, entry in enumerate(entries, start=1):
        where = {"id": entry.pk, "sequence": entry.sequence}
        if entry.sequence != expected_sequence:
            raise RelinkRefused(_("记录 id=%(id)s 的序号 %(sequence)s 不连续：有记录被删除或插入，不能修复。") % where)
        if entry.previous_hash != stored_previous:
            raise RelinkRefused(_("记录 id=%(id)s（序号 %(sequence)s）不与前一条记录相连：不能修复。") % where)
        intact = entry.entry_hash == chain.compute_hash(
            entry, sequence=entry.sequence, previous_hash=entry.previous_hash
        )
        if not intact:
            if not _hashed_as_stored_before_the_fix(entry):
                message = _("记录 id=%(id)s（序号 %(sequence)s）的差异不只是操作人和来源地址：该记录被篡改，不能修复。")
                raise RelinkRefused(message % where)
            late_ids.append(entry.pk)
        new_hash = chain.compute_hash(entry, sequence=entry.sequence, previous_hash=new_previous)
        if (new_previous, new_hash) != (entry.previous_hash, entry.entry_hash):
            links[entry.pk] = (new_previous, new_hash)
        stored_previous, new_previous = entry.entry_hash, new_hash
    return late_ids, links


def _write_links(connection, links):
    """UPDATE the chain columns with the append-only guard lifted inside this transaction only."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses to run while rows of this transaction have deferred foreign-key checks pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f'ALTER TABLE "{TABLE}" DISABLE TRIGGER audit_auditentry_no_update')
            triggers = []
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_auditentry_no_update'"
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
        for pk, (previous_hash, entry_hash) in links.items():
            cursor.execute(
                f'UPDATE "{TABLE}" SET previous_hash = %s, entry_hash = %s WHERE id = %s',
                [previous_hash, entry_hash, pk],
            )
        if connection.vendor == "postgresql":
            cursor.execute(f'ALTER TABLE "{TABLE}" ENABLE TRIGGER audit_auditentry_no_update')
        for _name, sql in triggers:
            cursor.execute(sql)


def relink_late_fields(*, using="default", dry_run=False):
    """Repair the links of entries hashed before their late fields were filled; see the module docstring."""
    connection = connections[using]
    with transaction.atomic(using=using):
        chain.lock_chain(using)
        entries = list(AuditEntry.objects.using(using).order_by("sequence"))
        old_head = (entries[-1].sequence, entries[-1].entry_hash) if entries else None
        late_ids, links = _plan(entries)
        if not links or dry_run:
            return RelinkResult(len(entries), late_ids, len(links), old_head, old_head)
        _write_links(connection, links)
        new_head = (entries[-1].sequence, links.get(entries[-1].pk, (None, entries[-1].entry_hash))[1])
        AuditEntry.objects.using(using).create(
            event=Event.AUDIT_RELINK,
            action=AuditEntry.Action.ACCESS,
            result=AuditEntry.Result.SUCCESS,
            content_type=None,
            object_pk="",
            object_repr="",
            additional_data={
                "late_field_entries": late_ids,
                "relinked_entries": len(links),
                "first_relinked_sequence": min(entry.sequence for entry in entries if entry.pk in links),
                "old_head": f"{old_head[0]}:{old_head[1]}",
                "new_head": f"{new_head[0]}:{new_head[1]}",
            },
        )
        verification = chain.verify_chain(AuditEntry.objects.using(using).all())
        if verification.problem:  # the plan above should make this impossible; never commit a broken chain
            raise RelinkRefused(verification.problem.message)
        return RelinkResult(
            len(entries), late_ids, len(links), old_head, (verification.head_sequence, verification.head_hash)
        )
