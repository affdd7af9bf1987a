"""How money and call status read on the page (30万元 · ¥300,000.00 · 正在受理)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TEN_THOUSAND = Decimal("10000")


def format_wan_yuan(amount):
    """300000.00 → "30万元"; 255000 → "25.5万元" (notices state funding in 万元)."""
    wan = (Decimal(amount) / TEN_THOUSAND).normalize()
    # normalize() turns 30 into 3E+1; the fixed-point form is what a reader expects.
    return f"{wan:f}万元"


def format_yuan(amount):
    """300000 → "¥300,000.00"."""
    return f"¥{Decimal(amount):,.2f}"


@dataclass(frozen=True)
class CallStatus:
    code: str
    label: str

    @property
    def is_open(self):
        return self.code == "open"


OPEN = CallStatus("open", _("正在受理"))
CLOSED = CallStatus("closed", _("已截止"))
NOT_YET_OPEN = CallStatus("not_yet_open", _("尚未开始受理"))


def call_status(call, *, at=None):
    at = at or timezone.now()
    if call.is_open(at=at):
        return OPEN
    if call.is_past_deadline(at=at):
        return CLOSED
    return NOT_YET_OPEN
