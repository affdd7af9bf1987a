"""python manage.py send_queued_sms — send every queued SMS whose attempt is due (run it every few minutes).

The safety net of the task worker, as send_queued_emails is for mail: retries a backend could not defer and rows
whose worker stopped while sending. A row is claimed before it is sent, so it never goes out twice.
"""

from django.core.management.base import BaseCommand

from shenbao.notifications.models import OutgoingSms
from shenbao.notifications.texting import send_due_texts


class Command(BaseCommand):
    help = "发送短信发送队列中到期的短信（含失败后到了重试时间的短信）。可重复运行，同一条短信不会重复发送。"

    def handle(self, *args, **options):
        sent = send_due_texts()
        waiting = OutgoingSms.objects.filter(status=OutgoingSms.Status.PENDING).count()
        given_up = OutgoingSms.objects.filter(status=OutgoingSms.Status.GIVEN_UP).count()
        self.stdout.write(f"已发送 {sent} 条；仍在等待重试 {waiting} 条；已停止重试 {given_up} 条。")
