"""Helpers of the scoring tests (and of the 待办 tests): experts, assignments and score sheets submitted through
`shenbao.scoring.services`, as the pages and the API do."""

import datetime
from decimal import Decimal

from django.utils import timezone

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.experts.models import Assignment
from shenbao.organisations.models import Organisation
from shenbao.scoring.selectors import list_rubric_items
from shenbao.scoring.services import submit_sheet
from tests.factories import OrganisationFactory, UserFactory

OPINION_DUE = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
D = Decimal


def reload(application):
    """A fresh copy (the protected FSM field cannot be refreshed in place)."""
    return Application.objects.get(pk=application.pk)


def make_expert(name="专家", **fields):
    work_unit = OrganisationFactory(kind=Organisation.Kind.OTHER, unit_type=None, credit_code=None)
    return UserFactory(organisation=work_unit, roles=[Role.EXPERT], full_name=name, **fields)


def assign(panel, application, experts):
    return [
        Assignment.objects.create(panel=panel, application=application, expert=expert, assigned_at=timezone.now())
        for expert in experts
    ]


def spread(items, total):
    """Points per item of `items` adding up to `total` (greedy, each item up to its maximum)."""
    remaining = D(total)
    points = {}
    for item in items:
        given = min(item.max_points, remaining)
        points[item.code] = given
        remaining -= given
    assert remaining == 0, f"{total} exceeds the items' maxima"
    return points


def scores_for(project_type, *, material, defence, comment=""):
    """{code: {"points", "comment"}} giving `material` points to the 资料审查 items and `defence` to 答辩."""
    items = list(list_rubric_items(project_type=project_type))
    points = spread([item for item in items if item.group == "material"], material)
    points |= spread([item for item in items if item.group == "defence"], defence)
    return {code: {"points": str(value), "comment": comment} for code, value in points.items()}


def submit(assignment, *, material, defence, opinion="同意推荐。"):
    """The assigned expert submits a sheet with the given material and defence totals."""
    return submit_sheet(
        assignment=assignment,
        expert=assignment.expert,
        scores=scores_for(assignment.application.project_type, material=material, defence=defence),
        overall_opinion=opinion,
    )


def uniform(material, defence, experts=5):
    return [(material, defence)] * experts
