"""The registry of project types (项目类别): what the code provides for each `ProjectType.code` of a call file.

A call file says how many, how much and by when; the code has to know how to ask (the form), what to count
(the eligibility metrics), what the unit promised for each year of construction (the target reader), how its
money is spent (the fund categories) and which paper documents it prints. One entry bundles all five, naming
the other apps' parts by dotted path (imported on first use), so this module imports nothing of theirs and the
call schema can refuse a code without an entry (`CallFile` → 「未登记的项目类别」).

A new project type: write its form module (a `build_form(*, years, funding_amount)` returning the `FormSpec`), its
target reader (`read(form_data, year)` → list of `Target`), its fund categories, add any new metric to
`KNOWN_METRICS` and `applications/metrics.py`, and add one entry below.
"""

from dataclasses import dataclass
from functools import cache

from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

APPLICATION_FORM = "申报书"


class UnknownProjectType(LookupError):
    """A project type code without a registry entry."""

    def __init__(self, code):
        self.code = code
        super().__init__(
            _("未登记的项目类别 %(code)s（已登记：%(project_types)s）")
            % {"code": code, "project_types": "、".join(PROJECT_TYPES)}
        )


@dataclass(frozen=True)
class ProjectTypeEntry:
    code: str
    form: str  # dotted path of build_form(*, years, funding_amount) -> FormSpec
    documents: tuple  # the paper documents in print order, 申报书 first (titles used by `Section.documents`)
    metrics: tuple  # the eligibility metrics its form feeds (names of calls.eligibility.KNOWN_METRICS)
    targets: str  # dotted path of read(form_data, year) -> list of acceptance.targets.Target
    fund_categories: str  # dotted path of the (code, label) spending categories of its 经费使用 report
    planned_funds: str = ""  # dotted path of read(form_data) -> {category: (subsidy 元, own 元)}, if it plans any

    def resolve(self, part):
        """The object a dotted-path attribute names ("form", "targets", "fund_categories", "planned_funds")."""
        path = getattr(self, part)
        return _import(path) if path else None


@cache
def _import(path):
    return import_string(path)


PROJECT_TYPES = {
    entry.code: entry
    for entry in (
        ProjectTypeEntry(
            code="workstation",
            form="shenbao.applications.sections.workstation.build_form",
            documents=(APPLICATION_FORM, "申请报告"),
            metrics=("qualified_member_count",),
            targets="shenbao.acceptance.targets.read_workstation_targets",
            fund_categories="shenbao.applications.sections.workstation.BUDGET_CATEGORIES",
            planned_funds="shenbao.acceptance.targets.read_workstation_budget",
        ),
        ProjectTypeEntry(
            code="training_base",
            form="shenbao.applications.sections.training_base.build_form",
            documents=(APPLICATION_FORM, "实施方案"),
            metrics=(
                "equipped_specialty_count",
                "annual_trainee_count",
                "partner_enterprise_count",
                "co_developed_specialty_count",
            ),
            targets="shenbao.acceptance.targets.read_training_base_targets",
            fund_categories="shenbao.applications.sections.training_base.BUDGET_CATEGORIES",
            planned_funds="shenbao.acceptance.targets.read_training_base_budget",
        ),
    )
}


def get_project_type_entry(code):
    """The registry entry of `code`, or UnknownProjectType (a call file naming it is refused on load)."""
    try:
        return PROJECT_TYPES[code]
    except KeyError:
        raise UnknownProjectType(code) from None


def is_registered(code):
    return code in PROJECT_TYPES
