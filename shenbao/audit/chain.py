"""The hash chain that makes the audit trail tamper-evident (审计记录防篡改).

Every entry carries a sequence number, the hash of the entry before it and its own hash: SHA-256 over a canonical
serialisation of its sequence, the previous hash and every recorded field (`CHAINED_FIELDS`). Changing, removing or
slipping in a row breaks the chain at that row; `python manage.py audit_verify` walks it.

Where the chain is computed: `AuditEntryQuerySet.create` (shenbao/audit/models.py, behind `AuditEntry.objects.create`),
the single INSERT path of django-auditlog (`log_create`, `log_m2m_changes`) and of `record_event`. A database
trigger would catch every INSERT, but it would have to be written twice (PL/pgSQL and SQLite, which has no SHA-256
function) and the canonical serialisation of JSON would then differ per database. A model instance saved directly
fails on the NOT NULL `sequence` column, so nothing can bypass the manager by accident; `bulk_create` is refused.

Two writers must never chain to the same predecessor (a fork). The writer takes the chain lock, reads the head
and inserts, and keeps the lock until its transaction commits, so the next writer reads a committed head:
- PostgreSQL: a transaction-level advisory lock (`pg_advisory_xact_lock`), released at COMMIT or ROLLBACK;
- SQLite: writers are serialised by the database lock (settings use BEGIN IMMEDIATE); a writer whose snapshot
  went stale cannot write at all (SQLITE_BUSY), it cannot fork.
A consequence on PostgreSQL: audited transactions are serialised from their first audit entry to their commit;
keep long work (PDF rendering, e-mail) outside transactions that write audit entries. The transition helper keeps
its step's entries and inserts them as the transaction's last step (`models.linked_at_end`), so a step holds the
lock only from there to its commit.

The canonical form: a JSON object with sorted keys, no whitespace, UTF-8; datetimes in UTC with microseconds,
IP addresses in their compressed form, JSON columns normalised to what any database gives back (tuples become
lists, integral floats become integers, as PostgreSQL's jsonb would return 1e20 as an integer). The fields are a
fixed list: a column added later is not covered until a new chain version (`CHAIN_VERSION`) includes it.
"""

import datetime as dt
import functools
import hashlib
import ipaddress
import json
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.utils.translation import gettext as _

CHAIN_VERSION = 1
# The hash before the first entry.
GENESIS_HASH = "0" * 64
# An arbitrary constant naming the chain's advisory lock (the ASCII of "SBAUDIT1" as a signed 64-bit integer).
CHAIN_LOCK_KEY = int.from_bytes(b"SBAUDIT1", "big", signed=True)

# Every column an entry records, by attribute name; `id` is assigned by the database after the hash is computed
# and the chain's own columns are added separately.
CHAINED_FIELDS = (
    "timestamp",
    "action",
    "event",
    "result",
    "actor_id",
    "actor_email",
    "content_type_id",
    "object_pk",
    "object_id",
    "object_repr",
    "serialized_data",
    "changes_text",
    "changes",
    "cid",
    "remote_addr",
    "remote_port",
    "additional_data",
)


def _integral_as_int(literal: str) -> int | float:
    """A JSON number with a fraction or an exponent as any database gives it back: integral ones as integers (as
    PostgreSQL's jsonb returns 1e20 as an integer)."""
    number = float(literal)
    return int(number) if number.is_integer() else number


@functools.cache
def _chained_columns(model: type) -> tuple[tuple[str, Any, str], ...]:
    """(attribute name, field, internal type) of every chained column: looked up once per model, not per entry."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    return tuple((attname, fields[attname], fields[attname].get_internal_type()) for attname in CHAINED_FIELDS)


def _canonical_value(field, internal, value):
    if value is None:
        return None
    if internal == "JSONField":
        # What the database will give back: a JSON round trip (tuples → lists, keys → strings, integral numbers
        # as integers), read in one pass instead of walking the decoded value again.
        return json.loads(json.dumps(value, cls=field.encoder), parse_float=_integral_as_int)
    if internal == "DateTimeField":
        return field.to_python(value).astimezone(dt.UTC).isoformat(timespec="microseconds")
    if internal == "GenericIPAddressField":
        return str(ipaddress.ip_address(str(value)))
    # Foreign keys convert through their target field (the user's or content type's integer key).
    return field.to_python(value)


def canonical_record(entry) -> dict[str, Any]:
    """Every recorded field of `entry` in its canonical form: what is hashed besides the entry's place in the
    chain, so an entry moved to another place (`relink`) is hashed again without converting its fields again."""
    return {
        attname: _canonical_value(field, internal, getattr(entry, attname))
        for attname, field, internal in _chained_columns(type(entry))
    }


def record_bytes(record: dict[str, Any], *, sequence: int, previous_hash: str) -> bytes:
    """The bytes hashed for a `canonical_record` at position `sequence` after `previous_hash`."""
    placed = {**record, "v": CHAIN_VERSION, "sequence": sequence, "previous_hash": previous_hash}
    return json.dumps(placed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def canonical_bytes(entry, *, sequence: int, previous_hash: str) -> bytes:
    """The bytes hashed for `entry` at position `sequence` after `previous_hash`."""
    return record_bytes(canonical_record(entry), sequence=sequence, previous_hash=previous_hash)


def hash_record(record: dict[str, Any], *, sequence: int, previous_hash: str) -> str:
    return hashlib.sha256(record_bytes(record, sequence=sequence, previous_hash=previous_hash)).hexdigest()


def compute_hash(entry, *, sequence: int, previous_hash: str) -> str:
    return hash_record(canonical_record(entry), sequence=sequence, previous_hash=previous_hash)


def lock_chain(using):
    """Take the chain lock for the rest of the current transaction (see the module docstring)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
    elif connection.vendor != "sqlite":
        raise NotImplementedError(f"no audit chain lock for database vendor {connection.vendor!r}")


def read_head(using: str, *, table: str) -> tuple[int, str] | None:
    """(sequence, hash) of the newest entry of the chain stored in `table`, or None before the first. Plain SQL: it
    is read for every audited write and every cached page, and building the ORM query cost more than running it."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT sequence, entry_hash FROM {connection.ops.quote_name(table)} ORDER BY sequence DESC LIMIT 1"
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def place_after(head: tuple[int, str] | None) -> tuple[int, str]:
    """(sequence, previous hash) of the entry that follows `head` (a (sequence, hash) pair, or None: the first)."""
    return (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)


def link(entry, *, head):
    """Give `entry` its place after `head` (a (sequence, hash) pair, or None for the first entry)."""
    sequence, previous_hash = place_after(head)
    entry.sequence = sequence
    entry.previous_hash = previous_hash
    entry.entry_hash = compute_hash(entry, sequence=sequence, previous_hash=previous_hash)
    return entry


@dataclass(frozen=True)
class Problem:
    """The first break in the chain: which record (id and sequence number) and what is wrong with it.

    kind: "altered" (content or hash changed), "deleted" (a gap in the sequence, or the noted head is gone),
    "inserted" (a record that does not link to its predecessor). `message` says it in Chinese.
    """

    entry_id: int | None
    sequence: int | None
    kind: str
    message: str


@dataclass(frozen=True)
class Verification:
    checked: int
    head_sequence: int | None
    head_hash: str | None
    problem: Problem | None

    @property
    def ok(self):
        return self.problem is None


def verify_chain(queryset, *, expect_head=None, chunk_size=2000):
    """Walk the entries in sequence order and return the first break (`Verification.problem`), if any.

    queryset: every audit entry (AuditEntry.objects.all()). expect_head: an optional (sequence, hash) pair noted
    earlier and kept elsewhere (each run prints the head); it must still be part of the chain. That is the only
    way to notice that the newest entries were removed, since nothing after them points back at them.
    """
    checked = 0
    previous = None  # (id, sequence, hash) of the last good entry
    for entry in queryset.order_by("sequence").iterator(chunk_size=chunk_size):
        problem = _check_entry(entry, previous)
        if problem is None and expect_head and entry.sequence == expect_head[0] and entry.entry_hash != expect_head[1]:
            problem = Problem(
                entry.pk,
                entry.sequence,
                "altered",
                _("记录 id=%(id)s（序号 %(sequence)s）的哈希与此前记下的链头不符：该记录及其之前的审计记录被改写。")
                % {"id": entry.pk, "sequence": entry.sequence},
            )
        if problem:
            return Verification(checked, *(previous[1:] if previous else (None, None)), problem)
        checked += 1
        previous = (entry.pk, entry.sequence, entry.entry_hash)
    head_sequence, head_hash = previous[1:] if previous else (None, None)
    if expect_head and (head_sequence or 0) < expect_head[0]:
        problem = Problem(
            None,
            expect_head[0],
            "deleted",
            _("此前记下的链头（序号 %(expected)s）已不存在：最新的审计记录被删除（现在的链头序号为 %(head)s）。")
            % {"expected": expect_head[0], "head": head_sequence or 0},
        )
        return Verification(checked, head_sequence, head_hash, problem)
    return Verification(checked, head_sequence, head_hash, None)


def _check_entry(entry, previous):
    expected_sequence = previous[1] + 1 if previous else 1
    where = {"id": entry.pk, "sequence": entry.sequence}
    if entry.sequence < expected_sequence:
        return Problem(
            entry.pk, entry.sequence, "inserted", _("记录 id=%(id)s 的序号 %(sequence)s 重复：该记录是插入的。") % where
        )
    if entry.sequence > expected_sequence:
        message = _("记录 id=%(id)s（序号 %(sequence)s）之前的审计记录（序号 %(first)s–%(last)s）被删除。") % {
            **where,
            "first": expected_sequence,
            "last": entry.sequence - 1,
        }
        return Problem(entry.pk, entry.sequence, "deleted", message)
    if entry.entry_hash != compute_hash(entry, sequence=entry.sequence, previous_hash=entry.previous_hash):
        return Problem(
            entry.pk,
            entry.sequence,
            "altered",
            _("记录 id=%(id)s（序号 %(sequence)s）的内容与其哈希不符：该记录被篡改。") % where,
        )
    if entry.previous_hash != (previous[2] if previous else GENESIS_HASH):
        message = _(
            "记录 id=%(id)s（序号 %(sequence)s）记载的前一条哈希与前一条记录（id=%(previous)s）不符："
            "该记录是插入或替换的，或前一条记录被改写。"
        ) % {**where, "previous": previous[0] if previous else "—"}
        return Problem(entry.pk, entry.sequence, "inserted", message)
    return None
