"""Demo data (演示数据) of the practice call (「演示」): applications of the demo units in every state of the selection,
made through the real services at past times (each service's `at`), so a visitor sees the whole product today.

Day by day before the day of seeding (D):
D-29 submitted, D-28 资格初审, D-27 资格复核, D-26 experts assigned, D-25 scored, D-24 拟授牌名单 (the lowest
training base not selected), D-23 征求意见 answered, D-22 公示 published (it ends some working days later),
the day after it ends (D-12 or so) 命名 and 授牌, but for one training base left waiting for 授牌 (公示期满待授牌).
Later stages (payments, reports, acceptance) are `funding.demo` and `acceptance.demo`; the early states (草稿,
待初审, 退回修改, 待复核, 待专家评审) are started last, at D-7 … D-4, so the list above left them alone.
Idempotent: nothing is made for a call that already has applications.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from shenbao.accounts.selectors import get_user_by_username, list_active_users, list_users_named
from shenbao.applications.demo import (
    CONTENT,
    RECHECK_USERS,
    _fill,
    _first_reviewer,
    _upload_required,
    judge_all_met,
    on_call,
)
from shenbao.applications.selectors import list_applications
from shenbao.applications.services import fire_transition, start_application
from shenbao.applications.workflow import ApplicationStatus as S
from shenbao.calls.demo import beijing_day
from shenbao.experts.demo import DEMO_EXPERTS
from shenbao.experts.selectors import find_panel, list_active_assignments_of
from shenbao.experts.services import add_panel_members, assign_experts, create_panel
from shenbao.notices.services import publish_notice
from shenbao.opinions.rules import can_answer_request
from shenbao.opinions.selectors import list_pending_requests
from shenbao.opinions.services import propose_applications, record_opinion
from shenbao.review.services import decide_first_review, record_recheck_decision
from shenbao.scoring.demo import OPINION, demo_scores
from shenbao.scoring.selectors import get_ranking, list_rubric_items
from shenbao.scoring.services import submit_sheet

from .services import award_applications, save_designation

ADMIN = "skills_admin"
# (unit slug, project type, share of each item's maximum its experts give): the workstation and the first training
# base are designated; the second training base ranks too low and is not selected; the third passes, its 公示 has
# ended, and it waits for 授牌 (`AWAITING_AWARD`), so the administrator's 待办 shows that step too.
SELECTED = (
    ("sasac", "workstation", "0.90"),
    ("edu", "training_base", "0.88"),
    ("lingchuan", "training_base", "0.55"),
    ("gaoping", "training_base", "0.80"),
)
AWAITING_AWARD = ("gaoping",)
# (unit slug, project type, state, days before D it is started and submitted)
EARLY = (
    ("qinshui", "workstation", S.DRAFT, 6),
    ("chengqu", "workstation", S.SUBMITTED, 5),
    ("yangcheng", "workstation", S.RETURNED, 6),
    ("etdz", "workstation", S.RECHECK, 6),
    ("zezhou", "workstation", S.EXPERT_REVIEW, 7),
)
SHARE_PER_EXPERT = Decimal("0.02")
RETURN_REASON = "工作站成员证书复印件不清晰，请重新上传技师证书，并补充合作协议盖章页。"
NOT_SELECTED_REASON = "经专家评审，综合得分未进入本类别拟授牌名单。"


def _ago(today, days, hour=10):
    return beijing_day(today - datetime.timedelta(days=days), hour)


def _submit(call, slug, code, today, days):
    """`slug`'s application of `code`, started and filled `days` before today; submitted unless a draft is wanted."""
    applicant = get_user_by_username(username=f"applicant_{slug}")
    project_type = call.project_types.get(code=code)
    application = start_application(
        call=call, project_type=project_type, unit=applicant.organisation, user=applicant, at=_ago(today, days, 9)
    )
    sections = on_call(CONTENT[slug](), project_type)
    return applicant, application, sections


def _file(call, slug, code, today, days, *, draft=False):
    applicant, application, sections = _submit(call, slug, code, today, days)
    if draft:
        return _fill(application, applicant, dict(list(sections.items())[:2]))
    application = _fill(application, applicant, sections)
    _upload_required(application, applicant)
    return fire_transition(application=application, name="submit", actor=applicant, at=_ago(today, days, 16))


def _first_review(application, slug, decision, today, days, comment=""):
    reviewer = _first_reviewer(application, slug)
    return decide_first_review(
        application=application,
        user=reviewer,
        decision=decision,
        items=judge_all_met(application, reviewer, decision),
        recommendation="经核查，符合申报条件，材料真实完整，同意推荐。" if decision == "pass" else "",
        comment=comment,
        resubmission_due=(today + datetime.timedelta(days=14)).isoformat(),
        at=_ago(today, days),
    )


def _recheck(application, today, days):
    for username in RECHECK_USERS:
        application = record_recheck_decision(
            application=application,
            user=get_user_by_username(username=username),
            decision="pass",
            comment="资格复核通过。",
            at=_ago(today, days),
        )
    return application


def _panel(call, project_type, admin, experts, today):
    panel = find_panel(call=call, project_type=project_type)
    if panel is None:
        panel = create_panel(
            call=call, project_type=project_type, actor=admin, exclude_same_county=False, name=project_type.name
        )
        add_panel_members(panel=panel, actor=admin, experts=experts)
    assign_experts(panel=panel, actor=admin, at=_ago(today, 26))
    return panel


def _score(application, share, today):
    items = list(list_rubric_items(project_type=application.project_type))
    assignments = list_active_assignments_of(application=application)
    for index, assignment in enumerate(assignments.select_related("expert").order_by("expert__username")):
        scores = demo_scores(items, share - index * SHARE_PER_EXPERT, application.project_type.score_step)
        submit_sheet(
            assignment=assignment,
            expert=assignment.expert,
            scores=scores,
            overall_opinion=OPINION,
            at=_ago(today, 25),
        )


def _answer_opinions(call, today):
    for opinion_request in list_pending_requests(call=call):
        users = list_active_users(query=Q(organisation=opinion_request.department))
        user = next((user for user in users if can_answer_request(user, opinion_request)), None)
        if user is not None:
            record_opinion(opinion_request=opinion_request, user=user, response="no_objection", at=_ago(today, 23))


def publish_practice_units(*, call, admin, today, units=SELECTED):
    """`units`' applications (default `SELECTED`) from submission to their 公示, published at D-22 so it has ended
    by today (see the module docstring); returns the notice. Those selected wait for 授牌 (公示期满待授牌).

    A project type's 拟授牌名单 is determined once, from its whole ranking; `units` name only types without one.
    """
    experts = list(list_users_named(usernames=DEMO_EXPERTS))
    filed = []
    for slug, code, share in units:
        application = _file(call, slug, code, today, 29)
        application = _recheck(_first_review(application, slug, "pass", today, 28), today, 27)
        filed.append((application, Decimal(share)))
    project_types = call.project_types.filter(code__in={code for _slug, code, _share in units}).order_by("sort_order")
    for project_type in project_types:
        _panel(call, project_type, admin, experts, today)
    for application, share in filed:
        _score(application, share, today)
    for project_type in project_types:
        ranking = get_ranking(call=call, project_type=project_type)
        propose_applications(
            call=call,
            project_type=project_type,
            selected=[str(row.candidate.item.public_id) for row in ranking.rows if row.passes],
            opinion_due=(today - datetime.timedelta(days=20)).isoformat(),
            not_selected_reason=NOT_SELECTED_REASON,
            actor=admin,
            at=_ago(today, 24),
        )
    _answer_opinions(call, today)
    start = today - datetime.timedelta(days=22)
    return publish_notice(
        call=call,
        title=f"{call.title}拟授牌单位公示",
        body="",
        start_date=start,
        contact_name=call.contact_name,
        contact_phone=call.contact_phone,
        contact_address=call.submission_address,
        user=admin,
        at=_ago(today, 22, 9),
    ).notice


def designate_practice_units(*, call, admin, today, units=SELECTED, awaiting=AWAITING_AWARD):
    """`units`' applications (default `SELECTED`) from submission to 授牌 at past times (see the module docstring);
    those of the `awaiting` units stay in their ended 公示, waiting for 授牌."""
    notice = publish_practice_units(call=call, admin=admin, today=today, units=units)
    # 授牌 the working day after the 公示 has ended (holidays make it end later some months).
    awarded_on = notice.end_date + datetime.timedelta(days=1)
    designation = save_designation(
        call=call, actor=admin, document_number=f"演示〔{call.year}〕1号", issued_on=awarded_on
    )
    waiting = list_users_named(usernames=[f"applicant_{slug}" for slug in awaiting]).values("organisation")
    in_notice = list_applications(call=call, statuses=(S.IN_NOTICE,)).exclude(unit__in=waiting).order_by("number")
    award_applications(applications=list(in_notice), actor=admin, designation=designation, at=beijing_day(awarded_on))


def _early_states(call, admin, today):
    for slug, code, state, days in EARLY:
        application = _file(call, slug, code, today, days, draft=state == S.DRAFT)
        if state in (S.DRAFT, S.SUBMITTED):
            continue
        if state == S.RETURNED:
            _first_review(application, slug, "return", today, days - 1, comment=RETURN_REASON)
            continue
        application = _first_review(application, slug, "pass", today, days - 1)
        if state == S.EXPERT_REVIEW:
            application = _recheck(application, today, days - 2)
            panel = find_panel(call=call, project_type=application.project_type)
            assign_experts(panel=panel, actor=admin, at=_ago(today, days - 3))


@transaction.atomic
def seed_practice_applications(*, call, today):
    """The practice call's demo applications (nothing when it has some already); returns how many were made."""
    if call.applications.exists():
        return 0
    admin = get_user_by_username(username=ADMIN)
    designate_practice_units(call=call, admin=admin, today=today)
    _early_states(call, admin, today)
    return call.applications.count()
