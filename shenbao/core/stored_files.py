"""The columns every stored upload has (申报材料, 签字盖章扫描件, 初审盖章扫描件, 佐证材料): one abstract model, so a
file's name, type, size, digest and uploader are described once. Each concrete model sets `file` again with its own
`upload_to` (a directory per kind), and adds what ties the file to its owner."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    """A file that went through the upload pipeline (`core.uploads`), with what the pipeline established."""

    file = models.FileField(_("文件"), upload_to="uploads/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name
