"""Guard of the workflow's `revoke` step (撤销命名): only a failed re-evaluation revokes a designation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from .models import AcceptanceEvaluation

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.applications.models import Application

# One re-evaluation after rectification (DOMAIN.md §7): round 2 is the last.
LAST_ROUND = 2


def failed_re_evaluation(
    *, application: Application, actor: User, payload: Mapping[str, Any] | None, at: dt.datetime
) -> list[str]:
    failed = AcceptanceEvaluation.objects.filter(
        application=application.pk,
        round=LAST_ROUND,
        status=AcceptanceEvaluation.Status.DECIDED,
        band=AcceptanceEvaluation.Band.FAILED,
    ).exists()
    if failed:
        return []
    return [_("只有整改后复评仍不合格的单位才能撤销命名。")]
