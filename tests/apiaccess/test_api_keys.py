"""The API token test of issue 16 (acceptance): a city-A key reads city A and gets 404 for city B; an expired or
revoked key gets 401; every call is in the audit log. Through HTTP with the real middleware stack: the system
administrator creates and revokes the account on the pages (logged in, CSRF on), another system calls with the key.
"""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from shenbao.apiaccess.models import ServiceAccount
from shenbao.audit.models import AuditEntry
from tests.web import WebUser

pytestmark = pytest.mark.django_db

PASSWORD = "Test#pass2022"
KEY = re.compile(r'data-testid="api-key">(sbk_[^<]+)<')


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def api_calls():
    return list(AuditEntry.objects.filter(event="api:call").order_by("sequence"))


def create_on_the_page(web, *, expires_on):
    from shenbao.organisations.models import Organisation

    body = Organisation.objects.get(name="晋城市人力资源和社会保障局")
    page = web.post(
        "/api-access/new/",
        {
            "name": "晋城市人社信息系统",
            "organisation": body.pk,
            "role": "city_reviewer",
            "expires_on": expires_on.isoformat(),
        },
    )
    assert page.status_code == 200, page.content.decode()[:2000]
    assert "no-store" in page["Cache-Control"]
    return KEY.search(page.content.decode()).group(1)


def test_a_city_key_reads_its_city_gets_404_for_the_other_and_401_once_expired_or_revoked(two_cities, sysadmin):
    web = WebUser()
    web.log_in("sysadmin", PASSWORD)
    key = create_on_the_page(web, expires_on=timezone.localdate() + datetime.timedelta(days=30))
    account = ServiceAccount.objects.get()
    assert account.key_prefix == key[:12] and key not in (account.key_digest, account.key_prefix)
    system = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.7")
    own, other = two_cities["jincheng_application"], two_cities["changzhi_application"]

    listed = system.get("/api/v1/applications", **bearer(key))
    detail = system.get(f"/api/v1/applications/{own.public_id}", **bearer(key))
    foreign = system.get(f"/api/v1/applications/{other.public_id}", **bearer(key))
    foreign_call = system.get(f"/api/v1/calls/{two_cities['changzhi'].slug}", **bearer(key))
    own_call = system.get(f"/api/v1/calls/{two_cities['jincheng'].slug}", **bearer(key))

    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [str(own.public_id)]
    assert detail.status_code == 200 and detail.json()["number"] == own.number
    assert foreign.status_code == 404 and foreign.json() == {"detail": "未找到该对象，或您无权访问。"}
    assert foreign_call.status_code == 404
    assert own_call.status_code == 200 and own_call.json()["city"] == "晋城市"

    # Expired: the day after its last day (moved on the row, as time would).
    ServiceAccount.objects.filter(pk=account.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    expired = system.get(f"/api/v1/applications/{own.public_id}", **bearer(key))
    assert expired.status_code == 401 and expired.json() == {"detail": "未登录，或密钥无效、已过期或已吊销。"}
    ServiceAccount.objects.filter(pk=account.pk).update(expires_at=timezone.now() + datetime.timedelta(days=1))
    assert system.get("/api/v1/calls", **bearer(key)).status_code == 200

    # Revoked on the page, with the reason: refused at once.
    revoked_page = web.post(f"/api-access/{account.public_id}/revoke/", {"reason": "对方系统下线。"})
    assert revoked_page.status_code == 302
    revoked = system.get(f"/api/v1/applications/{own.public_id}", **bearer(key))
    assert revoked.status_code == 401 and revoked.json() == expired.json()

    unknown = system.get("/api/v1/calls", **bearer(key[:-4] + "AAAA"))
    nothing = system.get("/api/v1/calls")
    assert unknown.status_code == 401 and nothing.status_code == 401

    # Every call made with a key is in the audit trail: the account (or the prefix shown), method, path, status.
    entries = api_calls()
    assert [(entry.additional_data["path"], entry.additional_data["status"]) for entry in entries] == [
        ("/api/v1/applications", 200),
        (f"/api/v1/applications/{own.public_id}", 200),
        (f"/api/v1/applications/{other.public_id}", 404),
        (f"/api/v1/calls/{two_cities['changzhi'].slug}", 404),
        (f"/api/v1/calls/{two_cities['jincheng'].slug}", 200),
        (f"/api/v1/applications/{own.public_id}", 401),
        ("/api/v1/calls", 200),
        (f"/api/v1/applications/{own.public_id}", 401),
        ("/api/v1/calls", 401),
    ]
    assert {entry.additional_data["key_prefix"] for entry in entries} == {account.key_prefix}
    assert [entry.additional_data["outcome"] for entry in entries][5:] == ["expired", "accepted", "revoked", "unknown"]
    assert all(entry.additional_data["method"] == "GET" and entry.remote_addr == "198.51.100.7" for entry in entries)
    assert entries[0].object_pk == str(account.pk) and entries[-1].result == "failure"
    assert key not in str([entry.additional_data for entry in entries])

    revocation = AuditEntry.objects.get(event="api:revoke")
    assert revocation.actor == sysadmin and revocation.additional_data["comment"] == "对方系统下线。"
    account.refresh_from_db()
    assert account.revoked_by == sysadmin and account.revoke_reason == "对方系统下线。"
    assert AuditEntry.objects.filter(event="api:create", actor=sysadmin).count() == 1
