"""auditlog's data-change entries land in AuditEntry with event, actor, source address, object and changes."""

import pytest
from auditlog.context import set_actor
from django.contrib.contenttypes.models import ContentType

from shenbao.audit.models import AuditEntry
from shenbao.organisations.models import Organisation
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def entries_for(organisation_pk):
    content_type = ContentType.objects.get_for_model(Organisation)
    return AuditEntry.objects.filter(content_type=content_type, object_pk=str(organisation_pk)).order_by("id")


def test_create_update_delete_of_an_organisation_are_recorded_with_actor_and_address():
    actor = UserFactory()
    with set_actor(actor, remote_addr="203.0.113.9"):
        organisation = OrganisationFactory(name="晋城市甲有限公司")
        organisation.name = "晋城市乙有限公司"
        organisation.save()
        pk = organisation.pk
        organisation.delete()

    created, updated, deleted = entries_for(pk)
    assert [created.event, updated.event, deleted.event] == ["create", "update", "delete"]
    for entry in (created, updated, deleted):
        assert entry.actor == actor
        assert entry.actor_email == actor.email
        assert entry.remote_addr == "203.0.113.9"
        assert entry.timestamp is not None
        assert entry.result == AuditEntry.Result.SUCCESS
    assert created.changes["name"] == [None, "晋城市甲有限公司"]
    assert updated.changes["name"] == ["晋城市甲有限公司", "晋城市乙有限公司"]
    assert "credit_code" not in updated.changes
    assert deleted.object_repr == "晋城市乙有限公司"


def test_a_save_without_changes_writes_no_entry():
    organisation = OrganisationFactory()
    before = entries_for(organisation.pk).count()
    Organisation.objects.get(pk=organisation.pk).save(update_fields=["name"])
    assert entries_for(organisation.pk).count() == before


def test_user_passwords_are_not_in_the_trail():
    user = UserFactory()
    user.set_password("Another#pass2023")
    user.save()
    content_type = ContentType.objects.get_for_model(user)
    for entry in AuditEntry.objects.filter(content_type=content_type, object_pk=str(user.pk)):
        assert "password" not in (entry.changes or {})
        assert "Another#pass2023" not in str(entry.changes)


@pytest.mark.urls("tests.audit.urls")
def test_a_change_made_in_a_request_records_the_signed_in_user_and_remote_addr(client):
    user = UserFactory()
    organisation = OrganisationFactory(name="旧名称")
    client.force_login(user)

    response = client.post(f"/rename/{organisation.pk}/", {"name": "新名称"}, REMOTE_ADDR="198.51.100.23")

    assert response.status_code == 200
    entry = entries_for(organisation.pk).get(event="update")
    assert entry.actor == user
    assert entry.remote_addr == "198.51.100.23"
    assert entry.changes["name"] == ["旧名称", "新名称"]


@pytest.mark.urls("tests.audit.urls")
def test_a_forged_forwarded_for_header_is_ignored_without_trusted_proxies(client, settings):
    settings.AUDIT_TRUSTED_PROXIES = []
    organisation = OrganisationFactory()
    client.force_login(UserFactory())

    client.post(
        f"/rename/{organisation.pk}/", {"name": "改"}, REMOTE_ADDR="198.51.100.23", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )

    assert entries_for(organisation.pk).get(event="update").remote_addr == "198.51.100.23"


@pytest.mark.urls("tests.audit.urls")
def test_the_client_behind_a_trusted_proxy_is_recorded(client, settings):
    settings.AUDIT_TRUSTED_PROXIES = ["10.0.0.0/8"]
    organisation = OrganisationFactory()
    client.force_login(UserFactory())

    client.post(
        f"/rename/{organisation.pk}/",
        {"name": "改"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.50, 10.0.0.7",
    )

    assert entries_for(organisation.pk).get(event="update").remote_addr == "203.0.113.50"
