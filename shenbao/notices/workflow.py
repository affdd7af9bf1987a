"""The public objection's workflow, declared as data: a pending objection (待调查核实) is investigated by the call
administrator of the notice's city and decided — upheld (异议成立: the unit is not awarded) or not upheld.

`MACHINE` is fired by the one transition helper (`shenbao.core.transitions.fire`) from
`services.decide_objection`; both steps are audited as "notice:decide_objection" and the filer is told by e-mail
when an address was given. The names below resolve in `steps`.
"""

from django.utils.translation import gettext_lazy as _

from shenbao.core.transitions import Machine, State, Transition, register

from .models import Objection

STATUS = Objection.Status
OBJECTION_TRANSITIONS = tuple(
    Transition(
        name,
        label,
        (STATUS.PENDING,),
        target,
        "notice_admin",
        effects=("record_decision",),
        payload=("investigation_note", "reply"),
        notify=("filer",),
        event="notice:decide_objection",
    )
    for name, label, target in (
        ("uphold", _("异议成立"), STATUS.UPHELD),
        ("dismiss", _("异议不成立"), STATUS.NOT_UPHELD),
    )
)

MACHINE = register(
    Machine(
        name="notice",
        model="notices.Objection",
        noun=_("异议"),
        subject="objection",
        states=(
            State(STATUS.PENDING, STATUS.PENDING.label, "warning"),
            State(STATUS.UPHELD, STATUS.UPHELD.label, "danger", final=True),
            State(STATUS.NOT_UPHELD, STATUS.NOT_UPHELD.label, "secondary", final=True),
        ),
        transitions=OBJECTION_TRANSITIONS,
        registries={"actor": "shenbao.notices.steps.ACTORS", "effect": "shenbao.notices.steps.EFFECTS"},
        notify="shenbao.notices.steps.notify_step",
        details="shenbao.notices.steps.audit_details",
        lock_related=("notice", "notice__call", "entry__application"),
        change_key="处理状态",
    )
)
