"""python manage.py send_due_reminders — today's due-date reminders (run daily; running twice sends nothing twice)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shenbao.notifications.models import Reminder
from shenbao.notifications.outbox import send_due_emails
from shenbao.notifications.reminders import send_due_reminders


class Command(BaseCommand):
    help = "发送到期提醒（资格初审、补正材料、征求意见），并补发未能发出的通知邮件。可重复运行，同一提醒不会重复发送。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按指定日期（北京时间，YYYY-MM-DD）计算，默认今天")
        parser.add_argument("--no-email-retry", action="store_true", help="不补发未发出的通知邮件")

    def handle(self, *args, date=None, no_email_retry=False, **options):
        at = timezone.now()
        if date:
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
            at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
        sent = send_due_reminders(at=at)
        for kind in Reminder.Kind:
            self.stdout.write(f"{kind.label}：发送 {sent.get(kind.value, 0)} 条")
        if not no_email_retry:
            self.stdout.write(f"补发到期的邮件：{send_due_emails()} 封")
        self.stdout.write(self.style.SUCCESS(f"完成（{timezone.localtime(at):%Y-%m-%d}，北京时间）。"))
