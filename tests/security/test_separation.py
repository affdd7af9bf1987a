"""三权分立: the system, security and audit administrators each reach their own functions only, and no business."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

SYSTEM = [reverse("accounts:user_create"), reverse("notices:calendar")]
SECURITY = [
    reverse("security:policy"),
    reverse("security:lockouts"),
    reverse("security:sessions"),
    reverse("security:second_factor_users"),
]
AUDIT = [reverse("audit:list")]
# Business pages of the review workflow: queues, proposals, consultations, notices, awards.
BUSINESS = [
    reverse("review:first_review_queue"),
    reverse("review:recheck_queue"),
    reverse("review:first_review_summary"),
    reverse("opinions:proposals"),
    reverse("opinions:inbox"),
    reverse("opinions:progress"),
    reverse("notices:list"),
    reverse("awards:award"),
]
DENIED = {403, 404}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def statuses(client, urls):
    return {url: client.get(url).status_code for url in urls}


def test_the_system_admin_has_users_and_configuration_only(system_admin):
    client = client_for(system_admin)
    assert set(statuses(client, SYSTEM).values()) == {200}
    assert set(statuses(client, SECURITY + AUDIT).values()) == {404}
    assert set(statuses(client, BUSINESS).values()) <= DENIED


def test_the_security_admin_has_the_security_pages_only(security_admin):
    client = client_for(security_admin)
    assert set(statuses(client, SECURITY).values()) == {200}
    assert set(statuses(client, SYSTEM + AUDIT).values()) == {404}
    assert set(statuses(client, BUSINESS).values()) <= DENIED


def test_the_audit_admin_reads_the_audit_trail_only(audit_admin):
    client = client_for(audit_admin)
    assert set(statuses(client, AUDIT).values()) == {200}
    assert set(statuses(client, SYSTEM + SECURITY).values()) == {404}
    assert set(statuses(client, BUSINESS).values()) <= DENIED


def test_staff_reach_none_of_the_administrators_pages(reviewer):
    client = client_for(reviewer)
    assert set(statuses(client, SYSTEM + SECURITY + AUDIT).values()) == {404}


def test_neither_the_security_nor_the_audit_admin_changes_roles(security_admin, audit_admin, reviewer):
    target = reverse("accounts:user_roles", kwargs={"public_id": reviewer.public_id})
    for admin in (security_admin, audit_admin):
        client = client_for(admin)
        assert client.get(target).status_code == 404
        assert client.post(target, {"action": "grant", "role": "security_admin"}).status_code == 404
    assert not reviewer.role_grants.filter(role="security_admin").exists()


def test_the_system_admin_cannot_unlock_reset_or_end_sessions(system_admin, reviewer):
    client = client_for(system_admin)
    assert client.post(reverse("security:unlock"), {"username": "county_li"}).status_code == 404
    reset = reverse("security:reset_second_factor", kwargs={"public_id": reviewer.public_id})
    assert client.post(reset).status_code == 404


def test_a_superuser_without_roles_gets_no_administrators_page(platform):
    from tests.factories import UserFactory

    root = UserFactory(username="root", organisation=platform, is_superuser=True, is_staff=True)
    client = client_for(root)
    assert set(statuses(client, SECURITY + AUDIT).values()) == {404}
