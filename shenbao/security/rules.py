"""Who may use the security administrator's pages (三权分立): the security administrator alone.

Checked with `rules.has_perm`, never `user.has_perm` (Django's ModelBackend would let a superuser in).
"""

import rules

from shenbao.accounts.rules import is_security_admin

rules.add_perm("security.view_policy", is_security_admin)
rules.add_perm("security.manage_lockouts", is_security_admin)
rules.add_perm("security.manage_sessions", is_security_admin)
rules.add_perm("security.reset_second_factor", is_security_admin)
