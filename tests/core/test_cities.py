"""Two cities in one database (issue 17, point 3): each city's portal lists only its calls, staff of one city get
404 on the other city's applications, and the province's read-only role sees every city's figures.

Both cities come from the files that ship in the repository: data/reference/{jincheng,changzhi}.yaml and
calls/{jincheng,changzhi}-2022.yaml, loaded with the same services as `make setup`.
"""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.accounts.services import grant_role
from shenbao.applications.models import Application
from shenbao.applications.services import fire_transition, start_application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.awards.models import Designation, Plaque
from shenbao.calls.models import Call
from shenbao.core.selectors import build_dashboard
from shenbao.documents.content import build_document_content
from shenbao.documents.kinds import list_document_kinds
from shenbao.funding.services import open_funding_record
from shenbao.organisations.models import Organisation, Region, UnitType
from shenbao.organisations.reference import load_reference_data, load_reference_files
from tests.applications.builders import IN_TIME, attach_required_materials, fill_sections, workstation_sections
from tests.factories import OrganisationFactory, UserFactory, load_call, load_reference
from tests.web import WebUser

pytestmark = pytest.mark.django_db

BASE = Path(settings.BASE_DIR)
REFERENCE = [BASE / "data" / "reference" / "jincheng.yaml", BASE / "data" / "reference" / "changzhi.yaml"]
PASSWORD = "Test#pass2022"
PROVINCE_BODY = "山西省人力资源和社会保障厅"


@pytest.fixture
def cities(db):
    for path in REFERENCE:
        load_reference(path)
    jincheng = load_call(BASE / "calls" / "jincheng-2022.yaml")
    changzhi = load_call(BASE / "calls" / "changzhi-2022.yaml")
    return {"jincheng": jincheng, "changzhi": changzhi}


def submitted(call, *, region, name):
    """A complete workstation application of a new unit in `region`, submitted in time to `call`."""
    unit = OrganisationFactory(name=name, unit_type=UnitType.objects.get(code="enterprise"), region=region_of(region))
    user = UserFactory(organisation=unit, roles=[Role.APPLICANT])
    project_type = call.project_types.get(code="workstation")
    application = start_application(call=call, project_type=project_type, unit=unit, user=user, at=IN_TIME)
    application = fill_sections(application=application, user=user, sections=workstation_sections())
    attach_required_materials(application=application, user=user)
    return fire_transition(application=application, name="submit", actor=user, at=IN_TIME)


def region_of(key):
    return Region.objects.get(key=key)


def body(name):
    return Organisation.objects.get(name=name)


def designate(application, *, sequence):
    """Record a designation and its plaque for `application` (the award step has its own tests in tests/awards)."""
    call = application.call
    admin = UserFactory(
        organisation=Organisation.objects.get(function="city_skills_office", region=call.city), roles=[Role.CALL_ADMIN]
    )
    designation = Designation.objects.create(
        call=call,
        project_type=application.project_type,
        title=f"{call.city.name}命名文件",
        issued_on=datetime.date(2023, 1, 10),
        issuing_bodies=call.issuing_bodies,
        created_by=admin,
    )
    prefix = call.project_types.get(pk=application.project_type_id).plaque_number_prefix
    Plaque.objects.create(
        application=application,
        designation=designation,
        title=application.project_type.plaque_title,
        number=f"{prefix}-{call.year}-{sequence:02d}",
        sequence=sequence,
        issued_on=designation.issued_on,
    )
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.AWARDED)
    open_funding_record(application=application)
    return application


def province_user():
    return UserFactory(organisation=body(PROVINCE_BODY), roles=[Role.PROVINCE_OBSERVER])


# --- Reference data -----------------------------------------------------------------------------------------


def test_both_cities_load_with_the_same_command_and_the_shared_province_once(db, capsys):
    paths = [str(path) for path in REFERENCE]
    call_command("load_reference_data", *paths)
    call_command("load_reference_data", *paths)

    out = capsys.readouterr().out
    assert Region.objects.filter(key="140000").count() == 1
    assert Region.objects.get(key="140400").portal_slug == "changzhi"
    assert Region.objects.get(key="140500").portal_slug == "jincheng"
    assert Region.objects.filter(parent__key="140400", level="county").count() == 12
    # The second run writes nothing, the shared province included.
    assert out.count("新增 created 0，更新 updated 0") == 4


def test_example_files_say_they_are_example_data():
    for path in (BASE / "data" / "reference" / "changzhi.yaml", BASE / "calls" / "changzhi-2022.yaml"):
        assert "示例数据" in path.read_text(encoding="utf-8").splitlines()[0], path


def test_only_a_city_has_a_portal(db):
    text = """
regions:
  - {key: "140000", name: 山西省, level: province, portal_slug: shanxi}
"""
    with pytest.raises(ValidationError, match=r"regions\[0\]\.portal_slug"):
        load_reference_data(text=text)


def test_a_portal_slug_belongs_to_one_city(db):
    load_reference_files(paths=REFERENCE[:1])
    text = """
regions:
  - {key: "140000", name: 山西省, level: province}
  - {key: "140400", name: 长治市, level: city, parent: "140000", portal_slug: jincheng}
"""
    with pytest.raises(ValidationError, match="门户标识「jincheng」已被其他城市使用"):
        load_reference_data(text=text)
    assert not Region.objects.filter(key="140400").exists()


def test_the_province_body_sits_in_a_province(db):
    text = """
regions:
  - {key: "140000", name: 山西省, level: province}
  - {key: "140400", name: 长治市, level: city, parent: "140000"}
organisations:
  - {name: 省人社厅, kind: government, function: province_hr_department, region: "140400"}
"""
    with pytest.raises(ValidationError, match=r"organisations\[0\]\.region"):
        load_reference_data(text=text)


def test_the_province_role_is_held_only_in_the_province_body(cities):
    grant_role(user=UserFactory(organisation=body(PROVINCE_BODY)), role=Role.PROVINCE_OBSERVER)
    with pytest.raises(ValidationError):
        grant_role(user=UserFactory(organisation=body("长治市人力资源和社会保障局")), role=Role.PROVINCE_OBSERVER)


# --- Portals --------------------------------------------------------------------------------------------------


def test_each_portal_lists_only_its_own_calls(client, cities):
    jincheng, changzhi = cities["jincheng"], cities["changzhi"]

    jincheng_page = client.get(reverse("core:city_portal", kwargs={"slug": "jincheng"})).content.decode()
    changzhi_page = client.get(reverse("core:city_portal", kwargs={"slug": "changzhi"})).content.decode()

    assert "晋城市技能人才项目申报评审" in jincheng_page
    assert reverse("calls:detail", kwargs={"slug": jincheng.slug}) in jincheng_page
    assert reverse("calls:detail", kwargs={"slug": changzhi.slug}) not in jincheng_page
    assert "长治" not in jincheng_page
    assert "长治市技能人才项目申报评审" in changzhi_page
    assert reverse("calls:detail", kwargs={"slug": changzhi.slug}) in changzhi_page
    assert reverse("calls:detail", kwargs={"slug": jincheng.slug}) not in changzhi_page
    assert "晋城" not in changzhi_page


def test_open_calls_of_a_portal_are_its_own(client, cities, make_call):
    changzhi = region_of("140400")
    open_here = make_call(open_now=True, city=changzhi, title="长治市本年度正在受理的通知")
    make_call(open_now=True, city=region_of("140500"), title="晋城市本年度正在受理的通知")

    page = client.get(reverse("core:city_portal", kwargs={"slug": "changzhi"})).content.decode()

    assert page.index("正在受理的申报通知") < page.index(open_here.title) < page.index("往期申报通知")
    assert "晋城市本年度正在受理的通知" not in page
    home = client.get(reverse("core:home")).content.decode()
    assert open_here.title in home and "晋城市本年度正在受理的通知" in home


def test_unknown_portal_is_not_found(client, cities):
    assert client.get(reverse("core:city_portal", kwargs={"slug": "taiyuan"})).status_code == 404


def test_home_links_every_city_portal(client, cities):
    page = client.get(reverse("core:home")).content.decode()

    assert reverse("core:city_portal", kwargs={"slug": "jincheng"}) in page
    assert reverse("core:city_portal", kwargs={"slug": "changzhi"}) in page


# --- Staff see only their city --------------------------------------------------------------------------------


def test_county_reviewer_of_one_city_gets_404_on_the_other_citys_application(cities):
    jincheng_application = submitted(cities["jincheng"], region="140502", name="晋城市城区两城测试机械有限公司")
    changzhi_application = submitted(cities["changzhi"], region="140403", name="长治市潞州区两城测试机械有限公司")
    reviewer = UserFactory(organisation=body("长治市潞州区人力资源和社会保障局"), roles=[Role.COUNTY_REVIEWER])
    browser = WebUser()
    browser.log_in(reviewer.username, PASSWORD)

    own = browser.get(reverse("applications:detail", kwargs={"public_id": changzhi_application.public_id}))
    other = browser.get(reverse("applications:detail", kwargs={"public_id": jincheng_application.public_id}))
    queue = browser.get(reverse("review:first_review_queue")).content.decode()

    assert own.status_code == 200
    assert other.status_code == 404
    assert changzhi_application.unit.name in queue and jincheng_application.unit.name not in queue


def test_city_reviewer_of_one_city_gets_404_on_the_other_citys_application(cities):
    jincheng_application = submitted(cities["jincheng"], region="140502", name="晋城市城区复核两城有限公司")
    reviewer = UserFactory(organisation=body("长治市人力资源和社会保障局"), roles=[Role.CITY_REVIEWER])
    browser = WebUser()
    browser.log_in(reviewer.username, PASSWORD)

    response = browser.get(reverse("applications:detail", kwargs={"public_id": jincheng_application.public_id}))
    listing = browser.get(reverse("applications:list")).content.decode()

    assert response.status_code == 404
    assert jincheng_application.unit.name not in listing


def test_a_unit_of_one_city_cannot_apply_to_the_other_citys_call(cities):
    unit = OrganisationFactory(unit_type=UnitType.objects.get(code="enterprise"), region=region_of("140502"))
    user = UserFactory(organisation=unit, roles=[Role.APPLICANT])
    call = cities["changzhi"]

    with pytest.raises(ValidationError, match="本次申报通知只受理长治市的申报单位"):
        start_application(
            call=call, project_type=call.project_types.get(code="workstation"), unit=unit, user=user, at=IN_TIME
        )


def test_application_form_names_the_recheck_bodies_of_its_own_city(cities):
    application = submitted(cities["changzhi"], region="140403", name="长治市潞州区申报书测试有限公司")
    kind = next(kind for kind in list_document_kinds(project_type=application.project_type) if kind.is_application_form)

    content = build_document_content(application=application, kind=kind)

    *_first_review, organisation, hr_bureau = content.sign_offs[-1].boxes
    assert (organisation.title, organisation.sign_lines) == ("市委组织部复核意见", ("中共长治市委组织部（盖章）",))
    assert (hr_bureau.title, hr_bureau.sign_lines) == ("市人社局复核意见", ("长治市人力资源和社会保障局（盖章）",))


# --- The province's statistics ------------------------------------------------------------------------------


def test_province_role_sees_both_cities_figures(cities):
    submitted(cities["jincheng"], region="140502", name="晋城市城区统计测试有限公司")
    awarded = designate(submitted(cities["changzhi"], region="140403", name="长治市潞州区统计测试有限公司"), sequence=1)
    browser = WebUser()
    browser.log_in(province_user().username, PASSWORD)

    page = browser.get(reverse("core:province_statistics")).content.decode()

    assert "晋城市" in page and "长治市" in page
    assert cities["jincheng"].title in page
    statistics_rows = page.count("<tr>") - 1  # the header row
    assert statistics_rows == 4  # 2 cities × 1 call × 2 project types
    assert awarded.plaque.number not in page  # figures, not units


def test_province_statistics_count_by_stage_and_designations(cities):
    from shenbao.core.statistics import build_province_statistics

    submitted(cities["jincheng"], region="140502", name="晋城市城区阶段测试一有限公司")
    submitted(cities["jincheng"], region="140521", name="晋城市沁水阶段测试二有限公司")
    designate(submitted(cities["changzhi"], region="140403", name="长治市潞州区阶段测试有限公司"), sequence=1)

    statistics = build_province_statistics(user=province_user())

    by_key = {(row.project_type.call.city.name, row.project_type.code): row for row in statistics.rows}
    jincheng = by_key[("晋城市", "workstation")]
    changzhi = by_key[("长治市", "workstation")]
    assert (jincheng.submitted, jincheng.by_stage[0], jincheng.designated) == (2, 2, 0)
    assert (changzhi.submitted, changzhi.by_stage[-1], changzhi.designated) == (1, 1, 1)
    assert by_key[("长治市", "training_base")].submitted == 0
    # 30万元, 40% committed and due at designation, nothing paid yet.
    assert changzhi.funds.committed == Decimal("300000.00") and changzhi.funds.paid == Decimal("0.00")
    assert statistics.committed == Decimal("300000.00")


def test_city_staff_do_not_get_the_province_statistics(cities):
    admin = UserFactory(organisation=body("晋城市人力资源和社会保障局技能办"), roles=[Role.CALL_ADMIN])
    browser = WebUser()
    browser.log_in(admin.username, PASSWORD)

    assert browser.get(reverse("core:province_statistics")).status_code == 403


def test_province_role_changes_nothing_and_sees_no_application(cities):
    application = submitted(cities["jincheng"], region="140502", name="晋城市城区只读测试有限公司")
    browser = WebUser()
    browser.log_in(province_user().username, PASSWORD)

    detail = browser.get(reverse("applications:detail", kwargs={"public_id": application.public_id}))
    queue = browser.get(reverse("review:first_review_queue"))

    assert detail.status_code == 404
    assert queue.status_code == 403


def test_a_unit_is_offered_and_counts_only_its_own_citys_open_calls(cities):
    """The applicant's 我的申报 lists the open calls it may apply to — its own city's — and the dashboard card counts
    them; the platform's people (no city) count every city's."""
    Call.objects.update(submission_deadline=F("submission_deadline") + datetime.timedelta(days=365 * 30))
    unit = OrganisationFactory(unit_type=UnitType.objects.get(code="enterprise"), region=region_of("140403"))
    clerk = UserFactory(organisation=unit, roles=[Role.APPLICANT])
    web = WebUser()
    web.log_in(clerk.username, PASSWORD)

    html = web.get(reverse("applications:list")).content.decode()
    starts = set(re.findall(r'href="/applications/start/([^/"]+)/"', html))
    assert starts == {cities["changzhi"].slug}
    assert open_calls_figure(web.get(reverse("core:dashboard"))) == "1"

    observer = UserFactory(organisation=body(PROVINCE_BODY), roles=[Role.PROVINCE_OBSERVER])
    assert open_calls_figure_of(observer) == 2


def open_calls_figure(response):
    html = response.content.decode()
    match = re.search(r'dashboard-figure">(\d+)</span>\s*<span class="text-body-secondary">正在受理的申报通知', html)
    return match and match.group(1)


def open_calls_figure_of(user):
    cards = build_dashboard(user=user).cards
    return next(card.figure for card in cards if card.figure_label == "正在受理的申报通知")
