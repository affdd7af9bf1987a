"""`python manage.py audit_relink`: repair a chain hashed before django-auditlog filled actor and address.

Databases written before the hash moved to the INSERT hold entries whose stored actor, actor e-mail, source address
or port were filled after hashing, and `audit_verify` reports them as altered. This command re-links such entries
and everything after them, records the repair as an audit event («审计链重新链接») and verifies the result; any other
break is refused and nothing changes (see `shenbao.audit.relink`). `--dry-run` only reports.
"""

from django.core.management.base import BaseCommand, CommandError

from shenbao.audit.relink import RelinkRefused, relink_late_fields


class Command(BaseCommand):
    help = "修复在填入操作人和来源地址之前计算哈希的审计记录的链接；其他任何差异一律拒绝修复。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不修改")

    def handle(self, *args, dry_run=False, **options):
        try:
            result = relink_late_fields(dry_run=dry_run)
        except RelinkRefused as refusal:
            raise CommandError(f"拒绝修复审计链：{refusal}", returncode=1) from refusal
        if not result.relinked:
            self.stdout.write(f"审计链无需修复：共 {result.checked} 条记录。")
            return
        if dry_run:
            self.stdout.write(
                f"可修复：{len(result.late_field_ids)} 条记录在计算哈希后才填入操作人或来源地址，"
                f"需重新链接 {result.relinked} 条记录（未做修改）。"
            )
            return
        self.stdout.write(
            f"审计链已修复：{len(result.late_field_ids)} 条记录在计算哈希后才填入操作人或来源地址，"
            f"重新链接 {result.relinked} 条记录，并已记入审计日志。"
        )
        self.stdout.write(f"原链头 {result.old_head[0]}:{result.old_head[1]}")
        self.stdout.write(f"新链头 {result.new_head[0]}:{result.new_head[1]}")
