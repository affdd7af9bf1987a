"""Who may read the province's statistics (省级查看人员): declared once, used by the view and the menu."""

import rules

from shenbao.accounts.roles import Role
from shenbao.accounts.rules import has_role

is_province_observer = has_role(Role.PROVINCE_OBSERVER)

rules.add_perm("core.view_province_statistics", is_province_observer)

# 统计分析: the city's leadership, i.e. its call administrator (技能办) and its city-wide reviewers (市人社局, 组织部),
# each for their own city (core.leadership.statistics_city); the tables reported upward are the 技能办's to make.
rules.add_perm("core.view_city_statistics", has_role(Role.CALL_ADMIN, Role.CITY_REVIEWER))
rules.add_perm("core.export_upward_reports", has_role(Role.CALL_ADMIN))
