"""Fail export jobs whose worker stopped (no progress for a quarter of an hour) or that never started (a day).

Run from the same timer as `send_due_reminders`; the person is told, and can export again.
"""

from django.core.management.base import BaseCommand

from shenbao.exports.services import fail_stalled_jobs


class Command(BaseCommand):
    help = "将长时间无进展或未开始的导出任务标记为失败，并通知申请人。"

    def handle(self, *args, **options):
        count = fail_stalled_jobs()
        self.stdout.write(f"已将{count}个中断的导出任务标记为失败。")
