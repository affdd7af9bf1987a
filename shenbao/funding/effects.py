"""Effect of the `award` step (授牌): open the unit's funding record (经费台账), after the plaque is issued."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import services

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.applications.models import Application


def open_funding_record(*, application: Application, actor: User, payload: Mapping[str, Any], at: dt.datetime) -> None:
    services.open_funding_record(application=application, at=at, actor=actor)
