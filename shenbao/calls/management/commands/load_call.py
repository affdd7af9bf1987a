"""python manage.py load_call calls/jincheng-2022.yaml — load (or reload) one call file."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shenbao.calls.services import CallFileError, load_call_file


class Command(BaseCommand):
    help = "导入（或重新导入）一个申报通知文件（YAML），重复导入不会产生重复数据。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="申报通知文件路径，如 calls/jincheng-2022.yaml")

    def handle(self, *args, path, **options):
        try:
            call = load_call_file(path=path)
        except CallFileError as exc:
            raise CommandError(f"申报通知文件有误，未导入任何数据：\n{exc}") from exc
        project_types = list(call.project_types.all())
        self.stdout.write(f"申报通知「{call.title}」（{call.slug}，{call.year}年）")
        self.stdout.write(f"  申报截止：{timezone.localtime(call.submission_deadline):%Y-%m-%d %H:%M:%S}（北京时间）")
        for project_type in project_types:
            self.stdout.write(
                f"  {project_type.name}：建设扶持经费 {project_type.funding_amount} 元，"
                f"拟评定 {project_type.quota_min}–{project_type.quota_max} 个，"
                f"申报条件 {project_type.eligibility_rules.count()} 条，申报材料 {project_type.materials.count()} 项，"
                f"评分项 {project_type.rubric_items.count()} 项"
            )
        self.stdout.write(f"  附件 {call.attachments.count()} 个")
        if call.changes:
            if options["verbosity"] >= 2:
                for change in call.changes:
                    self.stdout.write(f"  · {change}")
            tally = {verb: sum(change.startswith(verb) for change in call.changes) for verb in ("新增", "更新", "删除")}
            self.stdout.write(
                self.style.SUCCESS(
                    f"导入完成：新增 {tally['新增']} 项，更新 {tally['更新']} 项，删除 {tally['删除']} 项"
                    "（使用 -v 2 查看明细）。"
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("内容与数据库一致，无需变更。"))
