"""The call administrator cannot take over an expert's account (issue 11, point 2).

The pool page edits a contact address, never the account's log-in e-mail; a password reset asked for the
attacker's address therefore reaches nobody. Only the account's owner changes the log-in e-mail, confirmed from
the old address.
"""

import pytest
from django.core import mail
from django.urls import reverse

from shenbao.accounts.models import User
from shenbao.audit.models import AuditEntry
from shenbao.experts.models import ExpertProfile
from shenbao.organisations.models import Region
from tests.web import WebUser, mailed_link

from .builders import make_expert

pytestmark = pytest.mark.django_db
ATTACKER = "attacker@example.com"


@pytest.fixture
def expert(admin, password):
    profile = make_expert(admin, name="周评审", email="zhou@example.cn")
    profile.user.set_password(password)
    profile.user.save()
    return profile


def test_the_pool_page_changes_the_contact_address_not_the_log_in(
    admin, expert, password, django_capture_on_commit_callbacks
):
    web = WebUser()
    web.log_in(admin.username, password)
    url = reverse("experts:expert_detail", args=[expert.public_id])
    data = {
        "full_name": "周评审",
        "work_unit_name": expert.work_unit.name,
        "region": str(Region.objects.get(key="140502").pk),
        "title": "",
        "specialties": "",
        "phone": "",
        "email": ATTACKER,
    }
    assert web.post(url, data).status_code == 302
    assert ExpertProfile.objects.get(pk=expert.pk).contact_email == ATTACKER
    assert User.objects.get(pk=expert.user.pk).email == "zhou@example.cn"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        WebUser().post(reverse("accounts:password_reset"), {"email": ATTACKER})
    assert mail.outbox == []  # no account has that log-in address: no reset link to steal


def test_the_owner_changes_the_log_in_email_confirmed_from_the_old_address(
    expert, password, django_capture_on_commit_callbacks
):
    user = expert.user
    web = WebUser()
    web.log_in(user.username, password)
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            web.post(
                reverse("accounts:email_change"), {"email": "zhou.new@example.cn"}, form_url="/accounts/profile/"
            ).status_code
            == 302
        )
    assert User.objects.get(pk=user.pk).email == "zhou@example.cn"  # nothing changed yet
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"zhou@example.cn", "zhou.new@example.cn"}
    assert "/accounts/email/confirm/" not in by_address["zhou.new@example.cn"].body  # the link goes to the old one
    link = mailed_link(by_address["zhou@example.cn"].body, "/accounts/email/confirm/")

    mail.outbox.clear()
    confirm = WebUser()  # the mailbox's owner, not necessarily signed in
    assert "zhou.new@example.cn" in confirm.get(link).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert confirm.post(link).status_code == 200
    assert User.objects.get(pk=user.pk).email == "zhou.new@example.cn"
    assert {message.to[0] for message in mail.outbox} == {"zhou@example.cn", "zhou.new@example.cn"}
    assert AuditEntry.objects.filter(event="accounts:email_change", actor=user).exists()
    # Used once: the link names the old address, which is gone.
    assert confirm.post(link).status_code == 400


def test_a_forged_link_is_refused(expert):
    response = WebUser().get("/accounts/email/confirm/not-a-token/")
    assert response.status_code == 400
    assert "确认链接无效" in response.content.decode()
