"""Inviting colleagues: signed 7-day single-use links, Chinese e-mail, only applicants of the unit, 404 elsewhere."""

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shenbao.accounts import invitations
from shenbao.accounts.models import Invitation, User
from shenbao.accounts.roles import Role
from shenbao.audit.models import AuditEntry
from tests.factories import GovernmentBodyFactory, OrganisationFactory, UserFactory

INVITE_URL = "/accounts/invitations/"


@pytest.fixture
def applicant(db):
    return UserFactory(username="first", full_name="王经办", roles=[Role.APPLICANT])


@pytest.fixture
def invite(applicant):
    def _invite(*, by=None, email="zhao@example.cn", full_name="赵同事", at=None):
        return invitations.create_invitation(invited_by=by or applicant, email=email, full_name=full_name, at=at)

    return _invite


def _accept(token, *, username="zhao", password="Tongshi#2022pass", at=None):
    return invitations.accept_invitation(token=token, username=username, password=password, at=at)


def _link_in(text):
    return re.search(r"https?://\S+/accounts/invitations/\S+/", text).group(0)


def test_happy_path_through_the_pages(client, applicant, password, django_capture_on_commit_callbacks):
    client.force_login(applicant)

    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after the commit
        response = client.post(INVITE_URL, {"full_name": "赵同事", "email": "zhao@example.cn"}, follow=True)

    assert response.redirect_chain == [(INVITE_URL, 302)]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhao@example.cn"]
    assert applicant.organisation.name in message.subject
    assert "赵同事，您好" in message.body and "只能使用一次" in message.body
    link = _link_in(message.body)
    html = response.content.decode()
    assert f'value="{link}"' in html  # shown once for copying …
    assert "赵同事" in html
    assert f'value="{link}"' not in client.get(INVITE_URL).content.decode()  # … and only once

    client.logout()
    path = link.split("testserver", 1)[1]
    page = client.get(path)
    assert page.status_code == 200
    assert applicant.organisation.name in page.content.decode()
    accepted = client.post(
        path,
        {
            "username": "zhao",
            "full_name": "赵同事",
            "phone": "",
            "password1": "Tongshi#2022pass",
            "password2": "Tongshi#2022pass",
        },
        follow=True,
    )

    assert accepted.redirect_chain == [("/dashboard/", 302)]
    user = User.objects.get(username="zhao")
    assert accepted.context["user"] == user
    assert user.organisation == applicant.organisation
    assert user.roles == {Role.APPLICANT}
    assert user.email == "zhao@example.cn"
    invitation = Invitation.objects.get()
    assert invitation.accepted_user == user and invitation.accepted_at is not None
    events = set(AuditEntry.objects.values_list("event", flat=True))
    assert {"invitation:create", "invitation:accept"} <= events


def test_a_link_works_only_once(invite):
    _, token = invite()
    _accept(token)

    with pytest.raises(ValidationError) as exc:
        _accept(token, username="zhao2")

    assert exc.value.messages == [invitations.USED_MESSAGE]
    assert User.objects.filter(username="zhao2").exists() is False


def test_a_used_link_page_says_so_in_chinese(client, invite):
    _, token = invite()
    _accept(token)

    response = client.get(f"{INVITE_URL}{token}/")

    assert response.status_code == 400
    assert "该邀请链接已被使用" in response.content.decode()


def test_links_expire_after_seven_days(invite):
    now = timezone.now()
    _, fresh_enough = invite(email="a@example.cn", at=now - timedelta(days=7) + timedelta(minutes=1))
    _, expired = invite(email="b@example.cn", at=now - timedelta(days=7))

    assert _accept(fresh_enough, username="fresh", at=now).username == "fresh"
    with pytest.raises(ValidationError) as exc:
        _accept(expired, username="late", at=now)
    assert exc.value.messages == [invitations.EXPIRED_MESSAGE]


def test_an_expired_signature_is_refused(invite, monkeypatch):
    _, token = invite()
    later = timezone.now() + timedelta(days=7, seconds=5)
    monkeypatch.setattr(signing.time, "time", lambda: later.timestamp())

    with pytest.raises(ValidationError) as exc:
        invitations.get_invitation_for_token(token=token, at=timezone.now())

    assert exc.value.messages == [invitations.EXPIRED_MESSAGE]


def test_tampered_tokens_are_refused(invite, db):
    invitation, token = invite()
    other_unit_user = UserFactory(roles=[Role.APPLICANT])
    other_invitation, _ = invite(by=other_unit_user, email="x@example.cn")
    forged = [
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        signing.dumps(str(other_invitation.public_id), salt="another.salt"),
        token.replace(signing.dumps(str(invitation.public_id), salt=invitations.SALT).split(":")[0], "e30"),
        "not-a-token",
    ]
    for candidate in forged:
        with pytest.raises(ValidationError) as exc:
            invitations.get_invitation_for_token(token=candidate)
        assert exc.value.messages == [invitations.INVALID_MESSAGE], candidate


def test_the_unit_comes_from_the_invitation_not_from_the_link(client, invite):
    other = UserFactory(roles=[Role.APPLICANT])
    _, token = invite()

    user = _accept(token)

    assert user.organisation != other.organisation
    assert user.organisation.users.filter(username="first").exists()


def test_a_signed_in_user_of_another_unit_cannot_accept(client, invite):
    _, token = invite()
    client.force_login(UserFactory(roles=[Role.APPLICANT]))

    response = client.post(
        f"{INVITE_URL}{token}/",
        {"username": "zhao", "full_name": "x", "password1": "Tongshi#2022pass", "password2": "Tongshi#2022pass"},
    )

    assert response.status_code == 400
    assert not User.objects.filter(username="zhao").exists()
    assert Invitation.objects.get().accepted_at is None


def test_password_validators_apply_on_acceptance(client, invite):
    _, token = invite()

    response = client.post(
        f"{INVITE_URL}{token}/",
        {"username": "zhao", "full_name": "赵同事", "password1": "12345678", "password2": "12345678"},
    )

    assert "密码只包含数字。" in response.context["form"].errors["password1"]
    assert Invitation.objects.get().accepted_at is None


def test_revoked_links_stop_working(client, applicant, invite):
    invitation, token = invite()
    client.force_login(applicant)

    response = client.post(f"{INVITE_URL}{invitation.public_id}/revoke/")

    assert response.status_code == 302
    with pytest.raises(ValidationError) as exc:
        _accept(token)
    assert exc.value.messages == [invitations.REVOKED_MESSAGE]
    assert "已撤销对 赵同事 的邀请。" in client.get(INVITE_URL).content.decode()  # the message, once
    assert "赵同事" not in client.get(INVITE_URL).content.decode()  # and no longer listed


def test_another_units_invitation_cannot_be_revoked(client, invite):
    invitation, _ = invite()
    client.force_login(UserFactory(roles=[Role.APPLICANT]))

    response = client.post(f"{INVITE_URL}{invitation.public_id}/revoke/")

    assert response.status_code == 404
    assert Invitation.objects.get().revoked_at is None


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: UserFactory(organisation=GovernmentBodyFactory(), roles=[Role.COUNTY_REVIEWER]),
        lambda: UserFactory(roles=[Role.EXPERT]),  # in an applicant unit, but not its applicant
    ],
    ids=["county_reviewer", "expert_of_an_applicant_unit"],
)
def test_only_applicants_may_invite(client, db, make_user):
    user = make_user()
    client.force_login(user)

    assert client.get(INVITE_URL).status_code == 404
    assert client.post(INVITE_URL, {"full_name": "x", "email": "x@example.cn"}).status_code == 404
    with pytest.raises(PermissionDenied):
        invitations.create_invitation(invited_by=user, email="x@example.cn", full_name="x")
    assert not Invitation.objects.exists()


def test_applicants_of_an_inactive_unit_may_not_invite(client, db):
    user = UserFactory(organisation=OrganisationFactory(is_active=False), roles=[Role.APPLICANT])
    client.force_login(user)

    assert client.get(INVITE_URL).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(INVITE_URL)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_one_open_invitation_per_address(invite):
    invite()

    with pytest.raises(ValidationError) as exc:
        invite(email="ZHAO@example.cn")

    assert "尚未接受" in exc.value.message_dict["email"][0]


def test_colleagues_with_an_account_need_no_invitation(invite, applicant):
    UserFactory(organisation=applicant.organisation, email="zhao@example.cn")

    with pytest.raises(ValidationError) as exc:
        invite()

    assert "无需邀请" in exc.value.message_dict["email"][0]


def test_open_invitations_are_listed_for_the_unit_only(client, applicant, invite):
    invite()
    invite(by=UserFactory(roles=[Role.APPLICANT]), email="other@example.cn", full_name="别家同事")
    client.force_login(applicant)

    html = client.get(INVITE_URL).content.decode()

    assert "赵同事" in html
    assert "别家同事" not in html


# The whole page's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
INVITATION_LIST_QUERIES = 7


def _count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INVITE_URL).status_code == 200
    return len(queries)


def test_the_invitation_list_costs_the_same_queries_for_one_or_many_rows(client, applicant, invite):
    colleagues = [UserFactory(organisation=applicant.organisation, roles=[Role.APPLICANT]) for _ in range(3)]
    client.force_login(applicant)
    invite()
    one = _count_queries(client)
    for index in range(12):
        invite(by=colleagues[index % 3], email=f"c{index}@example.cn", full_name=f"同事{index}")

    many = _count_queries(client)

    assert (one, many) == (INVITATION_LIST_QUERIES, INVITATION_LIST_QUERIES)
