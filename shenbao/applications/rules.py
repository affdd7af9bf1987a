"""Who may see, edit and move an application; declared once, used by services, selectors, views and templates.

- `visible_applications_q(user)` is the one scoping rule: lists filter by it, detail pages fetch through it
  (another unit's application answers 404) and `applications.view_application` checks it.
- `ACTORS` holds the actor predicates named in `workflow.TRANSITIONS`.
- Permissions: `applications.view_application`, `applications.edit_application` (applicant of the unit while the
  application is editable) and one `applications.fire_<transition>` per transition (the actor predicate and the
  source state; the guards' reasons come from `selectors.get_submission_checklist` / `services.fire_transition`).
  Templates ask `{% has_perm "applications.fire_submit" user application %}` to decide whether to show a button;
  `services.fire_transition` checks everything again under the row lock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.db.models import Q
from django.utils.module_loading import import_string

from shenbao.accounts.roles import Role
from shenbao.accounts.rules import is_active_member
from shenbao.core.transitions import Transition, may_fire
from shenbao.organisations.selectors import get_city_of_region

from .models import Application
from .workflow import EDITABLE_STATES, MACHINE, TRANSITIONS, ApplicationStatus

if TYPE_CHECKING:
    from shenbao.accounts.rules import AnyUser

NOTHING = Q(pk__in=[])
# Later stages show an application to the people they involve: for each role, the stage's own Q on Application for
# `user`, named by dotted path and imported on use (as the workflow's steps name the apps that own them), so this
# rule does not read their tables.
VISIBLE_THROUGH_STAGES = {
    # 征求意见: the units the department was asked about.
    Role.CONSULTED_DEPARTMENT: "shenbao.opinions.selectors.asked_applications_q",
}
FIRST_REVIEW_ROLES = (Role.COUNTY_REVIEWER, Role.DEPARTMENT_REVIEWER)
CITY_ROLES = (Role.CITY_REVIEWER, Role.CALL_ADMIN)


@rules.predicate
def applicant_of_unit(user: AnyUser | None, application: Application | None) -> bool:
    """申报单位经办人 of the unit that owns the application."""
    return (
        application is not None
        and is_active_member(user)
        and bool(user.has_role(Role.APPLICANT))
        and user.organisation_id == application.unit_id
    )


@rules.predicate
def first_reviewer_of_application(user: AnyUser | None, application: Application | None) -> bool:
    """County bureau or competent-department reviewer of the body the application is routed to (资格初审)."""
    return (
        application is not None
        and is_active_member(user)
        and bool(user.has_role(*FIRST_REVIEW_ROLES))
        and application.first_review_body_id is not None
        and user.organisation_id == application.first_review_body_id
    )


@rules.predicate
def is_editable(user: AnyUser | None, application: Application | None) -> bool:
    return application is not None and application.status in EDITABLE_STATES


def _acts_for_the_calls_city(user: AnyUser | None, application: Application | None, role: str) -> bool:
    if application is None or not is_active_member(user) or not user.has_role(role) or user.organisation is None:
        return False
    city = get_city_of_region(user.organisation.region)
    return city is not None and city.pk == application.call.city_id


@rules.predicate
def city_reviewer(user: AnyUser | None, application: Application | None) -> bool:
    """市委组织部 or 市人社局 reviewer of the city that issued the call (资格复核)."""
    return _acts_for_the_calls_city(user, application, Role.CITY_REVIEWER)


@rules.predicate
def call_admin(user: AnyUser | None, application: Application | None) -> bool:
    """市人社局技能办 administrator of the city that issued the call."""
    return _acts_for_the_calls_city(user, application, Role.CALL_ADMIN)


ACTORS = {
    "applicant_of_unit": applicant_of_unit,
    "first_reviewer_of_application": first_reviewer_of_application,
    "city_reviewer": city_reviewer,
    "call_admin": call_admin,
}


def visible_applications_q(user: AnyUser | None) -> Q:
    """Q for the applications `user` may see.

    Applicant: its own unit's, in every state. County / department reviewer: those routed to its body, once
    submitted. City reviewer and call administrator: every submitted application of their city's calls.
    Consulted department: those it was asked to give an opinion on (征求意见). Nobody else, including the
    system administrator (三权分立: administration is not a business role).
    """
    if not is_active_member(user):
        return NOTHING
    organisation = user.organisation
    if organisation is None:
        return NOTHING
    submitted = ~Q(status=ApplicationStatus.DRAFT)
    query = NOTHING
    if user.has_role(Role.APPLICANT):
        query |= Q(unit=organisation.pk)
    if user.has_role(*FIRST_REVIEW_ROLES):
        query |= Q(first_review_body=organisation.pk) & submitted
    if user.has_role(*CITY_ROLES):
        city = get_city_of_region(organisation.region)
        if city is not None:
            query |= Q(call__city=city.pk) & submitted
    for role, stage_q in VISIBLE_THROUGH_STAGES.items():
        if user.has_role(role):
            query |= import_string(stage_q)(user=user)
    return query


@rules.predicate
def can_see_application(user: AnyUser | None, application: Application | None) -> bool:
    if application is None or not is_active_member(user):
        return False
    return Application.objects.filter(visible_applications_q(user), pk=application.pk).exists()


def _may_fire(step: Transition) -> rules.Predicate:
    """`applications.fire_<step>`: the step's actor, the application in one of its sources (`core.transitions.
    may_fire`, the rule `fire` checks again under the lock); the actor is resolved when first tested."""

    @rules.predicate(name=f"fire:{step.name}")
    def predicate(user: AnyUser | None, application: Application | None) -> bool:
        return application is not None and may_fire(machine=MACHINE, step=step, obj=application, user=user)

    return predicate


def _in_states(states: frozenset[str], name: str) -> rules.Predicate:
    @rules.predicate(name=name)
    def predicate(user: AnyUser | None, application: Application | None) -> bool:
        return application is not None and application.status in states

    return predicate


# 四 纸质材料 (`paper.py` says why these states): the 技能办 records the delivered copies, the unit uploads the scan.
PAPER_RECEIPT_STATES = frozenset(
    {
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.RETURNED,
        ApplicationStatus.RECHECK,
        ApplicationStatus.EXPERT_REVIEW,
    }
)
SIGNED_SCAN_STATES = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED})


@rules.predicate
def searches_applications(user: AnyUser | None) -> bool:
    """Staff who review applications (the scope of `visible_applications_q`): the 申报管理 list with its search,
    saved views and export. Applicants keep their own list; the platform's administrators see no application."""
    return is_active_member(user) and user.has_role(*FIRST_REVIEW_ROLES, *CITY_ROLES, Role.CONSULTED_DEPARTMENT)


rules.add_perm("applications.view_application", can_see_application)
rules.add_perm("applications.search_applications", searches_applications)
rules.add_perm(
    "applications.record_paper_receipt", call_admin & _in_states(PAPER_RECEIPT_STATES, "paper_receipt_state")
)
rules.add_perm(
    "applications.upload_signed_scan", applicant_of_unit & _in_states(SIGNED_SCAN_STATES, "signed_scan_state")
)
rules.add_perm("applications.edit_application", applicant_of_unit & is_editable)
for _step in TRANSITIONS:
    rules.add_perm(f"applications.fire_{_step.name}", _may_fire(_step))
del _step
