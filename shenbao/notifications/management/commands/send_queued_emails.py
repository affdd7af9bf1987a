"""python manage.py send_queued_emails — send every queued e-mail whose attempt is due (run it every few minutes).

The task worker sends each mail right after it is queued; this command is the safety net for retries that a
backend could not defer and for mails whose worker stopped while sending. Safe to run at any time, any number of
times: a mail is claimed before it is sent, so it never goes out twice.
"""

from django.core.management.base import BaseCommand

from shenbao.notifications.models import OutgoingEmail
from shenbao.notifications.outbox import send_due_emails


class Command(BaseCommand):
    help = "发送发件队列中到期的邮件（含失败后到了重试时间的邮件）。可重复运行，同一封邮件不会重复发送。"

    def handle(self, *args, **options):
        sent = send_due_emails()
        waiting = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).count()
        given_up = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.GIVEN_UP).count()
        self.stdout.write(f"已发送 {sent} 封；仍在等待重试 {waiting} 封；已停止重试 {given_up} 封。")
