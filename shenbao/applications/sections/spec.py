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


def year_span(years):
    """The period's years as a heading prefix: "<first>—<last>年", or "<year>年" for a single year."""
    first, last = years[0], years[-1]
    return f"{first}年" if first == last else f"{first}—{last}年"
