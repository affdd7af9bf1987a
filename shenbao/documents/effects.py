"""What the application's workflow table names in this app (dotted names, `core.transitions`): the follow-up of
submitting and resubmitting that queues the new version's documents for the task worker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from shenbao.applications.selectors import get_latest_version

from .services_stored import queue_version_documents

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.applications.models import Application


def queue_submitted_documents(
    *, application: Application, actor: User, payload: Mapping[str, Any] | None, at: dt.datetime
) -> None:
    """Queue the documents of the version this step just kept (`applications.effects.snapshot_version`); the
    worker renders them once the submission commits."""
    version = get_latest_version(application=application)
    if version is not None:
        version.application = application  # the locked row, with what the document kinds read already loaded
        queue_version_documents(version=version, fresh=True)
