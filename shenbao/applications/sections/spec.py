"""Declarative description of an application form: sections, fields and tables.

One spec drives the edit forms, the completeness check before submission, the eligibility metrics, the
labels of the version diff and the generated documents, so a field is declared exactly once.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Field:
    """A single value. `kind`: text, textarea, integer, decimal, date, month (年-月), choice, boolean, id_number,
    phone. `decimal_places`: how many places a decimal may have (money in 万元 to the fen has 6)."""

    name: str
    label: str
    kind: str = "text"
    required: bool = True
    choices: tuple = ()  # (value, label) pairs for kind == "choice"
    help_text: str = ""
    min_value: int | None = 0
    max_length: int | None = None
    must_be_true: bool = False  # a declaration the unit has to tick (承诺)
    decimal_places: int = 2


@dataclass(frozen=True)
class Derived:
    """A value computed from the form, shown beside the fields and printed, never typed (其中技师人数 …).

    `compute(form_data) -> int | str` reads the whole form, so it may count another section's table rows.
    """

    name: str
    label: str
    compute: Callable


@dataclass(frozen=True)
class TableTotal:
    """A column whose sum must equal an amount the call fixes (the spending plan against the call's 扶持经费).

    `column`: a decimal column in 万元; `amount`: the call's amount in 元 (`ProjectType.funding_amount`).
    """

    column: str
    amount: Decimal


@dataclass(frozen=True)
class Table:
    """A list of rows, each row the same columns (成员表, 设备清单 …)."""

    name: str
    label: str
    columns: tuple
    min_rows: int = 0
    max_rows: int = 200
    help_text: str = ""
    # Completeness rules beyond required cells: the sum of a column (`TableTotal`), and a choice column whose
    # every choice needs a row (each construction year, each fixed indicator), at most one each when `one_per_choice`.
    total: TableTotal | None = None
    every_choice: str = ""
    one_per_choice: bool = False


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    documents: tuple  # the paper documents that print the section: "申报书", "申请报告", "实施方案"
    items: tuple  # Field and Table objects in display order
    help_text: str = ""
    derived: tuple = ()  # Derived values shown after the fields

    def prints_in(self, document):
        return document in self.documents

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
