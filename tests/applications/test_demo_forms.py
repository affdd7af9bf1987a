"""The demo applications (seed_demo) fill every field of the paper forms, so their documents are complete: each
content cleans under its form for the 2022 call, is complete (the spending plan equals the call's amount) and leaves
no field or cell empty except the 技校招生指标数 of a training institution (技工院校 only)."""

import pytest

from shenbao.applications.demo import CONTENT, on_call
from shenbao.applications.formdata import clean_section, is_empty, missing_fields
from shenbao.applications.sections import get_form_spec

pytestmark = pytest.mark.django_db

ONLY_COLLEGES = {("lingchuan", "principles", "enrolment_quota")}


def empty_items(spec, data):
    for section in spec.sections:
        values = data.get(section.key) or {}
        for item in section.fields:
            if item.kind != "boolean" and is_empty(values.get(item.name)):
                yield section.key, item.name
        for table in section.tables:
            rows = values.get(table.name) or []
            if not rows:
                yield section.key, table.name
            for row in rows:
                yield from (
                    (section.key, f"{table.name}.{column.name}")
                    for column in table.columns
                    if column.kind != "boolean" and is_empty(row.get(column.name))
                )


@pytest.mark.parametrize("slug", sorted(CONTENT))
def test_every_demo_application_fills_every_field(slug, workstation_type, base_type):
    raw = CONTENT[slug]()
    project_type = workstation_type if "station_plan" in raw else base_type
    spec = get_form_spec(project_type)
    data = {}
    for key, posted in on_call(raw, project_type).items():
        data[key], errors = clean_section(spec=spec, section_key=key, data=posted)
        assert errors == {}, (key, errors)
    assert missing_fields(spec=spec, form_data=data) == {}
    assert {(slug, *item) for item in empty_items(spec, data)} <= ONLY_COLLEGES
