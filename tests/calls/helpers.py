"""Small builders for call tests: a whole call file is loaded through the service, lists need many quick rows."""

import datetime
from decimal import Decimal
from pathlib import Path

import yaml

from shenbao.calls.models import Call, ProjectType
from shenbao.organisations.models import Region
from tests.paths import JINCHENG_2022


def jincheng_data():
    return yaml.safe_load(JINCHENG_2022.read_text(encoding="utf-8"))


def as_another_call(data, *, slug, prefix):
    """`data` as a second call beside jincheng-2022: its own slug and numbering prefixes (suffix `prefix`)."""
    data.update(slug=slug, application_number_prefix=f"{data['year']}{prefix}")
    for project_type in data["project_types"]:
        project_type["plaque_number_prefix"] = f"{project_type['plaque_number_prefix']}{prefix}"
    return data


def write_call_file(directory, data, name="call.yaml"):
    path = Path(directory) / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def make_call(*, slug, published_on=datetime.date(2022, 12, 2), deadline=None, project_types=2):
    """A call row with `project_types` project types, straight through the ORM (no file needed)."""
    city, _ = Region.objects.get_or_create(key="140500", defaults={"name": "晋城市", "level": "city"})
    deadline = deadline or datetime.datetime(2022, 12, 8, 23, 59, 59, tzinfo=datetime.UTC)
    call = Call.objects.create(
        slug=slug,
        city=city,
        year=published_on.year,
        application_number_prefix=slug.upper()[:16],
        title=f"{slug} 申报通知",
        published_on=published_on,
        submission_deadline=deadline,
        contact_name="郭大勇",
        contact_phone="2199488",
        source_file=f"calls/{slug}.yaml",
        source_sha256="0" * 64,
    )
    for index in range(project_types):
        ProjectType.objects.create(
            call=call,
            code=f"type-{index}",
            name=f"项目类别{index}",
            plaque_title=f"牌匾{index}",
            quota_min=5,
            quota_max=10,
            funding_amount=Decimal("300000.00"),
            construction_start=datetime.date(2023, 1, 1),
            construction_end=datetime.date(2024, 12, 31),
            sort_order=index,
        )
    return call
