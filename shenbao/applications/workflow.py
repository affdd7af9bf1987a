"""The application workflow, as data: states, transitions, who may fire each, what each requires and does.

Read it like the notice's clause 三: an applicant unit submits (before the deadline of clause 四); the first-review
body (三1) passes, returns for revision or rejects; later steps (资格复核, 专家评审, 征求意见, 公示, 授牌) extend the
same tables. Names in `actor`, `guards` and `effects` resolve through the registries in `rules.py`
(ACTORS), `guards.py` (GUARDS) and `effects.py` (EFFECTS); a test checks every name resolves.
`services.fire_transition` is the only code that changes a state: it locks the row, checks all of this,
runs the effects and records the step (django-fsm-log StateLog + audit entry) in one transaction.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交,待资格初审")
    RETURNED = "returned", _("退回修改")
    WITHDRAWN = "withdrawn", _("已撤回")


# States in which the applicant may edit the form and the materials.
EDITABLE_STATES = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.RETURNED})


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple
    target: str
    actor: str  # name of a predicate in rules.ACTORS: (user, application) -> bool
    guards: tuple = ()  # names in guards.GUARDS: each returns a list of Chinese reasons it is not allowed
    effects: tuple = ()  # names in effects.EFFECTS, run in order inside the transaction
    requires_comment: bool = False
    comment_to_applicant: bool = False  # the comment is shown to the unit on its status page
    payload: tuple = ()  # extra inputs the step takes (e.g. "resubmission_due")


S = ApplicationStatus

TRANSITIONS = (
    Transition(
        name="submit",
        label=_("提交申报"),
        sources=(S.DRAFT,),
        target=S.SUBMITTED,
        actor="applicant_of_unit",
        guards=("call_open", "form_complete", "eligibility_passed", "materials_complete"),
        effects=("route_to_first_review_body", "record_submission", "snapshot_version"),
    ),
    Transition(
        name="resubmit",
        label=_("修改后重新提交"),
        sources=(S.RETURNED,),
        target=S.SUBMITTED,
        actor="applicant_of_unit",
        guards=("resubmission_not_overdue", "form_complete", "eligibility_passed", "materials_complete"),
        effects=("route_to_first_review_body", "record_submission", "snapshot_version"),
    ),
    Transition(
        name="withdraw",
        label=_("撤回申报"),
        sources=(S.SUBMITTED,),
        target=S.WITHDRAWN,
        actor="applicant_of_unit",
    ),
    Transition(
        name="return_for_revision",
        label=_("退回修改"),
        sources=(S.SUBMITTED,),
        target=S.RETURNED,
        actor="first_reviewer_of_application",
        guards=("resubmission_due_in_future",),
        effects=("set_resubmission_due",),
        requires_comment=True,
        comment_to_applicant=True,
        payload=("resubmission_due",),
    ),
)

TRANSITIONS_BY_NAME = {transition.name: transition for transition in TRANSITIONS}


def get_transition(name):
    return TRANSITIONS_BY_NAME[name]


def transitions_from(state):
    return [transition for transition in TRANSITIONS if state in transition.sources]
