"""Reads for 征求意见 and the proposed list: whom to ask, who must answer what, the state of every unit's form."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.accounts.rules import is_active_member
from shenbao.accounts.selectors import holding_role_q, list_active_users
from shenbao.applications.models import Application
from shenbao.applications.selectors import list_applications
from shenbao.applications.workflow import ON_PROPOSED_LIST, ApplicationStatus
from shenbao.core.pending import count_pending
from shenbao.notifications.recipients import CONSULTED
from shenbao.organisations.models import Organisation
from shenbao.organisations.selectors import get_first_review_body, list_government_bodies_within

from .models import OpinionRequest
from .rules import ANSWERABLE_STATES, SUPERIOR_ROLES, answering_roles

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.accounts.rules import AnyUser
    from shenbao.calls.models import Call, ProjectType
    from shenbao.core.pending import Pending
    from shenbao.organisations.models import Region

Function = Organisation.Function
S = ApplicationStatus

# The proposed list is short (5–10 per type, notice 五); candidates are the few units past 资格复核.
MAX_CANDIDATES = 300
# Functions that name the unit's own superior body rather than a fixed department of the city.
RELATIVE_FUNCTIONS = frozenset({Function.COMPETENT_DEPARTMENT, Function.COUNTY_HR_BUREAU})


def asked_applications_q(*, user: User) -> Q:
    """Q on Application: the units `user`'s department was asked about (征求意见), whatever its answer — what a
    consulted department may see (`applications.rules.VISIBLE_THROUGH_STAGES`). A subquery: no duplicate rows."""
    return Q(pk__in=OpinionRequest.objects.filter(department=user.organisation_id).values("application"))


def get_superior_department(*, application: Application) -> Organisation | None:
    """上级主管单位: the unit's competent department if it has one, else its first-review body (county bureau)."""
    unit = application.unit
    if unit.competent_department_id:
        return unit.competent_department
    return application.first_review_body or get_first_review_body(unit=unit)


def _bodies_of_function(function: str, *, unit: Organisation, city: Region) -> list[Organisation]:
    """The bodies of `function` in the call's city, nearest first: the unit's own county, else city level."""
    bodies = list_government_bodies_within(city=city, function=function)
    for narrowed in (bodies.filter(region=unit.region_id), bodies.filter(region=city.pk)):
        found = list(narrowed)
        if found:
            return found
    return list(bodies)


def list_consulted_departments(*, application: Application) -> tuple[list[tuple[Organisation, str]], list[str]]:
    """[(organisation, basis)] to ask about `application`, and the labels of configured functions nobody holds.

    Always the superior department; then every function of `call.consulted_functions` (competent department
    means the unit's own superior, asked once). A department named twice is asked once.
    """
    call = application.call
    departments: list[tuple[Organisation, str]] = []
    missing: list[str] = []
    superior = get_superior_department(application=application)
    if superior is None:
        missing.append(str(OpinionRequest.Basis.SUPERIOR.label))
    else:
        departments.append((superior, OpinionRequest.Basis.SUPERIOR))
    for function in call.consulted_functions or []:
        if function in RELATIVE_FUNCTIONS:
            continue
        bodies = _bodies_of_function(function, unit=application.unit, city=call.city)
        if not bodies:
            missing.append(str(Function(function).label) if function in Function.values else function)
        departments.extend((body, OpinionRequest.Basis.CONSULTED) for body in bodies)
    unique: dict[int, tuple[Organisation, str]] = {}
    for organisation, basis in departments:
        unique.setdefault(organisation.pk, (organisation, basis))
    return list(unique.values()), missing


def list_proposal_candidates(*, call: Call, project_type: ProjectType) -> QuerySet[Application]:
    """Applications of `project_type` waiting in 专家评审 (the expert issue's ranking orders them later)."""
    return (
        list_applications(call=call, project_type=project_type, statuses=(S.EXPERT_REVIEW,))
        .select_related("unit", "unit__region", "unit__competent_department")
        .order_by("number")[:MAX_CANDIDATES]
    )


def list_project_types_with_counts(*, call: Call) -> QuerySet[ProjectType]:
    """The call's project types with how many units wait in 专家评审 and how many are on the proposed list."""
    return call.project_types.order_by("sort_order", "pk").annotate(
        waiting=Count("applications", filter=Q(applications__status=S.EXPERT_REVIEW)),
        proposed=Count("applications", filter=Q(applications__status__in=ON_PROPOSED_LIST)),
    )


def _requests_for(user: AnyUser) -> QuerySet[OpinionRequest]:
    """Requests addressed to `user`'s organisation that `user` may answer (by role and the request's basis)."""
    if not is_active_member(user):
        return OpinionRequest.objects.none()
    requests = OpinionRequest.objects.filter(department=user.organisation_id)
    if user.has_role(Role.CONSULTED_DEPARTMENT):
        return requests
    if user.has_role(*SUPERIOR_ROLES):
        return requests.filter(basis=OpinionRequest.Basis.SUPERIOR)
    return OpinionRequest.objects.none()


def _with_application(requests: QuerySet[OpinionRequest]) -> QuerySet[OpinionRequest]:
    return requests.select_related(
        "department",
        "application",
        "application__unit",
        "application__unit__region",
        "application__project_type",
        "application__call",
    )


def list_open_requests(*, user: AnyUser) -> QuerySet[OpinionRequest]:
    """收件箱: requests waiting for `user`'s department, earliest due first."""
    return _with_application(
        _requests_for(user).filter(response=OpinionRequest.Response.PENDING, application__status__in=ANSWERABLE_STATES)
    ).order_by("due_on", "pk")


def list_answered_requests(*, user: AnyUser) -> QuerySet[OpinionRequest]:
    return _with_application(_requests_for(user).exclude(response=OpinionRequest.Response.PENDING)).order_by(
        "-responded_at", "-pk"
    )


def get_answerable_request(*, user: AnyUser, public_id: uuid.UUID | str) -> OpinionRequest:
    """A request addressed to `user`'s department (answered or not), else OpinionRequest.DoesNotExist (404)."""
    return _with_application(_requests_for(user)).select_related("responded_by").get(public_id=public_id)


def list_request_rows(*, application: Application) -> QuerySet[OpinionRequest]:
    """The rows of the unit's 审核意见表: superior department first, then the others by name."""
    return (
        OpinionRequest.objects.filter(application=application)
        .select_related("department", "responded_by", "overruled_by")
        .order_by("-basis", "department__name", "pk")
    )


def list_opinion_progress(*, call: Call) -> QuerySet[Application]:
    """Units in 征求意见 (or held by an objection) with their requests, for the administrator."""
    rows = OpinionRequest.objects.select_related("department", "responded_by").order_by("-basis", "department__name")
    return (
        list_applications(call=call, statuses=ANSWERABLE_STATES)
        .select_related("unit", "unit__region", "project_type")
        .prefetch_related(Prefetch("opinion_requests", queryset=rows))
        .order_by("project_type__sort_order", "number")
    )


# --- 待办 (core.todos) ---------------------------------------------------------------------------------------------


def count_open_requests(*, user: AnyUser, today: dt.date) -> Pending:
    """征求意见待回复: the inbox's open requests; overdue after their 反馈截止日期."""
    return count_pending(list_open_requests(user=user), due="due_on", today=today)


def count_ready_for_notice(*, user: User) -> Pending:
    """Units of the administrator's city in 征求意见 whose every department has answered without a standing
    objection: they wait for the 公示 to be published."""
    if not user.has_role(Role.CALL_ADMIN):
        return count_pending(OpinionRequest.objects.none())
    blocking = OpinionRequest.objects.filter(application=OuterRef("pk")).filter(
        Q(response=OpinionRequest.Response.PENDING)
        | Q(response=OpinionRequest.Response.OBJECTION, overruled_at__isnull=True)
    )
    ready = list_applications(user=user, statuses=(S.SOLICITING,)).exclude(Exists(blocking))
    return count_pending(ready)


def count_unanswered_requests(*, user: User, today: dt.date) -> Pending:
    """征求意见未回复 (the administrator's view): open requests about the city's units; overdue after 反馈截止日期."""
    if not user.has_role(Role.CALL_ADMIN):
        return count_pending(OpinionRequest.objects.none())
    open_requests = OpinionRequest.objects.filter(
        response=OpinionRequest.Response.PENDING,
        application__in=list_applications(user=user, statuses=ANSWERABLE_STATES),
    )
    return count_pending(open_requests, due="due_on", today=today)


def list_pending_requests(*, call: Call) -> QuerySet[OpinionRequest]:
    """The unanswered opinion requests about the applications of `call`, with application and department."""
    return (
        OpinionRequest.objects.filter(application__call=call, response=OpinionRequest.Response.PENDING)
        .select_related("application", "department")
        .order_by("pk")
    )


def map_open_request_ids(*, application: Application) -> dict[int, uuid.UUID]:
    """{department pk: public_id} of `application`'s open requests, for links to each department's answer page."""
    return dict(
        OpinionRequest.objects.filter(application=application.pk, response=OpinionRequest.Response.PENDING)
        .order_by("pk")
        .values_list("department", "public_id")
    )


# --- for notifications (named there by dotted path) ------------------------------------------------------------


def consulted_users_q(*, application: Application) -> Q | None:
    """Q on User: who answers an open opinion request (征求意见) on `application`, or None when none is open.

    The addressed department's consulted-department users; for the 上级主管单位 request also that body's
    reviewers, exactly as `rules.answering_roles` says.
    """
    requests = OpinionRequest.objects.filter(application=application.pk, response=OpinionRequest.Response.PENDING)
    query = None
    for department_id, basis in requests.values_list("department", "basis").order_by("pk"):
        one = Q(organisation=department_id) & holding_role_q(*answering_roles(basis))
        query = one if query is None else query | one
    return query


def list_opinion_reminder_targets(
    *, start: dt.date, end: dt.date
) -> Iterator[tuple[Application, dt.date, list[tuple[User, str]], str]]:
    """征求意见 reminders: each unanswered request due between `start` and `end` of an application still waiting
    for it, with the department's users who may answer and their own answer page (where the reminder asks them
    to act)."""
    requests = OpinionRequest.objects.filter(
        response=OpinionRequest.Response.PENDING,
        due_on__range=(start, end),
        application__status__in=ANSWERABLE_STATES,
    ).select_related("application", "application__call", "application__unit")
    for request in requests.order_by("pk"):
        users = list_active_users(
            query=Q(organisation=request.department_id) & holding_role_q(*answering_roles(request.basis))
        )
        recipients = [(user, CONSULTED) for user in users]
        answer_page = reverse("opinions:answer", kwargs={"public_id": request.public_id})
        yield request.application, request.due_on, recipients, answer_page
