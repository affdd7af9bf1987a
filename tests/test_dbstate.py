"""The replayed reference data and call are exactly what loading them writes (tests/dbstate.py)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from shenbao.audit.services import record_event
from shenbao.calls.models import Call, CallAttachment
from shenbao.organisations.models import Region
from tests import dbstate
from tests.factories import RegionFactory, load_call, load_reference

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    pass


def _dump():
    """Every row of every table, by table, in key order."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        dump = {}
        for table in dbstate._tables():
            cursor.execute(f"SELECT * FROM {quote(table.name)} ORDER BY {quote(table.pk)}")
            dump[table.name] = cursor.fetchall()
        return dump


def _load_both_and_dump():
    load_reference()
    call = load_call()
    return call, _dump()


def _built_then_replayed():
    """Load for real (or replay) inside a savepoint that is undone, then load again: the second is a replay."""
    results = {}
    try:
        with transaction.atomic():
            results["first"] = _load_both_and_dump()
            raise _Undo
    except _Undo:
        pass
    results["second"] = _load_both_and_dump()
    return results["first"], results["second"]


def test_a_replay_writes_the_same_rows_as_the_load():
    (first_call, first), (second_call, second) = _built_then_replayed()

    assert second == first
    assert second_call.pk == first_call.pk and second_call.slug == "jincheng-2022"
    assert Region.objects.filter(key="140500").exists()


def test_a_replayed_call_keeps_its_attachments_readable_and_the_audit_chain_whole(admin_user):
    _built_then_replayed()
    record_event(event="test:after_replay", actor=admin_user, target=Call.objects.get())

    for attachment in CallAttachment.objects.all():
        with attachment.file.open() as stored:
            assert stored.read()
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "审计记录哈希链校验通过" in out.getvalue()


def test_another_starting_state_is_built_for_real_not_replayed():
    load_reference()  # this process now knows the reference from an empty database
    key = next(key for key in dbstate._SNAPSHOTS if key[0] == "reference")
    known = len(dbstate._SNAPSHOTS[key])
    try:
        with transaction.atomic():
            RegionFactory(key="990000", name="别的省", level=Region.Level.PROVINCE)
            load_reference()
            raise _Undo
    except _Undo:
        pass

    assert len(dbstate._SNAPSHOTS[key]) == known + 1
    assert dbstate._SNAPSHOTS[key][-1].before != dbstate._SNAPSHOTS[key][0].before


def test_an_earlier_audit_entry_of_another_time_still_replays_and_the_chain_holds(admin_user):
    """Entries' times and hashes are not part of the state: the load is replayed and linked onto the chain."""
    try:
        with transaction.atomic():
            record_event(event="test:before_load", actor=admin_user, target=admin_user)
            load_reference()
            raise _Undo
    except _Undo:
        pass
    key = next(key for key in dbstate._SNAPSHOTS if key[0] == "reference")
    known = len(dbstate._SNAPSHOTS[key])
    if connection.vendor == "postgresql":
        # PostgreSQL's sequences do not roll back: without this the entry would get another key, which is another
        # state (the fingerprint holds each table's largest key), and the load would rightly run for real.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('audit_auditentry', 'id'), MAX(id)) FROM audit_auditentry"
            )
    record_event(event="test:before_load", actor=admin_user, target=admin_user)  # the same, a moment later
    load_reference()

    assert len(dbstate._SNAPSHOTS[key]) == known
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "审计记录哈希链校验通过" in out.getvalue()


def test_loading_fixtures_are_set_up_before_the_tests_own(request, admin_user, call):
    assert request.fixturenames.index("call") < request.fixturenames.index("admin_user")
