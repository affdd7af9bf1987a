"""The shape of a call file (`calls/<slug>.yaml`) and the rules it must satisfy before anything is written.

Validation is pydantic v2; errors are reported in Chinese with the path of the offending field, e.g.
`calls/x.yaml: 字段 project_types[0].funding_amount: 必须为大于0的金额`. Rules that need the database (the
city exists, a unit type already exists) take what they need from the validation context, so this module
stays free of queries.
"""

from collections import Counter
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from shenbao.core.money import MoneyError, parse_money
from shenbao.organisations.models import Organisation

from . import defaults
from .eligibility import KNOWN_METRICS
from .models import Call, EligibilityRule, Instalment
from .project_types import PROJECT_TYPES

BEIJING = ZoneInfo("Asia/Shanghai")
HUNDRED = Decimal("100")


def rule_error(message, field=None):
    """A cross-field error; `field` (a relative path such as "instalments") is appended to the reported path."""
    return PydanticCustomError("call_rule", message, {"field": field} if field else {})


def _to_decimal(value, *, positive, message):
    if isinstance(value, bool):
        raise PydanticCustomError("call_amount", message)
    try:
        # str() first: a YAML float such as 0.1 must become Decimal("0.1"), not its binary expansion.
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError, TypeError):
        raise PydanticCustomError("call_amount", message) from None
    if not number.is_finite() or number < 0 or (positive and number == 0):
        raise PydanticCustomError("call_amount", message)
    if number != number.quantize(Decimal("0.01")):
        raise PydanticCustomError("call_amount", _("%(message)s（最多两位小数）") % {"message": message})
    return number


def _money(value: object) -> Decimal:
    """An amount of the call (元): `core.money.parse_money`, its refusal as the schema's error."""
    try:
        return parse_money(value, positive=True)
    except MoneyError as error:
        raise PydanticCustomError("call_amount", error.messages[0]) from None


def _percent(value):
    number = _to_decimal(value, positive=True, message=_("必须为大于0且不超过100的百分比"))
    if number > HUNDRED:
        raise PydanticCustomError("call_amount", _("必须为大于0且不超过100的百分比"))
    return number


def _points(value):
    return _to_decimal(value, positive=True, message=_("必须为大于0的分值"))


def _non_negative(value):
    return _to_decimal(value, positive=False, message=_("必须为不小于0的数值"))


def _score_line(value):
    number = _to_decimal(value, positive=True, message=_("必须为大于0且不超过100的分数"))
    if number > HUNDRED:
        raise PydanticCustomError("call_amount", _("必须为大于0且不超过100的分数"))
    return number


def _ratio(value):
    number = _to_decimal(value, positive=True, message=_("必须为大于0且不超过1的比例"))
    if number > 1:
        raise PydanticCustomError("call_amount", _("必须为大于0且不超过1的比例"))
    return number


def _choice(choices_cls):
    values = [value for value in choices_cls.values if value]

    def check(value):
        if value not in values:
            raise PydanticCustomError("call_choice", _("必须为以下之一：{allowed}"), {"allowed": ", ".join(values)})
        return value

    return AfterValidator(check)


Money = Annotated[Decimal, BeforeValidator(_money)]
Percent = Annotated[Decimal, BeforeValidator(_percent)]
Points = Annotated[Decimal, BeforeValidator(_points)]
NonNegative = Annotated[Decimal, BeforeValidator(_non_negative)]
ScoreLine = Annotated[Decimal, BeforeValidator(_score_line)]
Ratio = Annotated[Decimal, BeforeValidator(_ratio)]
Code = Annotated[str, Field(min_length=1, max_length=48, pattern=r"^[a-z0-9][a-z0-9_-]*$")]
Text = Annotated[str, Field(min_length=1)]
Function = Annotated[str, _choice(Organisation.Function)]


def _check_unique(items, key, field):
    duplicates = sorted(str(k) for k, n in Counter(key(item) for item in items).items() if n > 1)
    if duplicates:
        raise rule_error(_("代码重复：%(duplicates)s") % {"duplicates": ", ".join(duplicates)}, field)


class Spec(BaseModel):
    # Numbers typed without quotes (a phone number, a division code) are still accepted as text.
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, str_strip_whitespace=True, frozen=True)


class UnitTypeSpec(Spec):
    code: Code
    name: Annotated[str, Field(min_length=1, max_length=64)]


class AttachmentSpec(Spec):
    code: Code
    title: Annotated[str, Field(min_length=1, max_length=128)]
    path: Text


class InstalmentSpec(Spec):
    code: Code
    name: Annotated[str, Field(min_length=1, max_length=64)]
    percent: Percent
    trigger: Annotated[str, _choice(Instalment.Trigger)]


class EligibilityRuleSpec(Spec):
    code: Code
    clause: Annotated[str, Field(min_length=1, max_length=32)]
    description: Text
    kind: Annotated[str, _choice(EligibilityRule.Kind)]
    metric: str = ""
    operator: Annotated[str, _choice(EligibilityRule.Operator)] | None = None
    threshold: NonNegative | None = None
    applies_to_unit_types: list[Code] = []

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, value):
        if value and value not in KNOWN_METRICS:
            raise PydanticCustomError(
                "call_metric",
                _("未知的校验指标 {metric}，可用指标：{known}"),
                {"metric": value, "known": ", ".join(KNOWN_METRICS)},
            )
        return value

    @model_validator(mode="after")
    def _hard_rules_are_checkable(self):
        if self.kind == EligibilityRule.Kind.HARD:
            for field in ("metric", "operator", "threshold"):
                if getattr(self, field) in (None, ""):
                    raise rule_error(_("硬性条件必须填写校验指标、比较方式和阈值"), field)
        else:
            for field in ("metric", "operator", "threshold"):
                if getattr(self, field) not in (None, ""):
                    raise rule_error(_("定性条件不得填写校验指标、比较方式或阈值"), field)
        return self


class MaterialSpec(Spec):
    code: Code
    name: Annotated[str, Field(min_length=1, max_length=128)]
    clause: Annotated[str, Field(max_length=32)] = ""
    description: str = ""
    required: bool = True
    generated: bool = False
    multiple: bool = False
    accepted_formats: Annotated[list[Annotated[str, Field(pattern=r"^[a-z0-9]{1,8}$")]], Field(min_length=1)]
    max_size_mb: Annotated[int, Field(gt=0, le=500)] = 20


class SelectionItemSpec(Spec):
    code: Code
    group: Literal["material", "defence"]
    name: Annotated[str, Field(min_length=1, max_length=128)]
    description: str = ""
    max_points: Points


class AcceptanceItemSpec(Spec):
    code: Code
    group: Literal["main"] = "main"
    name: Annotated[str, Field(min_length=1, max_length=128)]
    description: str = ""
    max_points: Points


class AcceptanceBandsSpec(Spec):
    """评估验收等次: the lowest total of 优秀/良好/合格, and the share of its points below which a main item fails."""

    excellent: ScoreLine = defaults.ACCEPTANCE_EXCELLENT
    good: ScoreLine = defaults.ACCEPTANCE_GOOD
    qualified: ScoreLine = defaults.ACCEPTANCE_QUALIFIED
    main_item_min_ratio: Ratio = defaults.ACCEPTANCE_MAIN_ITEM_MIN_RATIO

    @model_validator(mode="after")
    def _ordered(self):
        if self.excellent <= self.good:
            raise rule_error(_("优秀分数线必须高于良好分数线"), "excellent")
        if self.good <= self.qualified:
            raise rule_error(_("良好分数线必须高于合格分数线"), "good")
        return self


class ReportDueSpec(Spec):
    """年度建设进展报告的报送截止日: month and day of the year after the reported one; a day past the month's end
    means its last day (day 31 of month 2 is 28 or 29 February)."""

    month: Annotated[int, Field(ge=1, le=12)] = defaults.PROGRESS_REPORT_DUE_MONTH
    day: Annotated[int, Field(ge=1, le=31)] = defaults.PROGRESS_REPORT_DUE_DAY


PLAQUE_PREFIX_PATTERN = r"^[A-Z0-9][A-Z0-9-]*$"
PlaquePrefix = Annotated[str, Field(min_length=1, max_length=16, pattern=PLAQUE_PREFIX_PATTERN)]


def _sum_to_hundred(items, attribute, field, what):
    total = sum((getattr(item, attribute) for item in items), Decimal("0"))
    if total != HUNDRED:
        raise rule_error(
            _("%(what)s合计必须为100，当前为%(total)s") % {"what": what, "total": format(total.normalize(), "f")}, field
        )


class ProjectTypeSpec(Spec):
    code: Code
    name: Annotated[str, Field(min_length=1, max_length=64)]
    plaque_title: Annotated[str, Field(min_length=1, max_length=64)]
    clause: Annotated[str, Field(max_length=32)] = ""
    allowed_unit_types: Annotated[list[Code], Field(min_length=1)]
    quota_min: Annotated[int, Field(ge=0)]
    quota_max: Annotated[int, Field(gt=0)]
    funding_amount: Money
    construction_start: date
    construction_end: date
    score_step: Annotated[Decimal, Field(gt=0, le=10, decimal_places=1)] = Decimal("1")
    pass_line: Annotated[Decimal, Field(ge=0, le=100, decimal_places=2)] = Decimal("60")
    rectification_months: Annotated[int, Field(ge=0, le=24)] = 3
    acceptance_bands: AcceptanceBandsSpec = AcceptanceBandsSpec()
    progress_report_due: ReportDueSpec = ReportDueSpec()
    # Left out: derived from the code as before the field existed (defaults.default_plaque_prefix).
    plaque_number_prefix: PlaquePrefix | None = None
    instalments: Annotated[list[InstalmentSpec], Field(min_length=1)]
    eligibility_rules: list[EligibilityRuleSpec] = []
    materials: Annotated[list[MaterialSpec], Field(min_length=1)]
    selection_rubric: Annotated[list[SelectionItemSpec], Field(min_length=1)]
    acceptance_rubric: Annotated[list[AcceptanceItemSpec], Field(min_length=1)]

    @model_validator(mode="after")
    def _consistent(self):
        if self.quota_min > self.quota_max:
            raise rule_error(_("拟评定数量下限不得大于上限"), "quota_min")
        if self.construction_start >= self.construction_end:
            raise rule_error(_("建设期开始日期必须早于结束日期"), "construction_start")
        _sum_to_hundred(self.instalments, "percent", "instalments", _("拨付比例"))
        _sum_to_hundred(self.selection_rubric, "max_points", "selection_rubric", _("专家评审评分项分值"))
        _sum_to_hundred(self.acceptance_rubric, "max_points", "acceptance_rubric", _("评估验收评分项分值"))
        _check_unique(self.instalments, lambda item: item.code, "instalments")
        _check_unique(self.eligibility_rules, lambda item: item.code, "eligibility_rules")
        _check_unique(self.materials, lambda item: item.code, "materials")
        _check_unique(self.selection_rubric, lambda item: item.code, "selection_rubric")
        _check_unique(self.acceptance_rubric, lambda item: item.code, "acceptance_rubric")
        if self.pass_line > HUNDRED:
            raise rule_error(_("合格分数线不得超过100"), "pass_line")
        return self

    @property
    def plaque_prefix(self):
        return self.plaque_number_prefix or defaults.default_plaque_prefix(self.code)


class CallFile(Spec):
    """One call (申报通知) as written in its YAML file."""

    slug: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")]
    year: Annotated[int, Field(ge=2000, le=2100)]
    city: Annotated[str, Field(min_length=1, max_length=32)]
    title: Annotated[str, Field(min_length=1, max_length=200)]
    issuing_bodies: Annotated[list[Text], Field(min_length=1)]
    published_on: date
    deadline: AwareDatetime
    submission_address: Annotated[str, Field(max_length=200)] = ""
    paper_copies: Annotated[int, Field(ge=0, le=20)] = 3
    contact_name: Annotated[str, Field(min_length=1, max_length=64)]
    contact_phone: Annotated[str, Field(min_length=1, max_length=32)]
    body: str = ""
    fund_source: Annotated[str, Field(max_length=200)] = ""
    recheck_bodies: Annotated[list[Function], Field(min_length=1)]
    recheck_requires_all: bool = True
    consulted_functions: list[Function] = []
    experts_per_application: Annotated[int, Field(ge=1, le=50)] = 5
    acceptance_experts_per_application: Annotated[int, Field(ge=1, le=50)] = 5
    practice: bool = False
    score_aggregation: Annotated[str, _choice(Call.Aggregation)] = Call.Aggregation.TRIMMED_MEAN.value
    # The least number of submitted score sheets for trimming (at least 3, so one total remains).
    trim_minimum_scores: Annotated[int, Field(ge=3, le=50)] = defaults.TRIM_MINIMUM_SCORES
    notice_working_days: Annotated[int, Field(ge=1, le=60)] = 5
    notice_counting: Annotated[str, _choice(Call.NoticeCounting)] = Call.NoticeCounting.FIRST_DAY_COUNTS.value
    first_review_due: date | None = None
    # 申报间隔: a unit designated for a project type may apply for it again only this many years after its plaque
    # (counted from the 授牌日期). Left out: only the construction period of the earlier designation counts. Only a
    # notice that says so sets it; the platform warns the unit and flags it to the reviewers, it does not refuse.
    reapply_waiting_years: Annotated[int, Field(ge=1, le=10)] | None = None
    # 申报编号 <prefix>-<type position>-<counter>: the prefix names the call among all calls of the platform, so a
    # second call of one year (a supplementary round, another city) sets its own. Left out: the year, as before
    # the field existed.
    application_number_prefix: PlaquePrefix | None = None
    unit_types: list[UnitTypeSpec] = []
    attachments: list[AttachmentSpec] = []
    project_types: Annotated[list[ProjectTypeSpec], Field(min_length=1)]

    @property
    def number_prefix(self):
        return self.application_number_prefix or str(self.year)

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo):
        if self.published_on > self.deadline.astimezone(BEIJING).date():
            raise rule_error(_("发布日期不得晚于申报截止日期（北京时间）"), "published_on")
        if self.first_review_due is not None and self.first_review_due < self.deadline.astimezone(BEIJING).date():
            raise rule_error(_("资格初审截止日期不得早于申报截止日期（北京时间）"), "first_review_due")
        _check_unique(self.unit_types, lambda item: item.code, "unit_types")
        _check_unique(self.attachments, lambda item: item.code, "attachments")
        _check_unique(self.project_types, lambda item: item.code, "project_types")
        seen = set()
        for index, project_type in enumerate(self.project_types):
            # Plaque numbers are unique; two types with one prefix would both number from 01.
            if project_type.plaque_prefix in seen:
                raise rule_error(
                    _("牌匾编号前缀 %(plaque_prefix)s 与其他项目类别重复")
                    % {"plaque_prefix": project_type.plaque_prefix},
                    f"project_types[{index}].plaque_number_prefix",
                )
            seen.add(project_type.plaque_prefix)
        if (
            self.score_aggregation == Call.Aggregation.TRIMMED_MEAN
            and self.experts_per_application < self.trim_minimum_scores
        ):
            raise rule_error(
                _(
                    "score_aggregation 为 trimmed_mean（去掉一个最高分和一个最低分后取平均）时，"
                    "experts_per_application（%(experts_per_application)s）"
                    "不得少于 trim_minimum_scores（%(trim_minimum_scores)s）"
                )
                % {
                    "experts_per_application": self.experts_per_application,
                    "trim_minimum_scores": self.trim_minimum_scores,
                },
                "experts_per_application",
            )
        self._check_unit_types((info.context or {}).get("existing_unit_types", ()))
        self._check_registered()
        return self

    def _check_registered(self):
        """Every project type code has a registry entry (its forms, metrics, targets …), and its hard rules name
        metrics its forms feed."""
        for index, project_type in enumerate(self.project_types):
            entry = PROJECT_TYPES.get(project_type.code)
            if entry is None:
                raise rule_error(
                    _("未登记的项目类别 %(code)s：平台没有该类别的申报表、指标和验收目标（已登记：%(project_types)s）")
                    % {"code": project_type.code, "project_types": "、".join(PROJECT_TYPES)},
                    f"project_types[{index}].code",
                )
            for position, rule in enumerate(project_type.eligibility_rules):
                if rule.metric and rule.metric not in entry.metrics:
                    raise rule_error(
                        _("项目类别 %(code)s 的申报表不提供校验指标 %(metric)s（可用：%(metrics)s）")
                        % {"code": project_type.code, "metric": rule.metric, "metrics": "、".join(entry.metrics)},
                        f"project_types[{index}].eligibility_rules[{position}].metric",
                    )

    def _check_unit_types(self, existing):
        known = {unit_type.code for unit_type in self.unit_types} | set(existing)
        for index, project_type in enumerate(self.project_types):
            references = [("allowed_unit_types", project_type.allowed_unit_types)] + [
                (f"eligibility_rules[{i}].applies_to_unit_types", rule.applies_to_unit_types)
                for i, rule in enumerate(project_type.eligibility_rules)
            ]
            for field, codes in references:
                for position, code in enumerate(codes):
                    if code not in known:
                        raise rule_error(
                            _("未声明的单位类型 %(code)s（请在 unit_types 中声明）") % {"code": code},
                            f"project_types[{index}].{field}[{position}]",
                        )
            allowed = set(project_type.allowed_unit_types)
            for i, rule in enumerate(project_type.eligibility_rules):
                outside = [code for code in rule.applies_to_unit_types if code not in allowed]
                if outside:
                    raise rule_error(
                        _("适用单位类型 %(outside)s 不在本项目类别的可申报单位类型中")
                        % {"outside": ", ".join(outside)},
                        f"project_types[{index}].eligibility_rules[{i}].applies_to_unit_types",
                    )
