"""A rendered document (已生成文书): one document of one submitted version, in one format, for one audience,
rendered once by the task worker and stored, so no web request ever renders a submitted version's PDF.

The content of a submitted version never changes, so it is rendered once and served from the storage. It differs
by who reads it in one place only: the unit's own staff get the contact phones in full, everyone else (reviewers,
experts, departments) masked. Both variants are rendered, so what a reader is shown follows the same rule as
before (`organisations.view_contact_phone`) and no reader can ever be served the other's copy.

Not a `core.stored_files.StoredFile`: that describes what a person uploaded (uploader, original name); this file
was made by the worker and is named after the application, so its columns are those of an export job's file.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RenderedDocument(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RENDERING = "rendering", _("生成中")
        READY = "ready", _("已生成")
        FAILED = "failed", _("生成失败")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word"

    class Audience(models.TextChoices):
        UNIT = "unit", _("申报单位（联系电话完整）")
        OTHERS = "others", _("审核评审人员（联系电话隐去中间位）")

    version = models.ForeignKey(
        "applications.ApplicationVersion",
        verbose_name=_("申报版本"),
        on_delete=models.CASCADE,
        related_name="rendered_documents",
    )
    document = models.CharField(_("文书"), max_length=40)  # the URL slug of the document kind (kinds.DOCUMENT_SLUGS)
    file_format = models.CharField(_("格式"), max_length=8, choices=Format.choices)
    audience = models.CharField(_("读者"), max_length=10, choices=Audience.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(_("文件"), upload_to="documents/%Y/%m/", blank=True)
    filename = models.CharField(_("文件名"), max_length=255, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("文件大小"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("生成次数"), default=0)
    error = models.TextField(_("失败原因"), blank=True)
    queued_at = models.DateTimeField(_("排队时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("已生成文书")
        verbose_name_plural = _("已生成文书")
        ordering = ["version", "document", "file_format", "audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "document", "file_format", "audience"], name="one_rendering_per_document"
            )
        ]
        indexes = [models.Index(fields=["status", "started_at"])]

    def __str__(self):
        return f"{self.version} {self.document}.{self.file_format}（{self.get_status_display()}）"
