"""python manage.py open_funding_records [--call SLUG] — open the funding records (经费台账) of units designated
before the funding app existed. Idempotent: units that already have a record are skipped."""

from django.core.management.base import BaseCommand, CommandError

from shenbao.calls.selectors import find_call
from shenbao.funding.services import open_missing_funding_records


class Command(BaseCommand):
    help = "为已授牌但尚无经费台账的单位建立经费台账（可重复执行，不会重复建账）。"

    def add_arguments(self, parser):
        parser.add_argument("--call", help="只处理该申报通知（标识），默认全部")

    def handle(self, *args, call=None, **options):
        chosen = None
        if call:
            chosen = find_call(slug=call)
            if chosen is None:
                raise CommandError(f"没有标识为 {call} 的申报通知。")
        opened = open_missing_funding_records(call=chosen)
        for record in opened:
            self.stdout.write(f"  {record.application.number}：扶持经费 {record.total} 元")
        self.stdout.write(self.style.SUCCESS(f"新建经费台账 {len(opened)} 个。"))
