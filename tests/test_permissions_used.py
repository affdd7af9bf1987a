"""Every permission declared in a `rules.py` (`rules.add_perm("app.name", …)`) is checked somewhere: a view, a
template, a service or a test names it. A permission nobody checks is a rule nobody enforces; it goes.

The workflow's `applications.fire_<step>` permissions are declared from the table in a loop (an f-string) and are
checked the same way (`has_perm(f"applications.fire_{name}")`), so only literal names are scanned here."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DECLARED = re.compile(r"""add_perm\(\s*["']([\w.]+)["']""")


def declared_permissions(root=ROOT):
    names = {}
    for path in (root / "shenbao").rglob("rules.py"):
        for name in DECLARED.findall(path.read_text()):
            names[name] = path
    return names


def unchecked(declared, texts):
    """The declared names no text mentions outside its own declaration."""
    return sorted(
        name
        for name in declared
        if not any(
            f'"{name}"' in line or f"'{name}'" in line
            for text in texts
            for line in text.splitlines()
            if "add_perm(" not in line
        )
    )


def project_texts(root=ROOT):
    for folder in ("shenbao", "tests"):
        for path in (root / folder).rglob("*"):
            if path.suffix in {".py", ".html"} and path.name != Path(__file__).name:
                yield path.read_text()


def test_every_declared_permission_is_checked_somewhere():
    declared = declared_permissions()
    assert declared, "no rules.add_perm found: the scan is broken"
    missing = unchecked(declared, list(project_texts()))
    assert not missing, f"declared and never checked: {missing}"


def test_the_scan_finds_a_permission_nobody_checks():
    declared = {"scoring.view_panel_progress": None, "scoring.remind_panel": None}
    texts = [
        'rules.add_perm("scoring.view_panel_progress", administers_panel)\n'
        'rules.add_perm("scoring.remind_panel", administers_panel)\n',
        '@permission_required("scoring.remind_panel")\n',
    ]
    assert unchecked(declared, texts) == ["scoring.view_panel_progress"]
