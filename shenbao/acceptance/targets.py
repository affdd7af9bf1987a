"""The unit's own construction targets for one year, read from what it submitted (申报书 / 申请报告 / 实施方案).

A progress report copies these when it starts (`ProgressReport.targets`), so later reading never depends on the
form specs staying the same. Which reader and fund categories a project type has is its registry entry's
(`shenbao.calls.project_types`). Where each target comes from (a year is any year of the call's construction
period: the forms ask per construction year):

- 技师工作站 (`read_workstation_targets`): the 师徒结对 table of 师带徒计划 (the number of pairs, and each pair with
  its 培养目标) and the year's rows of the 师带徒和技术攻关课题 table in 建站设想 (research and mentoring topics).
- 技能人才培养基地 (`read_training_base_targets`): 年技能人才培养数 of 兼顾原则, the year's rows of 绩效目标 and the
  year's 建设任务 (`tasks_<year>`) of the 实施方案; its 资金预算 gives the planned amounts per spending category
  (`read_training_base_budget`).

Categories: "quantity" (a number to reach: the report gives the achieved number), "mentoring" (a pair or a
mentoring topic), "research" (a research topic: the outcome), "task" (a written target: status and note).
"""

import re
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from shenbao.applications.sections.training_base import task_field_name
from shenbao.applications.selectors import get_latest_version
from shenbao.calls.project_types import get_project_type_entry
from shenbao.core.money import YUAN_PER_WAN

QUANTITY = "quantity"
MENTORING = "mentoring"
RESEARCH = "research"
TASK = "task"
CATEGORY_LABELS = {
    QUANTITY: _("数量目标"),
    MENTORING: _("师带徒"),
    RESEARCH: _("技术攻关与研究成果"),
    TASK: _("建设任务与绩效目标"),
}
CATEGORY_ORDER = (QUANTITY, MENTORING, RESEARCH, TASK)

# What a unit says about a target that is not a plain number.
PROGRESS_STATUSES = (
    ("completed", _("已完成")),
    ("in_progress", _("推进中")),
    ("not_started", _("未开展")),
)

# 经费使用 categories. The base's 实施方案 budget has its own; the workstation's forms have none, so these are
# the usual headings of a station's spending (equipment, mentoring, research, exchanges, site, other).
WORKSTATION_FUND_CATEGORIES = (
    ("equipment", "设备购置"),
    ("mentoring", "师带徒培养"),
    ("research", "技术攻关与革新"),
    ("exchange", "交流合作与研讨"),
    ("site", "场地改造"),
    ("other", "其他"),
)
LEADING_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class Target:
    key: str  # stable within a report: "pairs", "pair-0", "topic-1", "trained", "indicator-0", "tasks"
    category: str
    label: str
    target: str  # as the unit wrote it
    planned: str = ""  # the number to reach (Decimal as text) for a quantity target
    source: str = ""  # where in the application it was promised


@dataclass(frozen=True)
class FundLine:
    category: str
    label: str
    planned_subsidy: Decimal | None = None
    planned_own: Decimal | None = None


def submitted_form_data(application):
    """The content of the unit's last submitted version (what the designation rests on), else the live form."""
    version = get_latest_version(application=application)
    return (version.form_data if version else application.form_data) or {}


def _number(value):
    if value is None or isinstance(value, bool):
        return None
    match = LEADING_NUMBER.match(str(value))
    if not match:
        return None
    try:
        return Decimal(match.group(1))
    except InvalidOperation:
        return None


def _text(value):
    return "" if value is None else str(value).strip()


def read_workstation_targets(data, year):
    mentoring = data.get("mentoring") or {}
    pairs = [row for row in mentoring.get("pairs") or [] if isinstance(row, dict)]
    targets = []
    source_pairs = "申请报告·师带徒计划"
    if pairs:
        targets.append(Target("pairs", QUANTITY, "师徒结对数（对）", f"{len(pairs)}对", str(len(pairs)), source_pairs))
    for index, pair in enumerate(pairs):
        label = f"{_text(pair.get('mentor'))} 带 {_text(pair.get('apprentice'))}"
        occupation = _text(pair.get("occupation"))
        label += f"（{occupation}）" if occupation else ""
        period = _text(pair.get("period"))
        goal = _text(pair.get("target")) + (f"，期限{period}" if period else "")
        targets.append(Target(f"pair-{index}", MENTORING, label, goal, "", source_pairs))
    plan = data.get("station_plan") or {}
    for index, topic in enumerate(plan.get("topics") or []):
        if not isinstance(topic, dict) or _text(topic.get("year")) != str(year):
            continue
        is_research = topic.get("kind") == "research"
        prefix = "技术攻关课题" if is_research else "师带徒课题"
        targets.append(
            Target(
                f"topic-{index}",
                RESEARCH if is_research else MENTORING,
                f"{prefix}：{_text(topic.get('title'))}",
                _text(topic.get("goal")),
                "",
                "申请报告·建站设想·师带徒和技术攻关课题",
            )
        )
    return targets


def read_training_base_targets(data, year):
    targets = []
    principles = data.get("principles") or {}
    trained = _number(principles.get("trained_count"))
    if trained is not None:
        targets.append(
            Target("trained", QUANTITY, "年技能人才培养数（人）", f"{trained}人", str(trained), "申报书·兼顾原则")
        )
    plan = data.get("implementation_plan") or {}
    for index, row in enumerate(plan.get("performance_targets") or []):
        if not isinstance(row, dict) or _text(row.get("year")) != str(year):
            continue
        written = _text(row.get("target"))
        number = _number(written)
        category = QUANTITY if number is not None else TASK
        planned = str(number) if number is not None else ""
        targets.append(
            Target(f"indicator-{index}", category, _text(row.get("indicator")), written, planned, "实施方案·绩效目标")
        )
    tasks = _text(plan.get(task_field_name(year)))
    if tasks:
        targets.append(Target("tasks", TASK, f"{year}年建设任务", tasks, "", "实施方案"))
    return targets


def read_training_base_budget(data):
    """{category: (subsidy 元, own 元)} summed over the rows of the 实施方案's 资金预算."""
    planned = {}
    for row in (data.get("implementation_plan") or {}).get("budget") or []:
        if not isinstance(row, dict):
            continue
        subsidy, own = _number(row.get("subsidy_amount")), _number(row.get("own_amount"))
        before = planned.get(row.get("category"), (Decimal("0"), Decimal("0")))
        planned[row.get("category")] = (
            before[0] + (subsidy or 0) * YUAN_PER_WAN,
            before[1] + (own or 0) * YUAN_PER_WAN,
        )
    return planned


def targets_for_year(*, project_type_code, form_data, year):
    """The targets (list of Target) a unit of this project type set itself for `year`."""
    return get_project_type_entry(project_type_code).resolve("targets")(form_data or {}, year)


def fund_plan(*, project_type_code, form_data):
    """The spending categories with the planned amounts (元) of the form's budget, where the form has one."""
    entry = get_project_type_entry(project_type_code)
    categories = entry.resolve("fund_categories")
    read_planned = entry.resolve("planned_funds")
    planned = read_planned(form_data or {}) if read_planned else {}
    lines = []
    for code, label in categories:
        amounts = planned.get(code)
        lines.append(
            FundLine(code, str(label), *(amount.quantize(Decimal("0.01")) for amount in amounts))
            if amounts
            else FundLine(code, str(label))
        )
    return lines


def snapshot(targets):
    """JSON for ProgressReport.targets."""
    return [asdict(target) for target in targets]
