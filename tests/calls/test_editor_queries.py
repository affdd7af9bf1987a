"""Exact query counts of the call editor's pages, with one row and with many: nothing grows with the rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shenbao.calls.exports import export_call_document
from shenbao.calls.models import CallVersion

from .editor_helpers import jincheng_call_admin
from .helpers import make_call

# Session, user, its role grants, organisation and region chain, the 2FA gate, notifications badge … are the
# same on every page; the numbers below are whole pages.
LIST_QUERIES = 8
DETAIL_QUERIES = 17
SECTION_QUERIES = 16


@pytest.fixture
def admin_client(client, reference):
    client.force_login(jincheng_call_admin())
    return client


def add_versions(call, count):
    document = export_call_document(call)
    now = timezone.now()
    CallVersion.objects.bulk_create(
        CallVersion(call=call, number=n + 1, document=document, summary=[f"变更{n}"], created_at=now)
        for n in range(count)
    )


@pytest.mark.parametrize("calls", [1, 6])
def test_editor_list(admin_client, calls, django_assert_num_queries):
    for index in range(calls):
        make_call(slug=f"call-{index}", published_on=datetime.date(2022 + index, 12, 2))
    with django_assert_num_queries(LIST_QUERIES):
        response = admin_client.get(reverse("calls:editor_list"))
    assert response.status_code == 200
    assert response.content.decode().count("复制") >= calls


@pytest.mark.parametrize("versions", [1, 8])
def test_editor_detail(admin_client, call, versions, django_assert_num_queries):
    add_versions(call, versions)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = admin_client.get(reverse("calls:editor_detail", kwargs={"slug": call.slug}))
    assert response.status_code == 200
    assert response.content.decode().count("<td>v") == versions


@pytest.mark.parametrize("section", ["general", "attachments"])
def test_editor_section(admin_client, call, section, django_assert_num_queries):
    with django_assert_num_queries(SECTION_QUERIES):
        response = admin_client.get(reverse("calls:editor_section", kwargs={"slug": call.slug, "section": section}))
    assert response.status_code == 200


def test_editor_project_type(admin_client, call, django_assert_num_queries):
    with django_assert_num_queries(SECTION_QUERIES):
        response = admin_client.get(
            reverse("calls:editor_project_type", kwargs={"slug": call.slug, "code": "training_base"})
        )
    assert response.status_code == 200
