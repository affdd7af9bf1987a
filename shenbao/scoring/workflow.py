"""The score sheet's workflow, declared as data: the expert submits a draft (the sheet is locked), the panel chair
(not for their own sheet) or the call administrator reopens a submitted sheet with a reason.

`MACHINE` is fired by the one transition helper (`shenbao.core.transitions.fire`) from `services.submit_sheet`
and `services.reopen_sheet`, which first lock the assignment (so a submission and a reopening of one sheet run one
after the other) and check what only concerns writing scores. The names below resolve in `steps`.
"""

from django.utils.translation import gettext_lazy as _

from shenbao.core.transitions import Machine, State, Transition, register

from .models import ScoreSheet

S = ScoreSheet.Status

SHEET_TRANSITIONS = (
    Transition(
        "submit",
        _("提交评分表"),
        (S.DRAFT,),
        S.SUBMITTED,
        "expert_of_sheet",
        effects=("record_submission",),
    ),
    Transition(
        "reopen",
        _("重新打开评分表"),
        (S.SUBMITTED,),
        S.DRAFT,
        "may_reopen",
        guards=("assignment_active", "application_in_expert_review"),
        effects=("record_reopening",),
        payload=("reason",),
        notify=("expert",),
    ),
)

MACHINE = register(
    Machine(
        name="scoring",  # audit events scoring:submit, scoring:reopen
        model="scoring.ScoreSheet",
        noun=_("评分表"),
        subject="sheet",
        states=(
            State(S.DRAFT, S.DRAFT.label, "warning", editable=True),
            State(S.SUBMITTED, S.SUBMITTED.label, "success"),
        ),
        transitions=SHEET_TRANSITIONS,
        registries={
            "actor": "shenbao.scoring.steps.ACTORS",
            "guard": "shenbao.scoring.steps.GUARDS",
            "effect": "shenbao.scoring.steps.EFFECTS",
        },
        notify="shenbao.scoring.steps.notify_step",
        details="shenbao.scoring.steps.audit_details",
        lock_related=(
            "assignment",
            "assignment__expert",
            "assignment__application",
            "assignment__application__unit",
            "assignment__panel",
        ),
    )
)
