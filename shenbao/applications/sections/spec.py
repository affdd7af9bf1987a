"""Declarative description of an application form: sections, fields and tables.

One spec drives the edit forms, the completeness check before submission, the eligibility metrics, the
labels of the version diff and the generated documents, so a field is declared exactly once.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """A single value. `kind`: text, textarea, integer, decimal, date, choice, boolean, id_number, phone."""

    name: str
    label: str
    kind: str = "text"
    required: bool = True
    choices: tuple = ()  # (value, label) pairs for kind == "choice"
    help_text: str = ""
    min_value: int | None = 0
    max_length: int | None = None
    must_be_true: bool = False  # a declaration the unit has to tick (承诺)


@dataclass(frozen=True)
class Table:
    """A list of rows, each row the same columns (成员表, 设备清单 …)."""

    name: str
    label: str
    columns: tuple
    min_rows: int = 0
    max_rows: int = 200
    help_text: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    document: str  # which paper document the section belongs to: "申报书", "申请报告", "实施方案"
    items: tuple  # Field and Table objects in display order
    help_text: str = ""

    @property
    def fields(self):
        return [item for item in self.items if isinstance(item, Field)]

    @property
    def tables(self):
        return [item for item in self.items if isinstance(item, Table)]


@dataclass(frozen=True)
class FormSpec:
    project_type_code: str
    sections: tuple

    def section(self, key):
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)


def year_choices(years):
    """(value, label) choices of the construction years: ("<year>", "<year>年")."""
    return tuple((str(year), f"{year}年") for year in years)


def year_range(years):
    """The period's years as "<first>—<last>", or "<year>" for a single year."""
    first, last = years[0], years[-1]
    return f"{first}" if first == last else f"{first}—{last}"


class SpecText(str):
    """A label made from a template and values.

    Examples: 「<首年>—<末年>年师带徒和技术攻关课题」, 「成员名单第2行：姓名、证书编号」.

    It is the Chinese text itself wherever a plain string is used (documents, stored diffs, guard reasons), and
    remembers its template (marked with gettext_noop where it is written) and values, so `translate_spec` shows it
    in the reader's language. A value may itself be a spec label, or a tuple of them (a list, joined with 「、」).
    """

    template: str
    params: dict

    def __new__(cls, template, **params):
        chinese = {
            key: "、".join(map(str, value)) if isinstance(value, tuple) else value for key, value in params.items()
        }
        text = super().__new__(cls, template % chinese)
        text.template = template
        text.params = params
        return text


def translate_spec(value):
    """A spec's label, section title, help text or choice label (or a SpecText) in the active language."""
    from django.utils.translation import gettext

    if isinstance(value, tuple):
        return gettext("、").join(translate_spec(item) for item in value)
    if isinstance(value, SpecText):
        params = {
            key: translate_spec(item) if isinstance(item, str | tuple) else item for key, item in value.params.items()
        }
        return gettext(value.template) % params
    if not value:
        return ""
    return gettext(str(value))
