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


# Which of the machine's processes did the work: the product's gunicorn (master and workers share its command line
# under preloading), the bare page's gunicorn, PostgreSQL's backends, this benchmark's client threads, the rest.
PROCESS_GROUPS = (
    ("web", "shenbao.wsgi"),
    ("baseline web", "bench.baseline.wsgi"),
    ("database", "postgres"),
)


def classify(command_line: str, *, pid: int, client_pid: int) -> str:
    """The group of a process from its command line (NUL-separated as in /proc/<pid>/cmdline)."""
    if pid == client_pid:
        return "bench client"
    for group, marker in PROCESS_GROUPS:
        if marker in command_line:
            return group
    return "other"


def parse_process_jiffies(stat: str) -> int:
    """utime + stime of one /proc/<pid>/stat line; the command in parentheses may hold spaces and parentheses."""
    fields = stat[stat.rindex(")") + 2 :].split()
    # After the command: state is field 3 of the line, utime and stime fields 14 and 15, i.e. indices 11 and 12 here.
    return int(fields[11]) + int(fields[12])


def read_process_times(*, client_pid: int, proc: Path = Path("/proc")) -> dict[int, tuple[str, int]]:
    """Every running process's (group, jiffies so far); processes that vanish while being read are skipped."""
    found: dict[int, tuple[str, int]] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            command_line = (entry / "cmdline").read_bytes().decode(errors="replace")
            jiffies = parse_process_jiffies((entry / "stat").read_text())
        except (OSError, ValueError):
            continue
        found[pid] = (classify(command_line, pid=pid, client_pid=client_pid), jiffies)
    return found


def group_shares(
    before: dict[int, tuple[str, int]],
    after: dict[int, tuple[str, int]],
    machine_before: tuple[int, int] | None,
    machine_after: tuple[int, int] | None,
) -> dict[str, float]:
    """Each group's share (0–1) of all cores' time between two readings. A process that started in between counts
    from zero; one that ended in between is lost (gunicorn recycles a worker only every thousand requests)."""
    if machine_before is None or machine_after is None or machine_after[1] <= machine_before[1]:
        return {}
    total = machine_after[1] - machine_before[1]
    used: dict[str, int] = {}
    for pid, (group, jiffies) in after.items():
        earlier = before.get(pid)
        spent = jiffies - (earlier[1] if earlier is not None and earlier[0] == group else 0)
        used[group] = used.get(group, 0) + max(spent, 0)
    return {group: used[group] / total for group in sorted(used, key=lambda name: -used[name]) if used[group]}
