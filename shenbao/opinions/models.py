"""征求意见 (notice 三4): one request per proposed unit and consulted department, and the department's answer."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shenbao.applications.models import Application
from shenbao.organisations.models import Organisation


class OpinionRequest(models.Model):
    """A department's opinion on one proposed unit, as one row of the unit's 审核意见表."""

    class Basis(models.TextChoices):
        SUPERIOR = "superior", _("上级主管单位")
        CONSULTED = "consulted", _("征求意见部门")

    class Response(models.TextChoices):
        PENDING = "", _("待反馈")
        NO_OBJECTION = "no_objection", _("无异议")
        OBJECTION = "objection", _("有异议")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="opinion_requests")
    department = models.ForeignKey(
        Organisation, verbose_name=_("征求意见部门"), on_delete=models.PROTECT, related_name="opinion_requests"
    )
    basis = models.CharField(_("征求依据"), max_length=16, choices=Basis.choices)
    due_on = models.DateField(_("反馈截止日期"))
    requested_at = models.DateTimeField(_("发起时间"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    response = models.CharField(_("意见"), max_length=16, choices=Response.choices, blank=True, default="")
    reason = models.TextField(_("理由"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反馈人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    # An objection the administrator decided not to follow (overrule_opinion) no longer blocks the 公示.
    overruled_at = models.DateTimeField(_("异议处理时间"), null=True, blank=True)
    overruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("异议处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    overrule_reason = models.TextField(_("异议处理理由"), blank=True)

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["application", "basis", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "department"], name="one_opinion_request_per_department")
        ]
        indexes = [models.Index(fields=["department", "response", "due_on"])]

    def __str__(self):
        return f"{self.application_id} → {self.department_id}"

    @property
    def is_open(self):
        return self.response == self.Response.PENDING

    @property
    def is_standing_objection(self):
        return self.response == self.Response.OBJECTION and self.overruled_at is None
