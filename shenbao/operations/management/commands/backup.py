"""`python manage.py backup <file>`: the database and all uploaded files in one tar.gz with a checksum manifest."""

from django.core.management.base import BaseCommand, CommandError

from shenbao.operations.backup import create_backup


class Command(BaseCommand):
    help = "备份数据库和全部上传文件到一个 tar.gz 归档（含 SHA-256 校验清单）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="归档文件路径，如 /var/backups/shenbao-2026-01-31.tar.gz")

    def handle(self, *args, file, **options):
        try:
            summary = create_backup(path=file)
        except OSError as error:
            raise CommandError(f"备份失败：{error}") from error
        self.stdout.write(
            f"备份完成：{summary.path}\n"
            f"数据表 {summary.tables} 张，记录 {summary.rows} 条，上传文件 {summary.files} 个。\n"
            f"归档 SHA-256：{summary.sha256}"
        )
