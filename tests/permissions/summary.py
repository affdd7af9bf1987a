"""The line `make test` prints: how much the permission matrix covered, summed over every xdist worker.

The tests append their counts to `item.user_properties`; pytest-xdist ships those with each report to
the controller, where `pytest_terminal_summary` (tests/conftest.py) adds them up.
"""

COUNTS = ("permission_url_patterns", "permission_api_operations", "permission_checks")


def summary_line(terminalreporter):
    totals = dict.fromkeys(COUNTS, 0)
    seen = False
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for name, value in getattr(report, "user_properties", ()):
                if name in totals:
                    totals[name] += value
                    seen = True
    if not seen:
        return None
    return (
        f"permission matrix: {totals['permission_url_patterns']} URL patterns, "
        f"{totals['permission_api_operations']} API operations, "
        f"{totals['permission_checks']} role×object checks"
    )


def write_summary(terminalreporter):
    line = summary_line(terminalreporter)
    if line:
        terminalreporter.write_sep("-", "permission matrix")
        terminalreporter.write_line(line)
