"""The application workflow, as data: states, transitions, who may fire each, what each requires and does.

Read it like the notice's clause 三:
  提交 (四) → 资格初审 (三1) → 资格复核 (三2) → 专家评审 (三3) → 征求意见 (三4) → 公示 (三5) → 授牌 (三6),
with the branches: returned for revision (补正), rejected (不予通过), withdrawn (撤回), not selected (未入选),
an opinion objection holding a unit (征求意见有异议) and an upheld public objection (异议成立).

Names in `actor`, `guards` and `effects` resolve through `resolve()`: a plain name is looked up in this app's
registries (rules.ACTORS, guards.GUARDS, effects.EFFECTS); a dotted name ("shenbao.review.guards.x") is imported,
so another app's step logic stays in that app. A test checks every name resolves.
`MACHINE` declares the table for the one transition helper (`shenbao.core.transitions.fire`);
`services.fire_transition` is its application entry point: it locks the row, checks all of this, runs the
effects and records the step (django-fsm-log StateLog + audit entry) in one transaction.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shenbao.core.transitions import Machine, State, Transition, register


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交，待资格初审")
    RETURNED = "returned", _("退回修改")
    WITHDRAWN = "withdrawn", _("已撤回")
    REJECTED = "rejected", _("审核未通过")
    RECHECK = "recheck", _("初审通过，待资格复核")
    EXPERT_REVIEW = "expert_review", _("复核通过，待专家评审")
    NOT_SELECTED = "not_selected", _("未入选")
    SOLICITING = "soliciting", _("拟授牌，征求意见中")
    OPINION_HOLD = "opinion_hold", _("征求意见有异议，待研究")
    IN_NOTICE = "in_notice", _("公示中")
    OBJECTION_UPHELD = "objection_upheld", _("公示异议成立，不予授牌")
    AWARDED = "awarded", _("已授牌")
    REVOKED = "revoked", _("已撤销命名")


EDITABLE_STATES = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.RETURNED})
# The notice's six review steps, for progress displays: the state that means "this step is under way".
STEP_STATES = (
    (_("资格初审"), ApplicationStatus.SUBMITTED),
    (_("资格复核"), ApplicationStatus.RECHECK),
    (_("专家评审"), ApplicationStatus.EXPERT_REVIEW),
    (_("征求意见"), ApplicationStatus.SOLICITING),
    (_("公示"), ApplicationStatus.IN_NOTICE),
    (_("授牌"), ApplicationStatus.AWARDED),
)
FINAL_STATES = frozenset(
    {
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.REJECTED,
        ApplicationStatus.NOT_SELECTED,
        ApplicationStatus.OBJECTION_UPHELD,
        ApplicationStatus.AWARDED,
        ApplicationStatus.REVOKED,
    }
)


S = ApplicationStatus

TRANSITIONS = (
    # 四 提交
    Transition(
        "submit",
        _("提交申报"),
        (S.DRAFT,),
        S.SUBMITTED,
        "applicant_of_unit",
        guards=("call_open", "form_complete", "eligibility_passed", "materials_complete"),
        effects=("route_to_first_review_body", "record_submission", "snapshot_version"),
        notify=("applicant", "first_reviewer"),
    ),
    Transition(
        "resubmit",
        _("修改后重新提交"),
        (S.RETURNED,),
        S.SUBMITTED,
        "applicant_of_unit",
        guards=("resubmission_not_overdue", "form_complete", "eligibility_passed", "materials_complete"),
        effects=("route_to_first_review_body", "record_submission", "snapshot_version"),
        notify=("applicant", "first_reviewer"),
    ),
    Transition("withdraw", _("撤回申报"), (S.SUBMITTED,), S.WITHDRAWN, "applicant_of_unit", notify=("first_reviewer",)),
    # 三1 资格初审
    Transition(
        "first_review_pass",
        _("资格初审通过"),
        (S.SUBMITTED,),
        S.RECHECK,
        "first_reviewer_of_application",
        guards=("shenbao.review.guards.first_review_checklist_complete",),
        effects=("shenbao.review.effects.record_first_review",),
        payload=("checklist", "recommendation"),
        notify=("applicant", "city_reviewers"),
    ),
    Transition(
        "return_for_revision",
        _("退回修改"),
        (S.SUBMITTED,),
        S.RETURNED,
        "first_reviewer_of_application",
        guards=("resubmission_due_in_future",),
        effects=("set_resubmission_due",),
        requires_comment=True,
        comment_to_applicant=True,
        payload=("resubmission_due",),
        notify=("applicant",),
    ),
    Transition(
        "first_review_reject",
        _("资格初审不通过"),
        (S.SUBMITTED,),
        S.REJECTED,
        "first_reviewer_of_application",
        requires_comment=True,
        comment_to_applicant=True,
        notify=("applicant",),
    ),
    # 三2 资格复核: each body records a decision (review.services.record_recheck_decision); the step below fires
    # when the call's rule (all bodies / any body) is met, or at once on a return or rejection.
    Transition(
        "recheck_pass",
        _("资格复核通过"),
        (S.RECHECK,),
        S.EXPERT_REVIEW,
        "city_reviewer",
        guards=("shenbao.review.guards.recheck_bodies_passed",),
        notify=("applicant", "call_admin"),
    ),
    Transition(
        "recheck_return",
        _("复核退回修改"),
        (S.RECHECK,),
        S.RETURNED,
        "city_reviewer",
        guards=("resubmission_due_in_future",),
        effects=("set_resubmission_due",),
        requires_comment=True,
        comment_to_applicant=True,
        payload=("resubmission_due",),
        notify=("applicant", "first_reviewer"),
    ),
    Transition(
        "recheck_reject",
        _("资格复核不通过"),
        (S.RECHECK,),
        S.REJECTED,
        "city_reviewer",
        requires_comment=True,
        comment_to_applicant=True,
        notify=("applicant", "first_reviewer"),
    ),
    # 三3 专家评审 (the expert issue fills the ranking; the administrator turns it into the proposed list)
    Transition(
        "propose",
        _("列入拟授牌名单"),
        (S.EXPERT_REVIEW,),
        S.SOLICITING,
        "call_admin",
        effects=("shenbao.opinions.effects.open_opinion_requests",),
        payload=("opinion_due",),
        notify=("applicant", "consulted"),
    ),
    Transition(
        "not_select",
        _("未列入拟授牌名单"),
        (S.EXPERT_REVIEW,),
        S.NOT_SELECTED,
        "call_admin",
        requires_comment=True,
        comment_to_applicant=True,
        notify=("applicant",),
    ),
    # 三4 征求意见: an 有异议 answer holds the unit (review.services.record_opinion fires "hold_for_opinion")
    Transition(
        "hold_for_opinion",
        _("征求意见有异议"),
        (S.SOLICITING,),
        S.OPINION_HOLD,
        "shenbao.opinions.rules.consulted_department_of_application",
        notify=("call_admin",),
    ),
    Transition(
        "overrule_opinion",
        _("异议不影响授牌，继续办理"),
        (S.OPINION_HOLD,),
        S.SOLICITING,
        "call_admin",
        effects=("shenbao.opinions.effects.resolve_objections",),
        requires_comment=True,
        notify=("call_admin",),
    ),
    Transition(
        "exclude_after_opinion",
        _("因征求意见异议不予授牌"),
        (S.OPINION_HOLD,),
        S.NOT_SELECTED,
        "call_admin",
        requires_comment=True,
        comment_to_applicant=True,
        notify=("applicant",),
    ),
    # 三5 公示 (notices.services.publish_notice fires this for every unit on the list)
    Transition(
        "publish_in_notice",
        _("公示"),
        (S.SOLICITING,),
        S.IN_NOTICE,
        "call_admin",
        guards=("shenbao.opinions.guards.opinions_complete_without_objection",),
        notify=("applicant",),
    ),
    Transition(
        "uphold_objection",
        _("公示异议成立，不予授牌"),
        (S.IN_NOTICE,),
        S.OBJECTION_UPHELD,
        "call_admin",
        requires_comment=True,
        comment_to_applicant=True,
        notify=("applicant",),
    ),
    # 三6 授牌 (notices/award services fire this for every unit once the notice has closed)
    Transition(
        "award",
        _("授牌"),
        (S.IN_NOTICE,),
        S.AWARDED,
        "call_admin",
        guards=("shenbao.notices.guards.notice_closed", "shenbao.notices.guards.no_standing_objection"),
        effects=("shenbao.awards.effects.issue_plaque", "shenbao.funding.effects.open_funding_record"),
        notify=("applicant",),
    ),
    # 五 评估验收: a second failed acceptance evaluation revokes the designation (撤销命名). Fired by
    # shenbao.acceptance.results.decide_evaluation, which also cancels the outstanding instalments.
    Transition(
        "revoke",
        _("撤销命名"),
        (S.AWARDED,),
        S.REVOKED,
        "call_admin",
        guards=("shenbao.acceptance.guards.failed_re_evaluation",),
        requires_comment=True,
        comment_to_applicant=True,
        notify=("applicant",),
    ),
)

_STEPS = {status: index for index, (_label, status) in enumerate(STEP_STATES, start=1)}
# The badges' colours (Bootstrap names) and the sentences pages show beside a state; the rest stay plain.
_BADGES = {
    ApplicationStatus.RETURNED: "warning",
    ApplicationStatus.REJECTED: "danger",
    ApplicationStatus.OBJECTION_UPHELD: "danger",
    ApplicationStatus.AWARDED: "success",
    ApplicationStatus.REVOKED: "danger",
}
_PHRASES = {
    ApplicationStatus.REVOKED: _("已撤销命名：评估验收复评不合格，剩余建设扶持经费不再拨付。"),
}

MACHINE = register(
    Machine(
        name="workflow",
        model="applications.Application",
        noun=_("申报"),
        subject="application",
        states=tuple(
            State(
                status.value,
                status.label,
                final=status in FINAL_STATES,
                editable=status in EDITABLE_STATES,
                step=_STEPS.get(status),
                badge=_BADGES.get(status, "secondary"),
                phrase=_PHRASES.get(status, ""),
            )
            for status in ApplicationStatus
        ),
        transitions=TRANSITIONS,
        registries={
            "actor": "shenbao.applications.rules.ACTORS",
            "guard": "shenbao.applications.guards.GUARDS",
            "effect": "shenbao.applications.effects.EFFECTS",
        },
        fsm=True,
        touch=("updated_at",),
        notify="shenbao.applications.services.notify_step",
        details="shenbao.applications.services.audit_details",
    )
)
TRANSITIONS_BY_NAME = MACHINE.transitions_by_name


def get_transition(name: str) -> Transition:
    return MACHINE.transition(name)


def transitions_from(state: str) -> list[Transition]:
    return MACHINE.transitions_from(state)
