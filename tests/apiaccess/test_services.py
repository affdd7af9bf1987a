"""Service accounts: who may create and revoke them, which roles and bodies, how long, and what is stored."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shenbao.accounts.roles import Role
from shenbao.apiaccess.models import ServiceAccount
from shenbao.apiaccess.selectors import acting_user_of, find_account_by_key, is_usable
from shenbao.apiaccess.services import create_service_account, revoke_service_account
from shenbao.applications.selectors import list_visible_application_rows
from shenbao.audit.models import AuditEntry
from shenbao.organisations.models import Organisation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IN_A_MONTH = datetime.timedelta(days=30)


def create(actor, *, body="晋城市人力资源和社会保障局", role=Role.CITY_REVIEWER, days=30):
    return create_service_account(
        name="接口",
        organisation=Organisation.objects.get(name=body),
        role=role,
        expires_on=timezone.localdate() + datetime.timedelta(days=days),
        actor=actor,
    )


def test_only_the_digest_and_the_prefix_are_stored_and_the_key_finds_its_account(city_key):
    account, key = city_key
    assert key.startswith(account.key_prefix + "_") and len(key) > 50
    assert account.key_digest == hashlib.sha256(key.encode()).hexdigest()
    assert find_account_by_key(key=key) == account
    assert find_account_by_key(key=key + "x") is None
    assert find_account_by_key(key=account.key_prefix) is None
    assert find_account_by_key(key="Bearer nonsense") is None
    entry = AuditEntry.objects.get(event="api:create")
    assert entry.additional_data["key_prefix"] == account.key_prefix and key not in str(entry.additional_data)


def test_the_account_reads_as_its_role_in_its_city(city_key, two_cities):
    account, _key = city_key
    user = acting_user_of(account)
    assert user.pk is None and user.roles == {Role.CITY_REVIEWER}
    rows = list_visible_application_rows(user=user)
    assert list(rows) == [two_cities["jincheng_application"]]
    assert list(list_visible_application_rows(user=user, call=two_cities["changzhi"])) == []


def test_the_call_administrator_role_is_held_in_the_skills_office_only(two_cities, sysadmin):
    account, _key = create(sysadmin, body="晋城市人力资源和社会保障局技能办", role=Role.CALL_ADMIN)
    assert account.role == Role.CALL_ADMIN
    with pytest.raises(ValidationError) as refused:
        create(sysadmin, body="晋城市人力资源和社会保障局", role=Role.CALL_ADMIN)
    assert "organisation" in refused.value.message_dict


@pytest.mark.parametrize(
    "role", [Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.SECURITY_ADMIN, Role.APPLICANT, Role.PROVINCE_OBSERVER]
)
def test_no_administrator_and_no_other_role_than_the_city_wide_ones(two_cities, sysadmin, role):
    with pytest.raises(ValidationError) as refused:
        create(sysadmin, role=role)
    assert "role" in refused.value.message_dict


def test_the_expiry_is_required_within_the_longest_validity(two_cities, sysadmin, settings):
    settings.SHENBAO_API_KEY_MAX_DAYS = 365
    create(sysadmin, days=365)
    create(sysadmin, days=0)
    for days in (366, -1):
        with pytest.raises(ValidationError) as refused:
            create(sysadmin, days=days)
        assert "expires_on" in refused.value.message_dict


def test_an_account_lasts_to_the_end_of_its_last_day(two_cities, sysadmin):
    account, _key = create(sysadmin, days=0)
    end = timezone.localtime(account.expires_at)
    assert (end.date(), end.hour, end.minute) == (timezone.localdate() + datetime.timedelta(days=1), 0, 0)
    assert is_usable(account, at=account.expires_at - datetime.timedelta(seconds=1))
    assert not is_usable(account, at=account.expires_at)


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.CITY_REVIEWER])
def test_only_the_system_administrator_creates_and_revokes(city_key, role):
    account, _key = city_key
    other = UserFactory(organisation=Organisation.objects.get(name="晋城市人力资源和社会保障局"), roles=[role])
    with pytest.raises(PermissionDenied):
        create(other)
    with pytest.raises(PermissionDenied):
        revoke_service_account(account=account, actor=other, reason="试图吊销。")
    assert ServiceAccount.objects.get(pk=account.pk).status == ServiceAccount.Status.ACTIVE


def test_a_revocation_needs_a_reason_and_happens_once(city_key, sysadmin):
    account, _key = city_key
    with pytest.raises(ValidationError):
        revoke_service_account(account=account, actor=sysadmin, reason="  ")
    revoked = revoke_service_account(account=account, actor=sysadmin, reason="密钥泄露。")
    assert (revoked.status, revoked.revoked_by, revoked.revoke_reason) == ("revoked", sysadmin, "密钥泄露。")
    assert not is_usable(revoked)
    with pytest.raises(ValidationError):
        revoke_service_account(account=revoked, actor=sysadmin, reason="再次吊销。")
    assert AuditEntry.objects.filter(event="api:revoke").count() == 1
