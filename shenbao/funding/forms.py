"""Forms of the funding pages: a payment, a reversal, a yearly appropriation, the ledger filter.

They only parse input; the services decide (due, not more than unpaid, to the fen …) and their refusals are
shown on the form.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from shenbao.core.money import MoneyField


def _percent(value):
    """40.00 → "40", 33.50 → "33.5"."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _date_input():
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class PaymentForm(forms.Form):
    instalment = forms.TypedChoiceField(
        label=_("拨付批次"), coerce=int, widget=forms.Select(attrs={"class": "form-select"})
    )
    amount = MoneyField(label=_("拨付金额（元）"))
    paid_on = forms.DateField(label=_("拨付日期"), widget=_date_input())
    voucher_number = forms.CharField(
        label=_("凭证号"), max_length=64, widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"})
    )

    def __init__(self, *args, instalments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instalment"].choices = [
            (item.sequence, f"{item.name}（{_percent(item.percent)}%）") for item in instalments
        ]


class ReversalForm(forms.Form):
    reason = forms.CharField(
        label=_("冲销原因"), max_length=500, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    booked_on = forms.DateField(label=_("冲销日期"), required=False, widget=_date_input())
    voucher_number = forms.CharField(
        label=_("冲销凭证号"), max_length=64, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class AppropriationForm(forms.Form):
    fund_source = forms.ChoiceField(label=_("经费来源"), widget=forms.Select(attrs={"class": "form-select"}))
    year = forms.IntegerField(
        label=_("年度"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs={"class": "form-control"})
    )
    amount = MoneyField(label=_("年度预算（元）"), positive=False)

    def __init__(self, *args, fund_sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund_source"].choices = [(source, source) for source in fund_sources]


class LedgerFilterForm(forms.Form):
    call = forms.ChoiceField(label=_("申报通知"), required=False, widget=forms.Select(attrs={"class": "form-select"}))
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), ("active", _("执行中")), ("revoked", _("已撤销"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, calls=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].choices = [("", _("全部")), *[(call.slug, call.title) for call in calls]]


class YearFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("年度"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部年度")), *[(year, str(year)) for year in years]]
