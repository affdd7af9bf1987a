"""`python manage.py load_reference_data data/reference/jincheng.yaml [data/reference/changzhi.yaml …]` — idempotent.

Several cities' files load in one transaction; a region they all declare (the province) is written once.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shenbao.organisations.reference import load_reference_files


class Command(BaseCommand):
    help = "载入参考数据（区域、政府部门、平台运维单位）；可重复运行。Load regions and government bodies (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="参考数据 YAML 文件，例如 data/reference/jincheng.yaml")

    def handle(self, *args, paths, **options):
        for path in paths:
            if not Path(path).is_file():
                raise CommandError(f"找不到参考数据文件：{path}")
        try:
            results = load_reference_files(paths=paths)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        for path, result in results:
            for label, counts in (("区域 regions", result.regions), ("单位 organisations", result.organisations)):
                self.stdout.write(
                    f"{label}：新增 created {counts.created}，更新 updated {counts.updated}, "
                    f"未变 unchanged {counts.unchanged}"
                )
            self.stdout.write(self.style.SUCCESS(f"参考数据已载入 Reference data loaded: {path}"))
