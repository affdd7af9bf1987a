"""The administrator's proposed list (拟授牌名单) within the project type's quota, and what `propose` opens."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shenbao.applications.models import Application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.opinions.models import OpinionRequest
from shenbao.opinions.services import check_quota

from .builders import OPINION_DUE, PROPOSE_AT, SASAC, TAX_BUREAU, organisation, propose

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def statuses(*applications):
    return [Application.objects.get(pk=application.pk).status for application in applications]


def test_proposing_within_the_quota_opens_requests_and_turns_down_the_others(
    make_expert_review, call_admin_user, small_quota
):
    first, second, third = (make_expert_review(name=f"晋城市提名测试{n}有限公司") for n in range(3))

    outcome = propose([first, second], call_admin_user)

    assert not outcome.failed and outcome.warnings == []
    assert statuses(first, second, third) == [S.SOLICITING, S.SOLICITING, S.NOT_SELECTED]
    assert OpinionRequest.objects.filter(application=first).count() == 2
    assert OpinionRequest.objects.filter(application=third).count() == 0
    assert third.comments.get().text == "综合得分排名未进入名额。"
    due_dates = set(OpinionRequest.objects.values_list("due_on", flat=True))
    assert [str(due) for due in due_dates] == [OPINION_DUE]


def test_more_than_quota_max_is_refused_and_nothing_changes(make_expert_review, call_admin_user, small_quota):
    applications = [make_expert_review(name=f"晋城市超额测试{n}有限公司") for n in range(3)]

    with pytest.raises(ValidationError) as error:
        propose(applications, call_admin_user)

    assert "最多2个" in str(error.value)
    assert statuses(*applications) == [S.EXPERT_REVIEW] * 3
    assert not OpinionRequest.objects.exists()


def test_fewer_than_quota_min_is_allowed_with_a_warning(make_expert_review, call_admin_user, small_quota):
    application = make_expert_review()

    outcome = propose([application], call_admin_user)

    assert statuses(application) == [S.SOLICITING]
    assert len(outcome.warnings) == 1 and "少于" in outcome.warnings[0]


def test_units_already_on_the_list_count_against_the_quota(make_expert_review, call_admin_user, small_quota):
    first = make_expert_review(name="晋城市第一批有限公司")
    later = [make_expert_review(name=f"晋城市第二批{n}有限公司") for n in range(2)]
    # The first round leaves the others waiting: they are proposed separately (no reason given to anyone yet).
    Application.objects.filter(pk__in=[item.pk for item in later]).update(status=S.DRAFT)
    propose([first], call_admin_user)
    Application.objects.filter(pk__in=[item.pk for item in later]).update(status=S.EXPERT_REVIEW)

    assert check_quota(project_type=small_quota, selected_count=1) == ([], [])
    assert check_quota(project_type=small_quota, selected_count=2)[0]
    with pytest.raises(ValidationError):
        propose(later, call_admin_user)


def test_a_reason_is_required_for_the_units_not_proposed(make_expert_review, call_admin_user, small_quota):
    first, second = make_expert_review(name="晋城市理由甲有限公司"), make_expert_review(name="晋城市理由乙有限公司")

    with pytest.raises(ValidationError, match="理由"):
        propose([first], call_admin_user, reason="  ")

    assert statuses(first, second) == [S.EXPERT_REVIEW, S.EXPERT_REVIEW]


@pytest.mark.parametrize(("due", "message"), [("", "反馈截止日期"), ("2022-12-06", "不能早于今天")])
def test_the_reply_date_is_required_and_not_in_the_past(make_expert_review, call_admin_user, small_quota, due, message):
    application = make_expert_review()

    with pytest.raises(ValidationError, match=message):
        propose([application], call_admin_user, due=due)

    assert statuses(application) == [S.EXPERT_REVIEW]


def test_the_reply_date_may_be_today(make_expert_review, call_admin_user, small_quota):
    application = make_expert_review()

    propose([application], call_admin_user, due=PROPOSE_AT.date().isoformat())

    assert statuses(application) == [S.SOLICITING]


def test_only_the_call_administrator_may_propose(make_expert_review, hr_reviewer, small_quota):
    application = make_expert_review()

    with pytest.raises(PermissionDenied):
        propose([application], hr_reviewer)

    assert statuses(application) == [S.EXPERT_REVIEW]


def test_a_county_unit_is_referred_to_its_county_bureau_and_the_tax_bureau(soliciting):
    county_unit, _city_direct = soliciting

    requests = {request.department.name: request.basis for request in county_unit.opinion_requests.all()}

    assert requests == {"晋城市城区人力资源和社会保障局": "superior", TAX_BUREAU: "consulted"}


def test_a_city_direct_unit_is_referred_to_its_competent_department_and_the_tax_bureau(soliciting):
    _county_unit, city_direct = soliciting

    requests = {request.department.name: request.basis for request in city_direct.opinion_requests.all()}

    assert requests == {SASAC: "superior", TAX_BUREAU: "consulted"}


def test_other_configured_functions_are_asked_once_each(make_expert_review, call_admin_user, call, small_quota):
    call.consulted_functions = ["competent_department", "tax_bureau", "consulted_department", "tax_bureau"]
    call.save(update_fields=["consulted_functions"])
    application = make_expert_review(region="140500", competent_department=SASAC)

    propose([application], call_admin_user)

    names = sorted(application.opinion_requests.values_list("department__name", flat=True))
    assert names == sorted([SASAC, TAX_BUREAU, "晋城市市场监督管理局"])


def test_a_function_nobody_holds_aborts_the_proposal_with_a_message(make_expert_review, call_admin_user, small_quota):
    organisation(TAX_BUREAU).__class__.objects.filter(name=TAX_BUREAU).update(is_active=False)
    application = make_expert_review()

    outcome = propose([application], call_admin_user)

    assert outcome.failed and "税务部门" in outcome.failed[0].messages[0]
    assert statuses(application) == [S.EXPERT_REVIEW]
