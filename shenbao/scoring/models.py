"""专家评分 (notice 三3): each expert's score sheet for one assignment, the chair's reopenings, the administrator's
decisions on full ties and the reminders sent to late experts.

The rubric itself is call data (`calls.RubricItem`, rubric "selection"); sheets only point at its items.
Writes go through `shenbao.scoring.services`; nothing here decides anything.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shenbao.applications.models import Application
from shenbao.calls.models import Call, ProjectType, RubricItem
from shenbao.experts.models import Assignment, Panel

SCORE = {"max_digits": 6, "decimal_places": 2}


class ScoreSheet(models.Model):
    """评分表: one expert's scores for one assigned application; a submitted sheet is locked."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assignment = models.OneToOneField(
        Assignment, verbose_name=_("专家分配"), on_delete=models.PROTECT, related_name="score_sheet"
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    overall_opinion = models.TextField(_("总体评价意见"), blank=True)
    # Sums of the entries, kept so the ranking reads one row per sheet; partial while a draft.
    total = models.DecimalField(_("总分"), **SCORE, null=True, blank=True)
    material_total = models.DecimalField(_("资料审查得分"), **SCORE, null=True, blank=True)
    defence_total = models.DecimalField(_("答辩得分"), **SCORE, null=True, blank=True)
    # Incremented by every save; a save carrying an older value is refused (乐观锁: two tabs, one expert).
    revision = models.PositiveIntegerField(_("修订号"), default=0)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("专家评分表")
        verbose_name_plural = _("专家评分表")
        ordering = ["assignment", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False, total__isnull=False),
                name="submitted_sheet_has_time_and_total",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return f"{self.assignment_id} {self.status}"

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED


class ScoreEntry(models.Model):
    """得分: the points and the comment an expert gives one rubric item."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="entries")
    rubric_item = models.ForeignKey(RubricItem, verbose_name=_("评分项"), on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("评语"), blank=True)

    class Meta:
        verbose_name = _("评分项得分")
        verbose_name_plural = _("评分项得分")
        ordering = ["sheet", "rubric_item__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "rubric_item"], name="one_entry_per_sheet_and_item"),
            models.CheckConstraint(condition=Q(points__isnull=True) | Q(points__gte=0), name="points_not_negative"),
        ]

    def __str__(self):
        return f"{self.sheet_id} {self.rubric_item_id}: {self.points}"


class SheetReopening(models.Model):
    """重新打开: the panel chair or the administrator sent a submitted sheet back to its expert, with a reason."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="reopenings")
    reason = models.TextField(_("原因"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    reopened_at = models.DateTimeField(_("时间"))
    previous_total = models.DecimalField(_("原总分"), **SCORE, null=True, blank=True)
    previous_submitted_at = models.DateTimeField(_("原提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评分表重新打开记录")
        verbose_name_plural = _("评分表重新打开记录")
        ordering = ["sheet", "reopened_at", "id"]

    def __str__(self):
        return f"{self.sheet_id} {self.reopened_at:%Y-%m-%d}"


class TieBreak(models.Model):
    """并列名次的决定: applications equal on final, defence and material scores, ordered by the administrator."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call = models.ForeignKey(Call, verbose_name=_("申报通知"), on_delete=models.PROTECT, related_name="+")
    project_type = models.ForeignKey(
        ProjectType, verbose_name=_("项目类别"), on_delete=models.PROTECT, related_name="tie_breaks"
    )
    # The scores the applications shared when decided, shown beside the decision.
    final = models.DecimalField(_("最终得分"), **SCORE)
    defence = models.DecimalField(_("答辩得分"), **SCORE)
    material = models.DecimalField(_("资料审查得分"), **SCORE)
    reason = models.TextField(_("理由"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("决定人"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"))

    class Meta:
        verbose_name = _("并列名次决定")
        verbose_name_plural = _("并列名次决定")
        ordering = ["project_type", "-decided_at", "-id"]
        indexes = [models.Index(fields=["project_type", "-decided_at"])]

    def __str__(self):
        return f"{self.project_type_id} {self.final}"


class TieBreakEntry(models.Model):
    """One application's place (1 = higher) in a tie decision."""

    tie_break = models.ForeignKey(TieBreak, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey(Application, verbose_name=_("申报"), on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("名次"))

    class Meta:
        verbose_name = _("并列名次")
        verbose_name_plural = _("并列名次")
        ordering = ["tie_break", "position"]
        constraints = [
            models.UniqueConstraint(fields=["tie_break", "application"], name="one_place_per_application"),
            models.UniqueConstraint(fields=["tie_break", "position"], name="one_application_per_place"),
        ]

    def __str__(self):
        return f"{self.tie_break_id} #{self.position}"


class PanelReminder(models.Model):
    """催办: the administrator reminded a panel's late experts (who and how many sheets, for the progress page)."""

    panel = models.ForeignKey(Panel, verbose_name=_("专家组"), on_delete=models.CASCADE, related_name="reminders")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("时间"))
    expert_count = models.PositiveSmallIntegerField(_("提醒专家数"))
    sheet_count = models.PositiveSmallIntegerField(_("未提交评分表数"))

    class Meta:
        verbose_name = _("评分催办记录")
        verbose_name_plural = _("评分催办记录")
        ordering = ["panel", "-sent_at", "-id"]
        indexes = [models.Index(fields=["panel", "-sent_at"])]

    def __str__(self):
        return f"{self.panel_id} {self.sent_at:%Y-%m-%d %H:%M}"
