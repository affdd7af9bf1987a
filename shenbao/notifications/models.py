"""Site notifications (站内消息) and the record of due-date reminders already sent.

Rows are written only by `services` (workflow steps) and `reminders` (the daily command); the inbox reads them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shenbao.applications.models import Application
from shenbao.core.fields import EncryptedCharField


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


class QueuedMessage(models.Model):
    """What every queued outgoing message has (e-mail, SMS): its purpose, delivery state, attempts and times; the
    outbox claims a due row, sends it and schedules the next attempt with back-off (`outbox`, `texting`)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        GIVEN_UP = "given_up", _("发送失败，已停止重试")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    purpose = models.CharField(_("用途"), max_length=64)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    created_at = models.DateTimeField(_("加入队列时间"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now)
    claimed_at = models.DateTimeField(_("开始发送时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_error = models.CharField(_("最近一次错误"), max_length=500, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]


class OutgoingEmail(QueuedMessage):
    """发件队列: every e-mail the platform sends, written in the user's transaction and sent by the task worker.

    The user's action never waits for, or fails because of, the mail server: `outbox.queue_email` inserts a row,
    the task sends it after the commit, a failure schedules the next attempt with back-off (`next_attempt_at`),
    and after the last attempt the row is given up and shown to the system administrator, who may retry it.
    `marks` names a timestamp field to fill on another row once the mail went out
    ({"model": "notices.Objection", "pk": 5, "field": "reply_emailed_at"}), so pages can say 「已发送」 truthfully.
    """

    to = models.JSONField(_("收件人"), default=list)
    subject = models.CharField(_("主题"), max_length=300)
    body = models.TextField(_("正文"))
    marks = models.JSONField(_("发送后标记"), default=dict, blank=True)

    class Meta(QueuedMessage.Meta):
        verbose_name = _("待发邮件")
        verbose_name_plural = _("发件队列")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return self.subject


class MessageTemplate(models.Model):
    """A city's own wording of one workflow notification (`event` is "workflow:<step>").

    Why per city without an editable platform-wide row: the defaults are the platform's own texts in
    `messages.py` (translated, reviewed with the code), and the only people who edit wording are each city's 技能办;
    a platform-wide editable row would have no editor. No row means the default; a blank field means that part's
    default (a blank SMS text sends no SMS, as before templates existed). Reset deletes the row.
    """

    city = models.ForeignKey("organisations.Region", on_delete=models.CASCADE, related_name="+")
    event = models.CharField(_("事件"), max_length=64)
    title = models.CharField(_("站内消息标题"), max_length=200, blank=True)
    body = models.TextField(_("站内消息内容"), blank=True)
    email_subject = models.CharField(_("邮件主题"), max_length=200, blank=True)
    email_body = models.TextField(_("邮件正文"), blank=True)
    sms_text = models.CharField(_("短信内容"), max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    class Meta:
        verbose_name = _("消息模板")
        verbose_name_plural = _("消息模板")
        constraints = [models.UniqueConstraint(fields=["city", "event"], name="one_message_template_per_city_event")]

    def __str__(self):
        return self.event


class OutgoingSms(QueuedMessage):
    """短信发送队列: every text message, queued in the caller's transaction and sent by the task worker with
    back-off retries like `OutgoingEmail` (`texting.py`); a given-up row stays visible to the system administrator.
    The number is personal data: stored encrypted, shown masked."""

    to = EncryptedCharField(_("手机号码"), max_length=32)
    text = models.CharField(_("短信内容"), max_length=500)

    class Meta(QueuedMessage.Meta):
        verbose_name = _("待发短信")
        verbose_name_plural = _("短信发送队列")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="sms_outbox_due")]

    def __str__(self):
        return self.purpose


class BulkMessage(models.Model):
    """群发消息: one message the 技能办 sent to the applicant accounts of a filtered set of units."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    city = models.ForeignKey("organisations.Region", on_delete=models.PROTECT, related_name="+")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    sms_text = models.CharField(_("短信内容"), max_length=300, blank=True)
    filters = models.JSONField(_("筛选条件"), default=dict)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("群发消息")
        verbose_name_plural = _("群发消息")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject


class BulkRecipient(models.Model):
    """One recipient of a bulk message and the rows of each channel, whose own status is the log's status."""

    message = models.ForeignKey(BulkMessage, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    notification = models.ForeignKey(Notification, null=True, on_delete=models.SET_NULL, related_name="+")
    email = models.ForeignKey(OutgoingEmail, null=True, on_delete=models.SET_NULL, related_name="+")
    sms = models.ForeignKey(OutgoingSms, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("群发消息收件人")
        verbose_name_plural = _("群发消息收件人")
        ordering = ["unit__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="one_bulk_row_per_user")]

    def __str__(self):
        return f"{self.message_id}:{self.user_id}"
