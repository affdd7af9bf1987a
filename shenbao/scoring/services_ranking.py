"""Writes about the ranking: the administrator's decision on a full tie (TieBreak) and the confirmation of the
proposed list (拟授牌名单), which hands the top applications in rank order to
`opinions.services.propose_applications` (`PROPOSE_APPLICATIONS`; that service fires `propose` / `not_select`
and checks the quota).

Both lock the project type row first, so two administrators confirming at once produce one list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from shenbao.applications.selectors import list_applications
from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.services import record_event
from shenbao.calls.models import ProjectType
from shenbao.calls.rules import administers_call
from shenbao.calls.selectors import lock_project_type

from .models import TieBreak, TieBreakEntry
from .ranking import Ranking, check_proposal_count, proposed_rows
from .selectors import get_ranking

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.calls.models import Call
    from shenbao.opinions.services import BatchOutcome


WAITING = ApplicationStatus.EXPERT_REVIEW
# The stage after the ranking takes the list. It is named by dotted path and imported on use, as the workflow's
# steps name the apps that own them, so scoring does not depend on the stage that depends on it.
PROPOSE_APPLICATIONS = "shenbao.opinions.services.propose_applications"


def _lock_project_type(*, call: Call, project_type: ProjectType, actor: User) -> ProjectType:
    if not administers_call(actor, call) or project_type.call_id != call.pk:
        raise PermissionDenied(_("只有本市申报管理员可以确定评审排名和拟授牌名单。"))
    return lock_project_type(project_type=project_type)


def decide_tie(
    *,
    call: Call,
    project_type: ProjectType,
    ordered: Iterable[object],
    reason: str,
    actor: User,
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> TieBreak:
    """并列名次: order applications that are equal on final, defence and material scores; reason required.

    `ordered` lists the public ids of the whole tie group, higher place first. A later decision about the
    same group replaces the earlier one; a group that changed (scores reopened) needs a new decision.
    """
    at = at or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写决定并列名次的理由。"), code="reason_required")
    keys = [str(key) for key in ordered]
    with transaction.atomic():
        project_type = _lock_project_type(call=call, project_type=project_type, actor=actor)
        ranking = get_ranking(call=call, project_type=project_type)
        group = [row for row in ranking.rows if row.tie_keys and row.tie_keys == tuple(sorted(keys))]
        if len(keys) < 2 or len(set(keys)) != len(keys) or not group:
            raise ValidationError(
                _("所选申报并非总分、答辩和资料审查得分均相同的并列申报，请刷新页面后重试。"), code="not_a_tie"
            )
        applications = {str(row.candidate.item.public_id): row.candidate.item for row in group}
        if any(application.status != WAITING for application in applications.values()):
            raise ValidationError(_("拟授牌名单已确定，不能再调整名次。"), code="list_confirmed")
        first = group[0]
        tie_break = TieBreak.objects.create(
            call=call,
            project_type=project_type,
            final=first.final,
            defence=first.defence,
            material=first.material,
            reason=reason,
            decided_by=actor,
            decided_at=at,
        )
        TieBreakEntry.objects.bulk_create(
            TieBreakEntry(tie_break=tie_break, application_id=applications[key].pk, position=index)
            for index, key in enumerate(keys, start=1)
        )
        record_event(
            event="scoring:tie_break",
            actor=actor,
            target=tie_break,
            request=request,
            details={
                "project_type": project_type.name,
                "order": [applications[key].number for key in keys],
                "final": str(first.final),
                "reason": reason,
            },
        )
    return tie_break


def _ranking_snapshot(ranking: Ranking, count: int) -> list[dict[str, Any]]:
    return [
        {
            "rank": row.rank,
            "number": row.candidate.item.number,
            "unit": row.candidate.item.unit_name,
            "final": str(row.final),
            "defence": str(row.defence),
            "material": str(row.material),
            "passes": row.passes,
            "proposed": index < count,
        }
        for index, row in enumerate(ranking.rows)
    ]


def confirm_proposed_list(
    *,
    call: Call,
    project_type: ProjectType,
    count: int | str,
    opinion_due: dt.date | str | None,
    not_selected_reason: str,
    actor: User,
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> BatchOutcome:
    """Propose the top `count` ranked applications of `project_type` and set the others aside, in one transaction.

    Refused (ValidationError) when `count` is outside the quota (fewer only when fewer pass), an application
    is still being scored, a tie at the cut is undecided, or `propose_applications` refuses any step.
    Returns its BatchOutcome; `warnings` holds the quota warnings.
    """
    at = at or timezone.now()
    try:
        wanted = int(count)
    except (TypeError, ValueError):
        raise ValidationError(_("请填写拟授牌数量。"), code="count_required") from None
    with transaction.atomic():
        project_type = _lock_project_type(call=call, project_type=project_type, actor=actor)
        if not list_applications(call=call, project_type=project_type, statuses=(WAITING,)).exists():
            raise ValidationError(
                _("该项目类别没有待专家评审的申报，拟授牌名单已确定或尚无申报。"), code="nothing_waiting"
            )
        ranking = get_ranking(call=call, project_type=project_type)
        errors, warnings = check_proposal_count(
            ranking=ranking, count=wanted, quota_min=project_type.quota_min, quota_max=project_type.quota_max
        )
        if errors:
            raise ValidationError(errors, code="proposal_refused")
        selected = [str(row.candidate.item.public_id) for row in proposed_rows(ranking=ranking, count=wanted)]
        outcome = import_string(PROPOSE_APPLICATIONS)(
            call=call,
            project_type=project_type,
            selected=selected,
            opinion_due=opinion_due,
            not_selected_reason=not_selected_reason,
            actor=actor,
            at=at,
            request=request,
            ranking=ranking,
        )
        if outcome.failed:
            # One list or none: a unit that cannot be proposed (e.g. no consulted department) stops them all.
            messages = [
                f"{result.application.number} {result.application.unit.name}:{text}"
                for result in outcome.failed
                for text in result.messages
            ]
            raise ValidationError(messages, code="proposal_failed")
        record_event(
            event="scoring:confirm_list",
            actor=actor,
            target=project_type,
            request=request,
            details={
                "project_type": project_type.name,
                "count": wanted,
                "method": call.score_aggregation,
                "ranking": _ranking_snapshot(ranking, wanted),
            },
        )
    outcome.warnings = list(dict.fromkeys([*warnings, *outcome.warnings]))
    return outcome
