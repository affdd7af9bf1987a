"""The status page's timeline and progress of an application: every step, comment and where it stopped.

Read through `selectors` (re-exported there), like the paper copies and the persons.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypedDict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm_log.models import StateLog

from .models import Application, ReviewComment
from .workflow import LAST_STEP, STATE_VIEWS, STEPS, TRANSITIONS_BY_NAME, ApplicationStatus, get_state_view

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.organisations.models import Organisation


class HistoryEntry(TypedDict):
    """One line of the status page's timeline; see `list_application_history`."""

    kind: str  # created | transition | comment
    at: dt.datetime
    actor: User | None
    organisation: Organisation | None
    label: str
    source: str
    target: str
    text: str


def list_application_history(*, application: Application) -> list[HistoryEntry]:
    """The status page's timeline, oldest first: creation, every workflow step and every comment to the unit.

    Each entry: {kind: created|transition|comment, at, actor, organisation, label, source, target, text}.
    StateLog descriptions are internal notes and are not shown; what the unit should read is a ReviewComment.
    """
    entries: list[HistoryEntry] = [
        {
            "kind": "created",
            "at": application.created_at,
            "actor": application.created_by,
            "organisation": application.unit,
            "label": _("创建申报"),
            "source": "",
            "target": str(ApplicationStatus.DRAFT.label),
            "text": "",
        }
    ]
    logs = StateLog.objects.for_(application).select_related("by", "by__organisation").order_by("timestamp", "pk")
    for log in logs:
        step = TRANSITIONS_BY_NAME.get(log.transition)
        entries.append(
            {
                "kind": "transition",
                "at": log.timestamp,
                "actor": log.by,
                "organisation": log.by.organisation if log.by else None,
                "label": str(step.label) if step else log.transition,
                "source": _status_label(log.source_state),
                "target": _status_label(log.state),
                "text": "",
            }
        )
    comments = ReviewComment.objects.filter(application=application).select_related("author", "author_organisation")
    for comment in comments.order_by("created_at", "pk"):
        step = TRANSITIONS_BY_NAME.get(comment.transition)
        entries.append(
            {
                "kind": "comment",
                "at": comment.created_at,
                "actor": comment.author,
                "organisation": comment.author_organisation,
                # One msgid with a placeholder: English words its own order (「Comments on …」), not 「…意见」.
                "label": _("%(step)s意见") % {"step": step.label} if step else _("审核意见"),
                "source": "",
                "target": "",
                "text": comment.text,
            }
        )
    # Stable sort: a step and the comment it wrote share a transaction; the step is listed first.
    order = {"created": 0, "transition": 1, "comment": 2}
    return sorted(entries, key=lambda entry: (entry["at"], order[entry["kind"]]))


# What a screen reader hears after a step's label, by the step's place in the progress (also its CSS class).
STEP_HINTS = {
    "done": gettext_lazy("（已完成）"),
    "current": gettext_lazy("（当前环节）"),
    "pending": gettext_lazy("（尚未进行）"),
    "stopped": gettext_lazy("（已终止）"),
    "skipped": gettext_lazy("（不再进行）"),
}


def _stopped_at(application: Application) -> int:
    """The step at which a final application stopped: that of the state the last step left (a rejection may come
    from 资格初审 or 资格复核), else the final state's own step."""
    state = get_state_view(application.status)
    last = StateLog.objects.for_(application).order_by("-timestamp", "-pk").values_list("source_state", flat=True)[:1]
    source = STATE_VIEWS.get(next(iter(last), None) or "")
    return source.step if source is not None else state.step


def get_progress(*, application: Application) -> list[dict[str, Any]]:
    """The status page's steps (workflow.STEPS), each {label, state, current, hint}: done / current / pending on the
    way; for a final state done up to where it stopped (stopped, then skipped), or all done (授牌, 撤销命名)."""
    state = get_state_view(application.status)
    if state.final and state.step == LAST_STEP:
        places = ["done"] * len(STEPS)
    elif state.final:
        stopped = _stopped_at(application)
        places = [
            "done" if index < stopped else "stopped" if index == stopped else "skipped" for index in range(len(STEPS))
        ]
    else:
        places = [
            "done" if index < state.step else "current" if index == state.step else "pending"
            for index in range(len(STEPS))
        ]
    return [
        {"label": label, "state": place, "current": place == "current", "hint": STEP_HINTS[place]}
        for label, place in zip(STEPS, places, strict=True)
    ]


def _status_label(value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(ApplicationStatus(value).label)
    except ValueError:
        return value or ""
