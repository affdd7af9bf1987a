"""Construction period and 评估验收 (notice 五; DOMAIN.md §7) of a designated unit.

- `ProgressReport` (建设进展报告): one per year of the construction period, against the unit's own targets, which
  are copied from its submitted 申报书 / 实施方案 when the report is started (`targets.py`), so a report always
  reads against what the unit promised; `FundUse` rows hold the use of funds by category.
- `AcceptanceEvaluation` (评估验收): round 1, and after a failure and a `Rectification` (整改) round 2. The unit
  scores itself (`SelfScore`), experts score the acceptance rubric (`ExpertReview` + `ReviewScore`), the
  administrator records the result (`ItemResult` per rubric item, the total and the band).
- `EvidenceFile` (佐证材料): files attached to a report, a self-evaluation or a rectification report.

Writes go through `services` (reports, rectification, evidence) and `evaluations` (acceptance); nothing here decides.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shenbao.applications.models import Application
from shenbao.calls.models import RubricItem
from shenbao.core.stored_files import StoredFile

MONEY = {"max_digits": 12, "decimal_places": 2}
POINTS = {"max_digits": 6, "decimal_places": 2}


class ProgressReport(models.Model):
    """建设进展报告: a designated unit's report on one year of its construction period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交，待审核")
        ACCEPTED = "accepted", _("审核通过")
        RETURNED = "returned", _("退回修改")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.PROTECT, related_name="progress_reports"
    )
    year = models.PositiveSmallIntegerField(_("报告年度"))
    due_on = models.DateField(_("报送截止日期"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Snapshot of the unit's own targets for this year (targets.Target as dicts), taken when the report starts.
    targets = models.JSONField(_("建设目标"), default=list)
    # What was achieved, keyed by target key: {"achieved": "…", "status": "…", "note": "…"}.
    progress = models.JSONField(_("完成情况"), default=dict, blank=True)
    narrative = models.TextField(_("年度建设情况综述"), blank=True)
    # Incremented by every save; a save carrying an older value is refused (two windows, two staff members).
    revision = models.PositiveIntegerField(_("修订号"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("建设进展报告")
        verbose_name_plural = _("建设进展报告")
        ordering = ["application", "year"]
        constraints = [models.UniqueConstraint(fields=["application", "year"], name="one_progress_report_per_year")]
        indexes = [models.Index(fields=["status", "year", "-submitted_at"])]

    def __str__(self):
        return f"{self.application.number} {self.year}"


class FundUse(models.Model):
    """经费使用: what one report says was spent in one category (元), beside what the plan foresaw."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="fund_uses")
    category = models.SlugField(_("支出类别代码"), max_length=48)
    label = models.CharField(_("支出类别"), max_length=64)
    planned_subsidy = models.DecimalField(_("计划扶持经费（元）"), null=True, blank=True, **MONEY)
    planned_own = models.DecimalField(_("计划自筹资金（元）"), null=True, blank=True, **MONEY)
    subsidy_spent = models.DecimalField(_("扶持经费支出（元）"), default=0, **MONEY)
    own_spent = models.DecimalField(_("自筹资金支出（元）"), default=0, **MONEY)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("经费使用")
        verbose_name_plural = _("经费使用")
        ordering = ["report", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["report", "category"], name="one_fund_use_per_category")]

    def __str__(self):
        return self.label


class AcceptanceEvaluation(models.Model):
    """评估验收: one round (1, or 2 after rectification) of a designated unit's acceptance evaluation."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("自评填报中")
        SUBMITTED = "submitted", _("已申请验收，专家评分中")
        DECIDED = "decided", _("已出验收结论")

    class Band(models.TextChoices):
        EXCELLENT = "excellent", _("优秀")
        GOOD = "good", _("良好")
        QUALIFIED = "qualified", _("合格")
        FAILED = "failed", _("不合格")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.PROTECT, related_name="acceptance_evaluations"
    )
    round = models.PositiveSmallIntegerField(_("验收轮次"), default=1)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("自评报告"), blank=True)
    self_total = models.DecimalField(_("自评总分"), null=True, blank=True, **POINTS)
    revision = models.PositiveIntegerField(_("修订号"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("申请验收时间"), null=True, blank=True)
    total = models.DecimalField(_("验收得分"), null=True, blank=True, **POINTS)
    band = models.CharField(_("验收等次"), max_length=16, choices=Band.choices, blank=True)
    decided_on = models.DateField(_("结论日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结论确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("结论确认时间"), null=True, blank=True)
    conclusion = models.TextField(_("验收结论意见"), blank=True)
    # Round 2 closed without scores because the unit did not submit its rectification report in time.
    rectification_missed = models.BooleanField(_("逾期未整改"), default=False)

    # Not a column: set by `selectors.get_project_overview` (this round's rectification, for the project page).
    rectification_row: "Rectification | None"

    class Meta:
        verbose_name = _("评估验收")
        verbose_name_plural = _("评估验收")
        ordering = ["application", "round"]
        constraints = [
            models.UniqueConstraint(fields=["application", "round"], name="one_acceptance_evaluation_per_round")
        ]
        indexes = [models.Index(fields=["status", "-submitted_at"])]

    def __str__(self):
        return f"{self.application.number} 第{self.round}轮"

    @property
    def passed(self):
        return bool(self.band) and self.band != self.Band.FAILED

    @property
    def failed(self):
        return self.band == self.Band.FAILED


class SelfScore(models.Model):
    """自评得分 of one acceptance rubric item."""

    evaluation = models.ForeignKey(AcceptanceEvaluation, on_delete=models.CASCADE, related_name="self_scores")
    rubric_item = models.ForeignKey(RubricItem, verbose_name=_("评分项"), on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("自评分"), **POINTS)

    class Meta:
        verbose_name = _("自评得分")
        verbose_name_plural = _("自评得分")
        constraints = [models.UniqueConstraint(fields=["evaluation", "rubric_item"], name="one_self_score_per_item")]

    def __str__(self):
        return f"{self.rubric_item_id}: {self.points}"


class ExpertReview(models.Model):
    """专家验收评分表: one expert's scores on one evaluation; submitting locks it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    evaluation = models.ForeignKey(AcceptanceEvaluation, on_delete=models.PROTECT, related_name="reviews")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="acceptance_reviews"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("指派人"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("指派时间"))
    removed_at = models.DateTimeField(_("撤回指派时间"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回指派人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opinion = models.TextField(_("专家意见"), blank=True)
    total = models.DecimalField(_("总分"), null=True, blank=True, **POINTS)
    revision = models.PositiveIntegerField(_("修订号"), default=0)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家验收评分表")
        verbose_name_plural = _("专家验收评分表")
        ordering = ["evaluation", "assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "expert"],
                condition=Q(removed_at__isnull=True),
                name="one_active_acceptance_review_per_expert",
            )
        ]
        indexes = [models.Index(fields=["expert", "removed_at", "-assigned_at"])]

    def __str__(self):
        return f"{self.evaluation} · {self.expert}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class ReviewScore(models.Model):
    """One expert's points on one acceptance rubric item."""

    review = models.ForeignKey(ExpertReview, on_delete=models.CASCADE, related_name="scores")
    rubric_item = models.ForeignKey(RubricItem, verbose_name=_("评分项"), on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("得分"), **POINTS)

    class Meta:
        verbose_name = _("专家评分")
        verbose_name_plural = _("专家评分")
        constraints = [models.UniqueConstraint(fields=["review", "rubric_item"], name="one_review_score_per_item")]

    def __str__(self):
        return f"{self.rubric_item_id}: {self.points}"


class ItemResult(models.Model):
    """The aggregated score of one rubric item in a decided evaluation (the band reads these and the total)."""

    evaluation = models.ForeignKey(AcceptanceEvaluation, on_delete=models.CASCADE, related_name="item_results")
    rubric_item = models.ForeignKey(RubricItem, verbose_name=_("评分项"), on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("汇总得分"), **POINTS)
    max_points = models.DecimalField(_("分值"), **POINTS)
    is_main = models.BooleanField(_("主要指标"), default=True)
    below_minimum = models.BooleanField(_("低于该项分值的最低比例"), default=False)

    class Meta:
        verbose_name = _("验收评分项结果")
        verbose_name_plural = _("验收评分项结果")
        ordering = ["evaluation", "rubric_item__sort_order"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "rubric_item"], name="one_item_result_per_item")]

    def __str__(self):
        return f"{self.rubric_item_id}: {self.points}"


class Rectification(models.Model):
    """整改: after a failed first evaluation, the unit's rectification report, due within the call's months."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("整改中")
        SUBMITTED = "submitted", _("已提交整改报告")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    evaluation = models.OneToOneField(AcceptanceEvaluation, on_delete=models.PROTECT, related_name="rectification")
    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.PROTECT, related_name="rectifications"
    )
    due_on = models.DateField(_("整改截止日期"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    report = models.TextField(_("整改报告"), blank=True)
    revision = models.PositiveIntegerField(_("修订号"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("验收整改")
        verbose_name_plural = _("验收整改")
        ordering = ["application", "due_on"]

    def __str__(self):
        return f"{self.application.number} 整改"


class EvidenceFile(StoredFile):
    """佐证材料: a file attached to a progress report, a self-evaluation or a rectification report.

    Checked by the one upload pipeline like the application's materials (`core.uploads`) and
    stored under a generated name; a removed file stays (is_current=False), nothing is lost.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Denormalised from the owner so every scope check is one indexed filter.
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="acceptance_evidence")
    report = models.ForeignKey(ProgressReport, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence")
    evaluation = models.ForeignKey(
        AcceptanceEvaluation, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    rectification = models.ForeignKey(
        Rectification, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to="acceptance/evidence/%Y/%m/")
    is_current = models.BooleanField(_("当前有效"), default=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(report__isnull=False, evaluation__isnull=True, rectification__isnull=True)
                    | Q(report__isnull=True, evaluation__isnull=False, rectification__isnull=True)
                    | Q(report__isnull=True, evaluation__isnull=True, rectification__isnull=False)
                ),
                name="evidence_has_exactly_one_owner",
            )
        ]
        indexes = [models.Index(fields=["application", "is_current"])]
