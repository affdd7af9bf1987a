"""A readable difference between two versions of an application's form (版本比对).

Fields are compared by value (ID numbers by the clear number, so a re-encrypted token is no change) and shown
with `display_value`, so ID numbers stay masked. Table rows are compared by position: a longer table has rows
added at the end, a shorter one rows removed, and rows present in both are compared cell by cell.
"""

from django.utils.translation import gettext as _

from .formdata import display_row, display_value, is_empty, reveal_id_number
from .sections.spec import Table


def _same(field, old, new):
    if field.kind == "id_number":
        return old == new or reveal_id_number(old) == reveal_id_number(new)
    if field.kind == "boolean":
        # An unsaved checkbox and an unticked one read the same.
        return (old is True) == (new is True)
    if is_empty(old) and is_empty(new):
        return True
    return old == new


def _entry(section, label, old, new, kind="changed"):
    return {"section": section.title, "section_key": section.key, "label": label, "old": old, "new": new, "kind": kind}


def _diff_table(section, table, old_rows, new_rows):
    changes = []
    for index in range(max(len(old_rows), len(new_rows))):
        position = _("%(label)s第%(row)s行") % {"label": table.label, "row": index + 1}
        if index >= len(old_rows):
            changes.append(_entry(section, position, "", display_row(table=table, row=new_rows[index]), "added"))
        elif index >= len(new_rows):
            changes.append(_entry(section, position, display_row(table=table, row=old_rows[index]), "", "removed"))
        else:
            for column in table.columns:
                old, new = old_rows[index].get(column.name), new_rows[index].get(column.name)
                if not _same(column, old, new):
                    changes.append(
                        _entry(
                            section,
                            f"{position} {column.label}",
                            display_value(field=column, value=old),
                            display_value(field=column, value=new),
                        )
                    )
    return changes


def diff_form_data(*, spec, old, new):
    """[{section, section_key, label, old, new, kind}] in form order; kind is changed, added or removed."""
    old, new = old or {}, new or {}
    changes = []
    for section in spec.sections:
        old_values, new_values = old.get(section.key) or {}, new.get(section.key) or {}
        for item in section.items:
            if isinstance(item, Table):
                old_rows = [row for row in old_values.get(item.name) or [] if isinstance(row, dict)]
                new_rows = [row for row in new_values.get(item.name) or [] if isinstance(row, dict)]
                changes.extend(_diff_table(section, item, old_rows, new_rows))
                continue
            old_value, new_value = old_values.get(item.name), new_values.get(item.name)
            if not _same(item, old_value, new_value):
                changes.append(
                    _entry(
                        section,
                        item.label,
                        display_value(field=item, value=old_value),
                        display_value(field=item, value=new_value),
                    )
                )
    return changes
