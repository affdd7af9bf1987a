"""Writes of 征求意见 and the proposed list (拟授牌名单): proposing within the quota, answers, the administrator's
decision on an objection. Every state change goes through `applications.services.fire_transition`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.applications.models import Application
from shenbao.applications.selectors import count_on_proposed_list, lock_application
from shenbao.applications.services import fire_transition
from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.services import record_event
from shenbao.calls.models import ProjectType
from shenbao.calls.rules import administers_call
from shenbao.calls.selectors import lock_project_type
from shenbao.scoring.proposals import check_selection_follows_ranking

from .effects import validate_opinion_due
from .models import OpinionRequest
from .rules import can_answer_request
from .selectors import list_proposal_candidates

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.calls.models import Call
    from shenbao.scoring.ranking import Ranking


DECISIONS = {"overrule": "overrule_opinion", "exclude": "exclude_after_opinion"}


@dataclass
class ItemResult:
    """The outcome of one step of a batch (a refused step does not undo the others)."""

    application: Application
    transition: str
    ok: bool
    messages: list[str] = field(default_factory=list)


@dataclass
class BatchOutcome:
    results: list[ItemResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[ItemResult]:
        return [result for result in self.results if not result.ok]


def check_quota(*, project_type: ProjectType, selected_count: int) -> tuple[list[str], list[str]]:
    """(errors, warnings) for proposing `selected_count` more units of `project_type` (notice 五: 5–10 each).

    Units already on the proposed list count too. More than quota_max is refused; fewer than quota_min is
    allowed (the notice says 拟各评定, an intention) with a warning.
    """
    total = count_on_proposed_list(project_type=project_type) + selected_count
    errors: list[str] = []
    warnings: list[str] = []
    if total > project_type.quota_max:
        errors.append(
            _("「%(name)s」拟授牌单位最多%(quota_max)s个，本次选择后将达%(total)s个，请减少选择。")
            % {"name": project_type.name, "quota_max": project_type.quota_max, "total": total}
        )
    elif total < project_type.quota_min:
        warnings.append(
            _("「%(name)s」拟授牌单位为%(total)s个，少于通知确定的%(quota_min)s个（下限）。")
            % {"name": project_type.name, "total": total, "quota_min": project_type.quota_min}
        )
    return errors, warnings


def _public_id(item: Application | str) -> str:
    return str(getattr(item, "public_id", item))


def _fire(application: Application, name: str, **kwargs: Any) -> ItemResult:
    try:
        fire_transition(application=application, name=name, **kwargs)
    except (ValidationError, PermissionDenied) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        return ItemResult(application, name, False, [str(message) for message in messages])
    return ItemResult(application, name, True)


def propose_applications(
    *,
    call: Call,
    project_type: ProjectType,
    selected: Iterable[Application | str],
    opinion_due: dt.date | str | None,
    actor: User,
    not_selected_reason: str = "",
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
    ranking: Ranking | None = None,
) -> BatchOutcome:
    """专家评审 → 拟授牌名单: `propose` each of `selected` (applications or public ids, in ranking order) and
    `not_select` every other unit of `project_type` still waiting in 专家评审, with `not_selected_reason`.

    Refuses the whole batch (ValidationError) when the quota would be exceeded, a selected unit is not waiting,
    the selection is not the top of the experts' ranking (when the type has an expert panel:
    `scoring.proposals.check_selection_follows_ranking`), the reply date is missing or past, or a reason for
    the others is missing. Returns a BatchOutcome with one result per application and the quota warnings.

    The project type row is locked first, so two administrators (or a double click) make one list: the second
    finds the units no longer waiting and is refused. `ranking` (optional) is the experts' ranking the caller
    already computed under the same lock, passed on so it is not computed twice.
    """
    at = at or timezone.now()
    if not administers_call(actor, call) or project_type.call_id != call.pk:
        raise PermissionDenied(_("只有本市申报管理员可以确定拟授牌名单。"))
    with transaction.atomic():
        project_type = lock_project_type(project_type=project_type)
        candidates = {
            str(application.public_id): application
            for application in list_proposal_candidates(call=call, project_type=project_type)
        }
        chosen = list(dict.fromkeys(_public_id(item) for item in selected))
        unknown = [public_id for public_id in chosen if public_id not in candidates]
        if unknown:
            raise ValidationError(
                _("所选申报不在该项目类别待专家评审的名单中，请刷新页面后重新选择。"), code="not_candidate"
            )
        errors, warnings = check_quota(project_type=project_type, selected_count=len(chosen))
        if errors:
            raise ValidationError(errors, code="quota_exceeded")
        ranking_warnings = check_selection_follows_ranking(
            call=call, project_type=project_type, selected=chosen, ranking=ranking
        )
        due = validate_opinion_due(opinion_due, at=at) if chosen else None
        others = [application for public_id, application in candidates.items() if public_id not in chosen]
        reason = (not_selected_reason or "").strip()
        if others and not reason:
            raise ValidationError(_("请填写未列入拟授牌名单的理由（将告知申报单位）。"), code="reason_required")
        outcome = BatchOutcome(warnings=list(dict.fromkeys([*warnings, *ranking_warnings])))
        propose_payload = {"opinion_due": due.isoformat()} if due is not None else {}
        for public_id in chosen:
            outcome.results.append(
                _fire(
                    candidates[public_id],
                    "propose",
                    actor=actor,
                    payload=propose_payload,
                    at=at,
                    request=request,
                )
            )
        for application in others:
            outcome.results.append(
                _fire(application, "not_select", actor=actor, comment=reason, at=at, request=request)
            )
    return outcome


def record_opinion(
    *,
    opinion_request: OpinionRequest,
    user: User,
    response: str,
    reason: str = "",
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> OpinionRequest:
    """A department's answer (无异议 / 有异议). An objection needs a reason and holds the unit (hold_for_opinion)."""
    at = at or timezone.now()
    reason = (reason or "").strip()
    if response not in (OpinionRequest.Response.NO_OBJECTION, OpinionRequest.Response.OBJECTION):
        raise ValidationError(_("请选择“无异议”或“有异议”。"), code="response_required")
    if response == OpinionRequest.Response.OBJECTION and not reason:
        raise ValidationError(_("有异议的，须填写理由。"), code="reason_required")
    with transaction.atomic():
        # The application first: two departments objecting at once hold the unit exactly once.
        application = lock_application(application=opinion_request.application_id)
        locked = (
            OpinionRequest.objects.select_for_update(of=("self",))
            .select_related("department")
            .get(pk=opinion_request.pk)
        )
        locked.application = application
        if not locked.is_open:
            raise ValidationError(_("本部门已反馈过意见，不能重复提交。"), code="already_answered")
        if not can_answer_request(user, locked):
            raise PermissionDenied(_("您无权代表该部门反馈意见。"))
        if response == OpinionRequest.Response.OBJECTION and application.status == ApplicationStatus.SOLICITING:
            fire_transition(application=application, name="hold_for_opinion", actor=user, comment=reason, at=at)
        locked.response = response
        locked.reason = reason
        locked.responded_by = user
        locked.responded_at = at
        locked.save(update_fields=["response", "reason", "responded_by", "responded_at"])
        record_event(
            event="opinions:answer",
            actor=user,
            target=application,
            request=request,
            details={
                "number": application.number,
                "department": locked.department.name,
                "response": str(OpinionRequest.Response(response).label),
                **({"reason": reason} if reason else {}),
            },
        )
    return locked


def decide_on_objection(
    *, application: Application, actor: User, decision: str, reason: str, request: HttpRequest | None = None
) -> Application:
    """The administrator's decision on a held unit: "overrule" (继续办理) or "exclude" (不予授牌), with a reason."""
    name = DECISIONS.get(decision)
    if name is None:
        raise ValidationError(_("请选择处理结果。"), code="decision_required")
    return fire_transition(application=application, name=name, actor=actor, comment=reason, request=request)
