"""Every template of every app stays within the CSP: no inline scripts, styles or event-handler attributes.

The policy (settings.SECURE_CSP) would block them in the browser anyway; this test finds them before a user does.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATE_FILES = sorted(
    path for path in (Path(settings.BASE_DIR) / "shenbao").glob("**/templates/**/*.html") if ".venv" not in path.parts
)

# An HTML start tag; Django template tags inside it are kept (they may hold attributes too).
TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)((?:[^<>{]|\{[^}]*\})*)>", re.DOTALL)
SCRIPT_SRC = re.compile(r"\ssrc\s*=", re.IGNORECASE)
# An attribute starts after whitespace or right after a template tag: `{% if x %}style="…"`.
STYLE_ATTRIBUTE = re.compile(r"(?:^|[\s}])style\s*=", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"(?:^|[\s}])on[a-z]+\s*=", re.IGNORECASE)
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.DOTALL)
JAVASCRIPT_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.IGNORECASE)


def csp_violations(text):
    problems = []
    # Comments never reach the browser; blank them out but keep their newlines so line numbers stay right.
    text = TEMPLATE_COMMENT.sub(lambda match: "\n" * match.group().count("\n"), text)
    for match in TAG.finditer(text):
        name, attributes = match.group(1).lower(), match.group(2)
        line = text.count("\n", 0, match.start()) + 1
        if name == "script" and not SCRIPT_SRC.search(attributes):
            problems.append(f"line {line}: inline <script> without src")
        if name == "style":
            problems.append(f"line {line}: inline <style> element")
        if STYLE_ATTRIBUTE.search(attributes):
            problems.append(f"line {line}: style= attribute")
        if EVENT_ATTRIBUTE.search(attributes):
            problems.append(f"line {line}: on…= event-handler attribute")
        if JAVASCRIPT_URL.search(attributes):
            problems.append(f"line {line}: javascript: URL")
    return problems


def test_the_project_has_templates_to_check():
    names = {path.name for path in TEMPLATE_FILES}
    assert {"base.html", "404.html", "500.html", "home.html"} <= names


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_template_has_no_inline_script_style_or_handler(path):
    assert csp_violations(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="module">x()</script>',
        '<div style="color: red">',
        "<p class=\"x\"\n   style='margin:0'>",
        '<button onclick="go()">',
        '<body onload="init()">',
        '<a href="javascript:void(0)">',
        "<style>p { color: red }</style>",
        '<div {% if x %}onclick="go()"{% endif %}>',
        '<div {% if x %}style="display:none"{% endif %}>',
    ],
)
def test_checker_catches_violations(snippet):
    assert csp_violations(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="/static/js/shenbao.js" defer></script>',
        '<div class="onboarding" data-style="x">',
        '<button hx-on="x" data-confirm="确定吗？">',
        '<input name="online" value="{{ value }}">',
        '<p>style="x" onclick="y" written as text</p>',
        "{# an inline <script> would be blocked #}<p>",
        '{% comment %}<div style="x">{% endcomment %}',
    ],
)
def test_checker_accepts_safe_markup(snippet):
    assert csp_violations(snippet) == []
