"""The eligibility metrics (硬性条件的计算口径) computed from an application's form, and the live rule check.

Each name of `shenbao.calls.eligibility.KNOWN_METRICS` is computed here from the rows the applicant filled in.
A project type's registry entry (`shenbao.calls.project_types`) names the metrics its form feeds (the call
loader refuses a rule naming another); any other metric is 0 for it. Rows are counted once per distinct entry
(the same enterprise typed twice is one partner), so duplicates cannot lift a count over a threshold.
"""

from decimal import Decimal

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _

from shenbao.calls.eligibility import KNOWN_METRICS, evaluate_rule
from shenbao.calls.models import EligibilityRule
from shenbao.calls.project_types import get_project_type_entry
from shenbao.calls.selectors import list_eligibility_rules

from .formdata import is_empty, reveal_id_number
from .sections.workstation import QUALIFIED_MEMBER_LEVELS


def _rows(form_data, section_key, table_name):
    rows = ((form_data or {}).get(section_key) or {}).get(table_name) or []
    return [row for row in rows if isinstance(row, dict)]


def _distinct(values):
    return len({" ".join(str(value).split()) for value in values if not is_empty(value)})


def qualified_member_count(form_data):
    """一(一)1: members at 技师, 高级技师 or 技术技能带头人 level (a 高级工 does not count); one person counts once."""
    people = set()
    for index, row in enumerate(_rows(form_data, "members", "members")):
        if row.get("level") not in QUALIFIED_MEMBER_LEVELS:
            continue
        number = reveal_id_number(row.get("id_number"))
        people.add(number or f"row-{index}")
    return len(people)


def equipped_specialty_count(form_data):
    """一(二)2: specialties (职业、工种) with matched training equipment described."""
    rows = _rows(form_data, "capacity", "specialties")
    return _distinct(row.get("name") for row in rows if not is_empty(row.get("equipment")))


def annual_trainee_count(form_data):
    """一(二)2: trainees of the most recent year entered; with two rows for that year the smaller one counts."""
    counts = {}
    for row in _rows(form_data, "capacity", "annual_trainees"):
        year, count = row.get("year"), row.get("count")
        if isinstance(year, int) and isinstance(count, int):
            counts[year] = min(count, counts.get(year, count))
    if not counts:
        return 0
    return counts[max(counts)]


def partner_enterprise_count(form_data):
    """一(二)4: distinct enterprises with a stable cooperation."""
    return _distinct(row.get("name") for row in _rows(form_data, "cooperation", "partner_enterprises"))


def co_developed_specialty_count(form_data):
    """一(二)4: distinct specialties co-developed with partner enterprises (colleges)."""
    return _distinct(row.get("specialty") for row in _rows(form_data, "cooperation", "co_developed_specialties"))


METRICS = {
    "qualified_member_count": qualified_member_count,
    "equipped_specialty_count": equipped_specialty_count,
    "annual_trainee_count": annual_trainee_count,
    "partner_enterprise_count": partner_enterprise_count,
    "co_developed_specialty_count": co_developed_specialty_count,
}


def compute_metrics(*, application):
    """{metric name: value} for every known metric, from the application's current form data: the metrics of
    its project type's registry entry computed, the others 0."""
    own = get_project_type_entry(application.project_type.code).metrics
    return {name: compute(application.form_data) if name in own else 0 for name, compute in METRICS.items()}


def _number(value):
    """A Decimal as a JSON number: 3 rather than "3.00"."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else str(value)


def _rules_of(application):
    """The rules of the application's project type, read once per loaded project type into Django's prefetch cache:
    a submission judges them in its guard and stores them in its effect, on the one locked row."""
    project_type = application.project_type
    rules = Prefetch("eligibility_rules", queryset=list_eligibility_rules(project_type=project_type))
    prefetch_related_objects([project_type], rules)
    return project_type.eligibility_rules.all()


def _failure_message(rule, value, metric_label):
    return _("%(metric_label)s为%(value)s，须%(operator_display)s%(threshold)s（通知%(clause)s：%(description)s）") % {
        "metric_label": metric_label,
        "value": value,
        "operator_display": rule.get_operator_display(),
        "threshold": _number(rule.threshold),
        "clause": rule.clause,
        "description": rule.description,
    }


def evaluate_eligibility(*, application):
    """Every rule of the project type with its result, JSON-ready (stored on the application and each version).

    Qualitative rules are listed for the reviewers' checklist (passed None). A rule limited to unit types that
    do not include the unit's type has applies=False and passed None: it never blocks.
    """
    metrics = compute_metrics(application=application)
    unit_type_id = application.unit.unit_type_id
    results = []
    for rule in _rules_of(application):
        limited_to = {unit_type.pk for unit_type in rule.applies_to_unit_types.all()}
        applies = not limited_to or unit_type_id in limited_to
        is_hard = rule.kind == EligibilityRule.Kind.HARD
        value = metrics.get(rule.metric) if is_hard else None
        passed = evaluate_rule(rule=rule, value=value) if is_hard and applies else None
        metric_label = str(KNOWN_METRICS.get(rule.metric, "")) if is_hard else ""
        results.append(
            {
                "code": rule.code,
                "clause": rule.clause,
                "description": rule.description,
                "kind": rule.kind,
                "metric": rule.metric,
                "metric_label": metric_label,
                "operator": rule.operator,
                "threshold": _number(rule.threshold),
                "value": value,
                "applies": applies,
                "passed": passed,
                "message": _failure_message(rule, value, metric_label) if passed is False else "",
            }
        )
    return results


def failing_rules(eligibility):
    """The applicable hard rules that fail (these block submission)."""
    return [result for result in eligibility if result["applies"] and result["passed"] is False]
