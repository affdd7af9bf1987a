"""The columns of an application copied out of its form data for the staff list's search and filters.

The leader's name (领办人姓名, the workstation form's 「技师工作站基本情况」) and the industry (所属行业, both forms'
「单位基本情况」) live in `form_data`. Searching them there means a JSON scan of every visible row on each page
load (and SQLite and PostgreSQL spell JSON paths differently); instead every service that writes `form_data`
(`services.store_section`, `services_reuse`) stores them in indexed columns of the application as well, and the
migration that added the columns filled them from the rows then present. A form without such a field (the training
base form names no single leader) leaves the column empty; the list's search also matches the unit's 法定代表人.
"""

from collections.abc import Mapping
from typing import Any

# (section key, field key) of each column, in the order they are looked for; the first non-empty value wins.
LEADER_FIELDS = (("station", "leader_name"),)
INDUSTRY_FIELDS = (("unit_profile", "industry"),)
# The columns' lengths (the model's max_length): a longer answer is cut, it only serves the search.
LIMITS = {"leader_name": 64, "industry": 100}


def _first(form_data: Mapping[str, Any], fields: tuple[tuple[str, str], ...]) -> str:
    for section, field in fields:
        value = (form_data.get(section) or {}).get(field)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def search_columns_of(form_data: Mapping[str, Any] | None) -> dict[str, str]:
    """{column: value} of the search columns for `form_data` (set them on the application before saving it)."""
    data = form_data or {}
    values = {"leader_name": _first(data, LEADER_FIELDS), "industry": _first(data, INDUSTRY_FIELDS)}
    return {column: value[: LIMITS[column]] for column, value in values.items()}


SEARCH_COLUMNS = tuple(LIMITS)
