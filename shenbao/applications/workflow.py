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

Pages show a state only through its row in `STATES` (label, badge colour, progress step, final flag, the page's
sentence, the public stage and the flags pages offer actions by), read with `{% with state=application|state %}`
(`core.templatetags.states`), and notifications word a step with its transition's `phrase` and `asks`: no
template or view compares a status with a string (`tests/test_no_status_strings.py`).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shenbao.core.transitions import Label, Machine, State, Transition, register


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


S = ApplicationStatus

# The progress display: 提交, then the notice's six review steps. A state's `step` is an index into this.
STEPS = (_("提交"), _("资格初审"), _("资格复核"), _("专家评审"), _("征求意见"), _("公示"), _("授牌"))
LAST_STEP = len(STEPS) - 1


@dataclass(frozen=True)
class ApplicationState(State):
    """A state's row: the machine's State (label, badge colour, final and editable flags, progress step, the
    sentence a page shows beside it) and what the application's pages also need.

    Every state has a `step`: the step under way, or for a final state the step where all is done (授牌, 撤销命名)
    or the earliest a stop may come from (the last StateLog's source state says exactly: `selectors.get_progress`).
    `under_way`: the state is the step's own (counted as "in that step"), not a detour (returned, held) or an end.
    """

    step: int = 0  # every state has one (an index into STEPS)
    public_stage: str | Promise = ""  # what the public status query (办件进度查询) discloses
    under_way: bool = False
    in_first_review: bool = False  # the first reviewer may pass, return or reject it (batch included)
    in_expert_review: bool = False  # experts score it and may ask to be recused
    held_for_opinion: bool = False  # the administrator decides on a department's objection
    designated: bool = False  # an awarded unit in its construction period (reports, evaluations)
    revoked: bool = False  # shown as revoked on public pages

    @property
    def status(self) -> ApplicationStatus:
        return ApplicationStatus(self.value)


_CHECKING = _("已受理，资格审核中")
_DECIDING = _("评审结果确定中")
_NOT_DESIGNATED = _("已办结，未获认定")


A = ApplicationState

STATES = (
    A(S.DRAFT, S.DRAFT.label, "info", step=0, public_stage=_("尚未提交"), under_way=True, editable=True),
    A(S.SUBMITTED, S.SUBMITTED.label, "primary", step=1, public_stage=_CHECKING, under_way=True, in_first_review=True),
    # A returned application is revised and goes through 资格初审 again.
    A(
        S.RETURNED,
        S.RETURNED.label,
        "warning",
        step=1,
        public_stage=_CHECKING,
        editable=True,
        phrase=_("申报已被退回修改，请根据下方审核意见修改后重新提交。"),
    ),
    A(S.RECHECK, S.RECHECK.label, "primary", step=2, public_stage=_CHECKING, under_way=True),
    A(
        S.EXPERT_REVIEW,
        S.EXPERT_REVIEW.label,
        "primary",
        step=3,
        public_stage=_("专家评审中"),
        under_way=True,
        in_expert_review=True,
    ),
    A(S.SOLICITING, S.SOLICITING.label, "primary", step=4, public_stage=_DECIDING, under_way=True),
    # A unit held by an opinion objection is still in 征求意见.
    A(
        S.OPINION_HOLD,
        S.OPINION_HOLD.label,
        "warning",
        step=4,
        public_stage=_DECIDING,
        held_for_opinion=True,
        phrase=_("征求意见中有部门提出异议，待申报管理员研究决定。"),
    ),
    A(S.IN_NOTICE, S.IN_NOTICE.label, "primary", step=5, public_stage=_("公示中"), under_way=True),
    A(
        S.AWARDED,
        S.AWARDED.label,
        "success",
        final=True,
        step=LAST_STEP,
        public_stage=_("已认定授牌"),
        under_way=True,
        designated=True,
    ),
    A(S.WITHDRAWN, S.WITHDRAWN.label, "secondary", final=True, step=1, public_stage=_("已撤回")),
    # Rejected by 资格初审 or 资格复核, not selected by the ranking or after 征求意见: the history says which.
    A(S.REJECTED, S.REJECTED.label, "danger", final=True, step=1, public_stage=_NOT_DESIGNATED),
    A(S.NOT_SELECTED, S.NOT_SELECTED.label, "secondary", final=True, step=3, public_stage=_NOT_DESIGNATED),
    A(S.OBJECTION_UPHELD, S.OBJECTION_UPHELD.label, "danger", final=True, step=5, public_stage=_NOT_DESIGNATED),
    # After 评估验收: every step was done.
    A(
        S.REVOKED,
        S.REVOKED.label,
        "danger",
        final=True,
        step=LAST_STEP,
        public_stage=_("已撤销认定"),
        revoked=True,
        phrase=_("已撤销命名：评估验收复评不合格，剩余建设扶持经费不再拨付。"),
    ),
)

# Still on the proposed list (拟授牌), so counted against the project type's quota (opinions, scoring's exports).
ON_PROPOSED_LIST = (
    ApplicationStatus.SOLICITING,
    ApplicationStatus.OPINION_HOLD,
    ApplicationStatus.IN_NOTICE,
    ApplicationStatus.AWARDED,
)
EDITABLE_STATES = frozenset(state.status for state in STATES if state.editable)
FINAL_STATES = frozenset(state.status for state in STATES if state.final)
# The notice's six review steps with the state that means "this step is under way" (statistics count these).
STEP_STATES = tuple(
    (STEPS[state.step], state.status)
    for state in sorted(STATES, key=lambda state: state.step)
    if state.under_way and state.step > 0
)


@dataclass(frozen=True)
class ApplicationTransition(Transition):
    """A step of the application's machine and how its notification words it."""

    # The sentence of the notification: what happened, completing "申报 2022-01-0001（某公司）…"; written in the
    # working language when the notification is (notifications.messages).
    phrase: Label = ""
    asks: tuple[tuple[str, Label], ...] = ()  # (audience, what that audience is asked to do), appended for it


TRANSITIONS = (
    # 四 提交
    ApplicationTransition(
        "submit",
        _("提交申报"),
        (S.DRAFT,),
        S.SUBMITTED,
        "applicant_of_unit",
        guards=("call_open", "form_complete", "eligibility_passed", "materials_complete", "persons_unique_in_call"),
        effects=("route_to_first_review_body", "record_submission", "snapshot_version", "index_persons"),
        # The new version's documents are rendered by the task worker after the commit, never in a request.
        followups=("shenbao.documents.effects.queue_submitted_documents",),
        notify=("applicant", "first_reviewer"),
        phrase=_("已提交，等待资格初审"),
        asks=(("first_reviewer", _("请进行资格初审。")),),
    ),
    ApplicationTransition(
        "resubmit",
        _("修改后重新提交"),
        (S.RETURNED,),
        S.SUBMITTED,
        "applicant_of_unit",
        guards=(
            "resubmission_not_overdue",
            "form_complete",
            "eligibility_passed",
            "materials_complete",
            "persons_unique_in_call",
        ),
        effects=("route_to_first_review_body", "record_submission", "snapshot_version", "index_persons"),
        # The new version's documents are rendered by the task worker after the commit, never in a request.
        followups=("shenbao.documents.effects.queue_submitted_documents",),
        notify=("applicant", "first_reviewer"),
        phrase=_("已修改后重新提交，等待资格初审"),
        asks=(("first_reviewer", _("请进行资格初审。")),),
    ),
    ApplicationTransition(
        "withdraw",
        _("撤回申报"),
        (S.SUBMITTED,),
        S.WITHDRAWN,
        "applicant_of_unit",
        notify=("first_reviewer",),
        phrase=_("已被申报单位撤回"),
    ),
    # 三1 资格初审
    ApplicationTransition(
        "first_review_pass",
        _("资格初审通过"),
        (S.SUBMITTED,),
        S.RECHECK,
        "first_reviewer_of_application",
        guards=("shenbao.review.guards.first_review_checklist_complete",),
        effects=("shenbao.review.effects.record_first_review",),
        payload=("checklist", "recommendation"),
        notify=("applicant", "city_reviewers"),
        phrase=_("已通过资格初审，等待资格复核"),
        asks=(("city_reviewers", _("请进行资格复核。")),),
    ),
    ApplicationTransition(
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
        phrase=_("已被退回修改"),
        asks=(("applicant", _("请按意见修改申报书，在补正截止日期前重新提交。")),),
    ),
    ApplicationTransition(
        "first_review_reject",
        _("资格初审不通过"),
        (S.SUBMITTED,),
        S.REJECTED,
        "first_reviewer_of_application",
        requires_comment=True,
        comment_to_applicant=True,
        notify=("applicant",),
        phrase=_("未通过资格初审"),
    ),
    # 三2 资格复核: each body records a decision (review.services.record_recheck_decision); the step below fires
    # when the call's rule (all bodies / any body) is met, or at once on a return or rejection.
    ApplicationTransition(
        "recheck_pass",
        _("资格复核通过"),
        (S.RECHECK,),
        S.EXPERT_REVIEW,
        "city_reviewer",
        guards=("shenbao.review.guards.recheck_bodies_passed",),
        notify=("applicant", "call_admin"),
        phrase=_("已通过资格复核，等待专家评审"),
        asks=(("call_admin", _("请组建专家组并分配评审专家。")),),
    ),
    ApplicationTransition(
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
        phrase=_("在资格复核中被退回修改"),
        asks=(("applicant", _("请按意见修改申报书，在补正截止日期前重新提交。")),),
    ),
    ApplicationTransition(
        "recheck_reject",
        _("资格复核不通过"),
        (S.RECHECK,),
        S.REJECTED,
        "city_reviewer",
        requires_comment=True,
        comment_to_applicant=True,
        notify=("applicant", "first_reviewer"),
        phrase=_("未通过资格复核"),
    ),
    # 三3 专家评审 (the expert issue fills the ranking; the administrator turns it into the proposed list)
    ApplicationTransition(
        "propose",
        _("列入拟授牌名单"),
        (S.EXPERT_REVIEW,),
        S.SOLICITING,
        "call_admin",
        effects=("shenbao.opinions.effects.open_opinion_requests",),
        payload=("opinion_due",),
        notify=("applicant", "consulted"),
        phrase=_("已列入拟授牌名单，正在征求意见"),
        asks=(("consulted", _("请在反馈截止日期前对该单位反馈无异议或有异议的意见。")),),
    ),
    ApplicationTransition(
        "not_select",
        _("未列入拟授牌名单"),
        (S.EXPERT_REVIEW,),
        S.NOT_SELECTED,
        "call_admin",
        requires_comment=True,
        comment_to_applicant=True,
        notify=("applicant",),
        phrase=_("未列入拟授牌名单"),
    ),
    # 三4 征求意见: an 有异议 answer holds the unit (review.services.record_opinion fires "hold_for_opinion")
    ApplicationTransition(
        "hold_for_opinion",
        _("征求意见有异议"),
        (S.SOLICITING,),
        S.OPINION_HOLD,
        "shenbao.opinions.rules.consulted_department_of_application",
        notify=("call_admin",),
        phrase=_("在征求意见中有部门提出异议，等待研究决定"),
        asks=(("call_admin", _("请研究决定是否继续办理。")),),
    ),
    ApplicationTransition(
        "overrule_opinion",
        _("异议不影响授牌，继续办理"),
        (S.OPINION_HOLD,),
        S.SOLICITING,
        "call_admin",
        effects=("shenbao.opinions.effects.resolve_objections",),
        requires_comment=True,
        notify=("call_admin",),
        phrase=_("的征求意见异议经研究不影响授牌，继续办理"),
    ),
    ApplicationTransition(
        "exclude_after_opinion",
        _("因征求意见异议不予授牌"),
        (S.OPINION_HOLD,),
        S.NOT_SELECTED,
        "call_admin",
        requires_comment=True,
        comment_to_applicant=True,
        notify=("applicant",),
        phrase=_("因征求意见中的异议不予授牌"),
    ),
    # 三5 公示 (notices.services.publish_notice fires this for every unit on the list)
    ApplicationTransition(
        "publish_in_notice",
        _("公示"),
        (S.SOLICITING,),
        S.IN_NOTICE,
        "call_admin",
        guards=("shenbao.opinions.guards.opinions_complete_without_objection",),
        notify=("applicant",),
        phrase=_("已进入公示"),
    ),
    ApplicationTransition(
        "uphold_objection",
        _("公示异议成立，不予授牌"),
        (S.IN_NOTICE,),
        S.OBJECTION_UPHELD,
        "call_admin",
        requires_comment=True,
        comment_to_applicant=True,
        notify=("applicant",),
        phrase=_("的公示异议经调查成立，不予授牌"),
    ),
    # 三6 授牌 (notices/award services fire this for every unit once the notice has closed)
    ApplicationTransition(
        "award",
        _("授牌"),
        (S.IN_NOTICE,),
        S.AWARDED,
        "call_admin",
        guards=("shenbao.notices.guards.notice_closed", "shenbao.notices.guards.no_standing_objection"),
        effects=("shenbao.awards.effects.issue_plaque", "shenbao.funding.effects.open_funding_record"),
        notify=("applicant",),
        phrase=_("已授牌"),
    ),
    # 五 评估验收: a second failed acceptance evaluation revokes the designation (撤销命名). Fired by
    # shenbao.acceptance.results.decide_evaluation, which also cancels the outstanding instalments.
    ApplicationTransition(
        "revoke",
        _("撤销命名"),
        (S.AWARDED,),
        S.REVOKED,
        "call_admin",
        guards=("shenbao.acceptance.guards.failed_re_evaluation",),
        requires_comment=True,
        comment_to_applicant=True,
        notify=("applicant",),
        phrase=_("因评估验收复评仍不合格，已被撤销命名"),
    ),
)

MACHINE = register(
    Machine(
        name="workflow",
        model="applications.Application",
        noun=_("申报"),
        subject="application",
        states=STATES,
        transitions=TRANSITIONS,
        registries={
            "actor": "shenbao.applications.rules.ACTORS",
            "guard": "shenbao.applications.guards.GUARDS",
            "effect": "shenbao.applications.effects.EFFECTS",
        },
        fsm=True,
        # Read with the locked row: the guards, effects and notices of every step use them (three to four queries
        # fewer per step, in the deadline rush too).
        lock_related=("call__city", "project_type", "unit__region"),
        touch=("updated_at",),
        notify="shenbao.applications.services.notify_step",
        details="shenbao.applications.services.audit_details",
    )
)
TRANSITIONS_BY_NAME = MACHINE.transitions_by_name
STATE_VIEWS: dict[str, ApplicationState] = {state.value: state for state in STATES}


def get_state_view(status: str) -> ApplicationState:
    """The row of `status` (what `{{ application|state }}` gives a template)."""
    return STATE_VIEWS[status]


def get_transition(name: str) -> Transition:
    return MACHINE.transition(name)


def transitions_from(state: str) -> list[Transition]:
    return MACHINE.transitions_from(state)
