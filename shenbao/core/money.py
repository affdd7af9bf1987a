"""Money: 元 to the fen, one parser and one form field for every amount the platform takes in.

Calls state funding in 万元 (a notice says 30万元), the funding ledger and the progress reports count in 元; the
application forms ask for 万元 (`YUAN_PER_WAN` converts). An amount typed or loaded anywhere — a call file, a
payment, a budget, a report's spending — goes through `parse_money`, so the same input is accepted or refused the
same way with the same message.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
YUAN_PER_WAN = Decimal("10000")


class MoneyError(ValidationError):
    """Not an amount in 元 to the fen within the asked bound; the message says what is expected."""

    def __init__(self, *, positive: bool) -> None:
        bound = _("大于0") if positive else _("不小于0")
        super().__init__(
            _("必须为%(bound)s的金额（元），最多两位小数，例如 120000.00") % {"bound": bound}, code="invalid_amount"
        )


def parse_money(value: object, *, positive: bool = False, blank: Decimal | None = None) -> Decimal:
    """`value` (a Decimal, an int, a YAML number, a text with thousands separators) as 元 to the fen.

    `positive`: more than zero, else not negative. `blank`: what an empty value (None, "") stands for; without
    it an empty value is refused. Raises MoneyError (a ValidationError) otherwise.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if blank is not None:
            return blank
        raise MoneyError(positive=positive)
    if isinstance(value, bool):  # YAML's yes/no are ints to Python, never amounts
        raise MoneyError(positive=positive)
    try:
        # str() first: a YAML float such as 0.1 must become Decimal("0.1"), not its binary expansion.
        amount = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError, TypeError):
        raise MoneyError(positive=positive) from None
    if not amount.is_finite() or amount != amount.quantize(CENT) or amount < 0 or (positive and amount == 0):
        raise MoneyError(positive=positive)
    return amount.quantize(CENT)


def format_yuan(amount: Decimal | int | str) -> str:
    """300000 → "¥300,000.00"."""
    return f"¥{Decimal(amount):,.2f}"


def format_wan_yuan(amount: Decimal | int | str) -> str:
    """300000.00 → "30万元"; 255000 → "25.5万元" (notices state funding in 万元)."""
    wan = (Decimal(amount) / YUAN_PER_WAN).normalize()
    # normalize() turns 30 into 3E+1; the fixed-point form is what a reader expects.
    return _("%(amount)s万元") % {"amount": f"{wan:f}"}


class MoneyField(forms.DecimalField):
    """An amount in 元 on a form, parsed by `parse_money` (same bounds, same message as the services)."""

    def __init__(self, *, positive: bool = True, **kwargs: object) -> None:
        self.positive = positive
        kwargs.setdefault(
            "widget", forms.NumberInput(attrs={"class": "form-control", "step": "0.01", "inputmode": "decimal"})
        )
        super().__init__(max_digits=14, decimal_places=2, **kwargs)  # type: ignore[arg-type]

    # django-stubs types DecimalField.to_python as its base class IntegerField's (int); Django returns a Decimal.
    def to_python(self, value: object) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        try:
            return parse_money(value, positive=self.positive)
        except MoneyError as error:
            raise ValidationError(error.messages, code="invalid") from None
