"""复制往年申报 in tests: next year's call beside the 2022 one, a unit that applied in 2022, the copy in a browser.

Used by tests/applications/test_reuse*.py and the browser journeys (a unit that applied in 2022 starts its 2023
application from the 2022 one and submits):

    earlier = make_earlier_application(call=call_2022, unit=unit, user=applicant, status="awarded")
    call_2023 = load_next_years_call(directory=tmp_path, threshold_changes={"qualified-members": 5})
    copy_in_browser(page, live_server=live_server, call=call_2023, source=earlier)  # lands on 复制结果
"""

import datetime
import re

from django.utils import timezone

from shenbao.applications.models import Application
from shenbao.applications.services import fire_transition, start_application
from shenbao.calls.services import load_call_file
from tests.calls.helpers import as_another_call, jincheng_data, write_call_file

from .builders import IN_TIME, attach_required_materials, fill_sections, training_base_sections, workstation_sections

SECTIONS_OF = {"workstation": workstation_sections, "training_base": training_base_sections}


def _shift(value, years):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.replace(year=value.year + years)
    return value


def next_years_call_data(*, years=1, threshold_changes=None, deadline=None):
    """The 2022 call file's data as the call `years` later: own slug and numbers, dates moved, open until
    `deadline` (default: a month from now), `threshold_changes` {eligibility rule code: new threshold}."""
    data = jincheng_data()
    year = data["year"] + years
    data["year"] = year
    data = as_another_call(data, slug=f"jincheng-{year}", prefix=f"N{years}")
    data["title"] = data["title"].replace(str(year - years), str(year))
    data["published_on"] = _shift(data["published_on"], years)
    data["deadline"] = deadline or (timezone.now() + datetime.timedelta(days=30))
    data.pop("first_review_due", None)
    data.pop("attachments", None)  # the 附件 files live beside the real call file
    for project_type in data["project_types"]:
        project_type["construction_start"] = _shift(project_type["construction_start"], years)
        project_type["construction_end"] = _shift(project_type["construction_end"], years)
        for rule in project_type.get("eligibility_rules", []):
            if rule["code"] in (threshold_changes or {}):
                rule["threshold"] = threshold_changes[rule["code"]]
    return data


def load_next_years_call(*, directory, years=1, threshold_changes=None, deadline=None):
    """Load `next_years_call_data(...)` through the real loader (written to `directory`) and return the Call."""
    data = next_years_call_data(years=years, threshold_changes=threshold_changes, deadline=deadline)
    return load_call_file(path=write_call_file(directory, data, name=f"{data['slug']}.yaml"))


def make_earlier_application(*, call, unit, user, project_type_code="workstation", status="submitted", sections=None):
    """`unit`'s complete application to `call` (the 2022 call: started and submitted in its window), then moved
    straight to `status` when that is a later state (the workflow up to there has its own tests)."""
    project_type = call.project_types.get(code=project_type_code)
    application = start_application(call=call, project_type=project_type, unit=unit, user=user, at=IN_TIME)
    application = fill_sections(
        application=application, user=user, sections=sections or SECTIONS_OF[project_type_code]()
    )
    attach_required_materials(application=application, user=user)
    if status != "draft":
        application = fire_transition(application=application, name="submit", actor=user, at=IN_TIME)
    if status not in ("draft", "submitted"):
        Application.objects.filter(pk=application.pk).update(status=status)
        application = Application.objects.get(pk=application.pk)
    return application


def copy_in_browser(page, *, live_server, call, source, project_type_name=None):
    """From the call's 开始申报 page: 「从往年申报复制」, pick `source`'s row, copy; ends on the 复制结果 page."""
    from playwright.sync_api import expect

    page.goto(live_server.url + f"/applications/start/{call.slug}/")
    page.get_by_role("link", name="从往年申报复制").click()
    expect(page.get_by_role("heading", level=1, name="从往年申报复制")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=source.number)
    if project_type_name:
        row.get_by_label("复制到的项目类别").select_option(label=project_type_name)
    row.get_by_role("button", name="从此申报复制").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("复制结果"))).to_be_visible()
