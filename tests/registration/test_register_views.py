"""The public registration page: one form, live credit-code check, confirmation by e-mail (the same answer whether
the user name was free or not), log-in once confirmed, throttling per address."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from shenbao.accounts.models import User
from shenbao.accounts.roles import Role
from shenbao.audit.models import AuditEntry
from shenbao.organisations.models import Organisation
from shenbao.organisations.registration import DUPLICATE_CODE_MESSAGE, THROTTLED_MESSAGE
from tests.factories import OrganisationFactory, UserFactory, make_credit_code
from tests.web import mailed_link, registration_form

URL = "/accounts/register/"
SENT = "注册信息已提交。我们已向"


@pytest.fixture
def register(client, django_capture_on_commit_callbacks):
    """POST the form, then open the link of the confirmation e-mail and press the button: the response after it."""

    def submit_and_confirm(data, **extra):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            sent = client.post(URL, data, **extra)
        assert SENT in sent.content.decode(), sent.content.decode()[:3000]
        (message,) = mail.outbox
        link = mailed_link(message.body, "/accounts/register/confirm/")
        assert client.get(link).status_code == 200
        return client.post(link, follow=True)

    return submit_and_confirm


@pytest.fixture
def form_data(reference, strong_password):
    return registration_form(password=strong_password)


def test_url_name():
    assert reverse("accounts:register") == URL


def test_page_offers_counties_city_direct_and_only_competent_departments(client, reference, body):
    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "单位注册" in html
    assert '<option value="140521">沁水县</option>' in html
    assert '<option value="140500-etdz">晋城经济技术开发区</option>' in html
    assert 'value="city-direct:140500"' in html
    department_select = html.split('name="competent_department"')[1].split("</select>")[0]
    assert "晋城市教育局" in department_select
    assert "沁水县人力资源和社会保障局" not in department_select
    assert "税务局" not in department_select
    assert 'hx-get="/accounts/register/credit-code/"' in html


def test_successful_registration_logs_in_and_shows_the_first_review_body(register, form_data):
    response = register(form_data)

    assert response.redirect_chain == [("/dashboard/", 302)]
    assert response.context["user"].username == "jingmi"
    assert "您的资格初审单位：沁水县人力资源和社会保障局" in response.content.decode()
    user = User.objects.get(username="jingmi")
    assert user.organisation.name == "晋城市测试精密制造有限公司"
    assert user.roles == {Role.APPLICANT}


def test_city_direct_registration_through_the_form(register, form_data, body):
    department = body("晋城市工业和信息化局")
    form_data.update(location="city-direct:140500", competent_department=str(department.public_id))

    response = register(form_data)

    assert "您的资格初审单位：晋城市工业和信息化局" in response.content.decode()
    unit = Organisation.objects.get(credit_code=form_data["credit_code"])
    assert unit.is_city_direct and unit.competent_department == department


def test_city_direct_without_department_is_refused_on_the_form(client, form_data):
    form_data.update(location="city-direct:140500")

    response = client.post(URL, form_data)

    assert response.status_code == 200
    assert "须选择主管部门" in " ".join(response.context["form"].errors["competent_department"])
    assert not User.objects.exists()


def test_invalid_code_is_refused_with_the_chinese_message(client, form_data):
    form_data["credit_code"] = "91140500BJ1XG6128E"

    response = client.post(URL, form_data)

    assert response.context["form"].errors["credit_code"] == ["统一社会信用代码校验位不正确，请核对营业执照上的代码。"]
    assert not User.objects.exists()


def test_duplicate_code_is_refused_on_the_form(client, form_data):
    OrganisationFactory(name="某某老字号", credit_code=form_data["credit_code"])

    response = client.post(URL, form_data)

    assert response.context["form"].errors["credit_code"] == [DUPLICATE_CODE_MESSAGE]
    assert "某某老字号" not in response.content.decode()


def test_unit_type_must_come_from_the_list(client, form_data):
    form_data["unit_type"] = "university"

    response = client.post(URL, form_data)

    assert "unit_type" in response.context["form"].errors
    assert not Organisation.objects.filter(credit_code=form_data["credit_code"]).exists()


def test_passwords_must_match_and_pass_the_validators(client, form_data):
    form_data.update(password1="12345678", password2="12345678")
    response = client.post(URL, form_data)
    assert "密码只包含数字。" in response.context["form"].errors["password1"]

    form_data.update(password1="Qinshui#2022reg", password2="Qinshui#2022reh")
    response = client.post(URL, form_data)
    assert response.context["form"].errors["password2"] == ["两次输入的密码不一致。"]
    assert not User.objects.exists()


def test_organisation_code_warning_is_shown_but_does_not_block(register, form_data):
    form_data["credit_code"] = make_credit_code(5)

    response = register(form_data)

    assert response.redirect_chain == [("/dashboard/", 302)]
    assert "校验位与国家标准不符" in response.content.decode()


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("91140500BJ1XG6128E", "统一社会信用代码校验位不正确"),
        ("91140500BJ1XG612", "应为18位，当前为16位"),
        ("911405000000000054", "校验位与国家标准不符"),
        ("91140500bj1xg6128f", "代码 91140500BJ1XG6128F 格式正确。"),
    ],
)
def test_live_check_answers_with_the_submit_message(client, db, code, expected):
    response = client.get(reverse("accounts:check_credit_code"), {"credit_code": code}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert expected in response.content.decode()


def test_live_check_does_not_reveal_registered_codes(client, db):
    OrganisationFactory(name="某某老字号", credit_code="91140500BJ1XG6128F")

    response = client.get(reverse("accounts:check_credit_code"), {"credit_code": "91140500BJ1XG6128F"})

    assert "格式正确" in response.content.decode()
    assert "已注册" not in response.content.decode()


def test_registrations_are_throttled_per_address(client, form_data, settings):
    settings.SHENBAO_REGISTRATION_THROTTLE = {"attempts": 2, "window": 3600}
    bad = {**form_data, "credit_code": "91140500BJ1XG6128E"}

    assert client.post(URL, bad, REMOTE_ADDR="198.51.100.1").status_code == 200
    assert client.post(URL, bad, REMOTE_ADDR="198.51.100.1").status_code == 200
    refused = client.post(URL, form_data, REMOTE_ADDR="198.51.100.1")
    other_address = client.post(URL, form_data, REMOTE_ADDR="198.51.100.2")

    assert refused.status_code == 429
    assert str(THROTTLED_MESSAGE) in refused.content.decode()
    assert other_address.status_code == 200 and SENT in other_address.content.decode()
    assert AuditEntry.objects.filter(event="unit:register", result="failure", remote_addr="198.51.100.1").count() == 1


def test_signed_in_users_are_sent_to_the_dashboard(client, db):
    client.force_login(UserFactory(roles=[Role.APPLICANT]))

    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == "/dashboard/"


@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_anonymous_visitors_find_the_registration_link(client, db, path):
    response = client.get(path)

    assert f'href="{URL}"' in response.content.decode()


def test_a_taken_user_name_gets_the_same_answer_and_only_the_address_is_told(
    client, form_data, django_capture_on_commit_callbacks
):
    UserFactory(username="secadmin")
    with django_capture_on_commit_callbacks(execute=True):
        free = client.post(URL, {**form_data, "username": "free_name"})
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(URL, {**form_data, "username": "secadmin", "email": "probe@example.cn"})

    page = taken.content.decode()
    assert free.status_code == taken.status_code == 200
    assert SENT in page and "已被使用" not in page and "secadmin" not in page

    def main(html):
        return re.search(r"<main.*</main>", html, re.DOTALL).group(0)

    assert main(free.content.decode()).replace("wang@example.cn", "X") == main(page).replace("probe@example.cn", "X")
    told = next(message for message in mail.outbox if message.to == ["probe@example.cn"])
    assert "「secadmin」不能使用" in told.body and "/register/confirm/" not in told.body
    # Audited as a failed attempt; nothing created for either until a link is opened.
    assert AuditEntry.objects.filter(event="unit:register", result="failure").count() == 1
    assert not Organisation.objects.filter(credit_code=form_data["credit_code"]).exists()
    assert not User.objects.filter(username="free_name").exists()


def test_an_unconfirmed_registration_reserves_nothing_and_a_link_works_once(
    client, form_data, register, django_capture_on_commit_callbacks
):
    register(form_data)
    link = mailed_link(mail.outbox[0].body, "/accounts/register/confirm/")
    client.logout()
    again = client.post(link)
    assert again.status_code == 400 and "注册确认链接无效、已使用或已过期" in again.content.decode()
    assert Organisation.objects.filter(credit_code=form_data["credit_code"]).count() == 1
    assert client.get("/accounts/register/confirm/forged/").status_code == 400


def test_a_waiting_registration_keeps_the_phone_encrypted_and_forgets_the_values_once_used(register, form_data):
    from shenbao.organisations.models import PendingRegistration

    register(form_data)
    pending = PendingRegistration.objects.get()
    assert pending.completed_at is not None and pending.password_hash == ""
    assert pending.data == {"name": form_data["name"]}
    assert User.objects.get(username="jingmi").phone == form_data["phone"]


def test_the_phone_of_a_waiting_registration_is_not_stored_in_clear(
    client, form_data, django_capture_on_commit_callbacks
):
    from shenbao.organisations.models import PendingRegistration

    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form_data)
    stored = PendingRegistration.objects.get().data
    assert stored["phone"] and form_data["phone"] not in str(stored)
