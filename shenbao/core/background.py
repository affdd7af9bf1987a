"""What the work the task worker does for people (export jobs, rendered documents) shares: how a failure is put
into the one sentence the person is shown and the audit entry keeps, when a job counts as stalled, and the plan an
export's producer hands the jobs app."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

# Work started this long ago without an end lost its worker (a restart, a kill): the timer fails or requeues it.
STALL_AFTER = dt.timedelta(minutes=15)


def describe_failure(error: Exception) -> str:
    """The reason a background job failed, as one line of at most 500 characters (a ValidationError's messages
    joined; otherwise the exception's text or, when it has none, its type's name)."""
    messages = getattr(error, "messages", None)
    text = "；".join(str(message) for message in messages) if messages else str(error) or type(error).__name__
    return text.rstrip("。.")[:500]


@dataclass
class ExportPlan:
    """What an export's producer will write (`shenbao.exports.kinds`): the file's name and type, the number of rows
    it must hold, and its content as chunks of (text or bytes, rows in that piece); a header counts as no row, and
    an XLSX, a zip written whole, gives empty bytes for progress and its bytes last."""

    filename: str
    content_type: str
    rows: int
    chunks: Iterator[tuple[str | bytes, int]]
