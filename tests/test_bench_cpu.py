"""The rush's CPU reading (bench/cpu.py) and where the report shows it: busy cores mean the rush needs less work
per request, idle ones that it waits on a lock."""

from bench import cpu, report

# /proc/stat's first lines on a 2-core machine: user nice system idle iowait irq softirq steal guest guest_nice.
BEFORE = "cpu  1000 0 200 5000 100 0 50 0 0 0\ncpu0 500 0 100 2500 50 0 25 0 0 0\n"
AFTER = "cpu  1900 0 350 5040 110 0 60 0 0 0\ncpu0 950 0 175 2520 55 0 30 0 0 0\n"


def _phase(cpu_busy):
    level = {
        "concurrency": 50,
        "requests": 200,
        "errors": 0,
        "p50_ms": 900.0,
        "p95_ms": 1200.0,
        "per_second": 30.0,
        "first_error": "",
    }
    check = {"lost": 0, "doubled": 0, "audit_entries": 200, "audit_verify": True}
    return {"level": level, "check": check, "cpu_busy": cpu_busy}


def test_busy_and_total_come_from_the_all_cores_line():
    assert cpu.parse_times(BEFORE) == (1250, 6350)
    assert cpu.parse_times("intr 1 2 3\n") is None


def test_the_busy_share_is_work_over_all_time_between_readings():
    share = cpu.busy_share(cpu.parse_times(BEFORE), cpu.parse_times(AFTER))
    # 1060 jiffies of work (900 user, 150 system, 10 softirq) of 1110 in all; the other 50 idle or waiting on disk.
    assert share == 1060 / 1110
    assert cpu.busy_share(None, cpu.parse_times(AFTER)) is None
    assert cpu.busy_share(cpu.parse_times(AFTER), cpu.parse_times(BEFORE)) is None


def test_this_machine_can_be_read():
    reading = cpu.read_times()
    assert reading is not None and 0 <= reading[0] <= reading[1]


def test_the_rush_table_and_summary_show_how_busy_the_cores_were():
    rush = {"applications": 200, "clients": 50, "counties": 7, "submissions": _phase(0.974), "approvals": _phase(None)}

    table = "\n".join(report.rush_table(rush))
    assert "| CPU busy |" in table
    assert table.splitlines()[-2].endswith("| ok | 97 % |")
    assert table.splitlines()[-1].endswith("| ok | – |")
    summary = report.rush_summary(rush)
    assert summary[1].endswith("CPU busy 97 %") and summary[2].endswith("CPU busy –")
