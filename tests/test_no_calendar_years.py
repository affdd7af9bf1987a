"""No calendar year in the code that a call's dates decide: the form specs, the eligibility metrics, the acceptance
targets and periods, the project-type registry, the generated documents and every template. The years a form asks
for and a document prints come from the call file (its construction period), so next year's call needs no code.

Left out, explicitly: migrations and the demo data (`demo.py`, which seeds the 2022 call on purpose), and within the
scanned files only the narrow patterns of `ALLOWED` (an example in a Chinese message, a standard's number, an XML
namespace), which name no year of any call.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

SOURCE = Path(settings.BASE_DIR) / "shenbao"
SCANNED = (
    "applications/sections",  # the form specs
    "applications/metrics.py",  # the eligibility metrics
    "applications/formdata.py",  # the field kinds and their checks
    "calls/eligibility.py",
    "calls/project_types.py",  # the registry of project types
    "acceptance/targets.py",  # the acceptance targets and fund categories
    "acceptance/periods.py",
    "documents",  # the generated documents (申报书, 申请报告, 实施方案)
)
CALENDAR_YEAR = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")
ALLOWED = (
    re.compile(r"例如 [0-9]{4}-[0-9]{2}(?:-[0-9]{2})?"),  # an example of the date or month format in a Chinese message
    re.compile(r"GB(?:/T)? [0-9]+-[0-9]{4}"),  # a national standard's number and year (GB 11643-1999)
    re.compile(re.escape("http://www.w3.org/2000/svg")),  # the SVG namespace
)


def scanned_files():
    files = set()
    for part in SCANNED:
        path = SOURCE / part
        files |= {path} if path.is_file() else {*path.rglob("*.py"), *path.rglob("*.html")}
    files |= {path for path in SOURCE.glob("*/documents.py")}  # the other apps' generated documents
    files |= set(SOURCE.glob("**/templates/**/*.html"))
    return sorted(path for path in files if "migrations" not in path.parts and path.name != "demo.py")


def years_in(text):
    for pattern in ALLOWED:
        text = pattern.sub("", text)
    return CALENDAR_YEAR.findall(text)


def test_the_scan_covers_the_year_bound_code():
    names = {str(path.relative_to(SOURCE)) for path in scanned_files()}
    assert {"applications/sections/workstation.py", "applications/sections/training_base.py"} <= names
    assert {"acceptance/targets.py", "documents/content.py", "documents/kinds.py"} <= names
    assert "applications/templates/applications/application_section.html" in names
    assert not any(name.endswith("demo.py") or "/migrations/" in name for name in names)


@pytest.mark.parametrize("path", scanned_files(), ids=lambda path: str(path.relative_to(SOURCE)))
def test_no_calendar_year(path):
    lines = [
        f"{number}: {line.strip()}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if years_in(line)
    ]
    assert not lines, f"calendar years in {path.relative_to(SOURCE)} (take them from the call):\n" + "\n".join(lines)


def test_the_allowed_patterns_are_narrow():
    assert years_in("例如 2022-12-08") == []
    assert years_in("例如 1985-06") == []
    assert years_in("2023—2024年师带徒和技术攻关课题") == ["2023", "2024"]
    assert years_in('Field("tasks_2023", "2023年建设任务")') == ["2023", "2023"]
    assert years_in("min_value=1949") == ["1949"]
    assert years_in("GB 11643-1999 2024") == ["2024"]
