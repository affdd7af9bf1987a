"""Chinese typography: half-width `, : ; ( ) ? !` next to Chinese text become full-width (，：；（）？！).

The rule, on a run of prose (a string literal, a template's text, a YAML value):
- a half-width mark is an offence when its nearest non-space neighbour on either side is Chinese: a CJK ideograph,
  CJK punctuation (、。「」《》…) or a full-width form (，：（ …); the neighbour search stops at anything that is not
  prose (a template tag, a placeholder, the end of the literal), which counts as not Chinese;
- a matched `(`…`)` pair is converted as a whole when either parenthesis is an offence by the first rule, or
  its contents hold a CJK ideograph; never when a letter touches the `(` (a call in quoted code: `Field("名称")`).
  So 「日期(如 2022-12-02)」 becomes 「日期（如 2022-12-02）」, never 「（如 2022-12-02)」;
- marks converted make their own neighbours Chinese (「(北京时间):」 → 「（北京时间）：」), so the rule runs to a
  fixed point.

Never touched: format placeholders (`%(name)s`, `%s`, `{name}`, `{0:>3}`), URLs, times (09:00) and grouped numbers
(1,000) — digits are not Chinese, so marks between them never qualify —, and everything outside prose: Python syntax,
comments and docstrings (English documentation), raw and byte strings (regexes), template tag syntax (only the quoted
literals inside `{% %}`/`{{ }}` are prose), HTML tag syntax (only attribute values are prose), YAML keys and YAML
syntax, YAML or other keyed text held in a string over several lines. A line holding `fullwidth-ok`, or
following a comment line holding it, is left alone (English text quoting a Chinese term, a file name); a file
holding `fullwidth-punctuation: skip-file` likewise (this rule's own tests).

`fix_*` functions answer the corrected text; `check_file_text` answers it with the offences as (line, column, mark).
scripts/fullwidth_punctuation.py applies them to the repository; tests/core/test_fullwidth_punctuation.py checks it.
"""

import io
import re
import tokenize
from dataclasses import dataclass

FULL_WIDTH = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}
HALF_WIDTH = str.maketrans({full: half for half, full in FULL_WIDTH.items()})
LINE_PRAGMA = "fullwidth-ok"
FILE_PRAGMA = "fullwidth-punctuation: skip-file"

IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Ideographs, CJK symbols and punctuation (U+3000–303F) and the half/full-width forms block (U+FF00–FFEF).
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Inside prose, these are code, not text: placeholders of %-formatting and str.format, and URLs.
PROTECTED = re.compile(
    r"%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]"
    r"|%[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]"
    r"|\{[A-Za-z0-9_.\[\]]*(?:![rsa])?(?::(?:.?[<>=^])?[-+ ]?#?0?\d*[,_]?(?:\.\d+)?[a-zA-Z%]?)?\}"
    # A URL; a mark at its end is the sentence's, not the URL's.
    r"|(?:https?|ftp|mailto):[^\s\"'<>\u3000-\u303f\u3400-\u9fff\uff00-\uffef]*[^\s\"'<>,:;?!.()\u3000-\uffef]"
)
SPACE = " \t\r\n\u00a0"


@dataclass(frozen=True)
class Offence:
    line: int
    column: int
    mark: str


def _chinese_neighbour(chars, prose, index, step, proxy):
    """True when the nearest non-space character from `index` in direction `step` is Chinese prose.

    `proxy` stands in for syntax that renders known text: `{% translate "尚缺" %}` reads as 「尚缺」 from outside.
    """
    position = index + step
    while 0 <= position < len(chars) and prose[position] and chars[position] in SPACE:
        position += step
    if not 0 <= position < len(chars):
        return False
    char = chars[position] if prose[position] else proxy.get(position, "")
    return bool(CHINESE.match(char))


def _fix(text, prose, proxy=None):
    """(`text` with the rule applied where `prose[i]` is true, the positions of the marks converted).

    The rest is kept as it is and counts as not Chinese. Spaces next to a converted mark go: full-width marks carry
    their own spacing (「尚缺： 张三」 reads as a gap); newlines stay.
    """
    chars = list(text)
    prose = list(prose)
    proxy = proxy or {}
    for match in PROTECTED.finditer(text):
        for position in range(match.start(), match.end()):
            prose[position] = False
    marks = [i for i, char in enumerate(chars) if prose[i] and char in FULL_WIDTH]
    if not marks:
        return text, []
    pairs = _pairs(chars, prose, marks)
    changed = True
    while changed:
        changed = False
        for index in marks:
            if chars[index] in FULL_WIDTH and _offends(chars, prose, index, pairs.get(index), proxy):
                for position in (index, pairs.get(index)):
                    if position is not None and chars[position] in FULL_WIDTH:
                        chars[position] = FULL_WIDTH[chars[position]]
                changed = True
    converted = [index for index in marks if chars[index] != text[index]]
    removed = set()
    for index in converted:
        for step in (-1, 1):
            run, position = [], index + step
            while 0 <= position < len(chars) and prose[position] and chars[position] == " ":
                run.append(position)
                position += step
            # Only spaces between two characters of one line: indentation and line ends are layout.
            if 0 <= position < len(chars) and chars[position] not in "\r\n":
                removed.update(run)
    return "".join(char for index, char in enumerate(chars) if index not in removed), converted


def _offends(chars, prose, index, partner, proxy):
    if partner is not None:
        low, high = sorted((index, partner))
        if low and re.match(r"[A-Za-z_]", chars[low - 1]):
            return False  # a call in quoted code, `Field("x", "名称")`, not a parenthesis of prose
    if _chinese_neighbour(chars, prose, index, -1, proxy) or _chinese_neighbour(chars, prose, index, 1, proxy):
        return True
    if partner is None:
        return False
    return any(prose[i] and IDEOGRAPH.match(chars[i]) for i in range(low + 1, high))


def _pairs(chars, prose, marks):
    """Matched parentheses of the prose, each mapped to its partner."""
    pairs, stack = {}, []
    for index in marks:
        if chars[index] == "(":
            stack.append(index)
        elif chars[index] == ")" and stack:
            opening = stack.pop()
            pairs[opening], pairs[index] = index, opening
    return pairs


class _Regions:
    """The prose regions of a text: a per-character flag, plus the lines that opt out."""

    def __init__(self, text):
        self.text = text
        self.prose = [False] * len(text)
        self.proxy = {}

    def add(self, start, end):
        for position in range(start, end):
            self.prose[position] = True

    def fixed(self):
        return self.result()[0]

    def result(self):
        if FILE_PRAGMA in self.text:
            return self.text, []
        offset, skip_next = 0, False
        for line in self.text.splitlines(keepends=True):
            if skip_next or LINE_PRAGMA in line:
                self.prose[offset : offset + len(line)] = [False] * len(line)
            # A comment line holding the pragma covers the next line too (when the line itself has no room).
            skip_next = LINE_PRAGMA in line and line.lstrip().startswith(("#", "{#"))
            offset += len(line)
        return _fix(self.text, self.prose, self.proxy)


def half_width_variant(text):
    """`text` as it was written before the rule: names matched as data (spreadsheet headers, reference data)."""
    return text.translate(HALF_WIDTH)


def fix_prose(text):
    """`text` is all prose (a message, a .po msgstr)."""
    regions = _Regions(text)
    regions.add(0, len(text))
    return regions.fixed()


def _code_in_string(content):
    """A literal holding YAML or other keyed text over several lines is data for a parser, not prose."""
    return ("\n" in content or "\\n" in content) and re.search(
        r"(?:^|\n|\\n)\s*(?:- )?\{?[A-Za-z_][\w-]*:(?:\s|$|\\n)", content
    )


# Python ----------------------------------------------------------------------------------------------------------


def _line_offsets(text):
    offsets, total = [0], 0
    for line in text.splitlines(keepends=True):
        total += len(line)
        offsets.append(total)
    return offsets


def _python_regions(text):
    regions = _Regions(text)
    offsets = _line_offsets(text)
    tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    significant = [token for token in tokens if token.type not in (tokenize.NL, tokenize.COMMENT)]
    fstring_middle = getattr(tokenize, "FSTRING_MIDDLE", None)
    for number, token in enumerate(significant):
        start = offsets[token.start[0] - 1] + token.start[1]
        end = offsets[token.end[0] - 1] + token.end[1]
        if token.type == tokenize.STRING:
            prefix = re.match(r"[A-Za-z]*", token.string).group().lower()
            if "r" in prefix or "b" in prefix or _is_docstring(significant, number):
                continue
            quote = token.string[len(prefix) :]
            width = 3 if quote[:3] in ('"""', "'''") else 1
            if not _code_in_string(token.string[len(prefix) + width : -width]):
                regions.add(start + len(prefix) + width, end - width)
        elif token.type == fstring_middle and text[start:end] == token.string:
            opening = next(t for t in reversed(significant[:number]) if t.type == tokenize.FSTRING_START)
            if "r" not in opening.string.lower():
                regions.add(start, end)
    return regions


def _is_docstring(significant, number):
    """A string that is a statement by itself: module, class and function docstrings, and bare string comments."""
    before = significant[number - 1].type if number else tokenize.NEWLINE
    after = significant[number + 1].type if number + 1 < len(significant) else tokenize.NEWLINE
    starts = before in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING)
    return starts and after in (tokenize.NEWLINE, tokenize.ENDMARKER)


def fix_python(text):
    return _python_regions(text).fixed()


# Templates (Django HTML and text) ---------------------------------------------------------------------------------

DJANGO_SYNTAX = r"\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}|\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}"
TEXT_SYNTAX = re.compile(DJANGO_SYNTAX, re.DOTALL)
# HTML: comments, script and style elements whole, and tags (template syntax inside a tag is part of the tag).
HTML_SYNTAX = re.compile(
    DJANGO_SYNTAX + r"|<!--.*?-->|<(script|style)\b.*?</\1\s*>|</?[A-Za-z](?:[^<>{]|\{[^}]*\})*>",
    re.DOTALL | re.IGNORECASE,
)
TRANSLATE_TAG = re.compile(r"\{%\s*(?:translate|trans)\s+([\"'])(.*?)\1\s*(?:noop\s*)?%\}", re.DOTALL)
QUOTED = re.compile(r"\"([^\"]*)\"|'([^']*)'")


def _template_regions(text, html):
    regions = _Regions(text)
    cursor = 0
    for match in (HTML_SYNTAX if html else TEXT_SYNTAX).finditer(text):
        regions.add(cursor, match.start())
        cursor = match.end()
        syntax = match.group()
        if syntax.startswith(("{%", "{{")) and not re.match(r"\{%\s*comment\b", syntax):
            _add_quoted(regions, syntax, match.start())
            translated = TRANSLATE_TAG.fullmatch(syntax)
            if translated and translated.group(2):
                regions.proxy[match.start()] = translated.group(2)[0]
                regions.proxy[match.end() - 1] = translated.group(2)[-1]
        elif html and syntax.startswith("<") and not syntax.startswith(("<!--", "</")) and not match.group(1):
            _add_html_attribute_values(regions, syntax, match.start())
    regions.add(cursor, len(text))
    return regions


def _add_quoted(regions, syntax, offset):
    for literal in QUOTED.finditer(syntax):
        group = 1 if literal.group(1) is not None else 2
        regions.add(offset + literal.start(group), offset + literal.end(group))


def _add_html_attribute_values(regions, tag, offset):
    """Attribute values are prose, except where they hold template syntax (kept as it is)."""
    for value in re.finditer(r"=\s*(?:\"([^\"]*)\"|'([^']*)')", tag):
        group = 1 if value.group(1) is not None else 2
        start = offset + value.start(group)
        inner = value.group(group)
        cursor = 0
        for syntax in re.finditer(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", inner):
            regions.add(start + cursor, start + syntax.start())
            _add_quoted(regions, syntax.group(), start + syntax.start())
            cursor = syntax.end()
        regions.add(start + cursor, start + len(inner))


def fix_template(text, *, html=True):
    return _template_regions(text, html).fixed()


# YAML -------------------------------------------------------------------------------------------------------------


def _yaml_regions(text):
    import yaml

    regions = _Regions(text)
    previous = None
    for token in yaml.scan(text):
        if isinstance(token, yaml.ScalarToken) and not isinstance(previous, yaml.KeyToken):
            start, end = token.start_mark.index, token.end_mark.index
            if not token.plain and text[start : start + 1] in "\"'":
                start, end = start + 1, end - 1
            regions.add(start, end)
        previous = token
    # A comment after a plain scalar is inside no token's span, but keep `# …` out explicitly: comments are English.
    for comment in re.finditer(r"(?m)(?:^|\s)#.*$", text):
        regions.prose[comment.start() : comment.end()] = [False] * (comment.end() - comment.start())
    return regions


def fix_yaml(text):
    return _yaml_regions(text).fixed()


# .po --------------------------------------------------------------------------------------------------------------


def _po_regions(text, keyword="msgstr"):
    """The strings of `keyword` entries (and their continuation lines).

    msgstr by default: a catalogue's msgid is the source text, regenerated by makemessages. `fix_po_msgids` is for
    the English catalogue just before makemessages: its msgids then match the corrected source exactly, so the
    English translations are kept instead of turning fuzzy.
    """
    regions = _Regions(text)
    offset, inside = 0, False
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip()
        if stripped.startswith(("msgid", "msgstr", "msgctxt")):
            inside = stripped.startswith(keyword)
        elif not stripped.startswith('"'):
            inside = False
        if inside and '"' in line:
            first, last = line.index('"'), line.rindex('"')
            regions.add(offset + first + 1, offset + last)
        offset += len(line)
    return regions


def fix_po(text):
    return _po_regions(text).fixed()


def fix_po_msgids(text):
    return _po_regions(text, "msgid").fixed()


# Offences ---------------------------------------------------------------------------------------------------------


def offences_at(text, positions):
    offences = []
    for position in positions:
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        offences.append(Offence(line, column, text[position]))
    return offences


# The repository -------------------------------------------------------------------------------------------------

# What users read: code's messages, templates, call files, reference data and the zh catalogue. English .po
# catalogues translate *from* Chinese, so their msgstr are English; msgid are regenerated by makemessages.
SOURCE_GLOBS = (
    "shenbao/**/*.py",
    "scripts/*.py",  # the builder of the call's Word forms (run it after a fix: calls/*/*.docx are its output)
    "shenbao/**/templates/**/*.html",
    "shenbao/**/templates/**/*.txt",
    "calls/*.yaml",
    "data/**/*.yaml",
    "locale/zh*/LC_MESSAGES/*.po",
)
TEST_GLOBS = ("tests/**/*.py",)


def repository_files(root, *, tests=False):
    globs = SOURCE_GLOBS + (TEST_GLOBS if tests else ())
    paths = {path for pattern in globs for path in root.glob(pattern) if ".venv" not in path.parts}
    return sorted(paths)


def _regions_of_file(path, text):
    if path.suffix == ".py":
        return _python_regions(text)
    if path.suffix in (".yaml", ".yml"):
        return _yaml_regions(text)
    if path.suffix == ".po":
        return _po_regions(text)
    return _template_regions(text, path.suffix == ".html")


def check_file_text(path, text):
    """(the corrected text of the file at `path`, a pathlib.Path, chosen by its kind; its offences)."""
    fixed, converted = _regions_of_file(path, text).result()
    return fixed, offences_at(text, converted)


def fix_file_text(path, text):
    return check_file_text(path, text)[0]
