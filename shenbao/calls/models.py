"""A yearly call (申报通知) and everything it parameterises, written from its call document.

The call document (the dict a `calls/<slug>.yaml` file holds) is the canonical form: `load_call` writes it from a
file, the call editor (技能办) from the browser, both through `services.save_call_document`; `exports.
export_call_document` gives it back. Nothing here is edited row by row.
"""

import datetime
import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shenbao.core.money import CENT
from shenbao.organisations.models import Region, UnitType

from . import defaults


def first_late_instant(deadline):
    """The exclusive end of a deadline given as its last in-time second (sub-second digits are dropped)."""
    return deadline.replace(microsecond=0) + datetime.timedelta(seconds=1)


class CallState(models.TextChoices):
    """The call's workflow states (`calls.workflow`): a draft is seen only by its city's call administrators."""

    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class Call(models.Model):
    """申报通知: one call of one city for one year."""

    class Aggregation(models.TextChoices):
        TRIMMED_MEAN = "trimmed_mean", _("去掉一个最高分和一个最低分后取平均")
        MEAN = "mean", _("算术平均")
        MEDIAN = "median", _("中位数")

    class NoticeCounting(models.TextChoices):
        FIRST_DAY_COUNTS = "first_day_counts", _("发布当日为工作日时计入")
        FIRST_DAY_EXCLUDED = "first_day_excluded", _("发布当日不计入（民法典第二百零一条）")

    # Not a column: what `services.save_call_document` changed, set on the call it returns (the command prints it).
    changes: list[str]

    slug = models.SlugField(_("标识"), max_length=64, unique=True)
    city = models.ForeignKey(Region, verbose_name=_("发布城市"), on_delete=models.PROTECT, related_name="calls")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    issuing_bodies = models.JSONField(_("发文单位"), default=list)
    published_on = models.DateField(_("发布日期"))
    submission_deadline = models.DateTimeField(_("申报截止时间"), db_index=True)
    submission_address = models.CharField(_("纸质材料报送地点"), max_length=200, blank=True)
    paper_copies = models.PositiveSmallIntegerField(_("纸质材料份数"), default=3)
    contact_name = models.CharField(_("联系人"), max_length=64)
    contact_phone = models.CharField(_("联系电话"), max_length=32)
    body = models.TextField(_("通知正文"), blank=True)
    fund_source = models.CharField(_("经费来源"), max_length=200, blank=True)
    recheck_bodies = models.JSONField(_("资格复核单位职能"), default=list)
    recheck_requires_all = models.BooleanField(_("资格复核须全部通过"), default=True)
    consulted_functions = models.JSONField(_("征求意见部门职能"), default=list)
    experts_per_application = models.PositiveSmallIntegerField(_("每项申报评审专家数"), default=5)
    # 评估验收 has its own panel size: one rule per stage, enforced where that stage's experts are assigned.
    acceptance_experts_per_application = models.PositiveSmallIntegerField(_("每项评估验收专家数"), default=5)
    score_aggregation = models.CharField(
        _("专家评分汇总方式"), max_length=20, choices=Aggregation.choices, default=Aggregation.TRIMMED_MEAN
    )
    # 去掉最高分和最低分 needs at least this many submitted score sheets; fewer take the plain mean.
    trim_minimum_scores = models.PositiveSmallIntegerField(
        _("去掉最高分和最低分所需的最少评分表数"), default=defaults.TRIM_MINIMUM_SCORES
    )
    notice_working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    notice_counting = models.CharField(
        _("公示期起算规则"), max_length=20, choices=NoticeCounting.choices, default=NoticeCounting.FIRST_DAY_COUNTS
    )
    # 资格初审 is expected to be finished by this day (Beijing time); reviewers are reminded around it.
    first_review_due = models.DateField(_("资格初审截止日期"), null=True, blank=True)
    # The call file's `reapply_waiting_years` (申报间隔): years after a designation before the unit applies again for
    # the same project type; None when the notice sets none (the earlier construction period alone counts).
    reapply_waiting_years = models.PositiveSmallIntegerField(_("再次申报间隔（年）"), null=True, blank=True)
    # 申报编号的前缀 (the call file's `application_number_prefix`, else the year): unique, so numbers of two calls
    # never collide, and a number names its call.
    application_number_prefix = models.CharField(_("申报编号前缀"), max_length=16, unique=True)
    source_file = models.CharField(_("来源文件"), max_length=255)
    source_sha256 = models.CharField(_("来源文件摘要"), max_length=64)
    loaded_at = models.DateTimeField(_("导入时间"), auto_now=True)
    # Calls loaded from files (and every call from before the editor) are published; the editor makes drafts.
    state = models.CharField(_("状态"), max_length=16, choices=CallState.choices, default=CallState.PUBLISHED)
    # The latest change of a published call (通知变更), shown to units that had already started an application.
    revised_at = models.DateTimeField(_("最近变更时间"), null=True, blank=True)
    revision_summary = models.JSONField(_("最近变更内容"), default=list, blank=True)
    # A practice call (「演示」) of the demo profile: clearly marked, and listed publicly only where the
    # deployment shows practice calls.
    is_practice = models.BooleanField(_("演示通知"), default=False)

    class Meta:
        verbose_name = _("申报通知")
        verbose_name_plural = _("申报通知")
        ordering = ["-published_on", "slug"]
        indexes = [models.Index(fields=["city", "-published_on"])]

    def __str__(self):
        return self.title

    @property
    def submission_closes_at(self):
        """The first instant that is late: the second after the deadline's last second.

        The call file names the last second that is still in time (23:59:59 of the deadline day), and users read
        times to the second, so the whole of that second is in time, 23:59:59.999 included
        (`first_late_instant`).
        """
        return first_late_instant(self.submission_deadline)

    @property
    def is_published(self):
        return self.state == CallState.PUBLISHED

    def is_past_deadline(self, *, at=None):
        return (at or timezone.now()) >= self.submission_closes_at

    def is_open(self, *, at=None):
        """Open from the publication day (Beijing time) up to and including the deadline's last second."""
        at = at or timezone.now()
        local_day = timezone.localtime(at).date()
        return self.published_on <= local_day and not self.is_past_deadline(at=at)


class ProjectType(models.Model):
    """项目类别: 市级技师工作站 or 市级技能人才培养基地 (or whatever a future call declares)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="project_types")
    code = models.SlugField(_("代码"), max_length=48)
    name = models.CharField(_("名称"), max_length=64)
    plaque_title = models.CharField(_("牌匾名称"), max_length=64)
    clause = models.CharField(_("通知条款"), max_length=32, blank=True)
    allowed_unit_types = models.ManyToManyField(UnitType, verbose_name=_("可申报单位类型"), related_name="+")
    quota_min = models.PositiveSmallIntegerField(_("拟评定数量下限"))
    quota_max = models.PositiveSmallIntegerField(_("拟评定数量上限"))
    funding_amount = models.DecimalField(_("建设扶持经费（元）"), max_digits=12, decimal_places=2)
    construction_start = models.DateField(_("建设期开始"))
    construction_end = models.DateField(_("建设期结束"))
    score_step = models.DecimalField(_("评分步长"), max_digits=3, decimal_places=1, default=Decimal("1"))
    pass_line = models.DecimalField(_("合格分数线"), max_digits=5, decimal_places=2, default=Decimal("60"))
    rectification_months = models.PositiveSmallIntegerField(_("验收整改期（月）"), default=3)
    acceptance_excellent_min = models.DecimalField(
        _("验收优秀分数线"), max_digits=5, decimal_places=2, default=defaults.ACCEPTANCE_EXCELLENT
    )
    acceptance_good_min = models.DecimalField(
        _("验收良好分数线"), max_digits=5, decimal_places=2, default=defaults.ACCEPTANCE_GOOD
    )
    acceptance_qualified_min = models.DecimalField(
        _("验收合格分数线"), max_digits=5, decimal_places=2, default=defaults.ACCEPTANCE_QUALIFIED
    )
    acceptance_main_item_min_ratio = models.DecimalField(
        _("验收主要指标最低得分比例"), max_digits=3, decimal_places=2, default=defaults.ACCEPTANCE_MAIN_ITEM_MIN_RATIO
    )
    progress_report_due_month = models.PositiveSmallIntegerField(
        _("年度进展报告报送截止月份（次年）"), default=defaults.PROGRESS_REPORT_DUE_MONTH
    )
    progress_report_due_day = models.PositiveSmallIntegerField(
        _("年度进展报告报送截止日"), default=defaults.PROGRESS_REPORT_DUE_DAY
    )
    # Blank only on rows made outside a call file (tests, fixtures); the loader always writes one.
    plaque_number_prefix = models.CharField(_("牌匾编号前缀"), max_length=16, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("项目类别")
        verbose_name_plural = _("项目类别")
        ordering = ["call", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["call", "code"], name="unique_project_type_code")]

    def __str__(self):
        return self.name


class Instalment(models.Model):
    """One part of the funding (启动经费 40% at designation, 60% after a passed acceptance)."""

    class Trigger(models.TextChoices):
        DESIGNATION = "designation", _("评定授牌后")
        ACCEPTANCE_PASSED = "acceptance_passed", _("评估验收合格后")

    project_type = models.ForeignKey(ProjectType, on_delete=models.CASCADE, related_name="instalments")
    sequence = models.PositiveSmallIntegerField(_("序号"))
    code = models.SlugField(_("代码"), max_length=48)
    name = models.CharField(_("名称"), max_length=64)
    percent = models.DecimalField(_("比例（%）"), max_digits=5, decimal_places=2)
    trigger = models.CharField(_("拨付条件"), max_length=32, choices=Trigger.choices)

    class Meta:
        verbose_name = _("拨付批次")
        verbose_name_plural = _("拨付批次")
        ordering = ["project_type", "sequence"]
        constraints = [models.UniqueConstraint(fields=["project_type", "code"], name="unique_instalment_code")]

    def __str__(self):
        return f"{self.name} {self.percent}%"


def split_instalments(total, percents):
    """Amounts to the fen for each percentage; the last part takes the rounding remainder."""
    amounts = [(total * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP) for percent in percents[:-1]]
    return [*amounts, total - sum(amounts, Decimal("0"))]


class EligibilityRule(models.Model):
    """申报条件: a quantitative hard rule checked by the system, or a qualitative one for reviewers."""

    class Kind(models.TextChoices):
        HARD = "hard", _("硬性条件（系统校验）")
        QUALITATIVE = "qualitative", _("定性条件（审核人员判断）")

    class Operator(models.TextChoices):
        GTE = ">=", "≥"
        GT = ">", ">"
        LTE = "<=", "≤"
        LT = "<", "<"
        EQ = "==", "="

    project_type = models.ForeignKey(ProjectType, on_delete=models.CASCADE, related_name="eligibility_rules")
    code = models.SlugField(_("代码"), max_length=48)
    clause = models.CharField(_("通知条款"), max_length=32)
    description = models.TextField(_("条件"))
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    metric = models.CharField(_("校验指标"), max_length=64, blank=True)
    operator = models.CharField(_("比较方式"), max_length=2, choices=Operator.choices, blank=True)
    threshold = models.DecimalField(_("阈值"), max_digits=12, decimal_places=2, null=True, blank=True)
    applies_to_unit_types = models.ManyToManyField(
        UnitType, verbose_name=_("适用单位类型（空为全部）"), blank=True, related_name="+"
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("申报条件")
        verbose_name_plural = _("申报条件")
        ordering = ["project_type", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["project_type", "code"], name="unique_eligibility_rule_code")]

    def __str__(self):
        return f"{self.clause} {self.description}"


class MaterialRequirement(models.Model):
    """申报材料: a document the unit uploads (or the system generates) for one project type."""

    project_type = models.ForeignKey(ProjectType, on_delete=models.CASCADE, related_name="materials")
    code = models.SlugField(_("代码"), max_length=48)
    name = models.CharField(_("名称"), max_length=128)
    clause = models.CharField(_("通知条款"), max_length=32, blank=True)
    description = models.TextField(_("说明"), blank=True)
    required = models.BooleanField(_("必交"), default=True)
    generated = models.BooleanField(_("由系统生成"), default=False)
    # Several files at once (members' certificates, evidence); otherwise a new upload replaces the current file.
    allow_multiple = models.BooleanField(_("可上传多个文件"), default=False)
    accepted_formats = models.JSONField(_("允许格式"), default=list)
    max_size_mb = models.PositiveSmallIntegerField(_("大小上限（MB）"), default=20)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["project_type", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["project_type", "code"], name="unique_material_code")]

    def __str__(self):
        return self.name


class RubricItem(models.Model):
    """评分细则: one scored item of the selection rubric or the acceptance rubric."""

    class Rubric(models.TextChoices):
        SELECTION = "selection", _("专家评审")
        ACCEPTANCE = "acceptance", _("评估验收")

    class Group(models.TextChoices):
        MATERIAL = "material", _("资料审查")
        DEFENCE = "defence", _("答辩")
        MAIN = "main", _("验收主要指标")

    project_type = models.ForeignKey(ProjectType, on_delete=models.CASCADE, related_name="rubric_items")
    rubric = models.CharField(_("评分表"), max_length=16, choices=Rubric.choices)
    group = models.CharField(_("评分环节"), max_length=16, choices=Group.choices)
    code = models.SlugField(_("代码"), max_length=48)
    name = models.CharField(_("评分项"), max_length=128)
    description = models.TextField(_("评分要点"), blank=True)
    max_points = models.DecimalField(_("分值"), max_digits=5, decimal_places=2)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["project_type", "rubric", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["project_type", "rubric", "code"], name="unique_rubric_item")]

    def __str__(self):
        return f"{self.name} ({self.max_points})"


class CallAttachment(models.Model):
    """附件: a template the call publishes for download (申报书, 实施方案 …)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="attachments")
    code = models.SlugField(_("代码"), max_length=48)
    title = models.CharField(_("标题"), max_length=128)
    file = models.FileField(_("文件"), upload_to="calls/attachments/")
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("通知附件")
        verbose_name_plural = _("通知附件")
        ordering = ["call", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["call", "code"], name="unique_attachment_code")]

    def __str__(self):
        return self.title


class CallVersion(models.Model):
    """One saved state of a published call's document (通知变更记录): who changed what, when."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    document = models.JSONField(_("通知内容"))
    summary = models.JSONField(_("变更内容"), default=list)
    author = models.ForeignKey(
        "accounts.User", verbose_name=_("修改人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("修改时间"))

    class Meta:
        verbose_name = _("申报通知版本")
        verbose_name_plural = _("申报通知版本")
        ordering = ["call", "-number"]
        constraints = [models.UniqueConstraint(fields=["call", "number"], name="unique_call_version")]

    def __str__(self):
        return f"{self.call} v{self.number}"


class ExtensionReason(models.TextChoices):
    FORCE_MAJEURE = "force_majeure", _("不可抗力")
    SYSTEM_FAULT = "system_fault", _("系统故障")
    OTHER = "other", _("其他原因")


class ExtensionState(models.TextChoices):
    """The extension's workflow states (`calls.extension_workflow`)."""

    GRANTED = "granted", _("已批准")
    REVOKED = "revoked", _("已撤销")


class DeadlineExtension(models.Model):
    """延期提交: the 技能办 lets one unit submit to one call later than the call's deadline, for a stated reason.

    `deadline` is read like the call's: the last second that is still in time. At most one granted extension per
    call and unit; a revoked one stays as the record of what was decided.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="deadline_extensions")
    unit = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("申报单位"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateTimeField(_("延长至"))
    reason_kind = models.CharField(_("延期原因类别"), max_length=20, choices=ExtensionReason.choices)
    reason = models.TextField(_("延期原因"))
    state = models.CharField(_("状态"), max_length=16, choices=ExtensionState.choices, default=ExtensionState.GRANTED)
    granted_by = models.ForeignKey(
        "accounts.User", verbose_name=_("批准人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(_("批准时间"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("延期提交")
        verbose_name_plural = _("延期提交")
        ordering = ["call", "-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "unit"],
                condition=models.Q(state="granted"),
                name="one_granted_extension_per_call_and_unit",
            )
        ]

    def __str__(self):
        return f"{self.call_id}/{self.unit_id}: {self.deadline}"

    @property
    def closes_at(self):
        """The first late instant of the extended deadline (the whole last second is in time, as for the call)."""
        return first_late_instant(self.deadline)
