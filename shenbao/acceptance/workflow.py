"""The construction period's and 评估验收's workflows, as data (notice 五; DOMAIN.md §7).

Three machines, each fired by the one transition helper (`shenbao.core.transitions.fire`):
- `REPORT` (建设进展报告): the unit submits (报送), the city accepts (审核通过) or returns it with comments (退回修改);
  a returned report is edited and submitted again.
- `EVALUATION` (评估验收, one per round): the unit applies with its self-evaluation (申请验收), the city records
  the result from the experts' sheets (确认验收结论) — or, when a rectification period lapsed without a report,
  records the re-evaluation as failed without scores (逾期未整改). What follows a result (the 60% released, the
  rectification period opened, the designation revoked) runs after the decided state is saved, because the
  application's `revoke` step reads it.
- `RECTIFICATION` (整改): the unit submits its rectification report within the period.

Plain names resolve in `rules.ACTORS`, `steps.GUARDS` and `steps.EFFECTS`; the notify hook and its phrases are in
`notify`. The states carry what pages show (label, badge, final and editable flags).
"""

from django.utils.translation import gettext_lazy as _

from shenbao.core.transitions import Machine, State, Transition, register

from .models import AcceptanceEvaluation, ProgressReport, Rectification

R = ProgressReport.Status
E = AcceptanceEvaluation.Status
C = Rectification.Status

REGISTRIES = {
    "actor": "shenbao.acceptance.rules.ACTORS",
    "guard": "shenbao.acceptance.steps.GUARDS",
    "effect": "shenbao.acceptance.steps.EFFECTS",
}
NOTIFY = "shenbao.acceptance.notify.notify_step"

REPORT = register(
    Machine(
        name="acceptance",
        model="acceptance.ProgressReport",
        noun=_("建设进展报告"),
        subject="report",
        states=(
            State(R.DRAFT, R.DRAFT.label, editable=True),
            State(R.SUBMITTED, R.SUBMITTED.label, badge="primary"),
            State(R.ACCEPTED, R.ACCEPTED.label, badge="success", final=True),
            State(R.RETURNED, R.RETURNED.label, badge="warning", editable=True),
        ),
        transitions=(
            Transition(
                "submit_report",
                _("报送建设进展报告"),
                (R.DRAFT, R.RETURNED),
                R.SUBMITTED,
                "unit_of_designated",
                guards=("report_complete",),
                effects=("record_report_submission",),
                notify=("call_admin",),
            ),
            Transition(
                "accept_report",
                _("审核通过"),
                (R.SUBMITTED,),
                R.ACCEPTED,
                "city_admin",
                effects=("record_report_review",),
                notify=("applicant",),
            ),
            Transition(
                "return_report",
                _("退回修改"),
                (R.SUBMITTED,),
                R.RETURNED,
                "city_admin",
                effects=("record_report_review",),
                requires_comment=True,
                comment_to_applicant=True,
                notify=("applicant",),
            ),
        ),
        registries=REGISTRIES,
        notify=NOTIFY,
        details="shenbao.acceptance.steps.report_details",
        lock_related=("application",),
        touch=("updated_at",),
    )
)

EVALUATION = register(
    Machine(
        name="acceptance",
        model="acceptance.AcceptanceEvaluation",
        noun=_("评估验收"),
        subject="evaluation",
        states=(
            State(E.DRAFT, E.DRAFT.label, editable=True),
            State(E.SUBMITTED, E.SUBMITTED.label, badge="primary"),
            State(E.DECIDED, E.DECIDED.label, badge="success", final=True),
        ),
        transitions=(
            Transition(
                "submit_evaluation",
                _("申请评估验收"),
                (E.DRAFT,),
                E.SUBMITTED,
                "unit_of_designated",
                # Checked again at submission: the clock and the reports may have moved since the draft was opened.
                guards=("construction_period_done", "self_evaluation_complete"),
                effects=("record_evaluation_submission",),
                notify=("call_admin",),
            ),
            Transition(
                "decide",
                _("确认验收结论"),
                (E.SUBMITTED,),
                E.DECIDED,
                "city_admin_of_designated",
                effects=("record_result", "record_decision"),
                followups=("follow_up_result",),
                payload=("decided_on", "conclusion"),
                notify=("applicant",),
            ),
            Transition(
                "close_missed",
                _("逾期未整改，复评不合格"),
                (E.DRAFT,),
                E.DECIDED,
                "city_admin_of_designated",
                guards=("missed_rectification_round",),
                effects=("record_decision",),
                followups=("follow_up_result",),
                payload=("decided_on", "conclusion", "due_on"),
                notify=("applicant",),
                event="acceptance:decide",
            ),
        ),
        registries=REGISTRIES,
        notify=NOTIFY,
        details="shenbao.acceptance.steps.evaluation_details",
        lock_related=("application", "application__call", "application__project_type", "application__unit"),
        touch=("updated_at",),
    )
)

RECTIFICATION = register(
    Machine(
        name="acceptance",
        model="acceptance.Rectification",
        noun=_("整改报告"),
        subject="rectification",
        states=(
            State(C.DRAFT, C.DRAFT.label, badge="warning", editable=True),
            State(C.SUBMITTED, C.SUBMITTED.label, badge="success", final=True),
        ),
        transitions=(
            Transition(
                "submit_rectification",
                _("提交整改报告"),
                (C.DRAFT,),
                C.SUBMITTED,
                "unit_of_designated",
                guards=("rectification_in_time", "rectification_complete"),
                effects=("record_rectification_submission",),
                notify=("call_admin",),
            ),
        ),
        registries=REGISTRIES,
        notify=NOTIFY,
        details="shenbao.acceptance.steps.rectification_details",
        lock_related=("application", "evaluation"),
        touch=("updated_at",),
    )
)
