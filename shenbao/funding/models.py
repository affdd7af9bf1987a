"""建设扶持经费 (notice clause 五, 六): each designated unit's funding record, its instalments, the ledger of payments
and reversals, and the yearly budget appropriation of the fund source.

Money is Decimal to the fen. The ledger is append-only: a wrong payment is corrected by a reversal entry (红字冲销)
that references it, never by editing or deleting it. `LedgerEntry` refuses updates and deletes in Python and an
UPDATE trigger (migration 0002) refuses them in the database too.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shenbao.applications.models import Application
from shenbao.calls.models import Instalment
from shenbao.organisations.models import Region


class FundingRecord(models.Model):
    """经费台账: the funding (建设扶持经费) of one designated application; opened at designation (授牌)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.OneToOneField(
        Application, verbose_name=_("申报"), on_delete=models.PROTECT, related_name="funding_record"
    )
    total = models.DecimalField(_("扶持经费总额（元）"), max_digits=12, decimal_places=2)
    designated_on = models.DateField(_("授牌日期"))
    opened_at = models.DateTimeField(_("建账时间"))
    # 撤销命名: the outstanding instalments are cancelled; payments already made stay in the ledger.
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoke_reason = models.TextField(_("撤销原因"), blank=True)

    class Meta:
        verbose_name = _("经费台账")
        verbose_name_plural = _("经费台账")
        ordering = ["designated_on", "pk"]

    def __str__(self):
        return f"{self.application.number} {self.total}"

    @property
    def is_revoked(self):
        return self.revoked_at is not None


class FundingInstalment(models.Model):
    """拨付批次 of one record: a copy of the call's instalment (比例, 拨付条件) with its amount to the fen.

    `due_on` is empty until the trigger has happened (授牌 for the start-up, a passed 评估验收 for the rest);
    only a due instalment accepts payments. `budget_year` is the year the instalment counts against the budget:
    its due year once due, until then the year it is expected in (see `services.expected_budget_year`).
    """

    record = models.ForeignKey(FundingRecord, on_delete=models.PROTECT, related_name="instalments")
    instalment = models.ForeignKey(Instalment, verbose_name=_("拨付批次"), on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveSmallIntegerField(_("序号"))
    code = models.SlugField(_("代码"), max_length=48)
    name = models.CharField(_("名称"), max_length=64)
    percent = models.DecimalField(_("比例（%）"), max_digits=5, decimal_places=2)
    trigger = models.CharField(_("拨付条件"), max_length=32, choices=Instalment.Trigger.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    budget_year = models.PositiveSmallIntegerField(_("预算年度"), db_index=True)
    due_on = models.DateField(_("应拨付日期"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.TextField(_("取消原因"), blank=True)

    class Meta:
        verbose_name = _("经费拨付批次")
        verbose_name_plural = _("经费拨付批次")
        ordering = ["record", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["record", "sequence"], name="unique_funding_instalment_sequence"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_instalment_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.name} {self.amount}"

    @property
    def is_due(self):
        return self.due_on is not None and self.cancelled_at is None

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None


class ImmutableLedgerEntry(Exception):
    """A ledger entry was to be changed or removed; corrections are reversal entries."""


class LedgerEntry(models.Model):
    """拨付记录: a payment, or the reversal (冲销) of one payment. Rows are only ever inserted.

    `amount` is signed: a payment is positive, its reversal the same amount negative, so the sum of an
    instalment's entries is what has been paid on it.
    """

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("拨付")
        REVERSAL = "reversal", _("冲销")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    record = models.ForeignKey(FundingRecord, on_delete=models.PROTECT, related_name="entries")
    instalment = models.ForeignKey(
        FundingInstalment, verbose_name=_("拨付批次"), on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    booked_on = models.DateField(_("日期"))
    voucher_number = models.CharField(_("凭证号"), max_length=64, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲销的拨付记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    reason = models.TextField(_("冲销原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("拨付记录")
        verbose_name_plural = _("拨付记录")
        ordering = ["record", "booked_on", "created_at", "pk"]
        indexes = [models.Index(fields=["record", "booked_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="payment", amount__gt=0, reverses__isnull=True))
                | Q(kind="reversal", amount__lt=0, reverses__isnull=False),
                name="ledger_entry_kind_sign",
            ),
        ]

    # Not a column: set by `selectors.list_record_entries` (whether a later reversal cancels this payment).
    is_reversed: bool

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} {self.voucher_number}"

    # Structural guards, not business logic: an entry, once written, is evidence.
    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableLedgerEntry(gettext("拨付记录不可修改，更正请录入冲销记录。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableLedgerEntry(gettext("拨付记录不可删除，更正请录入冲销记录。"))


class Appropriation(models.Model):
    """年度预算: a city's appropriation of one fund source (经费来源, 市本级职业技能提升工程工作经费) for a year."""

    city = models.ForeignKey(Region, verbose_name=_("城市"), on_delete=models.PROTECT, related_name="+")
    fund_source = models.CharField(_("经费来源"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("预算金额（元）"), max_digits=14, decimal_places=2)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度预算")
        verbose_name_plural = _("年度预算")
        ordering = ["city", "fund_source", "year"]
        constraints = [
            models.UniqueConstraint(fields=["city", "fund_source", "year"], name="unique_appropriation_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="appropriation_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.fund_source} {self.year}: {self.amount}"
