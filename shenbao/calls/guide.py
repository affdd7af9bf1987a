"""办事指南: what a unit needs to know to apply for one project type of one call — who may apply, the conditions
with their thresholds, the materials, the steps with their dates, and whom to ask.

Everything comes from the call as loaded from its call file (`selectors.get_call_detail`, so building a guide
costs no query); the step names are the workflow's own steps, each with what the call says about it.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shenbao.core.money import format_wan_yuan
from shenbao.organisations.models import Organisation

from .formatting import call_status
from .selectors import list_instalment_amounts


@dataclass(frozen=True)
class GuideStep:
    title: str
    detail: str
    when: str = ""  # the date or period of the step, when the call fixes one


@dataclass(frozen=True)
class Guide:
    call: object
    project_type: object
    status: object
    unit_types: list
    rules: list  # (rule, applies-to unit type names) in the call's order
    materials: list
    steps: list
    instalments: list


def _day(value):
    return date_format(value, "Y年n月j日") if value else ""


def _bodies(functions):
    labels = []
    for function in functions or []:
        try:
            labels.append(str(Organisation.Function(function).label))
        except ValueError:
            labels.append(function)
    return "、".join(labels)


def guide_steps(*, call, project_type):
    """The steps of the process for one project type, with the call's dates, bodies and numbers."""
    deadline = timezone.localtime(call.submission_deadline)
    steps = [
        GuideStep(
            _("网上填报并提交"),
            _("申报单位注册登录后，在线填写申报书、上传申报材料，经资格条件校验后提交。"),
            _("%(start)s至%(end)s") % {"start": _day(call.published_on), "end": date_format(deadline, "Y年n月j日 H:i")},
        ),
    ]
    if call.paper_copies:
        where = call.submission_address or _("申报通知指定地点")
        steps.append(
            GuideStep(
                _("报送纸质材料"),
                _("系统生成的申报书等材料打印一式%(copies)s份，签字盖章后连同电子版报送%(where)s。")
                % {"copies": call.paper_copies, "where": where},
                _("%(end)s前") % {"end": _day(deadline.date())},
            )
        )
    steps.append(
        GuideStep(
            _("资格初审"),
            _("由所在县（市、区）人社局或主管部门审核申报条件；材料不全的，退回补正。"),
            _("%(due)s前完成") % {"due": _day(call.first_review_due)} if call.first_review_due else "",
        )
    )
    if call.recheck_bodies:
        rule = _("须全部通过") if call.recheck_requires_all else _("任一通过即可")
        steps.append(
            GuideStep(
                _("资格复核"),
                _("由%(bodies)s复核，%(rule)s。") % {"bodies": _bodies(call.recheck_bodies), "rule": rule},
            )
        )
    steps.append(
        GuideStep(
            _("专家评审"),
            _("每项申报由%(experts)s名专家按评分细则评分（资料审查和答辩），在名额内按得分确定拟授牌单位。")
            % {"experts": call.experts_per_application},
        )
    )
    if call.consulted_functions:
        steps.append(
            GuideStep(
                _("征求意见"),
                _("就拟授牌单位征求%(bodies)s的意见。") % {"bodies": _bodies(call.consulted_functions)},
            )
        )
    steps.append(
        GuideStep(
            _("公示"),
            _("拟授牌单位公示%(days)s个工作日；公示期内任何单位和个人均可在线实名提出异议。")
            % {"days": call.notice_working_days},
        )
    )
    steps.append(
        GuideStep(
            _("认定授牌"),
            _("公示无异议的，发文命名并授予「%(plaque)s」牌匾，拨付建设扶持经费%(amount)s。")
            % {"plaque": project_type.plaque_title, "amount": format_wan_yuan(project_type.funding_amount)},
        )
    )
    steps.append(
        GuideStep(
            _("建设与评估验收"),
            _("建设期内每年报送进展报告（次年%(month)s月%(day)s日前），期满后申请评估验收。")
            % {"month": project_type.progress_report_due_month, "day": project_type.progress_report_due_day},
            _("%(start)s至%(end)s")
            % {"start": _day(project_type.construction_start), "end": _day(project_type.construction_end)},
        )
    )
    return steps


def build_guide(*, call, code):
    """The guide of project type `code` of `call` (fetched with `selectors.get_call_detail`), or None."""
    project_type = next((item for item in call.project_types.all() if item.code == code), None)
    if project_type is None:
        return None
    return Guide(
        call=call,
        project_type=project_type,
        status=call_status(call),
        unit_types=[unit_type.name for unit_type in project_type.allowed_unit_types.all()],
        rules=[
            (rule, [unit_type.name for unit_type in rule.applies_to_unit_types.all()])
            for rule in project_type.eligibility_rules.all()
        ],
        materials=list(project_type.materials.all()),
        steps=guide_steps(call=call, project_type=project_type),
        instalments=list_instalment_amounts(project_type=project_type),
    )
