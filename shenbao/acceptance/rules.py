"""Who sees and does what in the construction period and 评估验收; declared once, used by selectors and views.

Scoping (lists filter by these Q builders, detail pages fetch through them, so anything outside answers 404):
- the unit's applicant: its own designated applications, their reports, evaluations and rectification;
- the call administrator (技能办) of the call's city: the same for every unit of the city, once submitted
  (a unit's drafts are its own);
- an expert: the evaluations it is assigned to (an active score sheet), their unit's submitted reports and
  rectification report, and its own score sheets. Never another expert's scores.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules
from django.db.models import Q, QuerySet

from shenbao.accounts.roles import Role
from shenbao.accounts.rules import is_active_member
from shenbao.applications.rules import applicant_of_unit, call_admin
from shenbao.applications.workflow import ApplicationStatus
from shenbao.core.transitions import may_fire
from shenbao.organisations.selectors import get_city_of_region

from .models import AcceptanceEvaluation, ExpertReview, ProgressReport, Rectification
from .workflow import EVALUATION, RECTIFICATION, REPORT

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.accounts.rules import AnyUser
    from shenbao.applications.models import Application
    from shenbao.organisations.models import Region

NOTHING = Q(pk__in=[])
DESIGNATED_STATES = (ApplicationStatus.AWARDED, ApplicationStatus.REVOKED)
# The rows of the acceptance machines: each belongs to one application.
Stateful = ProgressReport | AcceptanceEvaluation | Rectification


def _city_of(user: User) -> Region | None:
    return get_city_of_region(user.organisation.region) if user.organisation is not None else None


def _assigned_evaluations(user: User) -> QuerySet[ExpertReview, Any]:
    """Evaluation ids with an active score sheet of `user` (a subquery)."""
    return ExpertReview.objects.filter(expert=user.pk, removed_at__isnull=True).values("evaluation")


def _assigned_applications(user: User) -> QuerySet[ExpertReview, Any]:
    return ExpertReview.objects.filter(expert=user.pk, removed_at__isnull=True).values("evaluation__application")


def designated_applications_q(user: AnyUser, prefix: str = "") -> Q:
    """Q on Application (or, with a prefix such as "application__", on a row pointing to one) for the designated
    units' applications `user` follows in the construction period: the unit's own, or the city's."""
    if not is_active_member(user):
        return NOTHING
    query = NOTHING
    if user.has_role(Role.APPLICANT):
        query |= Q(**{f"{prefix}unit": user.organisation_id})
    if user.has_role(Role.CALL_ADMIN):
        city = _city_of(user)
        if city is not None:
            query |= Q(**{f"{prefix}call__city": city.pk})
    return query & Q(**{f"{prefix}status__in": DESIGNATED_STATES})


def _owned_or_city_q(user: AnyUser, *, draft_status: str) -> Q:
    """Rows of a designated application: all of the unit's own; the city's, except drafts; assigned experts'."""
    if not is_active_member(user):
        return NOTHING
    query = NOTHING
    if user.has_role(Role.APPLICANT):
        query |= Q(application__unit=user.organisation_id)
    if user.has_role(Role.CALL_ADMIN):
        city = _city_of(user)
        if city is not None:
            query |= Q(application__call__city=city.pk) & ~Q(status=draft_status)
    return query


def visible_reports_q(user: AnyUser) -> Q:
    query = _owned_or_city_q(user, draft_status=ProgressReport.Status.DRAFT)
    if is_active_member(user) and user.has_role(Role.EXPERT):
        query |= Q(application__in=_assigned_applications(user)) & ~Q(status=ProgressReport.Status.DRAFT)
    return query & Q(application__status__in=DESIGNATED_STATES)


def visible_evaluations_q(user: AnyUser) -> Q:
    query = _owned_or_city_q(user, draft_status=AcceptanceEvaluation.Status.DRAFT)
    if is_active_member(user) and user.has_role(Role.EXPERT):
        query |= Q(pk__in=_assigned_evaluations(user))
    return query & Q(application__status__in=DESIGNATED_STATES)


def visible_rectifications_q(user: AnyUser) -> Q:
    query = _owned_or_city_q(user, draft_status=Rectification.Status.DRAFT)
    if is_active_member(user) and user.has_role(Role.EXPERT):
        query |= Q(application__in=_assigned_applications(user)) & Q(status=Rectification.Status.SUBMITTED)
    return query & Q(application__status__in=DESIGNATED_STATES)


def own_reviews_q(user: AnyUser) -> Q:
    """An expert's active score sheets."""
    if not is_active_member(user) or not user.has_role(Role.EXPERT):
        return NOTHING
    return Q(expert=user.pk, removed_at__isnull=True)


def visible_evidence_q(user: AnyUser) -> Q:
    """Evidence files whose owner (report, self-evaluation, rectification report) `user` may see."""
    return Q(is_current=True) & (
        Q(report__in=ProgressReport.objects.filter(visible_reports_q(user)).values("pk"))
        | Q(evaluation__in=AcceptanceEvaluation.objects.filter(visible_evaluations_q(user)).values("pk"))
        | Q(rectification__in=Rectification.objects.filter(visible_rectifications_q(user)).values("pk"))
    )


# --- Predicates (the services check them again under the row lock) ------------------------------------------
# The actors of the acceptance machines (`workflow`) are state-free; the permissions below add the state flags of
# the same tables, so a page shows a button exactly when the step's actor and source state allow it.


def _designated(application: Application | None) -> bool:
    return application is not None and application.status == ApplicationStatus.AWARDED


@rules.predicate
def unit_of_designated(user: AnyUser | None, obj: Stateful | None) -> bool:
    """The unit's applicant of a report, evaluation or rectification, while the designation stands."""
    return obj is not None and _designated(obj.application) and applicant_of_unit(user, obj.application)


@rules.predicate
def city_admin(user: AnyUser | None, obj: Stateful | None) -> bool:
    """The call administrator of the city of the application a report (or evaluation) belongs to."""
    return obj is not None and call_admin(user, obj.application)


@rules.predicate
def city_admin_of_designated(user: AnyUser | None, obj: Stateful | None) -> bool:
    return obj is not None and _designated(obj.application) and call_admin(user, obj.application)


ACTORS = {
    "unit_of_designated": unit_of_designated,
    "city_admin": city_admin,
    "city_admin_of_designated": city_admin_of_designated,
}


@rules.predicate
def may_report_on(user: AnyUser | None, application: Application | None) -> bool:
    """The unit's applicant of a designated application (not revoked) starts and fills in its reports."""
    return _designated(application) and applicant_of_unit(user, application)


@rules.predicate
def may_edit_report(user: AnyUser, report: ProgressReport | None) -> bool:
    """The unit's applicant, while the report is a draft or returned and the designation stands."""
    return report is not None and REPORT.state(report.status).editable and unit_of_designated(user, report)


@rules.predicate
def may_review_report(user: AnyUser, report: ProgressReport | None) -> bool:
    """The city's call administrator accepts or returns a submitted report."""
    return report is not None and may_fire(
        machine=REPORT, step=REPORT.transition("accept_report"), obj=report, user=user
    )


@rules.predicate
def may_edit_evaluation(user: AnyUser, evaluation: AcceptanceEvaluation | None) -> bool:
    return (
        evaluation is not None and EVALUATION.state(evaluation.status).editable and unit_of_designated(user, evaluation)
    )


@rules.predicate
def may_manage_evaluation(user: AnyUser, evaluation: AcceptanceEvaluation | None) -> bool:
    """Assign experts and record the result: the city's call administrator, once the unit has applied."""
    return evaluation is not None and may_fire(
        machine=EVALUATION, step=EVALUATION.transition("decide"), obj=evaluation, user=user
    )


@rules.predicate
def may_score_review(user: AnyUser, review: ExpertReview | None) -> bool:
    """The assigned expert, until the sheet is submitted, while the evaluation waits for scores."""
    return (
        review is not None
        and is_active_member(user)
        and user.has_role(Role.EXPERT)
        and review.expert_id == user.pk
        and review.removed_at is None
        and review.submitted_at is None
        and review.evaluation.status in EVALUATION.transition("decide").sources
    )


@rules.predicate
def may_edit_rectification(user: AnyUser, rectification: Rectification | None) -> bool:
    return (
        rectification is not None
        and RECTIFICATION.state(rectification.status).editable
        and unit_of_designated(user, rectification)
    )


@rules.predicate
def follows_application(user: AnyUser, application: Application | None) -> bool:
    """The unit's applicant or the city's call administrator (the construction-period pages of a unit)."""
    return application is not None and (applicant_of_unit(user, application) or call_admin(user, application))


rules.add_perm("acceptance.edit_report", may_edit_report)
rules.add_perm("acceptance.review_report", may_review_report)
rules.add_perm("acceptance.edit_evaluation", may_edit_evaluation)
rules.add_perm("acceptance.manage_evaluation", may_manage_evaluation)
rules.add_perm("acceptance.score_review", may_score_review)
rules.add_perm("acceptance.edit_rectification", may_edit_rectification)
rules.add_perm("acceptance.follow_application", follows_application)
