"""The unit's own construction targets for one year, read from what it submitted (申报书 / 申请报告 / 实施方案).

A progress report copies these when it starts (`ProgressReport.targets`), so later reading never depends on the
form specs staying the same. Which reader and fund categories a project type has is its registry entry's
(`shenbao.calls.project_types`). Where each target comes from (a year is any year of the call's construction
period: the forms ask per construction year):

- 技师工作站 (`read_workstation_targets`): the 师徒结对 table of 师带徒计划 (the number of pairs, and each pair with
  its 培养目标 and 起止时间) and the year's rows of the 师带徒和技术攻关课题 table in 建站设想 (research and mentoring
  topics, with 负责人 and 计划完成时间); its 经费使用计划 gives the planned amounts (`read_workstation_budget`).
- 技能人才培养基地 (`read_training_base_targets`): 年技能人才培养数 of 兼顾原则, the year's column of the 实施方案's
  年度目标 (each fixed indicator against its 现状 in 建设基础), the year's rows of 其他考核指标 and the year's stages
  of 进度安排; its 经费预算 gives the planned amounts per spending category (`read_training_base_budget`).

Categories: "quantity" (a number to reach: the report gives the achieved number), "mentoring" (a pair or a
mentoring topic), "research" (a research topic: the outcome), "task" (a written target: status and note).
"""

import re
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from shenbao.applications.sections.training_base import PLAN_INDICATORS, target_column
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


def _dates(start, end):
    start, end = _text(start), _text(end)
    return f"{start}至{end}" if start and end else start or end


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
        # 带徒期限 was free text before the form asked for the start and end dates.
        period = _dates(pair.get("start"), pair.get("end")) or _text(pair.get("period"))
        goal = _text(pair.get("target")) + (f"，期限{period}" if period else "")
        targets.append(Target(f"pair-{index}", MENTORING, label, goal, "", source_pairs))
    plan = data.get("station_plan") or {}
    for index, topic in enumerate(plan.get("topics") or []):
        if not isinstance(topic, dict) or _text(topic.get("year")) != str(year):
            continue
        is_research = topic.get("kind") == "research"
        prefix = "技术攻关课题" if is_research else "师带徒课题"
        leader, due = _text(topic.get("leader")), _text(topic.get("due"))
        goal = _text(topic.get("goal"))
        goal += f"（负责人：{leader}）" if leader else ""
        goal += f"，计划{due}完成" if due else ""
        targets.append(
            Target(
                f"topic-{index}",
                RESEARCH if is_research else MENTORING,
                f"{prefix}：{_text(topic.get('title'))}",
                goal,
                "",
                "申请报告·建站设想·师带徒和技术攻关课题",
            )
        )
    return targets


def _indicator_targets(data, year):
    """The year's column of 年度目标: one quantity target per fixed indicator, its 现状 beside it."""
    baseline = {
        row.get("indicator"): _number(row.get("current"))
        for row in (data.get("plan_basis") or {}).get("baseline") or []
        if isinstance(row, dict)
    }
    labels = dict(PLAN_INDICATORS)
    targets = []
    for row in (data.get("implementation_plan") or {}).get("annual_targets") or []:
        if not isinstance(row, dict) or row.get("indicator") not in labels:
            continue
        planned = _number(row.get(target_column(year)))
        if planned is None:
            continue
        current = baseline.get(row["indicator"])
        written = f"{planned}" + (f"（现状{current}）" if current is not None else "")
        targets.append(
            Target(
                f"annual-{row['indicator']}",
                QUANTITY,
                f"{year}年目标：{labels[row['indicator']]}",
                written,
                str(planned),
                "实施方案·建设目标·年度目标",
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
    targets.extend(_indicator_targets(data, year))
    for index, row in enumerate((data.get("plan_outcomes") or {}).get("performance_targets") or []):
        if not isinstance(row, dict) or _text(row.get("year")) != str(year):
            continue
        written = _text(row.get("target"))
        number = _number(written)
        category = QUANTITY if number is not None else TASK
        planned = str(number) if number is not None else ""
        targets.append(
            Target(f"indicator-{index}", category, _text(row.get("indicator")), written, planned, "实施方案·考核指标")
        )
    for index, stage in enumerate((data.get("plan_schedule") or {}).get("stages") or []):
        if not isinstance(stage, dict) or _text(stage.get("year")) != str(year):
            continue
        outcome = _text(stage.get("outcome"))
        written = _text(stage.get("tasks")) + (f"；阶段成果：{outcome}" if outcome else "")
        period = _dates(stage.get("start"), stage.get("end"))
        label = f"{year}年{_text(stage.get('stage'))}" + (f"（{period}）" if period else "")
        targets.append(Target(f"stage-{index}", TASK, label, written, "", "实施方案·进度安排"))
    return targets


def _budget(rows):
    """{category: (subsidy 元, own 元)} summed over a budget table's rows (amounts in 万元)."""
    planned = {}
    for row in rows or []:
        if not isinstance(row, dict):
            continue
        subsidy, own = _number(row.get("subsidy_amount")), _number(row.get("own_amount"))
        before = planned.get(row.get("category"), (Decimal("0"), Decimal("0")))
        planned[row.get("category")] = (
            before[0] + (subsidy or 0) * YUAN_PER_WAN,
            before[1] + (own or 0) * YUAN_PER_WAN,
        )
    return planned


def read_training_base_budget(data):
    """The 实施方案's 经费预算 by category."""
    return _budget((data.get("plan_budget") or {}).get("budget"))


def read_workstation_budget(data):
    """The 申请报告's 经费使用计划 by category."""
    return _budget((data.get("spending_plan") or {}).get("budget"))


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
