"""The audit trail is a hash chain; `audit_verify` names the first altered, inserted or deleted record."""

import datetime as dt
import hashlib
import io
import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shenbao.audit import chain
from shenbao.audit.models import AuditEntry
from shenbao.audit.services import record_event
from tests.factories import OrganisationFactory, UserFactory

from .chain_helpers import raw_sql

pytestmark = pytest.mark.django_db


def verify(*args):
    out = io.StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def verify_fails(*args):
    with pytest.raises(CommandError) as failure:
        verify(*args)
    assert failure.value.returncode == 1
    return str(failure.value)


@pytest.fixture
def trail():
    """A realistic mix: auditlog data changes (create, update, m2m-free), events with and without objects."""
    user = UserFactory(username="chained")
    organisation = OrganisationFactory(name="链式单位")
    organisation.address = "新地址"
    organisation.save()
    record_event(event="login", actor=user, target=user, remote_addr="192.0.2.7")
    record_event(event="test_event", details={"ratio": 2.0, "items": ("a", "b"), "nested": {"z": 1, "a": None}})
    record_event(event="workflow:submit", target=organisation, changes={"status": ["draft", "submitted"]})
    record_event(event="login_failed", result=AuditEntry.Result.FAILURE, remote_addr="2001:db8::1")
    return list(AuditEntry.objects.order_by("sequence"))


def test_every_entry_is_linked_to_the_one_before(trail):
    assert [entry.sequence for entry in trail] == list(range(1, len(trail) + 1))
    assert trail[0].previous_hash == chain.GENESIS_HASH
    for before, after in itertools.pairwise(trail):
        assert after.previous_hash == before.entry_hash
    for entry in trail:
        hashed = chain.canonical_bytes(entry, sequence=entry.sequence, previous_hash=entry.previous_hash)
        assert entry.entry_hash == hashlib.sha256(hashed).hexdigest()


def test_both_auditlog_changes_and_record_event_are_chained(trail):
    events = {entry.event for entry in trail}
    assert {"create", "update", "login", "workflow:submit"} <= events
    assert all(len(entry.entry_hash) == 64 for entry in trail)


def test_a_clean_chain_verifies(trail):
    output = verify()

    head = trail[-1]
    assert f"共 {len(trail)} 条记录" in output
    assert f"链头 {head.sequence}:{head.entry_hash}" in output


def test_an_empty_trail_verifies():
    assert "尚无审计记录" in verify()


def test_the_hash_survives_the_database_round_trip(trail):
    # Read back from the database (JSON normalised, datetimes in UTC), every hash still matches.
    result = chain.verify_chain(AuditEntry.objects.all())
    assert result.ok and result.checked == len(trail)


def test_a_timestamp_in_another_zone_hashes_like_its_utc_instant():
    shanghai = dt.timezone(dt.timedelta(hours=8))
    entry = AuditEntry.objects.create(
        event="test_event", action=3, object_pk="", timestamp=dt.datetime(2026, 3, 1, 8, 0, tzinfo=shanghai)
    )
    entry.refresh_from_db()
    assert entry.timestamp.utcoffset() == dt.timedelta(0)
    assert chain.verify_chain(AuditEntry.objects.all()).ok


def test_a_raw_update_of_one_record_is_reported_naming_it(trail):
    victim = trail[3]
    raw_sql("UPDATE audit_auditentry SET object_repr = %s WHERE id = %s", ["伪造", victim.pk])

    message = verify_fails()

    assert f"id={victim.pk}" in message
    assert f"序号 {victim.sequence}" in message
    assert "altered" in message and "被篡改" in message
    assert f"此前已校验 {victim.sequence - 1} 条记录" in message


@pytest.mark.parametrize("column", ["event", "result", "remote_addr", "changes", "additional_data", "timestamp"])
def test_every_recorded_column_is_covered(trail, column):
    victim = trail[-1]
    new_value = {
        "event": "login",
        "result": "success",
        "remote_addr": "192.0.2.99",
        "changes": '{"status": ["draft", "approved"]}',
        "additional_data": '{"ratio": 3}',
        "timestamp": timezone.now() - dt.timedelta(days=1),
    }[column]
    raw_sql(f"UPDATE audit_auditentry SET {column} = %s WHERE id = %s", [new_value, victim.pk])

    assert f"id={victim.pk}" in verify_fails()


def test_an_altered_record_with_a_recomputed_hash_breaks_the_next_link(trail):
    victim, successor = trail[2], trail[3]
    forged = AuditEntry.objects.get(pk=victim.pk)
    forged.object_repr = "伪造"
    forged_hash = chain.compute_hash(forged, sequence=forged.sequence, previous_hash=forged.previous_hash)
    raw_sql(
        "UPDATE audit_auditentry SET object_repr = %s, entry_hash = %s WHERE id = %s",
        ["伪造", forged_hash, victim.pk],
    )

    message = verify_fails()

    assert f"id={successor.pk}" in message
    assert f"前一条记录（id={victim.pk}）" in message


def test_a_deleted_record_is_reported(trail):
    victim, successor = trail[2], trail[3]
    raw_sql("DELETE FROM audit_auditentry WHERE id = %s", [victim.pk])

    message = verify_fails()

    assert "deleted" in message
    assert f"id={successor.pk}" in message
    assert f"序号 {victim.sequence}–{victim.sequence}" in message


def test_deleting_the_first_records_is_reported(trail):
    raw_sql("DELETE FROM audit_auditentry WHERE sequence <= 2")

    message = verify_fails()

    assert "序号 1–2" in message and f"id={trail[2].pk}" in message


def test_an_inserted_record_is_reported(trail):
    last = trail[-1]
    raw_sql(
        "INSERT INTO audit_auditentry (object_pk, object_repr, action, changes_text, timestamp, event, result,"
        " sequence, previous_hash, entry_hash) VALUES ('', '', 3, '', %s, 'login', 'success', %s, %s, %s)",
        [timezone.now(), last.sequence + 1, last.entry_hash, "f" * 64],
    )
    inserted = AuditEntry.objects.get(sequence=last.sequence + 1)

    message = verify_fails()

    assert f"id={inserted.pk}" in message


def test_a_record_inserted_with_its_own_valid_hash_but_out_of_place_is_reported(trail):
    # The forger hashes the new row correctly but links it to an older record, not to the head.
    template = AuditEntry(event="login", action=3, object_pk="", object_repr="", timestamp=timezone.now())
    sequence, previous_hash = trail[-1].sequence + 1, trail[0].entry_hash
    forged_hash = chain.compute_hash(template, sequence=sequence, previous_hash=previous_hash)
    raw_sql(
        "INSERT INTO audit_auditentry (object_pk, object_repr, action, changes_text, timestamp, event, result,"
        " sequence, previous_hash, entry_hash) VALUES ('', '', 3, '', %s, 'login', 'success', %s, %s, %s)",
        [template.timestamp, sequence, previous_hash, forged_hash],
    )
    inserted = AuditEntry.objects.get(sequence=sequence)

    message = verify_fails()

    assert "inserted" in message and f"id={inserted.pk}" in message


def test_the_noted_head_reveals_that_the_newest_records_were_removed(trail):
    head = trail[-1]
    noted = f"{head.sequence}:{head.entry_hash}"
    assert "校验通过" in verify("--expect-head", noted)

    raw_sql("DELETE FROM audit_auditentry WHERE id = %s", [head.pk])

    # Without the noted head the shorter chain is whole; with it the removal shows.
    assert "校验通过" in verify()
    message = verify_fails("--expect-head", noted)
    assert "deleted" in message and f"序号 {head.sequence}" in message


def test_the_noted_head_must_match_its_record(trail):
    head = trail[2]
    message = verify_fails("--expect-head", f"{head.sequence}:{'0' * 64}")

    assert f"id={head.pk}" in message


def test_a_malformed_expected_head_is_refused(trail):
    with pytest.raises(CommandError, match="格式"):
        verify("--expect-head", "12:xyz")


def test_a_rolled_back_entry_leaves_no_hole():
    record_event(event="test_event")
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(event="test_event")
        raise RuntimeError("the business transaction fails")
    record_event(event="test_event")

    assert list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True)) == [1, 2]
    assert "校验通过" in verify()


def test_an_entry_saved_around_the_chain_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry(event="test_event", action=3, object_pk="", object_repr="").save()
    with pytest.raises(NotImplementedError):
        AuditEntry.objects.bulk_create([AuditEntry(event="test_event", action=3, object_pk="")])
    assert not AuditEntry.objects.exists()


def test_a_young_entry_cannot_be_deleted_through_the_orm(trail):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry.objects.filter(pk=trail[0].pk).delete()
    assert AuditEntry.objects.count() == len(trail)


def test_every_create_path_is_chained():
    record_event(event="test_event")
    AuditEntry.objects.using("default").create(event="test_event", action=3, object_pk="")
    AuditEntry.objects.filter(event="nothing-matches").create(event="test_event", action=3, object_pk="")
    AuditEntry.objects.get_or_create(event="test_event_2", defaults={"action": 3, "object_pk": ""})

    assert list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True)) == [1, 2, 3, 4]
    assert chain.verify_chain(AuditEntry.objects.all()).ok
