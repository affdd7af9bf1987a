"""Rule sets shared by several entry files: who sees an application (applications.rules.visible_applications_q)."""

from .dsl import ADMIN, APPLICANT, CITY, CITY_DIRECT, CONSULTED, COUNTY, DEPARTMENT, OWN, SAME_COUNTY, UNASSIGNED, allow

# The home county reviewer's bureau (城区) is the first-review body of every 城区 unit that is not city-direct.
COUNTY_SCOPE = (OWN, SAME_COUNTY, UNASSIGNED)

# A submitted application: its unit's applicant, the first-review body (county bureau or competent department),
# the city's reviewers and call administrator. Drafts are the unit's alone.
SEES_SUBMITTED = (
    allow(APPLICANT, on=OWN),
    allow(COUNTY, on=COUNTY_SCOPE),
    allow(DEPARTMENT, on=CITY_DIRECT),
    allow(CITY, ADMIN),
)
# From 征求意见 on, also the departments asked for an opinion (the tax bureau is asked about every unit).
SEES_CONSULTED = (*SEES_SUBMITTED, allow(CONSULTED))
SEES_DRAFT = (allow(APPLICANT, on=OWN),)


def sees(kind):
    """Who sees an application of scenario kind `kind` (e.g. "application.soliciting")."""
    stage = kind.split(".", 1)[1]
    if stage == "draft":
        return SEES_DRAFT
    if stage in {"soliciting", "opinion_hold", "in_notice", "awarded"}:
        return SEES_CONSULTED
    return SEES_SUBMITTED


def visible_but(kind, status, *allowed):
    """Roles that see the application get `status` (e.g. 403: seen, but not theirs to act on), then `allowed`."""
    return tuple(rule.__class__(rule.roles, rule.relations, status) for rule in sees(kind)) + tuple(allowed)
