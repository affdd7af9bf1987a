"""复制往年申报: what of an earlier application's form may fill this year's form, worked out from the two specs.

Both specs come from `sections.get_form_spec(project_type)`, so a year-bound key of this year's form (a task of a
construction year, a topic year's choice) that the earlier form did not have is simply not copied. An item is
copied when the same section key holds an item of the same name and a compatible kind in both specs; every value
is cleaned again by `formdata.clean_value` against this year's spec, so what this year's form would refuse (a
choice that no longer exists, a number below a new minimum) is left for the unit to fill in. Declarations
(`must_be_true`) are never copied: the unit confirms them again. Uploaded materials are never copied.

`plan_copy` returns the new section contents and the report shown to the unit; it writes nothing
(`services_reuse.copy_application_from` does).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .formdata import FieldError, clean_value, is_empty, reveal_id_number
from .sections.spec import Table

# Kinds whose stored values mean the same thing; any other pair must be the same kind.
COMPATIBLE_KINDS = ({"text", "textarea"},)

NOT_IN_EARLIER_SECTION = gettext_lazy("往年申报表中没有此部分")
NOT_IN_EARLIER_FORM = gettext_lazy("往年申报表中没有此项")
NOT_IN_EARLIER_TABLE = gettext_lazy("往年申报表中没有此列")
DECLARATION = gettext_lazy("声明和承诺须重新确认")


@dataclass
class SectionCopy:
    key: str
    title: str
    values: dict = field(default_factory=dict)  # cleaned values to write, by item name
    blanks: dict = field(default_factory=dict)  # items empty in the earlier form: written only where still unset
    copied: list = field(default_factory=list)  # labels of what was copied
    reenter: list = field(default_factory=list)  # {"label", "reason"} of what the unit fills in again

    def as_report(self):
        return {"key": self.key, "title": self.title, "copied": self.copied, "reenter": self.reenter}


def compatible(new_field, old_field):
    if new_field.kind == old_field.kind:
        return True
    return any(new_field.kind in group and old_field.kind in group for group in COMPATIBLE_KINDS)


def as_raw(field_, value):
    """A stored value as the cleaner takes it: an encrypted 身份证号码 in clear (its token is kept, see below)."""
    if field_.kind == "id_number":
        return reveal_id_number(value)
    return value


def _copy_value(new_field, old_field, value):
    previous_tokens = [value] if old_field.kind == "id_number" and value else []
    return clean_value(new_field, as_raw(old_field, value), previous_tokens)


def _old_items(spec, section_key):
    try:
        section = spec.section(section_key)
    except KeyError:
        return None
    return {item.name: item for item in section.items}


def _copy_field(result, item, old_item, old_values):
    if item.must_be_true:
        result.reenter.append({"label": item.label, "reason": str(DECLARATION)})
        return
    if old_item is None or isinstance(old_item, Table) or not compatible(item, old_item):
        result.reenter.append({"label": item.label, "reason": str(NOT_IN_EARLIER_FORM)})
        return
    value = old_values.get(item.name)
    if is_empty(value) or (item.kind == "boolean" and value is not True):
        # Nothing to copy; the submission checklist asks for it like for any empty item.
        result.blanks[item.name] = clean_value(item, None)
        return
    try:
        result.values[item.name] = _copy_value(item, old_item, value)
    except FieldError as exc:
        result.reenter.append({"label": item.label, "reason": str(exc)})
    else:
        result.copied.append(item.label)


def _copy_table(result, table, old_table, old_values):
    if not isinstance(old_table, Table):
        result.reenter.append({"label": table.label, "reason": str(NOT_IN_EARLIER_FORM)})
        return
    old_columns = {column.name: column for column in old_table.columns}
    columns = []
    for column in table.columns:
        old_column = old_columns.get(column.name)
        if column.must_be_true:
            result.reenter.append({"label": f"{table.label}「{column.label}」", "reason": str(DECLARATION)})
        elif old_column is None or not compatible(column, old_column):
            result.reenter.append({"label": f"{table.label}「{column.label}」", "reason": str(NOT_IN_EARLIER_TABLE)})
        else:
            columns.append((column, old_column))
    old_rows = [row for row in old_values.get(table.name) or [] if isinstance(row, dict)]
    if not columns or not old_rows:
        result.blanks[table.name] = []
        return
    if len(old_rows) > table.max_rows:
        result.reenter.append(
            {
                "label": table.label,
                "reason": _("往年共%(count)s行，本年最多%(max_rows)s行，只复制了前%(max_rows)s行")
                % {"count": len(old_rows), "max_rows": table.max_rows},
            }
        )
        old_rows = old_rows[: table.max_rows]
    rows = []
    for number, old_row in enumerate(old_rows, start=1):
        row = {column.name: "" if column.kind in ("text", "textarea", "phone") else None for column in table.columns}
        for column, old_column in columns:
            value = old_row.get(old_column.name)
            if is_empty(value):
                continue
            try:
                row[column.name] = _copy_value(column, old_column, value)
            except FieldError as exc:
                label = _("%(table)s第%(number)s行「%(column)s」") % {
                    "table": table.label,
                    "number": number,
                    "column": column.label,
                }
                result.reenter.append({"label": label, "reason": str(exc)})
        rows.append(row)
    result.values[table.name] = rows
    result.copied.append(_("%(label)s（%(count)s行）") % {"label": table.label, "count": len(rows)})


def plan_copy(*, source_spec, source_form_data, target_spec):
    """[SectionCopy] for every section of `target_spec`, in its order (a section may copy nothing)."""
    source_form_data = source_form_data or {}
    plan = []
    for section in target_spec.sections:
        result = SectionCopy(key=section.key, title=section.title)
        old_items = _old_items(source_spec, section.key)
        if old_items is None:
            result.reenter.append({"label": section.title, "reason": str(NOT_IN_EARLIER_SECTION)})
            plan.append(result)
            continue
        old_values = source_form_data.get(section.key) or {}
        for item in section.items:
            if isinstance(item, Table):
                _copy_table(result, item, old_items.get(item.name), old_values)
            else:
                _copy_field(result, item, old_items.get(item.name), old_values)
        plan.append(result)
    return plan


def sections_in_common(*, source_spec, target_spec):
    """Keys of the sections that both forms have with at least one compatible item (what a copy can fill)."""
    keys = []
    for section in target_spec.sections:
        old_items = _old_items(source_spec, section.key)
        if old_items is None:
            continue
        for item in section.items:
            old_item = old_items.get(item.name)
            if old_item is None or getattr(item, "must_be_true", False):
                continue
            if isinstance(item, Table) and isinstance(old_item, Table):
                if any(c.name in {o.name for o in old_item.columns} for c in item.columns):
                    keys.append(section.key)
                    break
            elif not isinstance(item, Table) and not isinstance(old_item, Table) and compatible(item, old_item):
                keys.append(section.key)
                break
    return keys


def acknowledge_copied_section(*, report, section_key):
    """The copy report without `section_key` among the sections whose notice is still shown (after a save)."""
    if not report or section_key not in (report.get("pending") or []):
        return report
    return {**report, "pending": [key for key in report["pending"] if key != section_key]}
