"""Named placeholders in user-edited message texts: 「{申报编号}已被退回」.

Why not Django templates or `str.format_map`: the text is written by a person in the browser, and template
execution (tags, filters, attribute lookups) or format's `{x.attr}` / `{x[0]}` / `{x!r:>99}` would let that text
reach objects and settings. The text is split with `string.Formatter.parse` (only to find the fields), and every
field must be exactly one whitelisted name without conversion or format spec; the output is the literal parts and
the named values (plain strings) joined. `{{` and `}}` stand for a literal brace.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from string import Formatter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _fields(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    try:
        return list(Formatter().parse(text))
    except ValueError as error:
        raise ValidationError(
            _("花括号不成对：占位符须写成「{名称}」，花括号本身写成「{{」或「}}」。"), code="braces"
        ) from error


def check_placeholders(*, text: str, allowed: Iterable[str]) -> None:
    """ValidationError naming every placeholder of `text` outside `allowed` (and any conversion or format)."""
    allowed = set(allowed)
    unknown: list[str] = []
    for _literal, name, spec, conversion in _fields(text):
        if name is None:
            continue
        if name not in allowed or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            if shown not in unknown:
                unknown.append(shown)
    if unknown:
        raise ValidationError(
            _("未知的占位符：%(names)s。可用的占位符：%(allowed)s。")
            % {"names": "、".join(unknown), "allowed": "、".join("{" + name + "}" for name in sorted(allowed))},
            code="unknown_placeholder",
        )


def render_text(*, text: str, values: Mapping[str, str]) -> str:
    """`text` with each {名称} replaced by `values[名称]`; call `check_placeholders` first (unknown names raise)."""
    parts: list[str] = []
    for literal, name, _spec, _conversion in _fields(text):
        parts.append(literal)
        if name is not None:
            parts.append(str(values[name]))
    return "".join(parts)
