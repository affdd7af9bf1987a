"""`python manage.py seed_demo` — idempotent demo units, users and applications; prints the demo log-ins."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shenbao.accounts.demo import format_logins, seed_applications, seed_demo, seed_practice
from shenbao.experts.demo import seed_experts
from shenbao.funding.demo import seed_funding
from shenbao.scoring.demo import seed_scores


class Command(BaseCommand):
    help = "创建演示单位和各角色演示用户（可重复运行），并打印演示账号。Create demo units and users for every role."

    def handle(self, *args, **options):
        if not getattr(settings, "SHENBAO_ALLOW_DEMO_DATA", False):
            # Demo log-ins share a password published in the README: never in a real deployment.
            raise CommandError(
                "此环境不允许加载演示数据（seed_demo）：演示账号使用公开的密码，不能出现在生产环境。"
                "仅开发和测试配置（shenbao.settings.dev、shenbao.settings.test）允许。"
            )
        try:
            logins = seed_demo(password=settings.SHENBAO_DEMO_PASSWORD)
            summary = seed_applications()
            summary += "\n" + seed_experts()
            summary += "\n" + seed_scores()
            summary += "\n" + seed_funding()
            summary += "\n" + seed_practice()
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪 Demo data ready: {len(logins)} 个演示账号 demo log-ins"))
        self.stdout.write(format_logins(logins))
        self.stdout.write(summary)
