"""通知公告: a city's announcements (the call itself, 答辩 notices, the 公示, the 授牌名单, acceptance results …),
drafted by one call administrator (技能办), reviewed by a second one of the same city, then published and, if need
be, withdrawn with a reason. The states and steps are `workflow.MACHINE`; the public pages show only published ones.

The body is plain text: paragraphs separated by blank lines, rendered escaped (no HTML from users ever reaches a
page or the bureau's website).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shenbao.calls.models import Call
from shenbao.core.stored_files import StoredFile
from shenbao.organisations.models import Region


class Announcement(models.Model):
    class Kind(models.TextChoices):
        CALL = "call", _("申报通知")
        DEFENCE = "defence", _("答辩通知")
        NOTICE = "notice", _("公示")
        DESIGNATION = "designation", _("授牌名单")
        ACCEPTANCE = "acceptance", _("验收结果")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        IN_REVIEW = "in_review", _("待审核")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤回")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    city = models.ForeignKey(Region, verbose_name=_("城市"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), help_text=_("纯文本，空行分段。"))
    call = models.ForeignKey(
        Call, verbose_name=_("相关申报通知"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("起草时间"))
    updated_at = models.DateTimeField(_("修改时间"))
    submitted_at = models.DateTimeField(_("送审时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_comment = models.TextField(_("审核意见"), blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤回原因"), blank=True)

    class Meta:
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")
        ordering = ["-published_at", "-updated_at", "-id"]
        indexes = [
            # The public lists (a city's, the home page's): published ones, newest first.
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["city", "status", "-published_at"]),
            models.Index(fields=["city", "-updated_at"]),
        ]

    def __str__(self):
        return self.title


def attachment_upload_to(instance, filename):
    # A generated name: the uploader's file name is kept only as data, never as a path.
    return f"announcements/{instance.announcement.public_id}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class AnnouncementAttachment(StoredFile):
    """A file published with an announcement (附件), checked by the one upload pipeline."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_upload_to, max_length=255)

    class Meta:
        verbose_name = _("公告附件")
        verbose_name_plural = _("公告附件")
        ordering = ["announcement", "id"]
