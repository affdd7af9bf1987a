"""Exactly-once under real concurrency: many threads, each with its own database connection, race on one row.

SQLite serialises every writer behind one database lock (and in-memory test databases are not shared between
threads), so these tests run on PostgreSQL, where the row locks of SELECT … FOR UPDATE do the work.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, connections, transaction
from django_fsm_log.models import StateLog

from shenbao.applications.models import Application, ApplicationVersion
from shenbao.applications.selectors import lock_application
from shenbao.applications.services import fire_transition, start_application
from shenbao.audit.models import AuditEntry
from shenbao.calls.models import Call, ProjectType

from .builders import IN_TIME, attach_required_materials, fill_sections, workstation_sections

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks and its test database is not shared between threads",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("documents_queued"),
]


def race(count, action):
    """Run `action` in `count` threads released together; returns each thread's result or exception."""
    barrier = threading.Barrier(count)
    outcomes, outcomes_lock = [], threading.Lock()

    def worker():
        try:
            barrier.wait(timeout=30)
            outcome = action()
        except Exception as exc:  # the outcome under test; asserted on below
            outcome = exc
        finally:
            connections.close_all()
        with outcomes_lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == count
    return outcomes


def test_twenty_simultaneous_submissions_make_exactly_one(ready_draft, applicant):
    outcomes = race(20, lambda: fire_transition(application=ready_draft, name="submit", actor=applicant, at=IN_TIME))
    successes = [outcome for outcome in outcomes if isinstance(outcome, Application)]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(successes) == 1, outcomes
    assert len(refusals) == 19, outcomes
    assert all("状态已变化" in refusal.messages[0] for refusal in refusals)
    assert Application.objects.get(pk=ready_draft.pk).status == "submitted"
    assert StateLog.objects.for_(ready_draft).count() == 1
    assert ApplicationVersion.objects.filter(application=ready_draft).count() == 1
    assert AuditEntry.objects.filter(event="workflow:submit").count() == 1


def test_two_simultaneous_starts_make_one_application(call, workstation_type, unit, applicant):
    outcomes = race(
        2,
        lambda: start_application(call=call, project_type=workstation_type, unit=unit, user=applicant, at=IN_TIME),
    )
    successes = [outcome for outcome in outcomes if isinstance(outcome, Application)]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(successes) == 1, outcomes
    assert len(refusals) == 1, outcomes
    assert "同一通知下每类项目只能申报一次" in refusals[0].messages[0]
    assert Application.objects.filter(unit=unit).count() == 1
    assert successes[0].number == "2022-01-0001"


def test_two_units_submitting_the_same_people_at_once_make_one_submission(
    call, workstation_type, make_unit, make_applicant
):
    drafts = []
    for _ in range(2):
        unit = make_unit()
        user = make_applicant(unit)
        draft = start_application(call=call, project_type=workstation_type, unit=unit, user=user, at=IN_TIME)
        draft = fill_sections(application=draft, user=user, sections=workstation_sections(batch=950))
        attach_required_materials(application=draft, user=user)
        drafts.append((draft, user))
    queue = list(drafts)
    queue_lock = threading.Lock()

    def submit_one():
        with queue_lock:
            draft, user = queue.pop()
        return fire_transition(application=draft, name="submit", actor=user, at=IN_TIME)

    outcomes = race(2, submit_one)
    successes = [outcome for outcome in outcomes if isinstance(outcome, Application)]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(successes) == 1 and len(refusals) == 1, outcomes
    assert "已列入本次申报通知中其他单位的申报" in refusals[0].messages[0]
    assert Application.objects.filter(status="submitted").count() == 1


def _held_in_another_transaction(call_id, persons, started, release):
    """A thread holding the locks of `persons` in `call_id` until `release` is set."""
    from django.db import transaction

    from shenbao.applications.persons import lock_persons

    def hold():
        try:
            with transaction.atomic():
                lock_persons(call_id=call_id, persons=persons)
                started.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    return thread


def _may_lock_now(call_id, persons):
    """Whether this connection gets the locks of `persons` at once (a 200 ms lock timeout, then refused)."""
    from django.db import OperationalError, transaction

    from shenbao.applications.persons import lock_persons

    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '200ms'")
            lock_persons(call_id=call_id, persons=persons)
    except OperationalError:
        return False
    return True


def test_submissions_wait_only_for_one_naming_the_same_person(call):
    """The persons lock is per person of the call: a submission naming someone another open submission names
    waits for it; one naming other people, or the same person in another call, does not (the deadline rush)."""
    from shenbao.applications.persons import Person

    def person(number):
        return Person(index=f"index-{number}", masked="", name="", where="")

    started, release = threading.Event(), threading.Event()
    holder = _held_in_another_transaction(call.pk, [person(1), person(2)], started, release)
    try:
        assert started.wait(timeout=30)
        assert _may_lock_now(call.pk, [person(3), person(4)])
        assert _may_lock_now(call.pk + 1, [person(1)])
        assert not _may_lock_now(call.pk, [person(4), person(2)])
    finally:
        release.set()
        holder.join(timeout=30)
    assert _may_lock_now(call.pk, [person(4), person(2)])


def test_an_application_s_lock_leaves_its_call_and_project_type_free(ready_draft):
    """While one transaction holds an application's row lock (with its call and project type read beside it),
    another locks that call and project type at once: approvals of one call do not queue behind each other
    (tests/test_row_locks.py)."""
    outcome: list[object] = []

    def lock_the_call_and_type():
        try:
            with transaction.atomic():
                Call.objects.select_for_update(nowait=True).filter(pk=ready_draft.call_id).exists()
                ProjectType.objects.select_for_update(nowait=True).filter(pk=ready_draft.project_type_id).exists()
            outcome.append("locked")
        except DatabaseError as error:
            outcome.append(error)
        finally:
            connections.close_all()

    with transaction.atomic():
        locked = lock_application(application=ready_draft)
        assert locked.call.pk == ready_draft.call_id and locked.project_type.pk == ready_draft.project_type_id
        other = threading.Thread(target=lock_the_call_and_type)
        other.start()
        other.join(timeout=30)

    assert outcome == ["locked"]
