"""auditlog's middleware with our source-address rule (see `shenbao.audit.network`).

auditlog's own middleware takes the first X-Forwarded-For entry from anyone, so any client could write
any address into the audit trail; this subclass only changes how the address and port are found.
"""

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings

from .network import client_ip, client_port


class AuditMiddleware(AuditlogMiddleware):
    @staticmethod
    def _get_remote_addr(request):
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request):
        return client_port(request)
