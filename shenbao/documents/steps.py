"""What the rendered document's workflow (`workflow.MACHINE`) names: its effects. Called by
`core.transitions.fire` under the document's row lock."""

import datetime
from typing import Any

from .models import RenderedDocument


def record_start(*, rendered: RenderedDocument, actor: Any, payload: Any, at: datetime.datetime) -> None:
    rendered.started_at = at
    rendered.attempts += 1


def record_file(*, rendered: RenderedDocument, actor: Any, payload: Any, at: datetime.datetime) -> None:
    rendered.file = payload["file"]  # a new FieldFile: the transition then sees the field changed and saves it
    rendered.filename, rendered.content_type = payload["filename"], payload["content_type"]
    rendered.size, rendered.sha256 = payload["size"], payload["sha256"]
    rendered.rendered_at = payload["rendered_at"]
    rendered.error = ""


def record_failure(*, rendered: RenderedDocument, actor: Any, payload: Any, at: datetime.datetime) -> None:
    rendered.error = payload["error"]


def clear_failure(*, rendered: RenderedDocument, actor: Any, payload: Any, at: datetime.datetime) -> None:
    rendered.error = ""
    rendered.started_at = None
    rendered.queued_at = at


EFFECTS = {
    "record_start": record_start,
    "record_file": record_file,
    "record_failure": record_failure,
    "clear_failure": clear_failure,
}
