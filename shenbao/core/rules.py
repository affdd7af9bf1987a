"""Who may read the province's statistics (省级查看人员): declared once, used by the view and the menu."""

import rules

from shenbao.accounts.roles import Role
from shenbao.accounts.rules import has_role

is_province_observer = has_role(Role.PROVINCE_OBSERVER)

rules.add_perm("core.view_province_statistics", is_province_observer)
