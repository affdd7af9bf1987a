"""No template compares a status or a state with a string: what a page shows about a state (label, badge colour,
step, final flag, what it offers) comes from the states of the object's machine (`core.transitions`), read with
`{{ obj|state }}`, `{% state_badge obj %}` or `obj|state_flag:"final"` (`core.templatetags.states`).

Caught inside `{% … %}` tags: `x.status == "draft"`, `"draft" != x.state`, `x.status in "…"` and a state made up
in the template (`sheet.status|default:"new"`). Comparing two variables (`status == value`, a filter's current
choice) is not a status string and passes.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

SOURCE = Path(settings.BASE_DIR) / "shenbao"
TAG = re.compile(r"{%(.*?)%}", re.DOTALL)
STATE = r"[\w.]*(?:status|state)\w*"
LITERAL = r"(?:\"[^\"]*\"|'[^']*')"
COMPARISON = re.compile(
    rf"{STATE}\s*(?:==|!=)\s*{LITERAL}"
    rf"|{LITERAL}\s*(?:==|!=)\s*{STATE}"
    rf"|{STATE}\s+(?:not\s+)?in\s+{LITERAL}"
    rf"|{STATE}\s*\|\s*default\s*:\s*{LITERAL}"
)


def templates():
    return sorted(SOURCE.glob("**/templates/**/*.html"))


def status_comparisons(text):
    return [match.group(0) for tag in TAG.finditer(text) for match in COMPARISON.finditer(tag.group(1))]


@pytest.mark.parametrize(
    "text",
    [
        '{% if application.status == "submitted" %}',
        "{% elif application.status != 'awarded' %}",
        '{% if "current" == step.state %}',
        '{% if report.status in "draft returned" %}',
        '{% include "scoring/_status.html" with state=sheet.status|default:"new" %}',
        '{% if is_unit and row.report.is_editable and application.status == "awarded" %}',
    ],
)
def test_the_scan_finds_a_status_compared_with_a_string(text):
    assert status_comparisons(text)


@pytest.mark.parametrize(
    "text",
    [
        "{% if status == value %}",  # a list filter's current choice against each choice
        "{% if state.final %}",
        '{% if state.in_first_review %}<span class="status">x</span>{% endif %}',
        "{% if email.status == given_up %}",
        '<p class="status">{{ application.status }} == "draft"</p>',  # text outside a tag
    ],
)
def test_the_scan_lets_flags_and_variables_pass(text):
    assert not status_comparisons(text)


def test_the_scan_covers_every_app():
    names = {str(path.relative_to(SOURCE)) for path in templates()}
    assert "applications/templates/applications/application_detail.html" in names
    assert "scoring/templates/scoring/panel_progress.html" in names
    assert len({name.split("/", 1)[0] for name in names}) >= 10


@pytest.mark.parametrize("path", templates(), ids=lambda path: str(path.relative_to(SOURCE)))
def test_no_status_compared_with_a_string(path):
    assert status_comparisons(path.read_text(encoding="utf-8")) == []
