"""What the work the task worker does for people (export jobs, rendered documents) shares: how a failure is put
into the one sentence the person is shown and the audit entry keeps, and when a job counts as stalled."""

import datetime as dt

# Work started this long ago without an end lost its worker (a restart, a kill): the timer fails or requeues it.
STALL_AFTER = dt.timedelta(minutes=15)


def describe_failure(error: Exception) -> str:
    """The reason a background job failed, as one line of at most 500 characters (a ValidationError's messages
    joined; otherwise the exception's text or, when it has none, its type's name)."""
    messages = getattr(error, "messages", None)
    text = "；".join(str(message) for message in messages) if messages else str(error) or type(error).__name__
    return text.rstrip("。.")[:500]
