"""deploy/env.example lists every setting the code reads from the environment, each with a comment, and nothing
the code does not read (contracts point 5): a new env(...) without its line here fails, and so does a stale line."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV_EXAMPLE = ROOT / "deploy" / "env.example"
# Where deployment settings are read: the settings profiles, the apps (deploy checks), gunicorn's config, the
# entry points. The tests and the benchmark read their own variables and are not part of a deployment.
SOURCES = [*sorted((ROOT / "shenbao").rglob("*.py")), ROOT / "gunicorn.conf.py", ROOT / "manage.py"]
READ = re.compile(
    r"""\b(?:env|env_bool|env_list|env_int|os\.environ\.get|os\.getenv|os\.environ\.setdefault)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    r"""|os\.environ\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]"""
)
# `NAME=value` or, for an optional setting shown with its default, `#NAME=value` (no space after the #).
ASSIGNMENT = re.compile(r"^#?([A-Z][A-Z0-9_]*)=")


def names_read_by_the_code() -> set[str]:
    found: set[str] = set()
    for path in SOURCES:
        for match in READ.finditer(path.read_text(encoding="utf-8")):
            found.add(match[1] or match[2])
    return found


def names_listed() -> list[str]:
    return [m[1] for m in map(ASSIGNMENT.match, ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()) if m]


def test_the_scan_finds_the_settings_we_know_are_read():
    # Guards the scan itself: if READ stopped matching, the comparison below would pass on two empty sets.
    assert {"SECRET_KEY", "SHENBAO_DATA_KEYS", "EMAIL_HOST", "GUNICORN_TIMEOUT", "WEB_CONCURRENCY"} <= (
        names_read_by_the_code()
    )


def test_every_setting_read_from_the_environment_is_listed_and_nothing_else():
    listed = names_listed()

    assert sorted(names_read_by_the_code() - set(listed)) == [], "read by the code, missing from deploy/env.example"
    assert sorted(set(listed) - names_read_by_the_code()) == [], "in deploy/env.example, read nowhere"
    assert len(listed) == len(set(listed)), "listed twice"


def test_every_setting_has_a_comment_and_no_secret_is_filled_in():
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if ASSIGNMENT.match(line):
            above = lines[number - 1]
            assert above.startswith("# ") or ASSIGNMENT.match(above), f"line {number + 1} has no comment: {line}"
    values = dict(line.lstrip("#").split("=", 1) for line in lines if ASSIGNMENT.match(line))
    # An unfilled copy must refuse to start rather than run with a published secret.
    assert values["SECRET_KEY"] == "" and values["SHENBAO_DATA_KEYS"] == ""
    assert values["DJANGO_SETTINGS_MODULE"] == "shenbao.settings.production"
