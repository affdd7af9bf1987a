"""One rule per call for the selection panel's size (the call file's experts_per_application), through the pages
(logged in through the log-in page, CSRF on): a panel asking m−1 is refused, m accepted; a panel with m−1
members cannot be assigned, with m it is; the panel pages show the call's number."""

import pytest
from django.contrib.messages import get_messages

from shenbao.experts.models import Assignment, Panel
from tests.web import WebUser

from .builders import make_application, make_expert, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_web(admin, password):
    admin.username = "skills_counts"
    admin.save(update_fields=["username"])
    web = WebUser()
    web.log_in("skills_counts", password)
    return web


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_panel_may_not_ask_fewer_experts_than_the_call(admin_web, call, workstation_type):
    needed = call.experts_per_application
    assert needed == 5
    url = f"/experts/panels/new/?call={call.slug}"
    page = admin_web.get(f"/experts/panels/?call={call.slug}").content.decode()
    assert f"申报通知规定每项申报不少于{needed}名专家" in page and f'min="{needed}"' in page
    data = {"project_type": str(workstation_type.pk), "experts_per_application": needed - 1}
    response = admin_web.post(url, data, form_url=f"/experts/panels/?call={call.slug}")
    assert any(f"不少于{needed}名专家评审" in text for text in _messages(response))
    assert not Panel.objects.exists()
    data["experts_per_application"] = needed
    response = admin_web.post(url, data, form_url=f"/experts/panels/?call={call.slug}")
    panel = Panel.objects.get()
    assert response.url == f"/experts/panels/{panel.public_id}/"
    assert panel.experts_per_application == needed

    # Editing the panel down is refused too.
    detail = f"/experts/panels/{panel.public_id}/"
    response = admin_web.post(detail, {"name": panel.name, "experts_per_application": needed - 1})
    assert response.status_code == 200 and f"不少于{needed}名专家评审" in response.content.decode()
    panel.refresh_from_db()
    assert panel.experts_per_application == needed


def test_a_panel_with_fewer_members_than_the_call_asks_cannot_be_assigned(admin, admin_web, call, workstation_type):
    needed = call.experts_per_application
    experts = [make_expert(admin, region_key="140521") for _ in range(needed)]
    application = make_application(make_unit("140502"), workstation_type)
    form_url = f"/experts/panels/?call={call.slug}"
    admin_web.post(
        f"/experts/panels/new/?call={call.slug}",
        {"project_type": str(workstation_type.pk), "experts_per_application": needed},
        form_url=form_url,
    )
    panel = Panel.objects.get()
    detail = f"/experts/panels/{panel.public_id}/"
    admin_web.post(f"{detail}members/", {"experts": [str(profile.pk) for profile in experts[:-1]]}, form_url=detail)
    page = admin_web.get(detail).content.decode()
    assert f"已有成员 {needed - 1} / 需至少 {needed} 名" in page and "成员不足" in page

    response = admin_web.post(f"{detail}assign/", form_url=detail)
    assert any(f"现有{needed - 1}名可分配的成员" in text for text in _messages(response))
    assert not Assignment.objects.exists()

    admin_web.post(f"{detail}members/", {"experts": [str(experts[-1].pk)]}, form_url=detail)
    assert f"已有成员 {needed} / 需至少 {needed} 名" in admin_web.get(detail).content.decode()
    admin_web.post(f"{detail}assign/", form_url=detail)
    assert Assignment.objects.filter(application=application, status=Assignment.Status.ACTIVE).count() == needed
