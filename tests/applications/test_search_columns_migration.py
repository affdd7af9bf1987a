"""Migration 0008: the search columns are filled from the form data of the applications already stored."""

import importlib

import pytest
from django.apps import apps

from shenbao.applications.models import Application
from shenbao.applications.search_columns import search_columns_of

from .search_rows import bulk_applications

MIGRATION = importlib.import_module("shenbao.applications.migrations.0008_search_columns_saved_views")
pytestmark = pytest.mark.django_db


def test_the_stored_applications_get_their_search_columns(call, workstation_type, county_reviewer):
    rows = bulk_applications(
        count=3,
        call=call,
        project_type=workstation_type,
        created_by=county_reviewer,
        leader="李卫东",
        industry="新材料",
    )
    Application.objects.filter(pk=rows[0].pk).update(form_data={})
    Application.objects.update(leader_name="", industry="")  # as the rows were before the columns existed

    MIGRATION.fill_search_columns(apps, None)

    stored = Application.objects.order_by("pk").values_list("leader_name", "industry")
    assert list(stored) == [("", ""), ("李卫东", "新材料"), ("李卫东", "新材料")]


def test_a_long_answer_is_cut_to_the_column():
    columns = search_columns_of({"unit_profile": {"industry": "行" * 150}, "station": {"leader_name": " 王五 "}})
    assert columns == {"leader_name": "王五", "industry": "行" * 100}
