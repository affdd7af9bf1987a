"""Departments' answers (无异议 / 有异议), the hold on an objection, the administrator's decision, the publish guard."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm_log.models import StateLog

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.selectors import list_visible_applications
from shenbao.applications.services import fire_transition
from shenbao.applications.workflow import ApplicationStatus
from shenbao.opinions.guards import opinions_complete_without_objection
from shenbao.opinions.models import OpinionRequest
from shenbao.opinions.services import decide_on_objection, record_opinion

from .builders import ANSWER_AT, MARKET_BUREAU, TAX_BUREAU, reload, user_of

pytestmark = pytest.mark.django_db
S = ApplicationStatus
NO, YES = OpinionRequest.Response.NO_OBJECTION, OpinionRequest.Response.OBJECTION


def request_of(application, department_name):
    return OpinionRequest.objects.get(application=application, department__name=department_name)


def answer(application, department_name, user, response=NO, reason=""):
    return record_opinion(
        opinion_request=request_of(application, department_name),
        user=user,
        response=response,
        reason=reason,
        at=ANSWER_AT,
    )


def guard(application):
    return opinions_complete_without_objection(application=reload(application), actor=None, payload={}, at=ANSWER_AT)


def test_the_tax_bureau_answers_no_objection(soliciting, tax_user):
    county_unit, _ = soliciting

    answered = answer(county_unit, TAX_BUREAU, tax_user)

    assert (answered.response, answered.responded_by, answered.responded_at) == (NO, tax_user, ANSWER_AT)
    assert reload(county_unit).status == S.SOLICITING


def test_the_county_bureau_reviewer_answers_for_the_superior_department(soliciting, chengqu_reviewer):
    county_unit, _ = soliciting

    answer(county_unit, "晋城市城区人力资源和社会保障局", chengqu_reviewer)

    assert request_of(county_unit, "晋城市城区人力资源和社会保障局").response == NO


@pytest.mark.parametrize(
    ("organisation_name", "roles"),
    [
        (MARKET_BUREAU, [Role.CONSULTED_DEPARTMENT]),  # a consulted department not asked about this unit
        (TAX_BUREAU, [Role.EXPERT]),  # the right department but not its consulted-department role
        ("晋城市人力资源和社会保障局技能办", [Role.CALL_ADMIN]),
    ],
)
def test_only_the_addressed_department_may_answer(soliciting, organisation_name, roles):
    county_unit, _ = soliciting
    outsider = user_of(organisation_name, *roles)

    with pytest.raises(PermissionDenied):
        answer(county_unit, TAX_BUREAU, outsider)

    assert request_of(county_unit, TAX_BUREAU).is_open


def test_the_tax_bureau_cannot_answer_the_superior_departments_request(soliciting, tax_user):
    county_unit, _ = soliciting

    with pytest.raises(PermissionDenied):
        answer(county_unit, "晋城市城区人力资源和社会保障局", tax_user)


def test_an_answer_is_given_once(soliciting, tax_user):
    county_unit, _ = soliciting
    answer(county_unit, TAX_BUREAU, tax_user)

    with pytest.raises(ValidationError, match="已反馈"):
        answer(county_unit, TAX_BUREAU, tax_user, YES, "欠税。")

    assert request_of(county_unit, TAX_BUREAU).response == NO


def test_an_objection_needs_a_reason(soliciting, tax_user):
    county_unit, _ = soliciting

    with pytest.raises(ValidationError, match="理由"):
        answer(county_unit, TAX_BUREAU, tax_user, YES, "  ")

    assert request_of(county_unit, TAX_BUREAU).is_open
    assert reload(county_unit).status == S.SOLICITING


def test_an_objection_holds_the_unit_once(soliciting, tax_user, chengqu_reviewer):
    county_unit, _ = soliciting

    answer(county_unit, TAX_BUREAU, tax_user, YES, "该单位存在欠缴税款记录。")
    answer(county_unit, "晋城市城区人力资源和社会保障局", chengqu_reviewer, YES, "存在劳动保障违法记录。")

    assert reload(county_unit).status == S.OPINION_HOLD
    holds = StateLog.objects.filter(object_id=county_unit.pk, transition="hold_for_opinion")
    assert [(log.by, log.description) for log in holds] == [(tax_user, "该单位存在欠缴税款记录。")]


def test_the_administrator_overrules_an_objection_and_the_unit_continues(soliciting, tax_user, call_admin_user):
    county_unit, _ = soliciting
    answer(county_unit, TAX_BUREAU, tax_user, YES, "欠税已补缴前曾有记录。")

    decide_on_objection(application=reload(county_unit), actor=call_admin_user, decision="overrule", reason="已补缴。")

    assert reload(county_unit).status == S.SOLICITING
    objection = request_of(county_unit, TAX_BUREAU)
    assert (objection.overruled_by, objection.overrule_reason) == (call_admin_user, "已补缴。")
    assert not objection.is_standing_objection


def test_the_administrator_excludes_the_unit_after_an_objection(soliciting, tax_user, call_admin_user):
    county_unit, _ = soliciting
    answer(county_unit, TAX_BUREAU, tax_user, YES, "重大税收违法。")

    decide_on_objection(application=reload(county_unit), actor=call_admin_user, decision="exclude", reason="不予授牌。")

    held = reload(county_unit)
    assert held.status == S.NOT_SELECTED
    assert held.comments.get().text == "不予授牌。"


def test_a_decision_needs_a_reason_and_the_administrator(soliciting, tax_user, call_admin_user):
    county_unit, _ = soliciting
    answer(county_unit, TAX_BUREAU, tax_user, YES, "欠税。")

    with pytest.raises(ValidationError):
        decide_on_objection(application=reload(county_unit), actor=call_admin_user, decision="overrule", reason="")
    with pytest.raises(PermissionDenied):
        decide_on_objection(application=reload(county_unit), actor=tax_user, decision="overrule", reason="理由")

    assert reload(county_unit).status == S.OPINION_HOLD


def test_guard_waits_for_every_department(soliciting, tax_user):
    county_unit, _ = soliciting
    answer(county_unit, TAX_BUREAU, tax_user)

    reasons = guard(county_unit)

    assert len(reasons) == 1 and "晋城市城区人力资源和社会保障局" in reasons[0] and "未反馈" in reasons[0]


def test_guard_passes_when_every_department_has_no_objection(soliciting, tax_user, chengqu_reviewer):
    county_unit, _ = soliciting
    answer(county_unit, TAX_BUREAU, tax_user)
    answer(county_unit, "晋城市城区人力资源和社会保障局", chengqu_reviewer)

    assert guard(county_unit) == []


def test_guard_refuses_a_standing_objection_and_passes_once_overruled(
    soliciting, tax_user, chengqu_reviewer, call_admin_user
):
    county_unit, _ = soliciting
    answer(county_unit, "晋城市城区人力资源和社会保障局", chengqu_reviewer)
    answer(county_unit, TAX_BUREAU, tax_user, YES, "欠税。")
    assert any("异议" in reason for reason in guard(county_unit))

    decide_on_objection(application=reload(county_unit), actor=call_admin_user, decision="overrule", reason="已核实。")

    assert guard(county_unit) == []


def test_publishing_is_refused_until_the_opinions_are_complete(soliciting, call_admin_user):
    county_unit, _ = soliciting

    with pytest.raises(ValidationError, match="未反馈"):
        fire_transition(application=county_unit, name="publish_in_notice", actor=call_admin_user, at=ANSWER_AT)


def test_the_actor_of_the_hold_is_a_department_with_an_open_request(soliciting, tax_user):
    county_unit, city_direct = soliciting
    market = user_of(MARKET_BUREAU, Role.CONSULTED_DEPARTMENT)

    assert tax_user.has_perm("applications.fire_hold_for_opinion", county_unit)
    assert not market.has_perm("applications.fire_hold_for_opinion", county_unit)
    answer(county_unit, TAX_BUREAU, tax_user)
    assert not tax_user.has_perm("applications.fire_hold_for_opinion", reload(county_unit))
    assert tax_user.has_perm("applications.fire_hold_for_opinion", city_direct)


def test_consulted_departments_see_only_the_units_they_were_asked_about(soliciting, make_expert_review, tax_user):
    county_unit, city_direct = soliciting
    not_asked = make_expert_review(name="晋城市未征求意见有限公司")
    market = user_of(MARKET_BUREAU, Role.CONSULTED_DEPARTMENT)

    assert set(list_visible_applications(user=tax_user)) == {county_unit, city_direct}
    assert not_asked not in list_visible_applications(user=tax_user)
    assert list(list_visible_applications(user=market)) == []
    assert Application.objects.filter(pk=not_asked.pk).exists()


def test_an_objection_of_the_county_bureau_as_superior_department_holds_the_unit(soliciting, chengqu_reviewer):
    county_unit, _ = soliciting

    answer(county_unit, "晋城市城区人力资源和社会保障局", chengqu_reviewer, YES, "存在劳动保障违法记录。")

    assert reload(county_unit).status == S.OPINION_HOLD
