"""The section page in a real browser: the add-row button, autosave over htmx, the revision carried along."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from shenbao.applications.formdata import reveal_id_number
from shenbao.applications.models import Application
from tests.applications.builders import make_id_number

pytestmark = pytest.mark.browser


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_rows_are_added_and_autosaved_twice_without_a_conflict(live_server, page, transactional_db, applicant, draft):
    page.set_default_timeout(15_000)
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    log_in(page, live_server, applicant)
    page.goto(f"{live_server.url}/applications/{draft.public_id}/sections/members/")

    add = page.get_by_role("button", name="添加一行")
    expect(add).to_be_visible()
    expect(page.locator(".formset-row")).to_have_count(3)
    add.click()
    expect(page.locator(".formset-row")).to_have_count(4)
    expect(page.locator("#id_members-TOTAL_FORMS")).to_have_value("4")
    expect(page.locator("#members-rows")).to_contain_text("成员名单第4行")

    page.fill("#id_members-3-name", "张师傅")
    page.fill("#id_members-3-id_number", make_id_number(5))
    page.select_option("#id_members-3-level", "senior_technician")
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("已自动保存")
    expect(page.locator("#expected-revision")).to_have_value(str(draft.revision + 1))

    page.fill("#id_members-3-occupation", "电工")
    page.locator("#id_members-3-occupation").dispatch_event("change")
    expect(page.locator("#expected-revision")).to_have_value(str(draft.revision + 2))
    expect(status).to_contain_text("已自动保存")

    saved = Application.objects.get(pk=draft.pk)
    row = saved.form_data["members"]["members"][0]
    assert (row["name"], row["occupation"], row["level"]) == ("张师傅", "电工", "senior_technician")
    assert reveal_id_number(row["id_number"]) == make_id_number(5)
    assert console_errors == []
