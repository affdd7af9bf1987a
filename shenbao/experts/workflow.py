"""The expert assignment's workflow, declared as data: an active assignment (评审中) ends when the administrator
swaps its expert (更换专家, with a reason; the replacement is chosen or the least-loaded eligible member) or when
the expert declares a conflict (回避; a replacement is assigned when an eligible member is left).

`MACHINE` is fired by the one transition helper (`shenbao.core.transitions.fire`) from
`assignment.swap_assignment` and `assignment.recuse_assignment`, which lock the panel first (as every assignment
write does). Both steps need the application still in 专家评审 and no submitted score sheet; the names below
resolve in `steps`.
"""

from django.utils.translation import gettext_lazy as _

from shenbao.core.transitions import Machine, State, Transition, register

from .models import Assignment

STATUS = Assignment.Status
REPLACEABLE = ("application_in_expert_review", "no_submitted_score")

ASSIGNMENT_TRANSITIONS = (
    Transition(
        "swap",
        _("更换专家"),
        (STATUS.ACTIVE,),
        STATUS.SWAPPED,
        "panel_admin",
        guards=REPLACEABLE,
        effects=("end_assignment",),
        followups=("assign_replacement",),  # refused, changing nothing, when no eligible member is left
        payload=("reason",),
        notify=("expert", "replacement"),
    ),
    Transition(
        "recuse",
        _("申请回避"),
        (STATUS.ACTIVE,),
        STATUS.RECUSED,
        "assigned_expert",
        guards=REPLACEABLE,
        effects=("end_assignment",),
        followups=("assign_replacement_if_possible",),  # the recusal always stands
        payload=("reason",),
        notify=("call_admin", "replacement"),
    ),
)

MACHINE = register(
    Machine(
        name="experts",  # audit events experts:swap, experts:recuse
        model="experts.Assignment",
        noun=_("评审任务"),
        subject="assignment",
        states=(
            State(STATUS.ACTIVE, STATUS.ACTIVE.label, "primary"),
            State(STATUS.RECUSED, STATUS.RECUSED.label, "secondary", final=True),
            State(STATUS.SWAPPED, STATUS.SWAPPED.label, "secondary", final=True),
        ),
        transitions=ASSIGNMENT_TRANSITIONS,
        registries={
            "actor": "shenbao.experts.steps.ACTORS",
            "guard": "shenbao.experts.steps.GUARDS",
            "effect": "shenbao.experts.steps.EFFECTS",
        },
        notify="shenbao.experts.steps.notify_step",
        details="shenbao.experts.steps.audit_details",
        lock_related=("panel", "panel__call", "application", "application__unit", "application__call", "expert"),
    )
)
