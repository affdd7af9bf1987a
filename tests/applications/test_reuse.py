"""复制往年申报 through the pages (WebUser: real middleware, CSRF on): a unit that applied in 2022 starts the next
call's application from it; what is copied, what must be entered again, eligibility under the new call's rules."""

import pytest
from django.urls import reverse

from shenbao.applications.formdata import reveal_id_number
from shenbao.applications.models import Application
from shenbao.applications.services import save_section
from shenbao.applications.services_reuse import copy_application_from
from shenbao.audit.models import AuditEntry
from tests.web import WebUser

from .reuse_helpers import load_next_years_call, make_earlier_application

pytestmark = pytest.mark.django_db

# Sections of the workstation form that hold nothing bound to a year of the call.
YEARLESS_WORKSTATION = ("unit_profile", "members", "talent_system", "mentoring", "cooperation", "research", "operation")
YEARLESS_BASE = ("unit_profile", "capacity", "teachers", "cooperation", "principles")


@pytest.fixture
def web(applicant, password):
    user = WebUser()
    user.log_in(applicant.username, password)
    return user


def copy(web, call, source, project_type="workstation", **extra):
    url = reverse("applications:copy", args=[call.slug])
    return web.post(url, {"source": str(source.public_id), "project_type": project_type, **extra})


def test_a_unit_starts_next_years_application_from_its_2022_one(call, unit, applicant, web, tmp_path):
    earlier = make_earlier_application(call=call, unit=unit, user=applicant, status="awarded")
    assert earlier.eligibility[1]["code"] == "qualified-members" and earlier.eligibility[1]["passed"] is True
    new_call = load_next_years_call(directory=tmp_path, threshold_changes={"qualified-members": 5})

    start_page = web.get(reverse("applications:start", args=[new_call.slug])).content.decode()
    assert "从往年申报复制" in start_page
    listing = web.get(reverse("applications:copy", args=[new_call.slug])).content.decode()
    assert earlier.number in listing and "2022" in listing and "市级技师工作站" in listing and "已授牌" in listing

    response = copy(web, new_call, earlier)

    new = Application.objects.get(call=new_call, unit=unit)
    assert response.status_code == 302 and response.url == reverse("applications:copy_report", args=[new.public_id])
    assert new.status == "draft" and new.copied_from == earlier
    for key in YEARLESS_WORKSTATION:
        assert new.form_data[key] == earlier.form_data[key], key
    numbers = [reveal_id_number(row["id_number"]) for row in new.form_data["members"]["members"]]
    assert numbers == [reveal_id_number(row["id_number"]) for row in earlier.form_data["members"]["members"]]
    assert len(numbers) == 3 and all(numbers)
    assert not new.materials.exists()  # uploaded files are never copied
    # Eligibility under the new call's rule (5 qualified members), not the 2022 one (3).
    rule = next(result for result in new.eligibility if result["code"] == "qualified-members")
    assert (rule["threshold"], rule["value"], rule["passed"]) == (5, 3, False)

    report = web.get(response.url).content.decode()
    assert "复制自 2022 年申报" in report and earlier.number in report
    assert "须重新上传的材料" in report
    for name in new.project_type.materials.filter(generated=False).values_list("name", flat=True):
        assert name in report
    assert "成员名单（3行）" in report
    assert "未通过" in report and "申报条件自查" in report
    assert AuditEntry.objects.filter(event="application:copy_from", object_pk=str(new.pk)).exists()


def test_declarations_and_materials_are_listed_to_re_enter(call, make_unit, make_applicant, password, tmp_path):
    unit = make_unit(unit_type="vocational_college")
    user = make_applicant(unit)
    earlier = make_earlier_application(call=call, unit=unit, user=user, project_type_code="training_base")
    assert earlier.form_data["management"]["no_violation"] is True
    new_call = load_next_years_call(directory=tmp_path, threshold_changes={"annual-trainees": 400})
    web = WebUser()
    web.log_in(user.username, password)

    response = copy(web, new_call, earlier, project_type="training_base")

    new = Application.objects.get(call=new_call, unit=unit)
    for key in YEARLESS_BASE:
        assert new.form_data[key] == earlier.form_data[key], key
    assert "no_violation" not in new.form_data["management"]  # the 承诺 is ticked again, never copied
    report = web.get(response.url).content.decode()
    assert "须重新填写" in report and "声明和承诺须重新确认" in report
    rule = next(result for result in new.eligibility if result["code"] == "annual-trainees")
    assert (rule["value"], rule["passed"]) == (300, False)
    # The section page keeps the notice until the unit saves that section.
    section_url = reverse("applications:section", args=[new.public_id, "management"])
    assert "声明和承诺须重新确认" in web.get(section_url).content.decode()
    data = {**{k: v for k, v in new.form_data["management"].items()}, "no_violation": "on"}
    save_section(application=new, section_key="management", data=data, user=user, expected_revision=new.revision)
    assert "声明和承诺须重新确认" not in web.get(section_url).content.decode()
    assert "声明和承诺须重新确认" in web.get(response.url).content.decode()  # the full report stays


def test_another_units_application_cannot_be_copied(call, unit, applicant, web, make_unit, make_applicant, tmp_path):
    other_unit = make_unit(name="晋城市另一家机械有限公司")
    others = make_earlier_application(call=call, unit=other_unit, user=make_applicant(other_unit))
    new_call = load_next_years_call(directory=tmp_path)

    assert others.number not in web.get(reverse("applications:copy", args=[new_call.slug])).content.decode()
    response = copy(web, new_call, others)

    assert response.status_code == 404
    assert not Application.objects.filter(call=new_call).exists()
    with pytest.raises(Application.DoesNotExist):
        new = Application.objects.create(
            number="X-1",
            call=new_call,
            project_type=new_call.project_types.get(code="workstation"),
            unit=unit,
            created_by=applicant,
        )
        copy_application_from(application=new, source=others, user=applicant)


def test_copying_into_an_application_no_longer_a_draft_is_refused(call, unit, applicant, web, tmp_path):
    earlier = make_earlier_application(call=call, unit=unit, user=applicant)
    new_call = load_next_years_call(directory=tmp_path)
    copy(web, new_call, earlier)
    new = Application.objects.get(call=new_call, unit=unit)
    Application.objects.filter(pk=new.pk).update(status="submitted", form_data={"unit_profile": {"industry": "新"}})

    listing = web.get(reverse("applications:copy", args=[new_call.slug])).content.decode()
    assert 'value="workstation" disabled>市级技师工作站（已提交' in listing  # offered, but not to choose

    response = copy(web, new_call, earlier, overwrite="1")

    assert response.status_code == 200
    assert "只能复制到尚未提交的草稿" in response.content.decode()
    assert Application.objects.get(pk=new.pk).form_data == {"unit_profile": {"industry": "新"}}


def test_an_existing_draft_is_overwritten_only_when_confirmed(call, unit, applicant, web, tmp_path):
    earlier = make_earlier_application(call=call, unit=unit, user=applicant)
    new_call = load_next_years_call(directory=tmp_path)
    draft = Application.objects.create(
        number="N-1",
        call=new_call,
        project_type=new_call.project_types.get(code="workstation"),
        unit=unit,
        created_by=applicant,
        form_data={"research": {"record": "今年新写的"}},
    )

    refused = copy(web, new_call, earlier)
    assert refused.status_code == 200 and "覆盖草稿中的同名内容" in refused.content.decode()
    assert Application.objects.get(pk=draft.pk).copied_from is None

    assert copy(web, new_call, earlier, overwrite="1").status_code == 302
    draft = Application.objects.get(pk=draft.pk)
    assert draft.copied_from == earlier and draft.form_data["members"] == earlier.form_data["members"]
