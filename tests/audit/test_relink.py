"""`manage.py audit_relink` repairs entries hashed before django-auditlog filled actor and address, and only those."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shenbao.audit import chain
from shenbao.audit.events import Event
from shenbao.audit.models import AuditEntry
from shenbao.audit.services import record_event
from tests.factories import UserFactory

from .chain_helpers import raw_sql

pytestmark = pytest.mark.django_db


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def refused(command, *args):
    with pytest.raises(CommandError) as failure:
        run(command, *args)
    assert failure.value.returncode == 1
    return str(failure.value)


def write_as_before_the_fix(*, actor=None, remote_addr="198.51.100.7", remote_port=51234, **fields):
    """An entry as the old code stored it: hashed first, then actor/address filled by auditlog's pre_save."""
    head = AuditEntry.objects.order_by("-sequence").values_list("sequence", "entry_hash").first()
    fields = {"action": AuditEntry.Action.UPDATE, "event": Event.UPDATE, "object_pk": "", **fields}
    entry = AuditEntry(**fields)
    chain.link(entry, head=head)
    if actor is not None:
        entry.actor, entry.actor_email = actor, actor.email
    entry.remote_addr, entry.remote_port = remote_addr, remote_port
    entry.save(force_insert=True)  # not through the queryset's create: the stale link is stored as it was
    return entry


@pytest.fixture
def old_chain():
    """Good entries, two entries hashed before their late fields (one with an actor), then good entries again."""
    user = UserFactory(username="late_actor", email="late@example.cn")
    record_event(event="login", actor=user, target=user, remote_addr="192.0.2.1")
    late = [
        write_as_before_the_fix(actor=user, object_repr="单位资料"),
        write_as_before_the_fix(object_repr="申报书", remote_port=None),
    ]
    record_event(event="login", actor=user, target=user, remote_addr="192.0.2.2")
    record_event(event="login_failed", result=AuditEntry.Result.FAILURE)
    return late


def test_the_old_chain_fails_verification_and_is_relinked_then_verifies(old_chain):
    assert "altered" in refused("audit_verify")
    before = {entry.pk: (entry.actor_id, entry.remote_addr, entry.object_repr) for entry in AuditEntry.objects.all()}
    count = len(before)

    output = run("audit_relink")

    assert "2 条记录在计算哈希后才填入操作人或来源地址" in output
    assert "重新链接 4 条记录" in output
    assert "审计记录哈希链校验通过" in run("audit_verify")
    # The content is what it was; only the links changed; the repair itself is the newest entry.
    after = {entry.pk: (entry.actor_id, entry.remote_addr, entry.object_repr) for entry in AuditEntry.objects.all()}
    assert {pk: after[pk] for pk in before} == before
    assert len(after) == count + 1
    repair = AuditEntry.objects.order_by("-sequence").first()
    assert repair.event == Event.AUDIT_RELINK
    assert repair.additional_data["late_field_entries"] == [entry.pk for entry in old_chain]
    assert repair.additional_data["relinked_entries"] == 4
    assert repair.additional_data["first_relinked_sequence"] == old_chain[0].sequence


def test_a_dry_run_reports_and_changes_nothing(old_chain):
    hashes = list(AuditEntry.objects.order_by("sequence").values_list("entry_hash", flat=True))
    assert "未做修改" in run("audit_relink", "--dry-run")
    assert list(AuditEntry.objects.order_by("sequence").values_list("entry_hash", flat=True)) == hashes


def test_a_whole_chain_needs_no_repair_and_gets_no_entry():
    record_event(event="login_failed", result=AuditEntry.Result.FAILURE)
    assert "审计链无需修复" in run("audit_relink")
    assert AuditEntry.objects.count() == 1


def test_a_late_field_entry_that_was_also_altered_is_refused_and_nothing_changes(old_chain):
    raw_sql("UPDATE audit_auditentry SET object_repr = %s WHERE id = %s", ["改过的对象", old_chain[0].pk])
    hashes = list(AuditEntry.objects.order_by("sequence").values_list("entry_hash", flat=True))
    message = refused("audit_relink")
    assert f"记录 id={old_chain[0].pk}" in message and "该记录被篡改，不能修复" in message
    assert list(AuditEntry.objects.order_by("sequence").values_list("entry_hash", flat=True)) == hashes
    assert not AuditEntry.objects.filter(event=Event.AUDIT_RELINK).exists()


def test_a_changed_address_on_an_intact_entry_is_refused(old_chain):
    login = AuditEntry.objects.get(event="login", remote_addr="192.0.2.1")
    raw_sql("UPDATE audit_auditentry SET remote_addr = %s WHERE id = %s", ["10.0.0.99", login.pk])
    # Blanking the address does not give the stored hash either: that entry was hashed with 192.0.2.1.
    assert "不能修复" in refused("audit_relink")


def test_a_deleted_entry_is_refused(old_chain):
    middle = AuditEntry.objects.order_by("sequence")[2]
    raw_sql("DELETE FROM audit_auditentry WHERE id = %s", [middle.pk])
    assert "不连续" in refused("audit_relink")
