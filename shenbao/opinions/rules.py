"""Who answers an opinion request, who sees the 审核意见表, who runs the proposed list (征求意见, notice 三4).

A request is answered by its addressed department: a user of that organisation holding the consulted-department
role, or, for the 上级主管单位 request, the reviewers of that body (the county bureau or competent department that
did the first review), since the role rules let only tax, competent and other consulted bodies hold the
consulted-department role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from shenbao.accounts.roles import Role
from shenbao.accounts.rules import is_active_member
from shenbao.applications.rules import applicant_of_unit, call_admin
from shenbao.applications.workflow import ApplicationStatus

from .models import OpinionRequest

if TYPE_CHECKING:
    from shenbao.accounts.rules import AnyUser
    from shenbao.applications.models import Application

ANSWERABLE_STATES = (ApplicationStatus.SOLICITING, ApplicationStatus.OPINION_HOLD)
SUPERIOR_ROLES = (Role.COUNTY_REVIEWER, Role.DEPARTMENT_REVIEWER)


def answering_roles(basis: str) -> tuple[str, ...]:
    if basis == OpinionRequest.Basis.SUPERIOR:
        return (Role.CONSULTED_DEPARTMENT, *SUPERIOR_ROLES)
    return (Role.CONSULTED_DEPARTMENT,)


def may_answer_for(user: AnyUser, opinion_request: OpinionRequest) -> bool:
    """`user` speaks for the department the request is addressed to."""
    return (
        is_active_member(user)
        and user.organisation_id == opinion_request.department_id
        and bool(user.has_role(*answering_roles(opinion_request.basis)))
    )


@rules.predicate
def can_answer_request(user: AnyUser, opinion_request: OpinionRequest | None) -> bool:
    return (
        opinion_request is not None
        and opinion_request.is_open
        and opinion_request.application.status in ANSWERABLE_STATES
        and may_answer_for(user, opinion_request)
    )


@rules.predicate
def consulted_department_of_application(user: AnyUser, application: Application | None) -> bool:
    """Actor of hold_for_opinion: speaks for a department with an open request for `application`."""
    if application is None or not is_active_member(user):
        return False
    requests = OpinionRequest.objects.filter(
        application=application.pk, department=user.organisation_id, response=OpinionRequest.Response.PENDING
    )
    return any(may_answer_for(user, request) for request in requests)


@rules.predicate
def asked_department_of_application(user: AnyUser, application: Application | None) -> bool:
    """A department the unit was referred to (whatever its answer)."""
    if application is None or not is_active_member(user):
        return False
    requests = OpinionRequest.objects.filter(application=application.pk, department=user.organisation_id)
    return any(may_answer_for(user, request) for request in requests)


rules.add_perm("opinions.answer_request", can_answer_request)
# 审核意见表: the administrator, the departments asked and the unit itself.
rules.add_perm("opinions.view_opinion_form", call_admin | applicant_of_unit | asked_department_of_application)
