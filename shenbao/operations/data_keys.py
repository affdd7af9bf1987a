"""Key rotation for personal data at rest: re-encrypt every token under the first key, rebuild the blind indexes.

`SHENBAO_DATA_KEYS` is a MultiFernet (shenbao/core/crypto.py): the first key encrypts, every listed key decrypts. To
retire a key the operator puts the new key first, restarts, runs `manage.py rotate_data_keys` (this module), and only
then drops the old key. The blind indexes (`crypto.blind_index`: 身份证号码 in `ApplicationPerson.id_index`, experts'
phones in `ExpertProfile.phone_index`) are keyed by SECRET_KEY, so after a SECRET_KEY change the same command
recomputes them from the decrypted values; until it has run, the one-person-per-call check would miss conflicts.

Where tokens live is not listed by hand: every text and JSON column of every model is scanned for values starting
with `crypto.TOKEN_PREFIX` (EncryptedCharField columns, JSON form data and its submitted versions, the objections'
ID numbers, pending registrations …), so a column added later is rotated too. Rows are rewritten with a storage-level
UPDATE under a row lock (no save(), no signals, no auditlog entry per row: the meaning of the data is unchanged),
re-read inside that lock so a concurrent edit is never overwritten. The audit trail is the exception: it is
append-only and hash-chained, so its tokens (the create entries of submitted versions) keep the key they were written
with; the trail never shows them in clear, and they become unreadable once that key is dropped, which is intended.

Nothing is rewritten while any token cannot be opened with the configured keys (a key dropped too early): the run is
refused, naming where, so the missing key can be put back first.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction

from shenbao.applications.services import rebuild_person_indexes
from shenbao.audit.events import Event
from shenbao.audit.services import record_event
from shenbao.core import crypto
from shenbao.core.fields import EncryptedCharField, EncryptedValue
from shenbao.experts.services import rebuild_phone_indexes

LIKE_TOKEN = f"%{crypto.TOKEN_PREFIX}%"


class RotationRefused(Exception):
    """Some tokens cannot be decrypted with the configured keys; nothing was changed."""


@dataclass(frozen=True)
class RotationSummary:
    """What a run found and did, per "app_label.Model.field"."""

    rewritten: dict[str, int] = field(default_factory=dict)
    current: int = 0
    persons_reindexed: int = 0
    phones_reindexed: int = 0
    audit_entries_with_tokens: int = 0


@dataclass
class _Tally:
    rewritten: Counter[str] = field(default_factory=Counter)
    current: int = 0
    unreadable: Counter[str] = field(default_factory=Counter)


def _audit_model() -> type[models.Model]:
    # By its label, as django-auditlog knows it: the trail is only ever read here, never imported as a table.
    return apps.get_model(settings.AUDITLOG_LOGENTRY_MODEL)


def _token_columns() -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    found: list[tuple[type[models.Model], models.Field[Any, Any]]] = []
    for model in apps.get_models():
        if model is _audit_model() or model._meta.proxy or not model._meta.managed:
            continue
        for column in model._meta.concrete_fields:
            if isinstance(column, models.CharField | models.TextField | models.JSONField) and not column.primary_key:
                found.append((model, column))
    return found


def _rotate_value(value: Any, where: str, tally: _Tally) -> Any:
    """`value` with every token in it (a string, or strings inside JSON lists and objects) under the first key."""
    if isinstance(value, dict):
        return {key: _rotate_value(item, where, tally) for key, item in value.items()}
    if isinstance(value, list):
        return [_rotate_value(item, where, tally) for item in value]
    if not isinstance(value, str) or not value.startswith(crypto.TOKEN_PREFIX):
        return value
    if crypto.is_current_token(value):
        tally.current += 1
        return value
    try:
        rotated = crypto.rotate_token(value)
    except ValueError:
        tally.unreadable[where] += 1
        return value
    tally.rewritten[where] += 1
    return rotated


def _raw_rows(model: type[models.Model], column: models.Field[Any, Any], *, pk: object = None) -> list[tuple[Any, Any]]:
    """(pk, stored value) of the rows whose column holds a token: raw SQL, so no field decrypts or parses it."""
    quote = connection.ops.quote_name
    pk_column, token_column = quote(str(model._meta.pk.column)), quote(str(column.column))
    table = quote(model._meta.db_table)
    sql = f"SELECT {pk_column}, {token_column} FROM {table} WHERE CAST({token_column} AS TEXT) LIKE %s"
    params: list[Any] = [LIKE_TOKEN]
    if pk is not None:
        sql += f" AND {pk_column} = %s"
        params.append(pk)
        if connection.features.has_select_for_update:
            sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _stored(column: models.Field[Any, Any], raw: Any) -> Any:
    if isinstance(column, models.JSONField) and isinstance(raw, str):
        return json.loads(raw)
    return raw


def _for_update(column: models.Field[Any, Any], value: Any) -> Any:
    # An EncryptedCharField writes the token of an EncryptedValue as it is; any other value it would encrypt again.
    if isinstance(column, EncryptedCharField):
        return EncryptedValue(crypto.decrypt_text(value), value)
    return value


def _reencrypt(tally: _Tally, *, write: bool) -> None:
    for model, column in _token_columns():
        where = f"{model._meta.label}.{column.name}"
        for pk, _raw in _raw_rows(model, column):
            with transaction.atomic():
                # Read again under the row lock: a save between the scan and here is rotated, never overwritten.
                locked = _raw_rows(model, column, pk=pk) if write else [(pk, _raw)]
                for _pk, raw in locked:
                    old = _stored(column, raw)
                    new = _rotate_value(old, where, tally)
                    if write and new != old:
                        model._base_manager.filter(pk=pk).update(**{column.attname: _for_update(column, new)})


def _count_audit_tokens() -> int:
    quote = connection.ops.quote_name
    audit = _audit_model()
    table, column = (
        quote(audit._meta.db_table),
        quote(str(cast(models.Field[Any, Any], audit._meta.get_field("changes")).column)),
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE CAST({column} AS TEXT) LIKE %s", [LIKE_TOKEN])
        return int(cursor.fetchone()[0])


def rotate_data_keys(*, dry_run: bool = False, actor: object = None) -> RotationSummary:
    """Re-encrypt every token under the first key of SHENBAO_DATA_KEYS and rebuild the blind indexes (module
    docstring). RotationRefused, with nothing changed, when any token cannot be decrypted. `dry_run` counts only."""
    scan = _Tally()
    _reencrypt(scan, write=False)
    if scan.unreadable:
        places = "、".join(f"{where}（{count}）" for where, count in sorted(scan.unreadable.items()))
        raise RotationRefused(
            f"有 {sum(scan.unreadable.values())} 个加密值无法用 SHENBAO_DATA_KEYS 中的密钥解密：{places}。"
            "请先把缺少的旧密钥加回 SHENBAO_DATA_KEYS。"
        )
    audit_tokens = _count_audit_tokens()
    if dry_run:
        return RotationSummary(
            rewritten=dict(scan.rewritten), current=scan.current, audit_entries_with_tokens=audit_tokens
        )
    done = _Tally()
    _reencrypt(done, write=True)
    summary = RotationSummary(
        rewritten=dict(done.rewritten),
        current=done.current,
        persons_reindexed=rebuild_person_indexes(),
        phones_reindexed=rebuild_phone_indexes(),
        audit_entries_with_tokens=audit_tokens,
    )
    record_event(
        event=Event.DATA_KEYS_ROTATE,
        actor=actor,
        details={
            "rewritten": summary.rewritten,
            "already_current": summary.current,
            "persons_reindexed": summary.persons_reindexed,
            "phones_reindexed": summary.phones_reindexed,
            "keys": len(settings.SHENBAO_DATA_KEYS),
        },
    )
    return summary
