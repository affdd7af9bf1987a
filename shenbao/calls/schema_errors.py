"""Call-file validation errors in Chinese: "字段 <path>: <message>" for each pydantic error, in file order."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .schema import PLAQUE_PREFIX_PATTERN

# pydantic's error types in Chinese; {name} placeholders come from the error's ctx.
MESSAGES = {
    "missing": gettext_lazy("必须填写"),
    "extra_forbidden": gettext_lazy("不允许的字段（请检查拼写）"),
    "string_type": gettext_lazy("必须为文本"),
    "string_too_short": gettext_lazy("不能为空"),
    "string_too_long": gettext_lazy("不能超过{max_length}个字符"),
    "string_pattern_mismatch": gettext_lazy("格式不正确（只能使用小写字母、数字、连字符和下划线）"),
    "int_type": gettext_lazy("必须为整数"),
    "int_parsing": gettext_lazy("必须为整数"),
    "int_from_float": gettext_lazy("必须为整数"),
    "bool_type": gettext_lazy("必须为 true 或 false"),
    "bool_parsing": gettext_lazy("必须为 true 或 false"),
    "decimal_type": gettext_lazy("必须为数字"),
    "decimal_parsing": gettext_lazy("必须为数字"),
    "decimal_max_places": gettext_lazy("最多{decimal_places}位小数"),
    "decimal_max_digits": gettext_lazy("数字位数过多"),
    "greater_than": gettext_lazy("必须大于{gt}"),
    "greater_than_equal": gettext_lazy("必须不小于{ge}"),
    "less_than": gettext_lazy("必须小于{lt}"),
    "less_than_equal": gettext_lazy("必须不大于{le}"),
    "list_type": gettext_lazy("必须为列表"),
    "too_short": gettext_lazy("至少需要{min_length}项"),
    "too_long": gettext_lazy("最多{max_length}项"),
    "dict_type": gettext_lazy("必须为映射（键：值）"),
    "model_type": gettext_lazy("必须为映射（键：值）"),
    "model_attributes_type": gettext_lazy("必须为映射（键：值）"),
    "literal_error": gettext_lazy("必须为以下之一：{expected}"),
    "date_type": gettext_lazy("必须为日期（如 2022-12-02）"),
    "date_parsing": gettext_lazy("必须为日期（如 2022-12-02）"),
    "date_from_datetime_parsing": gettext_lazy("必须为日期（如 2022-12-02）"),
    "date_from_datetime_inexact": gettext_lazy("必须为日期，不能带时间"),
    "datetime_type": gettext_lazy("必须为带时区的日期时间（如 2022-12-08T23:59:59+08:00）"),
    "datetime_parsing": gettext_lazy("必须为带时区的日期时间（如 2022-12-08T23:59:59+08:00）"),
    "datetime_from_date_parsing": gettext_lazy("必须为带时区的日期时间（如 2022-12-08T23:59:59+08:00）"),
    "timezone_aware": gettext_lazy("必须带时区（如 +08:00）"),
}

# A pattern mismatch says what the pattern allows; codes and slugs share the generic message above.
PATTERN_MESSAGES = {PLAQUE_PREFIX_PATTERN: gettext_lazy("格式不正确（只能使用大写字母、数字和连字符）")}


def error_path(loc):
    """("project_types", 0, "funding_amount") → "project_types[0].funding_amount"."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def describe_errors(exc):
    """Chinese lines "字段 <path>: <message>" for a pydantic ValidationError, in file order."""
    lines = []
    for error in exc.errors(include_url=False):
        ctx = error.get("ctx") or {}
        loc = list(error["loc"])
        if error["type"] == "call_rule" and ctx.get("field"):
            loc.append(ctx["field"])
        path = error_path(loc)
        if error["type"] in MESSAGES:
            if error["type"] == "literal_error":
                ctx = {**ctx, "expected": ctx["expected"].replace("' or '", ", ").replace("'", "")}
            if error["type"] == "string_pattern_mismatch" and ctx.get("pattern") in PATTERN_MESSAGES:
                message = str(PATTERN_MESSAGES[ctx["pattern"]])
            else:
                message = MESSAGES[error["type"]].format(**ctx)
        else:
            # Our own PydanticCustomErrors already carry Chinese text; anything else falls back to pydantic's.
            message = error["msg"]
        lines.append(_("字段 %(path)s：%(message)s") % {"path": path, "message": message} if path else message)
    return lines
