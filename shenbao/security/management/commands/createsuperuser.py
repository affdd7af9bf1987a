"""createsuperuser, refused where SHENBAO_REFUSE_SUPERUSER is set (production) unless break-glass is declared.

三权分立 leaves no all-powerful account in production. In an emergency (every administrator locked out) an
operator sets SHENBAO_BREAK_GLASS to the reason (a ticket number, who authorised it); the account is then
created, and the refusal or the creation with its reason and the operating-system user lands in the audit trail.
This app comes before django.contrib.auth in INSTALLED_APPS, so this command replaces Django's.
"""

import getpass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import createsuperuser
from django.core.management.base import CommandError

from shenbao.audit.events import Event
from shenbao.audit.models import AuditEntry
from shenbao.audit.services import record_event


def _os_user():
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers; the audit entry is still written
        return ""


class Command(createsuperuser.Command):
    help = "创建超级用户（生产环境仅限应急授权：须设置 SHENBAO_BREAK_GLASS=<原因>，且记入审计日志）。"

    def handle(self, *args, **options):
        reason = (getattr(settings, "SHENBAO_BREAK_GLASS", "") or "").strip()
        details = {"os_user": _os_user(), "break_glass": reason}
        if settings.SHENBAO_REFUSE_SUPERUSER and not reason:
            record_event(event=Event.SUPERUSER_CREATE, result=AuditEntry.Result.FAILURE, details=details)
            raise CommandError(
                "生产环境禁止创建超级用户（三权分立，见 docs/SECURITY.md）。仅在应急情况下，经批准后设置环境变量 "
                "SHENBAO_BREAK_GLASS=<原因或工单号> 再执行；该操作将记入审计日志。"
            )
        users = get_user_model()._default_manager.db_manager(options["database"])
        before = set(users.filter(is_superuser=True).values_list("pk", flat=True))
        super().handle(*args, **options)
        for user in users.filter(is_superuser=True).exclude(pk__in=before):
            record_event(event=Event.SUPERUSER_CREATE, actor=None, target=user, details=details)
