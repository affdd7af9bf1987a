"""What a change of a call document changes (通知变更), in words, and what it would do to applications.

`describe_changes(old, new)` lists the differences of two call documents as Chinese lines for the version
history, the audit trail and the notice to applicants. `assess_changes(call, old, new, at)` sorts the changes
that touch applications already made into refusals (never allowed) and confirmations (allowed once the
administrator ticks the confirmation box).
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LABELS = {
    "year": gettext_lazy("年度"),
    "title": gettext_lazy("标题"),
    "issuing_bodies": gettext_lazy("发文单位"),
    "published_on": gettext_lazy("发布日期"),
    "deadline": gettext_lazy("申报截止时间"),
    "submission_address": gettext_lazy("纸质材料报送地点"),
    "paper_copies": gettext_lazy("纸质材料份数"),
    "contact_name": gettext_lazy("联系人"),
    "contact_phone": gettext_lazy("联系电话"),
    "body": gettext_lazy("通知正文"),
    "fund_source": gettext_lazy("经费来源"),
    "recheck_bodies": gettext_lazy("资格复核单位"),
    "recheck_requires_all": gettext_lazy("资格复核须全部通过"),
    "consulted_functions": gettext_lazy("征求意见部门"),
    "experts_per_application": gettext_lazy("每项申报评审专家数"),
    "acceptance_experts_per_application": gettext_lazy("每项评估验收专家数"),
    "practice": gettext_lazy("演示通知"),
    "score_aggregation": gettext_lazy("专家评分汇总方式"),
    "trim_minimum_scores": gettext_lazy("去掉最高分和最低分所需的最少评分表数"),
    "notice_working_days": gettext_lazy("公示期（工作日）"),
    "notice_counting": gettext_lazy("公示期起算规则"),
    "first_review_due": gettext_lazy("资格初审截止日期"),
    "reapply_waiting_years": gettext_lazy("再次申报间隔（年）"),
    "application_number_prefix": gettext_lazy("申报编号前缀"),
    "unit_types": gettext_lazy("单位类型"),
    "attachments": gettext_lazy("附件"),
    "project_types": gettext_lazy("项目类别"),
    "name": gettext_lazy("名称"),
    "plaque_title": gettext_lazy("牌匾名称"),
    "clause": gettext_lazy("通知条款"),
    "allowed_unit_types": gettext_lazy("可申报单位类型"),
    "quota_min": gettext_lazy("拟评定数量下限"),
    "quota_max": gettext_lazy("拟评定数量上限"),
    "funding_amount": gettext_lazy("建设扶持经费（元）"),
    "construction_start": gettext_lazy("建设期开始"),
    "construction_end": gettext_lazy("建设期结束"),
    "score_step": gettext_lazy("评分步长"),
    "pass_line": gettext_lazy("合格分数线"),
    "rectification_months": gettext_lazy("验收整改期（月）"),
    "plaque_number_prefix": gettext_lazy("牌匾编号前缀"),
    "acceptance_bands": gettext_lazy("验收等次分数线"),
    "progress_report_due": gettext_lazy("年度进展报告报送截止日"),
    "instalments": gettext_lazy("拨付批次"),
    "eligibility_rules": gettext_lazy("申报条件"),
    "materials": gettext_lazy("申报材料"),
    "selection_rubric": gettext_lazy("专家评审评分项"),
    "acceptance_rubric": gettext_lazy("评估验收评分项"),
    "description": gettext_lazy("说明"),
    "required": gettext_lazy("必交"),
    "generated": gettext_lazy("由系统生成"),
    "multiple": gettext_lazy("可上传多个文件"),
    "accepted_formats": gettext_lazy("允许格式"),
    "max_size_mb": gettext_lazy("大小上限（MB）"),
    "percent": gettext_lazy("比例（%）"),
    "trigger": gettext_lazy("拨付条件"),
    "kind": gettext_lazy("类别"),
    "metric": gettext_lazy("校验指标"),
    "operator": gettext_lazy("比较方式"),
    "threshold": gettext_lazy("阈值"),
    "applies_to_unit_types": gettext_lazy("适用单位类型"),
    "group": gettext_lazy("评分环节"),
    "max_points": gettext_lazy("分值"),
    "path": gettext_lazy("文件"),
}


def _label(key):
    return str(LABELS.get(key, key))


def _text(value):
    if isinstance(value, list):
        return "、".join(_text(item) for item in value) or _("（空）")
    if isinstance(value, dict):
        return "，".join(f"{_label(key)} {_text(item)}" for key, item in value.items())
    if value is None or value == "":
        return _("（空）")
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    return str(value)


def _is_coded_list(value):
    return isinstance(value, list) and all(isinstance(item, dict) and "code" in item for item in value)


def _diff(old, new, where, lines):
    for key in list(dict.fromkeys([*old.keys(), *new.keys()])):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if _is_coded_list(before or []) and _is_coded_list(after or []):
            _diff_rows(before or [], after or [], f"{where}{_label(key)}", lines, declared=key in DECLARATIONS)
        elif isinstance(before, dict) and isinstance(after, dict):
            _diff(before, after, f"{where}{_label(key)}：", lines)
        else:
            lines.append(f"{where}{_label(key)}：{_text(before)} → {_text(after)}")


def _row_name(row):
    return row.get("name") or row.get("title") or row.get("description", "")[:20] or row["code"]


# Lists that declare shared rows rather than own them: unit types stay in the platform when a call stops naming them
# (the export names those the call uses), so only new ones and changed names are changes.
DECLARATIONS = frozenset({"unit_types"})


def _diff_rows(before, after, where, lines, *, declared=False):
    old = {row["code"]: row for row in before}
    new = {row["code"]: row for row in after}
    for code, row in new.items():
        if code not in old:
            lines.append(_("%(where)s：新增「%(name)s」") % {"where": where, "name": _row_name(row)})
        else:
            _diff(old[code], row, f"{where}「{_row_name(row)}」", lines)
    if declared:
        return
    for code, row in old.items():
        if code not in new:
            lines.append(_("%(where)s：删除「%(name)s」") % {"where": where, "name": _row_name(row)})
    if [code for code in old if code in new] != [code for code in new if code in old]:
        lines.append(_("%(where)s：调整了顺序") % {"where": where})


def describe_changes(old, new):
    """Chinese lines, one per changed value, row added or row removed (project types named by their name)."""
    lines = []
    _diff(old, new, "", lines)
    return lines


def _by_code(rows):
    return {row["code"]: row for row in rows}


def _material_tightened(old, new):
    """A new required upload, optional → required, fewer formats or a smaller size limit."""
    required = bool(new.get("required", True)) and not new.get("generated", False)
    if old is None:
        return required
    return (
        (required and not old["required"])
        or not {str(f) for f in new.get("accepted_formats", [])} >= set(old["accepted_formats"])
        or int(new.get("max_size_mb", 20)) < int(old["max_size_mb"])
    )


def _threshold(rule):
    try:
        return (rule.get("operator"), Decimal(str(rule.get("threshold"))))
    except InvalidOperation:
        return (rule.get("operator"), rule.get("threshold"))


def _hard_rules(project_type):
    return {rule["code"]: rule for rule in project_type.get("eligibility_rules", []) if rule.get("metric")}


def _when(value):
    return value if isinstance(value, datetime.datetime) else parse_datetime(str(value))


# The applications a change would touch are the applications app's to list, named by dotted path and imported on
# use (as the workflow's steps name the apps that own them), so calls does not depend on the app built on it.
CALL_APPLICATIONS = "shenbao.applications.selectors.list_call_application_facts"


def assess_changes(*, call, old, new, at=None):
    """(refusals, confirmations): Chinese lines about the applications a change of a published call would affect."""
    at = at or timezone.now()
    refusals, confirmations = [], []
    deadline, old_deadline = _when(new["deadline"]), parse_datetime(old["deadline"])
    if deadline != old_deadline and deadline < at:
        refusals.append(_("申报截止时间不能改为已经过去的时间。"))
    applications = import_string(CALL_APPLICATIONS)(call=call)
    if not applications:
        return refusals, confirmations
    if deadline < old_deadline and deadline >= at:
        confirmations.append(_("申报截止时间提前：已开始填报的单位可用时间缩短。"))
    new_types = _by_code(new["project_types"])
    for old_type in old["project_types"]:
        code = old_type["code"]
        used = [row for row in applications if row[0] == code]
        submitted = [row for row in used if row[2]]
        if not used:
            continue
        new_type = new_types.get(code)
        if new_type is None:
            refusals.append(
                _("项目类别「%(name)s」已有%(count)d份申报，不能删除。")
                % {"name": old_type["name"], "count": len(used)}
            )
            continue
        for unit_type in set(old_type["allowed_unit_types"]) - set(new_type["allowed_unit_types"]):
            count = sum(1 for row in used if row[1] == unit_type)
            if count:
                refusals.append(
                    _("项目类别「%(name)s」已有%(count)d份单位类型为 %(unit_type)s 的申报，不能取消该单位类型。")
                    % {"name": old_type["name"], "count": count, "unit_type": unit_type}
                )
        if not submitted:
            continue
        old_materials = _by_code(old_type["materials"])
        for material in new_type["materials"]:
            if _material_tightened(old_materials.get(material["code"]), material):
                confirmations.append(
                    _(
                        "项目类别「%(type)s」已有%(count)d份已提交的申报，申报材料「%(name)s」的要求变更后，这些申报不再符合。"
                    )
                    % {"type": new_type["name"], "count": len(submitted), "name": material["name"]}
                )
        old_rules = _hard_rules(old_type)
        for rule_code, rule in _hard_rules(new_type).items():
            before = old_rules.get(rule_code)
            if before is None or _threshold(before) != _threshold(rule):
                confirmations.append(
                    _(
                        "项目类别「%(type)s」已有%(count)d份已提交的申报，申报条件「%(clause)s」的硬性阈值变更后须重新校验。"
                    )
                    % {"type": new_type["name"], "count": len(submitted), "clause": rule["clause"]}
                )
    return refusals, confirmations
