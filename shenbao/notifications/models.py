"""Site notifications (站内消息) and the record of due-date reminders already sent.

Rows are written only by `services` (workflow steps) and `reminders` (the daily command); the inbox reads them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shenbao.applications.models import Application


class Notification(models.Model):
    """One message to one user: shown in the inbox, and e-mailed when the user has an address."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("收件人"), on_delete=models.CASCADE, related_name="notifications"
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("申报"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # "workflow:<transition>" or "reminder:<kind>", so a message can be traced back to what caused it.
    event = models.CharField(_("事件"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息通知")
        verbose_name_plural = _("消息通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The inbox (unread first, newest first) and the unread count in the page header.
            models.Index(fields=["recipient", "read_at", "-created_at"]),
            models.Index(fields=["application", "event"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None


class Reminder(models.Model):
    """A due-date reminder already sent: at most one per stage, recipient, due date and milestone.

    The unique constraint is what makes `send_due_reminders` safe to run any number of times a day.
    """

    class Kind(models.TextChoices):
        FIRST_REVIEW = "first_review", _("资格初审到期提醒")
        RESUBMISSION = "resubmission", _("补正材料到期提醒")
        OPINION = "opinion", _("征求意见到期提醒")

    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField(_("截止日期"))
    # Days before the due date this reminder stands for (2 = two days before, 0 = the day, -1 = the day after).
    milestone = models.SmallIntegerField(_("提醒节点"))
    sent_at = models.DateTimeField(_("发送时间"))
    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("到期提醒记录")
        verbose_name_plural = _("到期提醒记录")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "application", "recipient", "due_date", "milestone"], name="one_reminder_per_milestone"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_date} ({self.milestone})"
