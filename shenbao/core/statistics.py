"""省级统计: every city's figures for the province's read-only role, per city × call × project type.

The rows are the project types of the calls of the cities in the observer's province; the figures come from each
app's own selector (applications by stage, designated units, funds committed and paid), one query each, so the
page costs the same however many cities, calls and types it shows. Nothing here writes.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from shenbao.accounts.roles import Role
from shenbao.applications.selectors import count_applications_by_status
from shenbao.applications.workflow import STEP_STATES
from shenbao.awards.selectors import count_designated_units
from shenbao.calls.selectors import list_project_types_of_province
from shenbao.funding.figures import Figures
from shenbao.funding.selectors import sum_figures_by_project_type
from shenbao.organisations.models import Region

STAGES = tuple(label for label, _status in STEP_STATES)


@dataclass(frozen=True)
class StatisticsRow:
    project_type: object  # with call and call.city loaded
    submitted: int  # every application past the draft
    by_stage: tuple  # applications now in each step of STEP_STATES, in that order
    designated: int
    funds: Figures

    @property
    def elsewhere(self):
        """Applications not in any step (returned, withdrawn, rejected, not selected, revoked …)."""
        return self.submitted - sum(self.by_stage)


@dataclass
class ProvinceStatistics:
    province: object = None
    rows: list = field(default_factory=list)

    @property
    def committed(self):
        return sum((row.funds.committed for row in self.rows), Decimal("0.00"))

    @property
    def paid(self):
        return sum((row.funds.paid for row in self.rows), Decimal("0.00"))


def observed_province(user):
    """The province whose figures `user` reads (province role, organisation in a province region), or None."""
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.organisation_id):
        return None
    if not user.has_role(Role.PROVINCE_OBSERVER):
        return None
    region = user.organisation.region
    return region if region.level == Region.Level.PROVINCE else None


def build_province_statistics(*, user):
    statistics = ProvinceStatistics(province=observed_province(user))
    if statistics.province is None:
        return statistics
    project_types = list_project_types_of_province(province=statistics.province)
    pks = [project_type.pk for project_type in project_types]
    statuses = count_applications_by_status(project_types=pks)
    designated = count_designated_units(project_types=pks)
    funds = sum_figures_by_project_type(project_types=pks)
    by_type = defaultdict(dict)
    for (pk, status), number in statuses.items():
        by_type[pk][status] = number
    for project_type in project_types:
        counts = by_type[project_type.pk]
        statistics.rows.append(
            StatisticsRow(
                project_type=project_type,
                submitted=sum(counts.values()),
                by_stage=tuple(counts.get(status, 0) for _label, status in STEP_STATES),
                designated=designated.get(project_type.pk, 0),
                funds=funds.get(project_type.pk, Figures()),
            )
        )
    return statistics
