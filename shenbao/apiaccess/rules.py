"""Who manages service accounts, and which roles an account may read as.

三权分立: creating and revoking service accounts is system administration (the system administrator, alone);
the security administrator and the audit administrator do not see the pages (404, like user administration).
"""

from __future__ import annotations

import rules

from shenbao.accounts.roles import Role
from shenbao.accounts.rules import AnyUser, has_role, is_system_admin

# The roles a service account may hold: the two city-wide staff roles, read-only through the API. Another system
# (a city's HR information system, the province's data exchange) reads the city's applications and results as
# the city's reviewers or the 技能办 see them on the pages. Not an administrator role (三权分立 and no
# business data), not a person's role that acts on its own objects (applicant, expert, consulted department,
# county or department reviewer), and not the province observer, which is not scoped to a city and reads only
# the statistics page.
SERVICE_ACCOUNT_ROLES = (Role.CITY_REVIEWER, Role.CALL_ADMIN)

rules.add_perm("apiaccess.manage_service_accounts", is_system_admin)


@rules.predicate
def may_revoke(user: AnyUser | None, account: object) -> bool:
    """The actor of the `revoke` step (`workflow.MACHINE`): a system administrator."""
    return bool(is_system_admin(user))


# The API's documentation page: the platform's staff (who may use the API with their session) and the system
# administrator who hands keys to other systems; not applicant units, like the schema (`shenbao.api`).
is_staff_member = rules.predicates.is_authenticated & has_role(*(set(Role) - {Role.APPLICANT}))
rules.add_perm("apiaccess.read_api_docs", is_staff_member)
