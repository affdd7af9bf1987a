"""Who is told about a workflow step: the audiences named in each transition's `notify` tuple.

Each audience is a condition on active users, by organisation and role grant; all the audiences of a step are read
in one query, so the number of queries depends neither on how many people are told nor on how many audiences.
"""

from django.db.models import IntegerField, Q, Value
from django.utils.module_loading import import_string

from shenbao.accounts.roles import Role
from shenbao.accounts.selectors import holding_role_q, list_active_users
from shenbao.organisations.selectors import regions_within_q

APPLICANT = "applicant"
FIRST_REVIEWER = "first_reviewer"
CITY_REVIEWERS = "city_reviewers"
CALL_ADMIN = "call_admin"
CONSULTED = "consulted"
AUDIENCES = (APPLICANT, FIRST_REVIEWER, CITY_REVIEWERS, CALL_ADMIN, CONSULTED)
# Staff audiences see internal comments; the applicant only those meant for it (Transition.comment_to_applicant).
STAFF_AUDIENCES = frozenset(AUDIENCES) - {APPLICANT}


# Audiences that a later stage decides, by dotted path, imported on use (as the workflow's steps name the apps that
# own them), so notifications does not depend on the stages that notify through it.
AUDIENCE_QUERIES = {CONSULTED: "shenbao.opinions.selectors.consulted_users_q"}


def _in_city_of_call(application):
    return regions_within_q(application.call.city, prefix="organisation__region")


def audience_q(audience, *, application):
    """Q on users for one audience of `application`, or None when that audience is empty by construction."""
    if audience == APPLICANT:
        return Q(organisation=application.unit_id) & holding_role_q(Role.APPLICANT)
    if audience == FIRST_REVIEWER:
        if application.first_review_body_id is None:
            return None
        return Q(organisation=application.first_review_body_id) & holding_role_q(
            Role.COUNTY_REVIEWER, Role.DEPARTMENT_REVIEWER
        )
    if audience == CITY_REVIEWERS:
        bodies = Q(organisation__function__in=list(application.call.recheck_bodies or []))
        return bodies & _in_city_of_call(application) & holding_role_q(Role.CITY_REVIEWER)
    if audience == CALL_ADMIN:
        return _in_city_of_call(application) & holding_role_q(Role.CALL_ADMIN)
    if audience in AUDIENCE_QUERIES:
        return import_string(AUDIENCE_QUERIES[audience])(application=application)
    raise ValueError(f"unknown audience {audience!r}")


def list_recipients(*, application, audiences, exclude=None):
    """[(user, audience)] for `audiences` in order; a user in two audiences is told once (the first one).

    `exclude` (the actor) is never told about their own action.
    """
    ranked = [
        (audience, query)
        for audience in dict.fromkeys(audiences)
        if (query := audience_q(audience, application=application)) is not None
    ]
    if not ranked:
        return []
    # Each audience is a few users found through its own index (a unit's applicants, a city's reviewing bodies);
    # OR-ed in one WHERE, PostgreSQL could use none of them and read every user (38–60 ms for a 资格初审通过 at
    # province scale). So each audience is its own branch of one UNION ALL, ranked by its place in `audiences`.
    branches = []
    for rank, (_audience, query) in enumerate(ranked):
        users = list_active_users(query=query).order_by()
        if exclude is not None and getattr(exclude, "pk", None) is not None:
            users = users.exclude(pk=exclude.pk)
        branches.append(users.annotate(first_audience=Value(rank, output_field=IntegerField())))
    rows = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    # A user in two audiences comes once per audience: the first (lowest rank) decides; audiences in order, then ids.
    told = {}
    for user in rows.order_by("first_audience", "pk"):
        told.setdefault(user.pk, (user, ranked[user.first_audience][0]))
    return list(told.values())
