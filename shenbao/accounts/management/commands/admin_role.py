"""`python manage.py admin_role grant|revoke --user U --role R --reason "…"` — the break-glass procedure.

For installing the first administrators and for emergencies (an administrator left and nobody can confirm).
It applies at once, but only with a written reason, which goes to the audit trail together with the operating-system
account that ran it, and every administrator is told. Everyday changes go through the web page (two people).
"""

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shenbao.accounts.admin_roles import break_glass
from shenbao.accounts.models import User
from shenbao.accounts.roles import EXCLUSIVE_ROLES


class Command(BaseCommand):
    help = (
        "应急程序：直接授予或撤销系统管理员、安全管理员或审计管理员角色（须写明理由，记入审计日志并通知全体管理员）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["grant", "revoke"])
        parser.add_argument("--user", required=True, help="用户名")
        parser.add_argument("--role", required=True, choices=sorted(role.value for role in EXCLUSIVE_ROLES))
        parser.add_argument("--reason", required=True, help="理由（至少10个字）")

    def handle(self, *args, action, user, role, reason, **options):
        target = User.objects.filter(username=user, is_active=True).first()
        if target is None:
            raise CommandError(f"没有用户名为「{user}」的有效账号。")
        try:
            break_glass(target=target, role=role, action=action, reason=reason, operator=getpass.getuser())
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        done = "授予" if action == "grant" else "撤销"
        self.stdout.write(f"已{done}「{target.username}」的 {role} 角色，已记入审计日志并通知全体管理员。")
