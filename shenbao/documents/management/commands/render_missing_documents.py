"""Queue the stored documents of submitted versions that have none (run once after the upgrade that introduced
them, then from the timer): also requeues renderings whose worker died and, with --retry-failed, failed ones."""

from django.core.management.base import BaseCommand

from shenbao.documents.services_stored import render_missing_documents


class Command(BaseCommand):
    help = "为尚无已生成文书的已提交版本排队生成文书（升级后运行一次，之后由定时任务运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--retry-failed", action="store_true", help="生成失败的文书也重新排队。")

    def handle(self, *args, retry_failed=False, **options):
        counts = render_missing_documents(retry_failed=retry_failed)
        self.stdout.write(
            f"已排队{counts['queued']}份，中断后重新排队{counts['stalled']}份，"
            f"再次交给后台{counts['requeued']}份，失败后重新排队{counts['retried']}份。"
        )
