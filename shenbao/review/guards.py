"""Guards of the review steps named in `shenbao.applications.workflow.TRANSITIONS` (dotted names point here).

Signature: `guard(*, application, actor, payload, at) -> list[str]`; each returns Chinese reasons (empty = allowed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from shenbao.organisations.models import Organisation

from .checklist import checklist_problems, checklist_rows, current_version_sequence
from .models import Decision, RecheckDecision
from .seals import get_current_seal

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.applications.models import Application
    from shenbao.calls.models import Call


def first_review_checklist_complete(
    *, application: Application, actor: User, payload: Mapping[str, Any] | None, at: dt.datetime
) -> list[str]:
    """三1: every applicable rule and every material judged, no hard rule or required material judged 不符合, a
    recommendation written and the sealed scan of this version uploaded."""
    payload = payload or {}
    reasons: list[str] = checklist_problems(checklist_rows(application=application, items=payload.get("checklist")))
    if not str(payload.get("recommendation") or "").strip():
        reasons.append(_("请填写推荐意见。"))
    if get_current_seal(application=application) is None:
        reasons.append(_("请上传加盖本单位公章的初审意见扫描件。"))
    return reasons


def required_recheck_functions(call: Call) -> list[str]:
    return [str(function) for function in call.recheck_bodies]


def recheck_bodies_passed(
    *, application: Application, actor: User, payload: Mapping[str, Any] | None, at: dt.datetime
) -> list[str]:
    """三2: the bodies named by the call passed the current round (all of them, or any, per the call file)."""
    round_ = current_version_sequence(application)
    passed = set(
        RecheckDecision.objects.filter(application=application, round=round_, decision=Decision.PASS).values_list(
            "body__function", flat=True
        )
    )
    required = required_recheck_functions(application.call)
    labels = {function: str(Organisation.Function(function).label) for function in required}
    if application.call.recheck_requires_all:
        missing = [function for function in required if function not in passed]
        return [_("尚待%(labels)s资格复核通过。") % {"labels": labels[function]} for function in missing]
    if passed & set(required):
        return []
    return [_("尚待复核单位（%(labels)s）资格复核通过。") % {"labels": "或".join(labels.values())}]
