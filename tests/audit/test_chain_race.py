"""Concurrent writers never fork the audit chain: real threads, each with its own PostgreSQL connection."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from shenbao.audit import chain
from shenbao.audit.models import AuditEntry
from shenbao.audit.services import linked_at_end, record_event
from tests.factories import OrganisationFactory, RegionFactory, UnitTypeFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writers itself and its test database is not shared between threads",
    ),
    pytest.mark.django_db(transaction=True),
]


def run_together(count, action):
    barrier = threading.Barrier(count)
    errors = []

    def worker(index):
        try:
            barrier.wait(timeout=30)
            action(index)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []


def test_simultaneous_events_make_one_unbroken_chain():
    def write(index):
        for step in range(5):
            with transaction.atomic():
                record_event(event="test_event", details={"writer": index, "step": step})
                # Hold the transaction open a moment so the other writers queue behind the chain lock.
                time.sleep(0.002)

    run_together(10, write)

    sequences = list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, 51))
    result = chain.verify_chain(AuditEntry.objects.all())
    assert result.ok, result.problem


def test_auditlog_changes_and_events_interleave_without_a_fork():
    region, unit_type = RegionFactory(), UnitTypeFactory()

    def write(index):
        with transaction.atomic():
            organisation = OrganisationFactory(region=region, unit_type=unit_type)
            record_event(event="test_event", target=organisation)
            organisation.address = f"地址{index}"
            organisation.save()

    run_together(8, write)

    assert AuditEntry.objects.filter(event="test_event").count() == 8
    assert AuditEntry.objects.filter(event="update").count() >= 8
    result = chain.verify_chain(AuditEntry.objects.all())
    assert result.ok, result.problem
    assert result.checked == AuditEntry.objects.count()


def test_interleaved_blocks_linked_at_their_end_make_one_unbroken_chain():
    """The transition helper's way: entries kept in `linked_at_end` and inserted as the transaction's last step."""
    region, unit_type = RegionFactory(), UnitTypeFactory()

    def write(index):
        for step in range(3):
            with transaction.atomic(), linked_at_end():
                organisation = OrganisationFactory(region=region, unit_type=unit_type)
                record_event(event="test_event", target=organisation, details={"writer": index, "step": step})
                time.sleep(0.002)

    run_together(8, write)

    assert AuditEntry.objects.filter(event="test_event").count() == 24
    result = chain.verify_chain(AuditEntry.objects.all())
    assert result.ok, result.problem
    assert result.checked == AuditEntry.objects.count()


def test_a_block_linked_at_its_end_holds_no_chain_lock_before_its_end():
    """While one transaction works inside `linked_at_end` with entries kept, another writes to the chain at once;
    the held-back transaction's entries then follow it, unbroken (issue 18: the chain lock only around the insert)."""
    kept, release = threading.Event(), threading.Event()

    def slow_step():
        try:
            with transaction.atomic(), linked_at_end():
                record_event(event="test_slow", details={"part": 1})
                kept.set()
                release.wait(timeout=30)
                record_event(event="test_slow", details={"part": 2})
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_step)
    thread.start()
    try:
        assert kept.wait(timeout=30)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '500ms'")
            record_event(event="test_fast")
    finally:
        release.set()
        thread.join(timeout=30)

    events = list(AuditEntry.objects.order_by("sequence").values_list("event", flat=True))
    assert events == ["test_fast", "test_slow", "test_slow"]
    assert chain.verify_chain(AuditEntry.objects.all()).ok
