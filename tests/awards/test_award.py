"""授牌: refused before the notice closes and while an objection is pending; plaques numbered per project type."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shenbao.applications.services import fire_transition
from shenbao.applications.workflow import ApplicationStatus
from shenbao.awards.models import Designation, Plaque
from shenbao.awards.selectors import list_designated_applications
from shenbao.awards.services import award_applications, designation_title, save_designation
from shenbao.notices.services import decide_objection
from tests.opinions.builders import reload

from .builders import AFTER_NOTICE, LAST_NOTICE_DAY, object_to

pytestmark = pytest.mark.django_db
ISSUED_ON = datetime.date(2022, 12, 20)


@pytest.fixture
def designation(call, call_admin_user):
    return save_designation(
        call=call, actor=call_admin_user, document_number="晋市人社发〔2022〕88号", issued_on=ISSUED_ON
    )


def award(applications, admin, designation, at=AFTER_NOTICE):
    return award_applications(applications=applications, actor=admin, designation=designation, at=at)


def test_the_designation_title_names_both_project_types_once(call):
    assert designation_title(call=call) == "关于命名2022年市级技师工作站和技能人才培养基地的通知"
    assert designation_title(call=call, project_type=call.project_types.get(code="workstation")) == (
        "关于命名2022年市级技师工作站的通知"
    )


def test_award_after_the_notice_closed_issues_numbered_plaques(in_notice, call_admin_user, designation):
    outcome = award(in_notice, call_admin_user, designation)

    assert not outcome.failed
    assert [reload(application).status for application in in_notice] == [ApplicationStatus.AWARDED] * 2
    plaques = list(Plaque.objects.order_by("sequence"))
    assert [plaque.number for plaque in plaques] == ["JCJS-2022-01", "JCJS-2022-02"]
    assert {plaque.title for plaque in plaques} == {"晋城市技师工作站"}
    assert {plaque.designation for plaque in plaques} == {designation}
    assert {plaque.issued_on for plaque in plaques} == {ISSUED_ON}
    assert len({plaque.verification_code for plaque in plaques}) == 2


def test_award_on_the_last_day_of_the_notice_is_refused(in_notice, call_admin_user, designation):
    outcome = award(in_notice, call_admin_user, designation, at=LAST_NOTICE_DAY)

    assert len(outcome.failed) == 2
    assert "公示期满后方可授牌" in outcome.failed[0].messages[0]
    assert not Plaque.objects.exists()


def test_award_is_refused_while_an_objection_is_unresolved(notice, in_notice, call_admin_user, designation):
    objected, _clean = in_notice
    objection = object_to(notice, objected)

    outcome = award(in_notice, call_admin_user, designation)

    assert [result.ok for result in outcome.results] == [False, True]
    assert "尚未调查处理完毕" in outcome.failed[0].messages[0]
    assert reload(objected).status == ApplicationStatus.IN_NOTICE

    decide_objection(
        objection=objection,
        upheld=False,
        investigation_note="经核实均为在职职工。",
        reply="异议不成立。",
        user=call_admin_user,
        at=AFTER_NOTICE,
    )
    assert not award([reload(objected)], call_admin_user, designation).failed
    assert reload(objected).plaque.number == "JCJS-2022-02"


def test_award_cannot_be_fired_twice(in_notice, call_admin_user, designation):
    award(in_notice[:1], call_admin_user, designation)

    outcome = award([in_notice[0]], call_admin_user, designation)

    assert "状态已变化" in outcome.failed[0].messages[0]
    assert Plaque.objects.count() == 1


def test_only_the_call_administrator_awards(in_notice, hr_reviewer, designation):
    outcome = award(in_notice[:1], hr_reviewer, designation)

    assert outcome.failed and not Plaque.objects.exists()
    with pytest.raises(PermissionDenied):
        save_designation(call=designation.call, actor=hr_reviewer, document_number="x", issued_on=ISSUED_ON)


def test_award_without_a_designation_creates_the_call_wide_one(in_notice, call_admin_user):
    fire_transition(application=in_notice[0], name="award", actor=call_admin_user, at=AFTER_NOTICE)

    designation = Designation.objects.get()
    assert designation.project_type is None and designation.issued_on == datetime.date(2022, 12, 17)
    assert designation.issuing_bodies == ["中共晋城市委组织部", "晋城市人力资源和社会保障局"]


def test_the_designation_date_is_fixed_once_a_plaque_carries_it(in_notice, call_admin_user, designation):
    award(in_notice[:1], call_admin_user, designation)

    save_designation(
        call=designation.call, actor=call_admin_user, document_number="晋市人社发〔2022〕90号", issued_on=ISSUED_ON
    )
    with pytest.raises(ValidationError, match="不能再修改"):
        save_designation(
            call=designation.call,
            actor=call_admin_user,
            document_number="x",
            issued_on=ISSUED_ON + datetime.timedelta(days=1),
        )
    assert Designation.objects.get().document_number == "晋市人社发〔2022〕90号"


def test_designated_applications_are_listed_for_the_funding_record(in_notice, call_admin_user, designation, call):
    assert list(list_designated_applications(call=call)) == []

    award(in_notice, call_admin_user, designation)

    listed = list(list_designated_applications(call=call))
    assert [application.plaque.number for application in listed] == ["JCJS-2022-01", "JCJS-2022-02"]
