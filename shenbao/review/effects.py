"""Effects of the review steps named in `shenbao.applications.workflow.TRANSITIONS` (dotted names point here).

Signature: `effect(*, application, actor, payload, at) -> None`; runs inside `fire_transition`'s transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from shenbao.accounts.selectors import get_acting_organisation

from .checklist import checklist_rows, current_version_sequence
from .models import Decision, FirstReviewRecord
from .seals import get_current_seal

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.applications.models import Application


def record_first_review(
    *, application: Application, actor: User, payload: Mapping[str, Any] | None, at: dt.datetime
) -> None:
    """三1: keep the checklist (rules and materials, with the files judged), the recommendation and the sealed scan
    exactly as they were when the reviewer passed the version."""
    payload = payload or {}
    add_first_review_record(
        application=application,
        version_sequence=current_version_sequence(application),
        reviewer=actor,
        organisation=get_acting_organisation(user=actor),
        decision=Decision.PASS,
        checklist=checklist_rows(application=application, items=payload.get("checklist")),
        recommendation=str(payload.get("recommendation") or "").strip(),
        seal=get_current_seal(application=application),
        at=at,
    )


def add_first_review_record(*, application: Application, **fields: Any) -> FirstReviewRecord:
    """A new first-review record of `application`, which becomes its latest (the caller holds the application's row
    lock, as every step does, so two records are never made latest at once)."""
    FirstReviewRecord.objects.filter(application=application, is_latest=True).update(is_latest=False)
    return FirstReviewRecord.objects.create(application=application, is_latest=True, **fields)
