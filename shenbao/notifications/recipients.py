"""Who is told about a workflow step: the audiences named in each transition's `notify` tuple.

Each audience is one query on active users, selected by organisation and role grant, so the number of queries
does not depend on how many people are told.
"""

from django.db.models import Q

from shenbao.accounts.models import RoleGrant, User
from shenbao.accounts.roles import Role
from shenbao.organisations.selectors import regions_within_q

APPLICANT = "applicant"
FIRST_REVIEWER = "first_reviewer"
CITY_REVIEWERS = "city_reviewers"
CALL_ADMIN = "call_admin"
CONSULTED = "consulted"
AUDIENCES = (APPLICANT, FIRST_REVIEWER, CITY_REVIEWERS, CALL_ADMIN, CONSULTED)
# Staff audiences see internal comments; the applicant only those meant for it (Transition.comment_to_applicant).
STAFF_AUDIENCES = frozenset(AUDIENCES) - {APPLICANT}


def holding_role(*roles):
    return Q(pk__in=RoleGrant.objects.filter(role__in=roles).values("user"))


def _in_city_of_call(application):
    return regions_within_q(application.call.city, prefix="organisation__region")


def consulted_q(*, application):
    """Users who answer an open opinion request (征求意见) on `application`, or None when none is open.

    The addressed department's consulted-department users; for the 上级主管单位 request also that body's
    reviewers, exactly as `shenbao.opinions.rules.answering_roles` says.
    """
    from shenbao.opinions.models import OpinionRequest
    from shenbao.opinions.rules import answering_roles

    requests = OpinionRequest.objects.filter(application=application.pk, response=OpinionRequest.Response.PENDING)
    query = None
    for department_id, basis in requests.values_list("department", "basis").order_by("pk"):
        one = Q(organisation=department_id) & holding_role(*answering_roles(basis))
        query = one if query is None else query | one
    return query


def audience_q(audience, *, application):
    """Q on users for one audience of `application`, or None when that audience is empty by construction."""
    if audience == APPLICANT:
        return Q(organisation=application.unit_id) & holding_role(Role.APPLICANT)
    if audience == FIRST_REVIEWER:
        if application.first_review_body_id is None:
            return None
        return Q(organisation=application.first_review_body_id) & holding_role(
            Role.COUNTY_REVIEWER, Role.DEPARTMENT_REVIEWER
        )
    if audience == CITY_REVIEWERS:
        bodies = Q(organisation__function__in=list(application.call.recheck_bodies or []))
        return bodies & _in_city_of_call(application) & holding_role(Role.CITY_REVIEWER)
    if audience == CALL_ADMIN:
        return _in_city_of_call(application) & holding_role(Role.CALL_ADMIN)
    if audience == CONSULTED:
        return consulted_q(application=application)
    raise ValueError(f"unknown audience {audience!r}")


def list_recipients(*, application, audiences, exclude=None):
    """[(user, audience)] for `audiences` in order; a user in two audiences is told once (the first one).

    `exclude` (the actor) is never told about their own action.
    """
    seen = set()
    if exclude is not None and getattr(exclude, "pk", None) is not None:
        seen.add(exclude.pk)
    recipients = []
    for audience in audiences:
        query = audience_q(audience, application=application)
        if query is None:
            continue
        users = User.objects.filter(query, is_active=True).exclude(pk__in=seen).order_by("pk")
        for user in users:
            seen.add(user.pk)
            recipients.append((user, audience))
    return recipients
