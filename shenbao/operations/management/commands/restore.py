"""`python manage.py restore <file>`: bring a fresh installation to the state saved by `backup`.

The archive is checked completely (manifest, format version, every member's SHA-256) before anything is changed;
a damaged archive, a different schema or a non-empty target is refused with exit status 1 and nothing changed.
"""

from django.core.management.base import BaseCommand, CommandError

from shenbao.operations.archive import ArchiveRefused
from shenbao.operations.restore import restore_backup


class Command(BaseCommand):
    help = "从 backup 生成的归档恢复到全新安装（先完整校验归档，再写入）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="backup 生成的归档文件")
        parser.add_argument("--workdir", help="校验时解包用的临时目录（默认系统临时目录；需容纳整个归档）")

    def handle(self, *args, file, workdir=None, **options):
        try:
            summary = restore_backup(path=file, workdir=workdir)
        except ArchiveRefused as refusal:
            raise CommandError(f"恢复被拒绝，未做任何改动：{refusal}", returncode=1) from refusal
        self.stdout.write(
            f"恢复完成：数据表 {summary.tables} 张，记录 {summary.rows} 条，上传文件 {summary.files} 个。"
        )
        if summary.chain_ok:
            self.stdout.write("审计记录哈希链校验通过。")
        else:
            self.stderr.write(f"警告：恢复的审计记录哈希链校验失败（备份源即已如此）：{summary.chain_message}")
