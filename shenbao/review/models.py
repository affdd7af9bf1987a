"""资格初审 and 资格复核 records.

- `FirstReviewChecklist`: the reviewer's working checklist for one submitted version (saved as the reviewer
  goes, so a batch pass can use it); one per application and version.
- `FirstReviewRecord`: a first-review decision (pass / return / reject) with the checklist and the recommendation
  as they were at the moment of the decision; never changed afterwards.
- `FirstReviewSeal`: the scan of the first-review body's sealed opinion (盖章扫描件) for one submitted version,
  uploaded through the one upload pipeline; a pass needs one and its record names the one it was decided with.
- `RecheckDecision`: one re-check body's decision on one round (a round is the submitted version being checked,
  so a resubmitted application is re-checked afresh).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shenbao.applications.models import Application
from shenbao.core.stored_files import StoredFile
from shenbao.organisations.models import Organisation


class Decision(models.TextChoices):
    PASS = "pass", _("通过")
    RETURN = "return", _("退回修改")
    REJECT = "reject", _("不予通过")


class Judgement(models.TextChoices):
    MET = "met", _("符合")
    NOT_MET = "not_met", _("不符合")


class FirstReviewChecklist(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="first_review_checklists")
    version_sequence = models.PositiveIntegerField(_("审核版本"))
    # {rule code: {"judgement": "met" | "not_met" | "", "note": str}}
    items = models.JSONField(_("核查结果"), default=dict)
    recommendation = models.TextField(_("推荐意见"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填写人"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("资格初审核查表")
        verbose_name_plural = _("资格初审核查表")
        constraints = [
            models.UniqueConstraint(fields=["application", "version_sequence"], name="one_checklist_per_version")
        ]

    def __str__(self):
        return f"{self.application_id} v{self.version_sequence}"


class FirstReviewSeal(StoredFile):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="first_review_seals")
    version_sequence = models.PositiveIntegerField(_("审核版本"))
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("初审单位"), on_delete=models.PROTECT, related_name="first_review_seals"
    )
    file = models.FileField(_("文件"), upload_to="review/seals/%Y/%m/")

    class Meta:
        verbose_name = _("资格初审盖章扫描件")
        verbose_name_plural = _("资格初审盖章扫描件")
        ordering = ["application", "version_sequence", "uploaded_at", "pk"]
        indexes = [models.Index(fields=["application", "version_sequence", "-uploaded_at"])]


class FirstReviewRecord(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="first_review_records")
    version_sequence = models.PositiveIntegerField(_("审核版本"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("初审单位"), on_delete=models.PROTECT, related_name="first_review_records"
    )
    decision = models.CharField(_("初审结论"), max_length=16, choices=Decision.choices)
    # [{code, clause, description, kind, applies, auto_passed, auto_value, judgement, note}]
    checklist = models.JSONField(_("核查表"), default=list)
    recommendation = models.TextField(_("推荐意见"), blank=True)
    # The sealed scan the pass was decided with (kept: a later upload for another version does not change it).
    seal = models.ForeignKey(
        FirstReviewSeal, verbose_name=_("盖章扫描件"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("退回或不通过理由"), blank=True)
    resubmission_due = models.DateField(_("补正截止日期"), null=True, blank=True)
    at = models.DateTimeField(_("审核时间"))
    # The application's newest record (what the 初审汇总表 shows), kept by `effects.add_first_review_record` under
    # the application's row lock: finding it by "no newer record" cost the summary of a large call two scans of
    # every record in the province (38 + 43 ms at 80,000 records).
    is_latest = models.BooleanField(_("最新一次初审"), default=True, editable=False)

    class Meta:
        verbose_name = _("资格初审记录")
        verbose_name_plural = _("资格初审记录")
        ordering = ["application", "at", "pk"]
        indexes = [models.Index(fields=["application", "-at"]), models.Index(fields=["organisation", "-at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=models.Q(is_latest=True), name="review_one_latest_first_review"
            )
        ]

    def __str__(self):
        return f"{self.application_id} {self.decision}"


class RecheckDecision(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="recheck_decisions")
    round = models.PositiveIntegerField(_("复核轮次"))  # the version sequence being re-checked
    body = models.ForeignKey(
        Organisation, verbose_name=_("复核单位"), on_delete=models.PROTECT, related_name="recheck_decisions"
    )
    decision = models.CharField(_("复核结论"), max_length=16, choices=Decision.choices)
    comment = models.TextField(_("复核意见"), blank=True)
    resubmission_due = models.DateField(_("补正截止日期"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("复核人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("复核时间"))

    class Meta:
        verbose_name = _("资格复核决定")
        verbose_name_plural = _("资格复核决定")
        ordering = ["application", "round", "at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "round", "body"], name="one_recheck_decision_per_body")
        ]

    def __str__(self):
        return f"{self.application_id} r{self.round} {self.body_id} {self.decision}"
