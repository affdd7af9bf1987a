"""Starting, submitting, withdrawing and reading versions through the pages."""

import pytest
from django.urls import reverse

from shenbao.applications.models import Application
from shenbao.applications.services import fire_transition, save_section
from tests.statements import post_and_split_statements

from .builders import IN_TIME

pytestmark = pytest.mark.django_db


def reload(application):
    return Application.objects.get(pk=application.pk)


def start_url(call):
    return reverse("applications:start", args=[call.slug])


def test_start_offers_the_allowed_project_types_and_opens_the_first_section(client, applicant, open_call):
    client.force_login(applicant)
    content = client.get(start_url(open_call)).content.decode()
    # An enterprise may apply for both project types of the 2022 call.
    assert "市级技师工作站" in content and "市级技能人才培养基地" in content

    response = client.post(start_url(open_call), {"project_type": "workstation"})

    application = Application.objects.get(unit=applicant.organisation)
    assert application.project_type.code == "workstation"
    assert response["Location"] == reverse("applications:section", args=[application.public_id, "unit_profile"])
    # Started once: the workstation is no longer offered.
    content = client.get(start_url(open_call)).content.decode()
    assert 'value="workstation"' not in content and 'value="training_base"' in content


def test_start_refuses_a_type_the_unit_may_not_apply_for(client, make_unit, make_applicant, open_call):
    college = make_applicant(make_unit(unit_type="vocational_college"))
    client.force_login(college)
    assert 'value="workstation"' not in client.get(start_url(open_call)).content.decode()
    response = client.post(start_url(open_call), {"project_type": "workstation"})
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_start_after_the_deadline_is_refused_in_chinese(client, applicant, call):
    client.force_login(applicant)
    page = client.get(start_url(call)).content.decode()
    assert "不在受理期内" in page
    response = client.post(start_url(call), {"project_type": "workstation"})
    assert response.status_code == 200
    assert "截止，不能再发起申报" in response.content.decode()
    assert not Application.objects.exists()


def test_call_page_and_list_offer_to_start_while_the_call_is_open(client, applicant, call, county_reviewer):
    call_page = reverse("calls:detail", args=[call.slug])
    client.force_login(applicant)
    assert start_url(call) not in client.get(call_page).content.decode()
    assert start_url(call) not in client.get(reverse("applications:list")).content.decode()

    call.submission_deadline = call.submission_deadline.replace(year=2099)
    call.save(update_fields=["submission_deadline"])
    assert start_url(call) in client.get(call_page).content.decode()
    assert start_url(call) in client.get(reverse("applications:list")).content.decode()

    client.force_login(county_reviewer)
    assert start_url(call) not in client.get(call_page).content.decode()


def test_submit_page_lists_what_is_missing_with_links(client, applicant, draft, open_call):
    client.force_login(applicant)
    response = client.get(reverse("applications:submit", args=[draft.public_id]))
    content = response.content.decode()
    assert response.context["checklist"]["can_submit"] is False
    assert "剩余" in content
    assert reverse("applications:section", args=[draft.public_id, "members"]) in content
    assert "成员名单（至少填写1行）" in content
    assert "未通过" in content
    assert "营业执照" in content  # a required material not uploaded yet
    assert reverse("applications:materials", args=[draft.public_id]) in content
    assert "disabled>提交申报</button>" in content


def test_submit_after_the_deadline_is_refused(client, applicant, ready_draft):
    # The real 2022 call: its deadline (2022-12-08 24:00 Beijing time) has passed on the real clock.
    client.force_login(applicant)
    page = client.get(reverse("applications:submit", args=[ready_draft.public_id])).content.decode()
    assert "已截止" in page

    response = client.post(reverse("applications:submit", args=[ready_draft.public_id]))

    assert response.status_code == 200
    assert "未能提交" in response.content.decode()
    assert "截止，不能再提交" in response.content.decode()
    assert reload(ready_draft).status == "draft"
    assert not ready_draft.versions.exists()


def test_submit_in_time_moves_to_the_status_page(client, applicant, ready_draft, open_call):
    client.force_login(applicant)
    response = client.post(reverse("applications:submit", args=[ready_draft.public_id]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("applications:detail", args=[ready_draft.public_id])
    content = response.content.decode()
    assert "申报已提交" in content
    application = reload(ready_draft)
    assert application.status == "submitted"
    assert application.versions.count() == 1
    assert reverse("applications:version", args=[application.public_id, 1]) in content
    assert 'aria-current="step"' in content


def submit_and_split_statements(client, applicant, application):
    """POST the submit page; the statements before its transaction opened and those from then on."""
    client.force_login(applicant)
    split = post_and_split_statements(client, reverse("applications:submit", args=[application.public_id]))
    assert reload(application).status == "submitted"
    return split


def test_a_submission_runs_its_checks_once_inside_its_transaction(client, applicant, ready_draft, open_call):
    # The checklist (the same guards) is for the page: a POST reads the rules and materials only under the lock.
    before, inside = submit_and_split_statements(client, applicant, ready_draft)
    checks = ("calls_eligibilityrule", "calls_materialrequirement", "applications_applicationperson")
    assert not [sql for sql in before if any(table in sql for table in checks)]
    assert [table for table in checks if any(table in sql for sql in inside)] == list(checks)


def test_a_submission_reads_its_rules_once_and_its_call_type_and_unit_with_the_locked_row(
    client, applicant, ready_draft, open_call
):
    # The deadline rush (issue 18): the guard that judges the eligibility rules and the effect that stores their
    # results share one read; the call, its city, the project type and the unit come with the row lock.
    _before, inside = submit_and_split_statements(client, applicant, ready_draft)

    def reads(table):
        return [sql for sql in inside if sql.startswith("SELECT") and f'FROM "{table}"' in sql]

    assert len(reads("calls_eligibilityrule")) == 1
    # The version was made in this transaction: its document rows are inserted without looking for others first.
    assert reads("documents_rendereddocument") == []
    assert len([sql for sql in inside if sql.startswith('INSERT INTO "documents_rendereddocument"')]) == 1
    assert reads("calls_call") == reads("calls_projecttype") == reads("organisations_region") == []
    locked = reads("applications_application")[0]
    assert all(f'JOIN "{table}"' in locked for table in ("calls_call", "calls_projecttype", "organisations_region"))


def test_withdraw_with_a_reason(client, applicant, submitted):
    client.force_login(applicant)
    detail = client.get(reverse("applications:detail", args=[submitted.public_id])).content.decode()
    assert 'data-confirm-body="撤回后' in detail
    url = reverse("applications:transition", args=[submitted.public_id, "withdraw"])
    response = client.post(url, {"comment": "调整申报计划"}, follow=True)
    assert reload(submitted).status == "withdrawn"
    content = response.content.decode()
    assert "已撤回" in content
    assert "撤回申报" in content  # the history lists the step

    # A second identical request is refused (nothing to withdraw any more), not a server error.
    assert client.post(url, {"comment": "再次撤回"}).status_code == 403
    assert reload(submitted).status == "withdrawn"


def test_status_page_shows_the_history_and_reviewer_comments(client, applicant, submitted, county_reviewer):
    fire_transition(
        application=submitted,
        name="return_for_revision",
        actor=county_reviewer,
        comment="请补充成员的技师证书扫描件。",
        payload={"resubmission_due": "2022-12-15"},
        at=IN_TIME,
    )
    client.force_login(applicant)
    content = client.get(reverse("applications:detail", args=[submitted.public_id])).content.decode()
    assert "请补充成员的技师证书扫描件。" in content
    assert county_reviewer.organisation.name in content
    assert "退回修改" in content
    assert "2022年12月15日" in content
    assert reverse("applications:submit", args=[submitted.public_id]) in content


def test_version_page_shows_the_snapshot_and_the_diff(client, applicant, submitted, county_reviewer):
    client.force_login(applicant)
    first = client.get(reverse("applications:version", args=[submitted.public_id, 1])).content.decode()
    assert "首次提交" in first and "装备制造" in first

    fire_transition(
        application=submitted,
        name="return_for_revision",
        actor=county_reviewer,
        comment="请修改行业。",
        payload={"resubmission_due": "2022-12-15"},
        at=IN_TIME,
    )
    application = reload(submitted)
    profile = dict(application.form_data["unit_profile"], industry="高端装备制造", employee_count="520")
    application = save_section(
        application=application,
        section_key="unit_profile",
        data=profile,
        user=applicant,
        expected_revision=application.revision,
    )
    fire_transition(application=application, name="resubmit", actor=applicant, at=IN_TIME)

    second = client.get(reverse("applications:version", args=[submitted.public_id, 2])).content.decode()
    assert "第1版 → 第2版" in second
    assert "<del>装备制造</del>" in second and "<ins>高端装备制造</ins>" in second
