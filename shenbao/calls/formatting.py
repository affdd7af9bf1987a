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


def join_project_type_names(names):
    """["市级技师工作站", "市级技能人才培养基地"] → "市级技师工作站和技能人才培养基地".

    The level word the names share is said once, and never a cut word: 市级技师 and 市级技能 share "市级技", but
    only "市级" is dropped."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    prefix = ""
    for letters in zip(*names, strict=False):
        if len(set(letters)) != 1:
            break
        prefix += letters[0]
    prefix = prefix[: prefix.rfind("级") + 1]
    parts = [names[0], *(name.removeprefix(prefix) for name in names[1:])]
    return "、".join(parts[:-1]) + "和" + parts[-1]


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
