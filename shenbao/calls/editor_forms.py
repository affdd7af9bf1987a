"""The call editor's sections: which keys of the call document each page edits and how each is typed in.

Plain values are inputs; lists of rows (materials, rubric items, rules, instalments …) are a YAML table in a
textarea, one `- code: …` entry per row. `read_section` turns the posted form back into document values;
`errors_by_field` hangs the schema's Chinese field-path errors ("字段 project_types[0].materials[2].name: …")
on the input they concern, so an error names its row and field.
"""

import re
from dataclasses import dataclass

import yaml
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .exports import dump_call_yaml
from .models import Call


@dataclass(frozen=True)
class EditorField:
    key: str
    label: str
    widget: str  # text, textarea, date, datetime, number, checkbox, lines, yaml, select
    help: str = ""
    optional: bool = False  # left empty: the key is left out of the document (the schema's default applies)
    choices: tuple = ()
    platform: bool = False  # a platform setting (平台设定), not a term of the notice

    @property
    def rows(self):
        return 14 if self.widget == "yaml" else 4


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    fields: tuple


DATE_HELP = _("格式：年-月-日（YYYY-MM-DD）")
YAML_HELP = _("每行一项，格式同申报通知文件（YAML）：每条以「- code: …」开始，保留代码不变即修改该条。")

CALL_SECTIONS = (
    Section(
        "general",
        _("基本信息与截止时间"),
        (
            EditorField("title", _("标题"), "text"),
            EditorField("issuing_bodies", _("发文单位"), "lines", _("每行一个。")),
            EditorField("published_on", _("发布日期"), "date", DATE_HELP),
            EditorField(
                "deadline",
                _("申报截止时间"),
                "datetime",
                _("北京时间，格式：YYYY-MM-DDTHH:MM:SS+08:00（截止当天最后一秒为 23:59:59）。"),
            ),
            EditorField("submission_address", _("纸质材料报送地点"), "text"),
            EditorField("paper_copies", _("纸质材料份数"), "number"),
            EditorField("contact_name", _("联系人"), "text"),
            EditorField("contact_phone", _("联系电话"), "text"),
            EditorField("fund_source", _("经费来源"), "text"),
            EditorField("body", _("通知正文"), "textarea"),
        ),
    ),
    Section(
        "review",
        _("审核与评审设置"),
        (
            EditorField("recheck_bodies", _("资格复核单位职能"), "lines", _("每行一个职能代码。")),
            EditorField("recheck_requires_all", _("资格复核须全部通过"), "checkbox"),
            EditorField("consulted_functions", _("征求意见部门职能"), "lines", _("每行一个职能代码。")),
            EditorField("first_review_due", _("资格初审截止日期"), "date", DATE_HELP, optional=True, platform=True),
            EditorField(
                "reapply_waiting_years",
                _("再次申报间隔（年）"),
                "number",
                _("已认定的单位自授牌之日起满该年数方可再次申报同类项目；通知未规定的留空。"),
                optional=True,
            ),
            EditorField("experts_per_application", _("每项申报评审专家数"), "number", platform=True),
            EditorField("acceptance_experts_per_application", _("每项评估验收专家数"), "number", platform=True),
            EditorField(
                "score_aggregation",
                _("专家评分汇总方式"),
                "select",
                choices=tuple(Call.Aggregation.choices),
                platform=True,
            ),
            EditorField("trim_minimum_scores", _("去掉最高分和最低分所需的最少评分表数"), "number", platform=True),
            EditorField("notice_working_days", _("公示期（工作日）"), "number"),
            EditorField("notice_counting", _("公示期起算规则"), "select", choices=tuple(Call.NoticeCounting.choices)),
        ),
    ),
    Section(
        "unit_types",
        _("单位类型"),
        (EditorField("unit_types", _("单位类型"), "yaml", _("每行「- {code: …, name: …}」。")),),
    ),
    Section(
        "attachments",
        _("附件"),
        (
            EditorField(
                "attachments",
                _("附件"),
                "yaml",
                _("可修改标题、顺序或删除；文件沿用已上传的附件（按代码）。"),
            ),
        ),
    ),
)

PROJECT_TYPE_FIELDS = (
    EditorField("name", _("名称"), "text"),
    EditorField("plaque_title", _("牌匾名称"), "text"),
    EditorField("clause", _("通知条款"), "text"),
    EditorField("allowed_unit_types", _("可申报单位类型"), "lines", _("每行一个单位类型代码。")),
    EditorField("quota_min", _("拟评定数量下限"), "number"),
    EditorField("quota_max", _("拟评定数量上限"), "number"),
    EditorField("funding_amount", _("建设扶持经费（元）"), "text"),
    EditorField("construction_start", _("建设期开始"), "date", DATE_HELP),
    EditorField("construction_end", _("建设期结束"), "date", DATE_HELP),
    EditorField("score_step", _("评分步长"), "text"),
    EditorField("pass_line", _("合格分数线"), "text", platform=True),
    EditorField("rectification_months", _("验收整改期（月）"), "number", platform=True),
    EditorField("plaque_number_prefix", _("牌匾编号前缀"), "text", optional=True, platform=True),
    EditorField("acceptance_bands", _("验收等次分数线"), "yaml", platform=True),
    EditorField("progress_report_due", _("年度进展报告报送截止日（次年）"), "yaml", platform=True),
    EditorField("instalments", _("拨付批次"), "yaml", YAML_HELP),
    EditorField("eligibility_rules", _("申报条件"), "yaml", YAML_HELP),
    EditorField("materials", _("申报材料"), "yaml", YAML_HELP),
    EditorField("selection_rubric", _("专家评审评分项"), "yaml", YAML_HELP),
    EditorField("acceptance_rubric", _("评估验收评分项"), "yaml", YAML_HELP),
)


def get_section(key):
    return next((section for section in CALL_SECTIONS if section.key == key), None)


def display_value(field, value):
    """The text an input shows for a document value."""
    if field.widget == "checkbox":
        return bool(value)
    if value is None:
        return ""
    if field.widget == "lines":
        return "\n".join(str(item) for item in value)
    if field.widget == "yaml":
        return dump_call_yaml(value)
    return str(value)


def initial_values(fields, data):
    return {field.key: display_value(field, data.get(field.key)) for field in fields}


def posted_values(fields, post):
    """The raw texts as posted, to show the form again unchanged after an error."""
    return {
        field.key: (field.key in post) if field.widget == "checkbox" else post.get(field.key, "") for field in fields
    }


def _number(text):
    return int(text) if re.fullmatch(r"-?\d+", text) else text


def read_section(fields, post):
    """(values, errors): document values of the posted form, and {key: [Chinese message]} for unreadable input."""
    values, errors = {}, {}
    for field in fields:
        if field.widget == "checkbox":
            values[field.key] = field.key in post
            continue
        text = post.get(field.key, "").strip()
        if field.optional and not text:
            values[field.key] = None
        elif field.widget == "number":
            values[field.key] = _number(text)
        elif field.widget == "lines":
            values[field.key] = [line.strip() for line in text.splitlines() if line.strip()]
        elif field.widget == "yaml":
            try:
                values[field.key] = yaml.safe_load(text) if text else []
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                where = (
                    gettext("第%(line)s行第%(column)s列：") % {"line": mark.line + 1, "column": mark.column + 1}
                    if mark
                    else ""
                )
                errors[field.key] = [
                    gettext("%(where)sYAML 格式错误（%(problem)s）")
                    % {"where": where, "problem": getattr(exc, "problem", exc)}
                ]
        else:
            values[field.key] = text
    return values, errors


def apply_values(target, values):
    """Write `values` into a document dict; None removes an optional key."""
    for key, value in values.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value


PATH = re.compile(r"^字段 ([^\s:：]+)\s*[:：]\s*(.*)$")


def errors_by_field(lines, *, prefix=""):
    """{field key: [messages]} for error lines under `prefix` ("" or "project_types[0]."); key None: the rest."""
    grouped = {}
    for line in lines:
        match = PATH.match(line)
        key = None
        if match and match.group(1).startswith(prefix):
            rest = match.group(1)[len(prefix) :]
            key = re.split(r"[.\[]", rest, maxsplit=1)[0] or None
        grouped.setdefault(key, []).append(line)
    return grouped
