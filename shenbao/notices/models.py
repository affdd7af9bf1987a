"""公示 (public notice) of the proposed units, objections (异议) to it, and the working-day calendar behind its dates.

The calendar tables are the administrator's overrides and extensions of the `chinese_calendar` library: a date in
`CalendarDay` wins over the library, and a year the library does not know is usable only once `CalendarYear`
says an administrator entered it completely (see `calendar.py`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shenbao.applications.models import Application
from shenbao.calls.models import Call
from shenbao.core.fields import EncryptedCharField


class CalendarYear(models.Model):
    """A year's holiday schedule as entered by an administrator (国务院办公厅关于…年部分节假日安排的通知)."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    complete = models.BooleanField(_("已完整录入"), default=False)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """One date whose status the administrator states explicitly: a holiday (休) or a make-up working day (班)."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("名称"), max_length=64, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("录入时间"))

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'班' if self.is_working_day else '休'} {self.name}"


class PublicNotice(models.Model):
    """公示: the proposed list of one call, public from start_date 00:00 to end_date 24:00 Beijing time."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call = models.ForeignKey(Call, verbose_name=_("申报通知"), on_delete=models.PROTECT, related_name="notices")
    title = models.CharField(_("公示标题"), max_length=200)
    body = models.TextField(_("公示正文"), blank=True)
    start_date = models.DateField(_("公示开始日期"))
    end_date = models.DateField(_("公示结束日期"))
    working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"))
    counting = models.CharField(_("起算规则"), max_length=20, choices=Call.NoticeCounting.choices)
    contact_name = models.CharField(_("异议受理联系人"), max_length=64)
    contact_phone = models.CharField(_("异议受理电话"), max_length=32)
    contact_address = models.CharField(_("异议受理地址"), max_length=200)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"))

    # Not columns: set by `selectors.label_public_notices` for the public lists (the status at the moment asked).
    status_label: str
    is_open: bool

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["call", "-start_date"])]

    def __str__(self):
        return self.title


class NoticeEntry(models.Model):
    """One unit (its application) on a notice's list; an application is published at most once."""

    notice = models.ForeignKey(PublicNotice, verbose_name=_("公示"), on_delete=models.CASCADE, related_name="entries")
    application = models.OneToOneField(
        Application, verbose_name=_("申报"), on_delete=models.PROTECT, related_name="notice_entry"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("公示单位")
        verbose_name_plural = _("公示单位")
        ordering = ["notice", "sort_order", "id"]

    def __str__(self):
        return str(self.application)


class Objection(models.Model):
    """异议: a named objection to one unit of a notice, filed by anyone within the period."""

    class FilerKind(models.TextChoices):
        PERSON = "person", _("个人")
        UNIT = "unit", _("单位")

    class Status(models.TextChoices):
        PENDING = "pending", _("待调查核实")
        UPHELD = "upheld", _("异议成立")
        NOT_UPHELD = "not_upheld", _("异议不成立")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    receipt_number = models.CharField(_("受理回执号"), max_length=32, unique=True)
    notice = models.ForeignKey(
        PublicNotice, verbose_name=_("公示"), on_delete=models.PROTECT, related_name="objections"
    )
    entry = models.ForeignKey(
        NoticeEntry, verbose_name=_("异议对象"), on_delete=models.PROTECT, related_name="objections"
    )
    filer_kind = models.CharField(_("异议人类别"), max_length=8, choices=FilerKind.choices)
    filer_name = models.CharField(_("异议人真实姓名"), max_length=64)
    # 身份证号码 of a person, encrypted (`shenbao.core.crypto`); a unit gives its name and the seal statement.
    id_number = models.CharField(_("身份证号码"), max_length=255, blank=True)
    unit_name = models.CharField(_("单位名称"), max_length=200, blank=True)
    seal_confirmed = models.BooleanField(_("承诺提交加盖公章的书面异议"), default=False)
    # The filer's phone, encrypted at rest; only the call administrator (who decides the objection) sees it.
    contact_phone = EncryptedCharField(_("联系电话"), max_length=32)
    email = models.EmailField(_("电子邮箱"), blank=True)
    content = models.TextField(_("异议内容"))
    filed_at = models.DateTimeField(_("提交时间"))
    remote_addr = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    status = models.CharField(_("处理状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    investigation_note = models.TextField(_("调查核实情况"), blank=True)
    reply = models.TextField(_("答复意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    reply_emailed_at = models.DateTimeField(_("答复邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["notice", "status", "-filed_at"]), models.Index(fields=["entry", "status"])]

    def __str__(self):
        return self.receipt_number


def evidence_upload_to(instance, filename):
    # A generated name: the filer's file name is kept only as data, never as a path.
    return f"notices/evidence/{instance.objection.public_id}/{uuid.uuid4().hex}.{instance.extension}"


class ObjectionEvidence(models.Model):
    """A file supporting an objection (证明材料), checked by content like the application materials."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=160)
    extension = models.CharField(_("扩展名"), max_length=8)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("异议证明材料")
        verbose_name_plural = _("异议证明材料")
        ordering = ["objection", "id"]

    def __str__(self):
        return self.original_name
