"""Who may read the audit trail: the audit administrator alone (三权分立).

Checked with `rules.has_perm`, not `user.has_perm`: Django's ModelBackend would let a superuser in.
"""

import rules

from shenbao.accounts.rules import is_audit_admin

rules.add_perm("audit.browse_auditentry", is_audit_admin)
