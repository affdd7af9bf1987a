"""申报编号 and 牌匾编号 across calls: a second call of one year and another city's call each number their own.

Numbers are `<call's application_number_prefix>-<type>-<counter>` and `<plaque prefix>-<year>-<sequence>`;
`load_call` refuses a call whose numbers would collide with another call's.
"""

import datetime

import pytest

from shenbao.accounts.roles import Role
from shenbao.applications.services import start_application
from shenbao.awards.effects import issue_plaque
from shenbao.awards.models import Plaque
from shenbao.calls.services import CallFileError, load_call_file
from shenbao.organisations.models import Region, UnitType
from tests.factories import OrganisationFactory, UserFactory, load_call, load_jincheng_reference, make_region_tree
from tests.paths import JINCHENG_2022

from .helpers import jincheng_data, write_call_file

pytestmark = pytest.mark.django_db
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def variant(tmp_path, name, **changes):
    data = jincheng_data()
    data.pop("attachments")
    project_type_changes = changes.pop("project_types", {})
    data.update(changes)
    for project_type in data["project_types"]:
        project_type.update(project_type_changes.get(project_type["code"], {}))
    return write_call_file(tmp_path, data, name=f"{name}.yaml")


def supplementary(tmp_path, **changes):
    """A second 2022 Jincheng round (补充申报), open 2022-12-20 to 12-28."""
    fields = {
        "slug": "jincheng-2022-supplementary",
        "title": "关于开展2022年市级技师工作站和技能人才培养基地补充申报工作的通知",
        "published_on": datetime.date(2022, 12, 20),
        "deadline": datetime.datetime(2022, 12, 28, 23, 59, 59, tzinfo=BEIJING),
        "first_review_due": datetime.date(2023, 1, 6),
        **changes,
    }
    return variant(tmp_path, "supplementary", **fields)


@pytest.fixture
def jincheng(db):
    load_jincheng_reference()
    return load_call(JINCHENG_2022)


def start(call, county, at):
    unit = OrganisationFactory(unit_type=UnitType.objects.get(code="enterprise"), region=county)
    user = UserFactory(organisation=unit, roles=[Role.APPLICANT])
    project_type = call.project_types.get(code="workstation")
    return start_application(call=call, project_type=project_type, unit=unit, user=user, at=at), user


def test_two_calls_of_one_year_and_another_citys_call_each_number_applications_and_plaques(jincheng, tmp_path):
    second = load_call_file(
        path=supplementary(
            tmp_path,
            application_number_prefix="2022B",
            project_types={
                "workstation": {"plaque_number_prefix": "JCJSB"},
                "training_base": {"plaque_number_prefix": "JCJDB"},
            },
        )
    )
    _city, (changzhi_county,) = make_region_tree(
        city_key="140400", city_name="长治市", counties=(("140403", "潞州区"),)
    )
    other_city = load_call_file(
        path=variant(
            tmp_path,
            "changzhi",
            slug="changzhi-2022",
            city="140400",
            title="关于开展2022年长治市市级技师工作站申报工作的通知",
            application_number_prefix="CZ2022",
            project_types={
                "workstation": {"plaque_number_prefix": "CZJS"},
                "training_base": {"plaque_number_prefix": "CZJD"},
            },
        )
    )
    zezhou = Region.objects.get(key="140525")
    started = [
        start(jincheng, zezhou, datetime.datetime(2022, 12, 5, 10, tzinfo=BEIJING)),
        start(jincheng, zezhou, datetime.datetime(2022, 12, 5, 11, tzinfo=BEIJING)),
        start(second, zezhou, datetime.datetime(2022, 12, 21, 10, tzinfo=BEIJING)),
        start(other_city, changzhi_county, datetime.datetime(2022, 12, 5, 10, tzinfo=BEIJING)),
    ]
    assert [application.number for application, _user in started] == [
        "2022-01-0001",
        "2022-01-0002",
        "2022B-01-0001",
        "CZ2022-01-0001",
    ]
    for application, user in started:
        issue_plaque(application=application, actor=user, payload={}, at=datetime.datetime(2023, 1, 10, tzinfo=BEIJING))
    numbers = list(Plaque.objects.order_by("pk").values_list("number", flat=True))
    assert numbers == ["JCJS-2022-01", "JCJS-2022-02", "JCJSB-2022-01", "CZJS-2022-01"]


def test_a_second_call_of_the_year_without_its_own_number_prefix_is_refused_naming_both(jincheng, tmp_path):
    with pytest.raises(CallFileError) as refusal:
        load_call_file(path=supplementary(tmp_path))
    text = str(refusal.value)
    assert "申报编号前缀 2022 已由申报通知「jincheng-2022」使用" in text
    assert "application_number_prefix" in text


def test_a_plaque_prefix_used_by_another_call_of_the_same_year_is_refused(jincheng, tmp_path):
    with pytest.raises(CallFileError) as refusal:
        load_call_file(path=supplementary(tmp_path, application_number_prefix="2022B"))
    text = str(refusal.value)
    assert "project_types[0].plaque_number_prefix：牌匾编号前缀 JCJS 已由同年度的申报通知「jincheng-2022」使用" in text
    assert "project_types[1].plaque_number_prefix：牌匾编号前缀 JCJD" in text


def test_next_years_call_keeps_the_citys_plaque_prefixes_and_numbers_by_its_year(jincheng, tmp_path):
    next_year = load_call_file(
        path=variant(
            tmp_path,
            "jincheng-2023",
            slug="jincheng-2023",
            year=2023,
            published_on=datetime.date(2023, 11, 1),
            deadline=datetime.datetime(2023, 11, 30, 23, 59, 59, tzinfo=BEIJING),
            first_review_due=datetime.date(2023, 12, 15),
        )
    )
    assert next_year.application_number_prefix == "2023"
    application, user = start(
        next_year, Region.objects.get(key="140525"), datetime.datetime(2023, 11, 2, tzinfo=BEIJING)
    )
    assert application.number == "2023-01-0001"
    issue_plaque(application=application, actor=user, payload={}, at=datetime.datetime(2024, 1, 10, tzinfo=BEIJING))
    assert Plaque.objects.get().number == "JCJS-2023-01"


def test_the_number_prefix_of_a_call_with_applications_cannot_change(jincheng, tmp_path):
    start(jincheng, Region.objects.get(key="140525"), datetime.datetime(2022, 12, 5, 10, tzinfo=BEIJING))
    changed = variant(tmp_path, "renumbered", application_number_prefix="JC2022")
    with pytest.raises(CallFileError) as refusal:
        load_call_file(path=changed)
    assert "本通知已有申报使用前缀 2022 编号，不能再修改" in str(refusal.value)
