"""Next year's call is a new file, not new code: a 2026 call (construction 2027–2028) asks for its own years in the
forms, and its units' 2027 and 2028 progress reports find the targets they set for those years.

The call file tests/calls/data/jincheng-2026.yaml is calls/jincheng-2022.yaml with the dates moved on. The
application is started, submitted and reported on through the pages (tests/web.py WebUser); the steps between
submission and 授牌 (reviews, scoring, 公示) are the acceptance builders' shortcut (`put_into_awarded`): none of
them reads a year of the construction period.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shenbao.acceptance.models import ProgressReport
from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.organisations.models import Region, UnitType
from tests.applications.builders import (
    attach_required_materials,
    fill_sections,
    training_base_sections,
    workstation_sections,
)
from tests.factories import OrganisationFactory, UserFactory, load_call, load_jincheng_reference
from tests.paths import CALL_TEST_DATA
from tests.web import WebUser

from .builders import pdf_upload, put_into_awarded

pytestmark = pytest.mark.django_db

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
NEXT_CALL = CALL_TEST_DATA / "jincheng-2026.yaml"
YEARS = (2027, 2028)
WHILE_OPEN = datetime.datetime(2026, 11, 10, 10, 0, tzinfo=BEIJING)
AWARDED_ON = datetime.datetime(2026, 12, 28, 10, 0, tzinfo=BEIJING)


@pytest.fixture
def clock(monkeypatch):
    """The server's clock (an outside service) set by the test: `clock.at = …`."""

    class Clock:
        at = WHILE_OPEN

    monkeypatch.setattr(timezone, "now", lambda: Clock.at)
    return Clock


@pytest.fixture
def next_call(db):
    load_jincheng_reference()
    return load_call(NEXT_CALL)


def planned_over_both_years(code):
    """Complete content with a year-bound target in each construction year (a topic; a 年度目标, a 考核指标 and a
    stage)."""
    if code == "workstation":
        sections = workstation_sections(years=YEARS)
        sections["station_plan"]["topics"] = [
            {
                "year": str(year),
                "kind": "research",
                "title": f"{year}年度攻关课题",
                "leader": "成员1",
                "due": f"{year}-11-30",
                "goal": "合格率提升",
            }
            for year in YEARS
        ]
        return sections
    sections = training_base_sections(years=YEARS)
    sections["plan_outcomes"]["performance_targets"] = [
        {"year": str(year), "indicator": f"{year}年培训人数", "target": "500"} for year in YEARS
    ]
    return sections


def year_bound_targets(report):
    """The targets of a report that only exist for its own year (a topic, an indicator, the year's stages)."""
    return [
        target for target in report.targets if target["key"].startswith(("topic-", "indicator-", "annual-", "stage-"))
    ]


def report_form(report):
    """The report page's form filled as a unit would: every target met, some spending, then 提交."""
    data = {"revision": report.revision, "narrative": f"{report.year}年度按计划推进建设。", "action": "submit"}
    for target in report.targets:
        if target["category"] == "quantity":
            data[f"achieved-{target['key']}"] = target["planned"]
        else:
            data[f"status-{target['key']}"] = "completed"
    for line in report.fund_uses.all():
        data[f"subsidy-{line.category}"] = "10000.00"
        data[f"own-{line.category}"] = "5000.00"
    return data


@pytest.mark.parametrize(
    ("code", "unit_type", "year_section"),
    [
        ("workstation", "enterprise", "station_plan"),
        ("training_base", "vocational_college", "implementation_plan"),
    ],
)
def test_a_2026_call_goes_from_draft_to_its_2027_and_2028_progress_reports(
    next_call, clock, password, code, unit_type, year_section
):
    unit = OrganisationFactory(
        name="晋城市来年示范有限公司",
        unit_type=UnitType.objects.get(code=unit_type),
        region=Region.objects.get(key="140502"),
    )
    applicant = UserFactory(organisation=unit, roles=[Role.APPLICANT])
    browser = WebUser()
    browser.log_in(applicant.username, password)

    # 发起申报 through the start page of the 2026 call.
    start = reverse("applications:start", kwargs={"call_slug": next_call.slug})
    assert browser.post(start, {"project_type": code}).status_code == 302
    application = Application.objects.get(unit=unit, call=next_call)
    assert application.project_type.code == code

    # The form asks for the call's construction years, not the 2022 call's.
    page = browser.get(
        reverse("applications:section", kwargs={"public_id": application.public_id, "key": year_section})
    ).content.decode()
    if code == "workstation":
        assert "2027—2028年师带徒和技术攻关课题" in page
        assert 'value="2027"' in page and 'value="2028"' in page
        assert 'value="2023"' not in page and 'value="2024"' not in page
    else:
        assert "2027年目标" in page and "2028年目标" in page
        assert "2023年目标" not in page and "2024年目标" not in page
        schedule = browser.get(
            reverse("applications:section", kwargs={"public_id": application.public_id, "key": "plan_schedule"})
        ).content.decode()
        assert 'value="2027"' in schedule and 'value="2028"' in schedule
        assert 'value="2023"' not in schedule and 'value="2024"' not in schedule

    application = fill_sections(application=application, user=applicant, sections=planned_over_both_years(code))
    attach_required_materials(application=application, user=applicant)
    response = browser.post(reverse("applications:submit", kwargs={"public_id": application.public_id}))
    assert response.status_code == 302
    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.SUBMITTED

    application = put_into_awarded(application, applicant, at=AWARDED_ON)

    for year in YEARS:
        clock.at = datetime.datetime(year, 6, 1, 10, 0, tzinfo=BEIJING)
        browser = WebUser()  # months later: a new session
        browser.log_in(applicant.username, password)
        start_report = reverse("acceptance:report_start", kwargs={"public_id": application.public_id, "year": year})
        response = browser.post(start_report)
        report = ProgressReport.objects.get(application=application, year=year)
        assert response.url == reverse("acceptance:report_edit", kwargs={"public_id": report.public_id})
        found = year_bound_targets(report)
        assert found, f"no target of {year} found"
        assert all(str(year) in target["label"] or str(year) in target["target"] for target in found), found
        other = YEARS[1] if year == YEARS[0] else YEARS[0]
        assert not any(f"{other}年" in target["label"] for target in found)
        edit_page = browser.get(response.url).content.decode()
        assert found[0]["label"] in edit_page
        browser.post(
            reverse("acceptance:report_evidence", kwargs={"public_id": report.public_id}),
            {"file": pdf_upload(f"{year}年度佐证.pdf")},
            form_url=response.url,
        )
        report.refresh_from_db()
        browser.post(response.url, report_form(report))
        report.refresh_from_db()
        assert report.status == "submitted", year
        assert report.due_on == datetime.date(year + 1, 1, 31)
