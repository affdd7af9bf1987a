"""`python manage.py audit_verify`: walk the audit hash chain and name the first altered, inserted or deleted record.

Exits 0 and prints the chain head (sequence and hash) when the chain is whole; keep that line somewhere outside the
database (the operations log, a signed e-mail) and pass it back with --expect-head next time, so that removing the
newest records is noticed too. Exits 1 naming the record otherwise. Reads only; writes nothing.
"""

import re

from django.core.management.base import BaseCommand, CommandError

from shenbao.audit.chain import verify_chain
from shenbao.audit.models import AuditEntry

HEAD = re.compile(r"^(?P<sequence>\d+):(?P<hash>[0-9a-f]{64})$")


def parse_head(value):
    match = HEAD.match(value.strip().lower())
    if not match:
        raise CommandError("--expect-head 的格式应为 <序号>:<64位十六进制哈希>")
    return int(match["sequence"]), match["hash"]


class Command(BaseCommand):
    help = "校验审计记录哈希链，报告第一条被篡改、插入或删除的记录。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect-head",
            metavar="SEQUENCE:HASH",
            help="此前记下的链头（由上一次校验输出），用于发现最新记录被删除",
        )

    def handle(self, *args, expect_head=None, **options):
        expected = parse_head(expect_head) if expect_head else None
        result = verify_chain(AuditEntry.objects.all(), expect_head=expected)
        if result.problem:
            raise CommandError(
                f"审计记录哈希链校验失败（{result.problem.kind}）：{result.problem.message}"
                f"（此前已校验 {result.checked} 条记录）",
                returncode=1,
            )
        if result.head_sequence is None:
            self.stdout.write("审计记录哈希链校验通过：尚无审计记录。")
            return
        self.stdout.write(f"审计记录哈希链校验通过：共 {result.checked} 条记录。")
        self.stdout.write(f"链头 {result.head_sequence}:{result.head_hash}")
