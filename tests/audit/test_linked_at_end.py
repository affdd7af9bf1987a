"""`linked_at_end`: a transaction's audit entries kept and inserted, linked, as its last step (the transition
helper's way, issue 18). The PostgreSQL side (no chain lock before the end, concurrent blocks) is in
test_chain_race.py."""

import pytest
from django.db import IntegrityError, transaction

from shenbao.audit import chain
from shenbao.audit.models import AuditEntry
from shenbao.audit.services import linked_at_end, record_event

pytestmark = pytest.mark.django_db


def _events():
    return list(AuditEntry.objects.order_by("sequence").values_list("event", flat=True))


def test_entries_are_inserted_in_order_at_the_end_of_the_block():
    record_event(event="test_before")
    with transaction.atomic(), linked_at_end():
        first = record_event(event="test_one")
        record_event(event="test_two")
        assert _events() == ["test_before"]
        assert first.pk is None
    assert _events() == ["test_before", "test_one", "test_two"]
    assert first.pk is not None and first.sequence == 2
    assert chain.verify_chain(AuditEntry.objects.all()).ok


def test_an_exception_in_the_block_inserts_nothing():
    with pytest.raises(RuntimeError), transaction.atomic(), linked_at_end():
        record_event(event="test_lost")
        raise RuntimeError("the step fails")
    assert _events() == []


def test_an_entry_of_a_rolled_back_savepoint_is_dropped_with_it():
    with transaction.atomic(), linked_at_end():
        record_event(event="test_kept")
        try:
            with transaction.atomic():
                record_event(event="test_rolled_back")
                raise IntegrityError("a unique key taken meanwhile")
        except IntegrityError:
            pass
        with transaction.atomic():
            record_event(event="test_released")
    assert _events() == ["test_kept", "test_released"]
    assert chain.verify_chain(AuditEntry.objects.all()).ok


def test_an_inner_block_adds_to_the_outer_one():
    with transaction.atomic(), linked_at_end():
        with linked_at_end():
            record_event(event="test_inner")
        assert _events() == []
        record_event(event="test_outer")
    assert _events() == ["test_inner", "test_outer"]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_each_entry_is_inserted_at_once():
    with linked_at_end():
        record_event(event="test_alone")
        assert _events() == ["test_alone"]
