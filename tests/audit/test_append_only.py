"""The database refuses UPDATE, and DELETE of entries younger than 183 days; flush still empties the table."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from shenbao.audit.models import AuditEntry
from shenbao.audit.services import record_event
from tests.factories import UserFactory


def make_entry(age=None):
    if age is None:
        return record_event(event="test_event")
    # An INSERT with an old timestamp stands in for an entry written months ago.
    return AuditEntry.objects.create(event="test_event", action=0, object_pk="", timestamp=timezone.now() - age)


@pytest.mark.django_db
def test_an_update_is_refused_by_the_database():
    entry = make_entry()
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(event="tampered")
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.result = AuditEntry.Result.FAILURE
        entry.save()
    entry.refresh_from_db()
    assert (entry.event, entry.result) == ("test_event", AuditEntry.Result.SUCCESS)


@pytest.mark.django_db
def test_an_update_of_an_old_entry_is_refused_too():
    entry = make_entry(age=dt.timedelta(days=400))
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET object_repr = 'x' WHERE id = %s", [entry.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("age_days", [0, 30, 182])
def test_a_delete_of_a_young_entry_is_refused(age_days):
    entry = make_entry(age=dt.timedelta(days=age_days))
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("age_days", [184, 213])
def test_a_delete_of_an_entry_older_than_six_months_is_allowed(age_days):
    entry = make_entry(age=dt.timedelta(days=age_days))
    AuditEntry.objects.filter(pk=entry.pk).delete()
    assert not AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_deleting_a_user_who_acted_is_refused():
    user = UserFactory()
    record_event(event="test_event", actor=user)
    with pytest.raises(ProtectedError):
        user.delete()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists on PostgreSQL only")
def test_truncate_is_refused_outside_flush():
    make_entry()
    with connection.cursor() as cursor:
        # Check the new row's deferred foreign keys now: TRUNCATE refuses to run with checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_table_and_keeps_the_guards():
    make_entry()
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()

    entry = make_entry()
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(event="tampered")
    # The test runner's own flush after this test must succeed too (fresh rows are left on purpose).


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("runner_flush", [True, False], ids=["test-runner", "by-hand"])
def test_flush_empties_every_table_starts_the_keys_again_and_runs_post_migrate(runner_flush):
    """The test runner's flush (on PostgreSQL rows are deleted, not truncated; shenbao/audit/management/commands/
    flush.py) and the flush a person runs leave the same database: every table empty but for what post_migrate
    makes again (content types, permissions), with the same keys after every flush."""
    from django.contrib.contenttypes.models import ContentType

    from shenbao.organisations.models import Region
    from tests.factories import RegionFactory

    options = {"reset_sequences": False} if runner_flush else {}
    call_command("flush", interactive=False, verbosity=0, **options)
    content_types = list(ContentType.objects.order_by("pk").values_list("pk", "app_label", "model"))
    UserFactory()
    make_entry()
    RegionFactory()
    call_command("flush", interactive=False, verbosity=0, **options)

    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    assert {table for table, count in counts.items() if count} == {"django_content_type", "auth_permission"}
    assert ContentType.objects.get_for_model(Region).model == "region"
    assert list(ContentType.objects.order_by("pk").values_list("pk", "app_label", "model")) == content_types
    assert UserFactory().pk == 1
