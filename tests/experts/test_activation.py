"""专家库 and accounts: a new expert gets an activation link (not 「忘记密码」), and an account the system
administrator already created can be linked into the pool — only an account of the city holding no other role.
Through the pages, logged in through the log-in page, CSRF on."""

import pytest
from django.core import mail

from shenbao.accounts.models import Activation, User
from shenbao.accounts.roles import Role
from shenbao.audit.models import AuditEntry
from shenbao.experts.models import ExpertProfile
from shenbao.organisations.models import Organisation
from tests.factories import UserFactory
from tests.web import WebUser, mailed_link

from .builders import SKILLS_OFFICE, region

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Zhuanjia#2026"


@pytest.fixture
def admin_web(admin, password):
    admin.username = "skills"
    admin.save(update_fields=["username"])
    web = WebUser()
    web.log_in("skills", password)
    return web


def _form(**fields):
    return {
        "full_name": "陈专家",
        "work_unit_name": "晋城市激活研究院",
        "region": str(region("140521").pk),
        "title": "高级技师",
        "specialties": "电工",
        "phone": "13935600077",
        "email": "chen@example.cn",
        "username": "",
        **fields,
    }


def test_a_new_expert_gets_an_activation_link_and_no_forgot_password_text(
    admin_web, call, django_capture_on_commit_callbacks
):
    page = admin_web.get("/experts/pool/new/").content.decode()
    assert "忘记密码" not in page and "激活链接" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_web.post("/experts/pool/new/", _form())
    assert response.status_code == 302
    user = User.objects.get(full_name="陈专家")
    assert not user.has_usable_password()
    [message] = [m for m in mail.outbox if m.to == ["chen@example.cn"]]
    link = mailed_link(message.body, "/accounts/activate/")
    expert = WebUser(remote_addr="192.0.2.90")
    assert expert.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}).status_code == 302
    expert.log_in(user.username, NEW_PASSWORD)
    assert expert.get("/experts/mine/").status_code == 200


def test_an_account_created_by_the_system_administrator_is_linked_into_the_pool(
    admin_web, call, django_capture_on_commit_callbacks
):
    unit = Organisation.objects.get(name="晋城市工业和信息化局")
    account = User.objects.create(username="chen_pre", full_name="陈专家", organisation=unit, email="pre@example.cn")
    account.set_unusable_password()
    account.save()

    response = admin_web.post("/experts/pool/new/", _form(username="chen_pre"))
    assert response.status_code == 200
    assert "已被使用" in response.content.decode() and "关联已有账号" in response.content.decode()
    assert not ExpertProfile.objects.filter(user=account).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_web.post("/experts/pool/new/", _form(username="CHEN_PRE", link_existing="on"))
    assert response.status_code == 302
    profile = ExpertProfile.objects.get(user=account)
    assert profile.work_unit == unit and account.has_role(Role.EXPERT)
    assert Activation.objects.filter(user=account, used_at__isnull=True).count() == 1
    assert [m for m in mail.outbox if m.to == ["pre@example.cn"]]
    entry = AuditEntry.objects.get(event="experts:create_expert")
    assert entry.additional_data == {"linked_existing": True}


@pytest.mark.parametrize(
    ("organisation", "roles", "problem"),
    [
        ("晋城市工业和信息化局", [Role.DEPARTMENT_REVIEWER], "不能同时作为评审专家"),
        (SKILLS_OFFICE, [Role.CALL_ADMIN], "不能同时作为评审专家"),
        (None, [], "不属于本市"),
    ],
)
def test_only_an_account_of_the_city_without_other_roles_may_be_linked(
    admin_web, call, other_city_admin, organisation, roles, problem
):
    unit = Organisation.objects.get(name=organisation) if organisation else other_city_admin.organisation
    UserFactory(username="someone", organisation=unit, roles=roles)
    response = admin_web.post("/experts/pool/new/", _form(username="someone", link_existing="on"))
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert not ExpertProfile.objects.filter(user__username="someone").exists()
