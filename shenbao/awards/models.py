"""授牌 (notice 三6): the designation document (发文) and one plaque (牌匾) per awarded unit."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shenbao.applications.models import Application
from shenbao.calls.models import Call, ProjectType
from shenbao.core.verification import new_verification_code


class Designation(models.Model):
    """命名文件: the two issuing bodies' document naming the units; call-wide or for one project type."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call = models.ForeignKey(Call, verbose_name=_("申报通知"), on_delete=models.PROTECT, related_name="designations")
    project_type = models.ForeignKey(
        ProjectType,
        verbose_name=_("项目类别（空为全部）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="designations",
    )
    title = models.CharField(_("文件标题"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=64, blank=True)
    issued_on = models.DateField(_("发文日期"))
    issuing_bodies = models.JSONField(_("发文单位"), default=list)
    verification_code = models.CharField(
        _("核验码"), max_length=16, unique=True, default=new_verification_code, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("命名文件")
        verbose_name_plural = _("命名文件")
        ordering = ["call", "project_type", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call"], condition=Q(project_type__isnull=True), name="one_call_wide_designation"
            ),
            models.UniqueConstraint(
                fields=["call", "project_type"],
                condition=Q(project_type__isnull=False),
                name="one_designation_per_project_type",
            ),
        ]

    def __str__(self):
        return self.title


class Plaque(models.Model):
    """牌匾: the plaque and its certificate for one awarded application."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="plaque")
    designation = models.ForeignKey(Designation, on_delete=models.PROTECT, related_name="plaques")
    title = models.CharField(_("牌匾名称"), max_length=64)
    number = models.CharField(_("牌匾编号"), max_length=32, unique=True)
    sequence = models.PositiveIntegerField(_("序号"))
    issued_on = models.DateField(_("授牌日期"))
    verification_code = models.CharField(
        _("核验码"), max_length=16, unique=True, default=new_verification_code, editable=False
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("牌匾")
        verbose_name_plural = _("牌匾")
        ordering = ["designation", "number"]

    def __str__(self):
        return f"{self.number} {self.title}"
