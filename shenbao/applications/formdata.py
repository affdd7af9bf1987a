"""Cleaning, completeness and display of `Application.form_data`, driven by the section specs.

Stored shape: `{section_key: {field_name: value, table_name: [{column: value}, …]}}` with JSON-friendly values:
text → str ("" when empty), integer → int, decimal → "12.50" (two places at least, up to the field's
`decimal_places`), date → "YYYY-MM-DD", month → "YYYY-MM", boolean → bool,
choice → the value code, id_number → a token of `shenbao.core.crypto.encrypt_text`; an empty non-text value is None.

Errors returned by `clean_section` are keyed `field` for a field, `table` for a whole table (too many rows) and
`table.<row index from 0>.column` for a cell; each value is one Chinese message.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from shenbao.core.crypto import decrypt_text, encrypt_text, mask_id_number
from shenbao.core.money import YUAN_PER_WAN

from .sections.spec import SpecText, Table

TEXT_KINDS = frozenset({"text", "textarea", "phone"})
DEFAULT_MAX_LENGTH = {"text": 200, "phone": 32, "textarea": 5000}
MAX_INTEGER = 10**9
MAX_DECIMAL = Decimal("1e10")
CENT = Decimal("0.01")
TRUE_WORDS = frozenset({"1", "true", "on", "yes", "y", "是"})
FALSE_WORDS = frozenset({"", "0", "false", "off", "no", "n", "否"})
PHONE_RE = re.compile(r"^[0-9+\-() ]{7,20}$")

# GB 11643-1999 check character: weights 2^(17-i) mod 11, remainder → check character.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_RE = re.compile(r"^\d{17}[\dX]$")


class FieldError(ValueError):
    """A raw value that cannot be stored; the message is shown to the applicant."""


def is_empty(value):
    return value is None or (isinstance(value, str) and not value.strip())


def check_id_number(raw):
    """The normalised 18-character 居民身份证号码, or FieldError saying what is wrong (GB 11643 checksum)."""
    number = str(raw).strip().upper()
    if not ID_RE.match(number):
        raise FieldError(_("身份证号码应为18位，前17位为数字，最后一位为数字或X。"))
    try:
        datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise FieldError(_("身份证号码中的出生日期无效。")) from exc
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], ID_WEIGHTS, strict=True))
    if ID_CHECK[total % 11] != number[17]:
        raise FieldError(_("身份证号码校验位不正确，请核对后重新填写。"))
    return number


def reveal_id_number(token):
    """The clear number of a stored token ("" for an empty or unreadable token)."""
    try:
        return decrypt_text(token) if token else ""
    except ValueError:
        return ""


def _clean_text(field, raw):
    value = str(raw).strip()
    if not value:
        return ""
    limit = field.max_length or DEFAULT_MAX_LENGTH.get(field.kind, 200)
    if len(value) > limit:
        raise FieldError(_("不能超过%(limit)s个字符（现有%(count)s个）。") % {"limit": limit, "count": len(value)})
    if field.kind == "phone" and not PHONE_RE.match(value):
        raise FieldError(_("请填写有效的电话号码（数字，可含区号和“-”）。"))
    return value


def _clean_integer(field, raw):
    if isinstance(raw, bool):
        raise FieldError(_("请填写整数。"))
    text = str(raw).strip().replace(",", "")
    if not re.fullmatch(r"[+-]?\d+", text):
        raise FieldError(_("请填写整数。"))
    value = int(text)
    if field.min_value is not None and value < field.min_value:
        raise FieldError(_("不能小于%(min_value)s。") % {"min_value": field.min_value})
    if value > MAX_INTEGER:
        raise FieldError(_("数值过大，请核对。"))
    return value


def _clean_decimal(field, raw):
    text = str(raw).strip().replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise FieldError(_("请填写数字（最多两位小数）。")) from exc
    if not value.is_finite():
        raise FieldError(_("请填写数字（最多两位小数）。"))
    if abs(value) >= MAX_DECIMAL:
        raise FieldError(_("数值过大，请核对。"))
    places = Decimal(1).scaleb(-field.decimal_places)
    if value != value.quantize(places):
        if field.decimal_places == 2:
            raise FieldError(_("最多保留两位小数。"))
        raise FieldError(_("最多保留%(places)s位小数。") % {"places": field.decimal_places})
    if field.min_value is not None and value < field.min_value:
        raise FieldError(_("不能小于%(min_value)s。") % {"min_value": field.min_value})
    return decimal_text(value)


def decimal_text(value):
    """A decimal as stored: two places at least ("12.50"), more only where the value has them ("29.999999")."""
    whole, _point, fraction = f"{value.normalize():f}".partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"


def _clean_month(field, raw):
    if isinstance(raw, datetime.date):
        return raw.strftime("%Y-%m")
    text = str(raw).strip()
    if re.fullmatch(r"\d{4}-\d{2}", text) and 1 <= int(text[5:]) <= 12:
        return text
    raise FieldError(_("请按“年-月”格式填写，例如 1985-06。"))


def _clean_date(field, raw):
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    text = str(raw).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return datetime.date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    raise FieldError(_("请按“年-月-日”格式填写有效日期，例如 2022-12-08。"))


def _clean_boolean(field, raw):
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise FieldError(_("请选择“是”或“否”。"))


def _clean_choice(field, raw):
    value = str(raw).strip()
    if value not in {code for code, _label in field.choices}:
        raise FieldError(_("请从列表中选择。"))
    return value


def _clean_id_number(field, raw, previous_tokens):
    """Encrypt a new number; keep the stored token when the number (or its masked display) is unchanged."""
    text = str(raw).strip().upper()
    if "*" in text:
        # The edit form shows the stored number masked; posting the mask back means "unchanged".
        for token in previous_tokens:
            if mask_id_number(reveal_id_number(token)) == text:
                return token
        raise FieldError(_("请填写完整的身份证号码。"))
    number = check_id_number(text)
    for token in previous_tokens:
        if reveal_id_number(token) == number:
            return token
    return encrypt_text(number)


CLEANERS = {
    "text": _clean_text,
    "textarea": _clean_text,
    "phone": _clean_text,
    "integer": _clean_integer,
    "decimal": _clean_decimal,
    "date": _clean_date,
    "month": _clean_month,
    "boolean": _clean_boolean,
    "choice": _clean_choice,
}


def clean_value(field, raw, previous_tokens=()):
    """One stored value from one raw value; FieldError when it has the wrong type or format."""
    if field.kind == "boolean":
        return _clean_boolean(field, False if raw is None else raw)
    if is_empty(raw):
        return "" if field.kind in TEXT_KINDS else None
    if field.kind == "id_number":
        return _clean_id_number(field, raw, previous_tokens)
    return CLEANERS[field.kind](field, raw)


def _clean_table(table, rows, previous_rows, errors):
    if rows is None:
        rows = []
    if not isinstance(rows, list | tuple):
        errors[table.name] = _("表格数据格式不正确。")
        return []
    # Rows left completely blank by the form are not rows.
    rows = [row for row in rows if isinstance(row, dict) and any(not is_empty(row.get(c.name)) for c in table.columns)]
    if len(rows) > table.max_rows:
        errors[table.name] = _("最多填写%(max_rows)s行（现有%(count)s行）。") % {
            "max_rows": table.max_rows,
            "count": len(rows),
        }
        return []
    cleaned_rows = []
    for index, row in enumerate(rows):
        cleaned = {}
        for column in table.columns:
            previous_tokens = []
            if column.kind == "id_number":
                # The same row's token first, so an unchanged row keeps its own token.
                same_row = previous_rows[index].get(column.name) if index < len(previous_rows) else None
                previous_tokens = [same_row] + [r.get(column.name) for r in previous_rows]
                previous_tokens = [token for token in previous_tokens if token]
            try:
                cleaned[column.name] = clean_value(column, row.get(column.name), previous_tokens)
            except FieldError as exc:
                errors[f"{table.name}.{index}.{column.name}"] = str(exc)
        cleaned_rows.append(cleaned)
    return cleaned_rows


def clean_section(*, spec, section_key, data, previous=None):
    """Validate and convert one section as posted; returns (cleaned, errors).

    Partial drafts are allowed: types and formats are checked here, required-ness only by `missing_fields`.
    Keys the section does not declare are dropped.
    """
    section = spec.section(section_key)
    previous = previous or {}
    data = data or {}
    cleaned, errors = {}, {}
    for item in section.items:
        if isinstance(item, Table):
            previous_rows = [row for row in previous.get(item.name) or [] if isinstance(row, dict)]
            cleaned[item.name] = _clean_table(item, data.get(item.name), previous_rows, errors)
            continue
        previous_tokens = [previous[item.name]] if item.kind == "id_number" and previous.get(item.name) else []
        try:
            cleaned[item.name] = clean_value(item, data.get(item.name), previous_tokens)
        except FieldError as exc:
            errors[item.name] = str(exc)
    return cleaned, errors


def _missing_in_row(table, row):
    return [column.label for column in table.columns if column.required and is_empty(row.get(column.name))]


def missing_fields(*, spec, form_data):
    """What still has to be filled before submission: {section_key: [labels]} (complete sections omitted).

    Each label is the Chinese text (guard reasons, logs) and translates with `spec.translate_spec` on a page.
    """
    form_data = form_data or {}
    missing = {}
    for section in spec.sections:
        values = form_data.get(section.key) or {}
        labels = []
        for item in section.items:
            if isinstance(item, Table):
                rows = values.get(item.name) or []
                if len(rows) < item.min_rows:
                    labels.append(SpecText(N_("%(table)s（至少填写%(rows)s行）"), table=item.label, rows=item.min_rows))
                for index, row in enumerate(rows, start=1):
                    absent = _missing_in_row(item, row)
                    if absent:
                        labels.append(
                            SpecText(
                                N_("%(table)s第%(row)s行：%(fields)s"),
                                table=item.label,
                                row=index,
                                fields=tuple(absent),
                            )
                        )
                labels.extend(_table_rule_labels(item, [row for row in rows if isinstance(row, dict)]))
            elif item.must_be_true:
                if values.get(item.name) is not True:
                    labels.append(SpecText(N_("%(label)s（须确认）"), label=item.label))
            elif item.required and item.kind != "boolean" and is_empty(values.get(item.name)):
                labels.append(item.label)
        if labels:
            missing[section.key] = labels
    return missing


def column_sum(*, rows, column_name):
    """The sum of a decimal column over `rows` (empty and unreadable cells count as 0)."""
    total = Decimal(0)
    for row in rows or []:
        value = row.get(column_name) if isinstance(row, dict) else None
        try:
            total += Decimal(str(value)) if not is_empty(value) else 0
        except InvalidOperation:
            continue
    return total


def _wan(amount):
    return f"{amount.normalize():f}"


def _table_rule_labels(table, rows):
    """The table's completeness rules beyond its cells: every choice present (once), the total of a column."""
    labels = []
    if table.every_choice:
        column = next(column for column in table.columns if column.name == table.every_choice)
        counts = {code: 0 for code, _label in column.choices}
        for row in rows:
            if row.get(column.name) in counts:
                counts[row.get(column.name)] += 1
        absent = tuple(label for code, label in column.choices if counts[code] == 0)
        if absent:
            labels.append(
                SpecText(
                    N_("%(table)s：缺少%(column)s%(values)s"), table=table.label, column=column.label, values=absent
                )
            )
        repeated = tuple(label for code, label in column.choices if counts[code] > 1)
        if table.one_per_choice and repeated:
            labels.append(
                SpecText(
                    N_("%(table)s：%(column)s%(values)s只能填写一行"),
                    table=table.label,
                    column=column.label,
                    values=repeated,
                )
            )
    if table.total is not None:
        column = next(column for column in table.columns if column.name == table.total.column)
        current = column_sum(rows=rows, column_name=column.name)
        expected = table.total.amount / YUAN_PER_WAN
        if current != expected:
            labels.append(
                SpecText(
                    N_("%(table)s：%(column)s合计须等于本次通知确定的%(amount)s万元（现为%(current)s万元）"),
                    table=table.label,
                    column=column.label,
                    amount=_wan(expected),
                    current=_wan(current),
                )
            )
    return labels


def derived_values(*, section, form_data):
    """[(label, value)] of the section's derived values, computed from the whole form."""
    return [(item.label, item.compute(form_data or {})) for item in section.derived]


def display_value(*, field, value, reveal=False):
    """A stored value as shown to people: choice labels, 是/否, ID numbers masked unless `reveal`."""
    if field.kind == "boolean":
        return "是" if value is True else "否"
    if is_empty(value):
        return ""
    if field.kind == "choice":
        return dict(field.choices).get(value, str(value))
    if field.kind == "id_number":
        number = reveal_id_number(value)
        if not number:
            return "（无法解密）"
        return number if reveal else mask_id_number(number)
    return str(value)


def display_row(*, table, row, reveal=False):
    """A table row as one line ("姓名：张三；技能等级：技师"), used in diffs and summaries."""
    parts = []
    for column in table.columns:
        text = display_value(field=column, value=row.get(column.name), reveal=reveal)
        if text:
            parts.append(f"{column.label}：{text}")
    return "；".join(parts)


def readonly_section(section, stored):
    """A section as a read-only page shows it: fields as label and text, tables as headers and rows of texts."""
    stored = stored or {}
    blocks = []
    for item in section.items:
        if isinstance(item, Table):
            rows = [
                [display_value(field=column, value=row.get(column.name)) for column in item.columns]
                for row in stored.get(item.name) or []
                if isinstance(row, dict)
            ]
            blocks.append({"kind": "table", "table": item, "rows": rows})
        else:
            blocks.append(
                {"kind": "field", "field": item, "text": display_value(field=item, value=stored.get(item.name))}
            )
    return {"section": section, "blocks": blocks}
