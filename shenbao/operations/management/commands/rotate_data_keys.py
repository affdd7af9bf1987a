"""`python manage.py rotate_data_keys [--dry-run]`: after a change of SHENBAO_DATA_KEYS or SECRET_KEY.

Re-encrypts every personal-data token under the first key of SHENBAO_DATA_KEYS and rebuilds the blind indexes
(keyed by SECRET_KEY); see shenbao/operations/data_keys.py and docs/OPERATIONS.md, "Key rotation". Exits 1 with
nothing changed when a token cannot be decrypted with the configured keys.
"""

from django.core.management.base import BaseCommand, CommandError

from shenbao.operations.data_keys import RotationRefused, rotate_data_keys


class Command(BaseCommand):
    help = "用 SHENBAO_DATA_KEYS 的第一个密钥重新加密全部个人信息，并按当前 SECRET_KEY 重建盲索引（轮换密钥后运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不做改动")

    def handle(self, *args, dry_run=False, **options):
        try:
            summary = rotate_data_keys(dry_run=dry_run)
        except RotationRefused as refusal:
            raise CommandError(f"未做任何改动：{refusal}", returncode=1) from refusal
        verb = "需重新加密" if dry_run else "已重新加密"
        for where, count in sorted(summary.rewritten.items()):
            self.stdout.write(f"  {where}：{verb} {count} 个")
        self.stdout.write(f"{verb} {sum(summary.rewritten.values())} 个加密值；已是当前密钥的 {summary.current} 个。")
        if not dry_run:
            self.stdout.write(
                f"重建盲索引：申报人员 {summary.persons_reindexed} 件申报，专家联系电话 {summary.phones_reindexed} 条。"
            )
        self.stdout.write(
            f"审计记录中有 {summary.audit_entries_with_tokens} 条含加密值：审计记录只可追加，保持原密钥加密，"
            "删去旧密钥后无法再解密（审计页面从不显示其明文）。"
        )
        if not dry_run:
            self.stdout.write(self.style.SUCCESS("完成。现在可以从 SHENBAO_DATA_KEYS 中删去旧密钥（保留给旧备份）。"))
