"""Log-in, log-out and failed log-in entries, and the event service itself."""

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse

from shenbao.audit.events import Event
from shenbao.audit.models import AuditEntry
from shenbao.audit.services import record_event
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Test#pass2022"


def test_a_log_in_through_the_login_page_is_recorded_with_the_client_address(client):
    user = UserFactory(username="wangjingban")

    response = client.post(
        reverse("accounts:login"), {"username": "wangjingban", "password": PASSWORD}, REMOTE_ADDR="198.51.100.77"
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(event=Event.LOGIN)
    assert entry.actor == user
    assert entry.remote_addr == "198.51.100.77"
    assert entry.result == AuditEntry.Result.SUCCESS
    assert entry.object_pk == str(user.pk)


def test_a_failed_log_in_records_the_attempted_name_but_no_password(client):
    UserFactory(username="wangjingban")

    response = client.post(
        reverse("accounts:login"), {"username": "wangjingban", "password": "Wrong#guess99"}, REMOTE_ADDR="198.51.100.8"
    )

    assert response.status_code == 200
    entry = AuditEntry.objects.get(event=Event.LOGIN_FAILED)
    assert entry.result == AuditEntry.Result.FAILURE
    assert entry.actor is None
    assert entry.remote_addr == "198.51.100.8"
    assert entry.additional_data == {"username": "wangjingban"}
    stored = " ".join(str(value) for value in AuditEntry.objects.values_list("changes", "additional_data"))
    assert "Wrong#guess99" not in stored
    # Django's placeholder for the cleansed password (masked phones elsewhere in the trail also contain stars).
    assert "********************" not in stored


def test_a_failed_log_in_with_an_unknown_name_has_no_object(rf):
    # django-axes needs the request (its lock-out check); every real log-in passes one.
    assert authenticate(request=rf.post("/accounts/login/"), username="nobody", password="x") is None
    entry = AuditEntry.objects.get(event=Event.LOGIN_FAILED)
    assert entry.content_type is None
    assert entry.additional_data == {"username": "nobody"}


def test_a_log_out_is_recorded(client):
    user = UserFactory()
    client.force_login(user)

    client.post(reverse("accounts:logout"), REMOTE_ADDR="198.51.100.9")

    entry = AuditEntry.objects.get(event=Event.LOGOUT)
    assert entry.actor == user
    assert entry.remote_addr == "198.51.100.9"


def test_record_event_with_a_target_and_changes():
    actor = UserFactory()
    organisation = OrganisationFactory()

    entry = record_event(
        event="workflow:submit",
        actor=actor,
        target=organisation,
        remote_addr="2001:db8::5",
        changes={"status": ["draft", "submitted"]},
        details={"note": "提交申报", "password": "x", "nested": {"api_token": "y", "ok": 1}},
    )

    entry.refresh_from_db()
    assert entry.event == "workflow:submit"
    assert entry.action == AuditEntry.Action.ACCESS
    assert entry.actor == actor
    assert entry.content_type.model_class() is type(organisation)
    assert entry.object_pk == str(organisation.pk)
    assert entry.object_repr == organisation.name
    assert entry.remote_addr == "2001:db8::5"
    assert entry.changes == {"status": ["draft", "submitted"]}
    assert entry.additional_data == {"note": "提交申报", "nested": {"ok": 1}}


def test_record_event_refuses_an_unknown_result_or_empty_event():
    with pytest.raises(ValueError):
        record_event(event="export", result="maybe")
    with pytest.raises(ValueError):
        record_event(event="")
    assert not AuditEntry.objects.exists()


def test_event_labels():
    assert Event.label_for("login_failed") == "登录失败"
    assert Event.label_for("workflow:unknown") == "workflow:unknown"
