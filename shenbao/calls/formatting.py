"""How call status and project-type names read on the page (正在受理); money reads through `core.money`."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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


def format_deadline(moment):
    """A deadline as users read it, to the second in Beijing time: 2022年12月08日 23:59:59."""
    return timezone.localtime(moment).strftime("%Y年%m月%d日 %H:%M:%S")
