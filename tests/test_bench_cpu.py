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


# /proc/<pid>/stat with a command holding a space and a parenthesis; utime 700 and stime 50 (fields 14 and 15).
STAT = "4242 (gunicorn: w (x)) S 1 4242 4242 0 -1 4194560 100 0 0 0 700 50 0 0 20 0 1 0 99 1000 10\n"


def test_a_process_s_jiffies_are_its_user_and_system_time():
    assert cpu.parse_process_jiffies(STAT) == 750


def test_processes_are_grouped_by_their_command_line():
    client = 77
    assert cpu.classify("python\0-m\0gunicorn\0shenbao.wsgi:application", pid=5, client_pid=client) == "web"
    assert cpu.classify("python\0-m\0gunicorn\0bench.baseline.wsgi:application", pid=6, client_pid=client) == (
        "baseline web"
    )
    assert cpu.classify("postgres: 15/main: postgres bench 127.0.0.1(5000) idle", pid=7, client_pid=client) == (
        "database"
    )
    assert cpu.classify("python\0-m\0bench", pid=client, client_pid=client) == "bench client"
    assert cpu.classify("redis-server *:6379", pid=8, client_pid=client) == "other"


def test_group_shares_count_what_each_group_spent_between_readings():
    before = {1: ("web", 100), 2: ("web", 50), 3: ("database", 10), 9: ("other", 5)}
    # Process 4 started in between (counted from zero); process 9 ended (lost); 3 spent nothing.
    after = {1: ("web", 400), 2: ("web", 250), 3: ("database", 10), 4: ("database", 300)}
    shares = cpu.group_shares(before, after, (0, 0), (1000, 1000))
    assert shares == {"web": 0.5, "database": 0.3}
    assert list(shares) == ["web", "database"]
    assert cpu.group_shares(before, after, None, (1000, 1000)) == {}


def test_this_machine_s_processes_can_be_read_and_this_one_is_the_client():
    import os

    reading = cpu.read_process_times(client_pid=os.getpid())
    assert reading[os.getpid()][0] == "bench client"


def test_the_rush_table_and_summary_name_the_processes_that_did_the_work():
    phase = _phase(0.99) | {"cpu_by_process": {"web": 0.61, "database": 0.3, "bench client": 0.08}}
    rush = {"applications": 200, "clients": 50, "counties": 7, "submissions": phase, "approvals": _phase(None)}

    table = "\n".join(report.rush_table(rush))
    assert "CPU of the submissions by process (share of all cores): web 61 %, database 30 %, bench client 8 %." in table
    assert "CPU of the approvals" not in table
    assert report.rush_summary(rush)[1].endswith("CPU busy 99 % (web 61 %, database 30 %, bench client 8 %)")
