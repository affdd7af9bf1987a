"""How busy the machine's cores were during a timed phase, from /proc/stat (Linux): a phase whose throughput
stops growing while the cores idle waits on a lock; one with every core busy needs less work per request (the
deadline rush on 2 cores is the latter, so shortening a lock alone does not raise it)."""

from __future__ import annotations

from pathlib import Path

PROC_STAT = Path("/proc/stat")
# The columns of the "cpu" line that are not work: idle and iowait.
IDLE_COLUMNS = (3, 4)


def parse_times(text: str) -> tuple[int, int] | None:
    """(busy, total) jiffies of all cores together, from the text of /proc/stat; None without a "cpu" line."""
    for line in text.splitlines():
        fields = line.split()
        if fields and fields[0] == "cpu":
            values = [int(value) for value in fields[1:]]
            # guest and guest_nice (columns 8 and 9) are already counted in user and nice.
            total = sum(values[:8])
            idle = sum(values[column] for column in IDLE_COLUMNS if column < len(values))
            return total - idle, total
    return None


def read_times(path: Path = PROC_STAT) -> tuple[int, int] | None:
    try:
        return parse_times(path.read_text())
    except OSError:
        return None


def busy_share(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    """The share (0–1) of all cores' time spent working between two readings; None where either is missing."""
    if before is None or after is None or after[1] <= before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1])
