"""audit: the audit administrator's trail; every other role gets 404 (the pages are not there for them)."""

from tests.permissions.dsl import AUDITADMIN, allow, get

ENTRIES = [
    get("audit:list", allow(AUDITADMIN), denied=404),
    get("audit:detail", allow(AUDITADMIN), denied=404, obj="audit_entry", kwargs=lambda entry: {"pk": entry.pk}),
]
