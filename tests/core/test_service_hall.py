"""The public service hall (政务服务, issue 12 point 4): 通知公告, 公示 with the objection route, 办事指南 from the call
data, the status query (rate-limited, audited, one answer for every wrong pair), the register of designated units;
per city under its portal; the 政务服务 menu on every page. Through HTTP with the real middleware (CSRF on)."""

import datetime
import re

import pytest
from django.utils import timezone

from shenbao.acceptance.models import AcceptanceEvaluation
from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.models import AuditEntry
from shenbao.calls.models import Call, CallState
from shenbao.notices.models import PublicNotice
from tests.core import test_portal_archive
from tests.factories import OrganisationFactory, UserFactory
from tests.web import WebUser

pytestmark = pytest.mark.django_db

# The archive tests' cities (晋城, 长治 with portals) and past calls with designated units.
two_cities = test_portal_archive.two_cities
past_call = test_portal_archive.past_call

STATUS_URL = "/service/status/"
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def make_notice(call, *, title, start, days=7):
    return PublicNotice.objects.create(
        call=call,
        title=title,
        start_date=start,
        end_date=start + datetime.timedelta(days=days),
        working_days=5,
        counting=call.notice_counting,
        contact_name="郭大勇",
        contact_phone="2199488",
        contact_address="市人社局201室",
        published_by=UserFactory(roles=[Role.CALL_ADMIN]),
        published_at=timezone.now(),
    )


def make_application(call, *, status, number=None, unit=None):
    unit = unit or OrganisationFactory(region=call.city)
    return Application.objects.create(
        number=number or f"{call.application_number_prefix}-01-{Application.objects.count() + 1:04d}",
        call=call,
        project_type=call.project_types.order_by("sort_order").first(),
        unit=unit,
        status=status,
        created_by=UserFactory(organisation=unit, roles=[Role.APPLICANT]),
    )


# --- The way in: home page, portals and every page's menu -----------------------------------------------------


def test_every_page_has_the_service_menu_with_the_notices(client, two_cities):
    for url in ("/", "/accounts/login/", "/calls/", "/service/guide/", "/notices/public/"):
        html = page(client, url)
        start = html.index('id="service-menu-button"')
        menu = html[start : html.index("</ul>", start)]
        assert 'href="/notices/public/">公示公告</a>' in menu, url
        for path in ("/service/", "/service/announcements/", "/service/guide/", STATUS_URL, "/verify/"):
            assert f'href="{path}"' in menu, (url, path)


def test_home_page_tiles_lead_to_the_notices_and_a_portal_keeps_its_city(client, two_cities):
    home = page(client, "/")
    portal = page(client, "/c/changzhi/")

    tiles = home[home.index('id="service-tiles-heading"') :]
    assert 'href="/notices/public/"' in tiles and "在线提出异议" in tiles
    assert 'href="/service/register/"' in tiles and 'href="/verify/"' in tiles
    assert 'href="/c/changzhi/service/notices/"' in portal
    assert 'href="/c/changzhi/service/register/"' in portal
    # The menu of a city's page stays in the city's portal too.
    assert 'href="/c/changzhi/service/announcements/"' in portal


# --- 通知公告 and 公示 ----------------------------------------------------------------------------------------


def test_announcements_list_calls_and_notices_newest_first_per_city(client, two_cities, make_call):
    jincheng, changzhi = two_cities
    today = timezone.localdate()
    call = make_call(open_now=True, city=changzhi, title="长治市申报通知", published_on=today - datetime.timedelta(9))
    make_notice(call, title="长治市拟授牌单位公示", start=today - datetime.timedelta(2))
    make_notice(call, title="长治市明日公示", start=today + datetime.timedelta(1))  # not public yet
    other = make_call(open_now=True, city=jincheng, title="晋城市申报通知", published_on=today - datetime.timedelta(5))
    Call.objects.create(**{**_fields(other), "slug": "draft", "application_number_prefix": "D", "title": "草稿通知"})
    Call.objects.filter(slug="draft").update(state=CallState.DRAFT)

    everything = page(client, "/service/announcements/")
    city = page(client, "/c/changzhi/service/announcements/")

    order = [everything.index(title) for title in ("长治市拟授牌单位公示", "晋城市申报通知", "长治市申报通知")]
    assert order == sorted(order)
    assert "明日公示" not in everything and "草稿通知" not in everything
    notice = PublicNotice.objects.get(title="长治市拟授牌单位公示")
    assert f'href="/notices/public/{notice.public_id}/"' in everything
    assert f'href="/calls/{call.slug}/"' in everything
    assert "长治市拟授牌单位公示" in city and "长治市申报通知" in city and "晋城市申报通知" not in city


def _fields(call):
    return {field.name: getattr(call, field.name) for field in Call._meta.concrete_fields if field.name != "id"}


def test_notices_show_the_objection_route_while_open_and_past_ones_stay(client, two_cities, make_call):
    _jincheng, changzhi = two_cities
    today = timezone.localdate()
    call = make_call(city=changzhi)
    current = make_notice(call, title="本期公示", start=today - datetime.timedelta(1))
    past = make_notice(call, title="往期公示", start=today - datetime.timedelta(60))

    for url in ("/notices/public/", "/c/changzhi/service/notices/", "/c/changzhi/service/"):
        html = page(client, url)
        assert f'href="/notices/public/{current.public_id}/objection/"' in html, url
        assert "往期公示" in html and f"/notices/public/{past.public_id}/objection/" not in html, url
    assert "本期公示" not in page(client, "/c/jincheng/service/notices/")


def test_home_page_and_portal_lead_to_the_notice_in_period_and_its_objection_form(client, two_cities, make_call):
    jincheng, changzhi = two_cities
    today = timezone.localdate()
    running = make_notice(make_call(city=changzhi), title="长治市正在公示", start=today - datetime.timedelta(1))
    make_notice(make_call(city=changzhi), title="长治市已结束公示", start=today - datetime.timedelta(30))
    make_notice(make_call(city=jincheng), title="晋城市正在公示", start=today)

    home = page(client, "/")
    portal = page(client, "/c/changzhi/")

    block = home[
        home.index('id="open-notices-heading"') : home.index("</section>", home.index('id="open-notices-heading"'))
    ]
    assert "长治市正在公示" in block and "晋城市正在公示" in block and "已结束" not in block
    assert f'href="/notices/public/{running.public_id}/objection/"' in block
    assert "长治市正在公示" in portal and "晋城市正在公示" not in portal


def test_a_city_without_a_portal_has_no_service_pages(client, two_cities):
    for url in ("/c/nowhere/service/", "/c/nowhere/service/notices/", "/c/nowhere/service/register/"):
        assert client.get(url).status_code == 404


# --- 办事指南 -------------------------------------------------------------------------------------------------


@pytest.fixture
def call_2022(db):
    from tests.factories import load_call, load_reference

    load_reference()
    return load_call()


def test_guide_says_who_may_apply_with_what_by_when_and_whom_to_ask(client, call_2022):
    html = page(client, "/service/guide/jincheng-2022/training_base/")

    assert "市级技能人才培养基地申报指南" in html
    who = re.search(r"可申报的单位类型：([^<]+)</p>", html).group(1).split("、")
    assert sorted(who) == sorted(["职业院校", "技工院校", "企业", "职业技能培训机构", "公共职业技能实训基地"])
    assert "年培训规模不少于300人" in html and "≥ 300" in html and "≥ 2" in html  # thresholds
    assert "院校、培训机构与2家以上企业" in html and "技工院校" in html  # applies to
    assert "晋城市技能人才培养基地建设项目实施方案" in html  # a material
    assert 'datetime="2022-12-08T23:59:59+08:00"' in html  # the deadline
    assert "2022年12月16日前完成" in html  # 资格初审
    assert "由市委组织部、市人社局复核，须全部通过" in html
    assert "征求主管部门、税务部门的意见" in html
    assert "公示5个工作日" in html and "「晋城市技能人才培养基地」" in html and "20万元" in html
    assert "郭大勇" in html and "2199488" in html and "市人社局技能办（市人社局201室）" in html
    steps = re.findall(r'<span class="fw-semibold">([^<]+)</span>', html)
    assert steps[:3] == ["网上填报并提交", "报送纸质材料", "资格初审"] and steps[-1] == "建设与评估验收"


def test_guide_follows_the_call_data(client, call_2022):
    Call.objects.filter(pk=call_2022.pk).update(
        contact_name="另一位联系人", notice_working_days=7, experts_per_application=7, recheck_bodies=[]
    )

    html = page(client, "/service/guide/jincheng-2022/workstation/")

    assert "另一位联系人" in html and "郭大勇" not in html
    assert "公示7个工作日" in html and "由7名专家" in html
    assert "资格复核" not in html


def test_guide_list_links_every_project_type_and_unknown_guides_are_404(client, call_2022):
    html = page(client, "/c/jincheng/service/guide/")

    assert 'href="/service/guide/jincheng-2022/workstation/"' in html
    assert 'href="/service/guide/jincheng-2022/training_base/"' in html
    assert client.get("/service/guide/jincheng-2022/nothing/").status_code == 404
    assert client.get("/service/guide/no-such-call/workstation/").status_code == 404
    Call.objects.filter(pk=call_2022.pk).update(state=CallState.DRAFT)
    assert client.get("/service/guide/jincheng-2022/workstation/").status_code == 404
    assert "jincheng-2022" not in page(client, "/service/guide/")


# --- The status query -----------------------------------------------------------------------------------------


@pytest.fixture
def asked(two_cities, make_call):
    """An application in 公示 and another unit's, for the question."""
    _jincheng, changzhi = two_cities
    call = make_call(city=changzhi)
    application = make_application(call, status=ApplicationStatus.IN_NOTICE, number="T2022-01-0007")
    other = make_application(call, status=ApplicationStatus.RETURNED)
    return application, other


def ask(web, number, credit_code):
    token = web.csrf_token(STATUS_URL)
    return web.client.post(STATUS_URL, {"number": number, "credit_code": credit_code, "csrfmiddlewaretoken": token})


def answer_of(response):
    html = response.content.decode()
    return html[html.index('aria-live="polite"') : html.index("</main>")]


def test_the_right_pair_gets_the_public_stage_only(asked):
    application, other = asked
    web = WebUser()

    right = ask(web, " t2022-01-0007 ", application.unit.credit_code.lower())
    returned = ask(web, other.number, other.unit.credit_code)

    assert right.status_code == 200
    assert '<dd class="col-sm-8 fw-semibold" id="public-stage">公示中</dd>' in answer_of(right)
    assert application.call.title in answer_of(right)
    # 退回修改 is the unit's own business: the public sees only that the application is being reviewed.
    assert "已受理，资格审核中" in answer_of(returned) and "退回" not in answer_of(returned)
    entry = AuditEntry.objects.filter(event="portal:status_query").order_by("pk").first()
    assert entry.result == AuditEntry.Result.SUCCESS
    assert entry.additional_data == {"number": "t2022-01-0007", "found": True}
    assert entry.remote_addr == "192.0.2.10"
    assert application.unit.credit_code not in str(entry.additional_data)


def test_every_wrong_pair_gets_the_same_answer_and_is_audited(asked):
    application, other = asked
    web = WebUser()

    answers = [
        answer_of(ask(web, application.number, other.unit.credit_code)),  # another unit's code
        answer_of(ask(web, "T2022-01-9999", application.unit.credit_code)),  # unknown number
        answer_of(ask(web, application.number, "91140500MA0000000X")),  # unknown code
    ]

    assert answers[0] == answers[1] == answers[2]
    assert "未查到与该申报编号和统一社会信用代码相符的申报" in answers[0]
    assert "公示中" not in answers[0]
    results = list(AuditEntry.objects.filter(event="portal:status_query").values_list("result", flat=True))
    assert results == [AuditEntry.Result.FAILURE] * 3


def test_status_query_is_rate_limited_per_address(asked, settings):
    application, _other = asked
    settings.SHENBAO_STATUS_QUERY_LIMIT = {"attempts": 2, "window": 300}
    web = WebUser(remote_addr="198.51.100.7")

    first = [ask(web, "T2022-01-9999", "X").status_code for _ in range(2)]
    limited = ask(web, application.number, application.unit.credit_code)
    elsewhere = ask(WebUser(remote_addr="198.51.100.8"), application.number, application.unit.credit_code)

    assert first == [200, 200]
    assert limited.status_code == 429 and "查询过于频繁" in limited.content.decode()
    assert "公示中" not in answer_of(limited)
    assert elsewhere.status_code == 200 and "公示中" in answer_of(elsewhere)
    assert AuditEntry.objects.filter(event="portal:status_query").count() == 3  # the refused one looked nothing up


def test_status_query_refuses_a_post_without_the_csrf_token(asked):
    application, _other = asked
    web = WebUser()

    response = web.client.post(STATUS_URL, {"number": application.number, "credit_code": application.unit.credit_code})

    assert response.status_code == 403


def test_an_incomplete_question_is_shown_again(asked):
    response = ask(WebUser(), "", "")

    assert response.status_code == 400
    assert not AuditEntry.objects.filter(event="portal:status_query").exists()


# --- 认定名单 -------------------------------------------------------------------------------------------------


def test_register_is_searched_by_name_plaque_year_and_call_per_city(client, two_cities, past_call):
    jincheng, changzhi = two_cities
    old = past_call(changzhi, 2021, units=["长治市老牌精工有限公司"])
    new = past_call(changzhi, 2022, units=["长治市新锐机械有限公司", "长治市第二机械有限公司"])
    past_call(jincheng, 2022, units=["晋城市甲机械有限公司"])

    everything = page(client, "/service/register/")
    city = page(client, "/c/changzhi/service/register/")
    by_name = page(client, "/service/register/", q="老牌")
    by_plaque = page(client, "/service/register/", q=f"{new.application_number_prefix}JS-2022-02")
    by_year = page(client, "/c/changzhi/service/register/", year="2021")
    by_call = page(client, "/c/changzhi/service/register/", call=new.slug)

    assert everything.index("长治市新锐机械有限公司") < everything.index("长治市老牌精工有限公司")
    assert "晋城市甲机械有限公司" in everything and "晋城市甲机械有限公司" not in city
    assert "长治市老牌精工有限公司" in by_name and "新锐" not in by_name
    assert "长治市第二机械有限公司" in by_plaque and "新锐" not in by_plaque
    assert "老牌" in by_year and "新锐" not in by_year
    assert "新锐" in by_call and "老牌" not in by_call
    assert f'<option value="{old.slug}">' in city and "晋城市2022年度通知" not in city


def _status_of(html, name):
    row = re.search(rf"<tr>\s*<td>[^<]*</td>\s*<td>[^<]*</td>\s*<td>{name}</td>.*?</tr>", html, re.DOTALL).group()
    return re.search(r'<span class="badge [^"]+">([^<]+)</span>', row).group(1)


def test_the_register_shows_each_units_status(client, two_cities, past_call):
    _jincheng, changzhi = two_cities
    call = past_call(
        changzhi, 2021, units=["长治市建设有限公司", "长治市验收有限公司", "长治市撤销有限公司", "长治市未过有限公司"]
    )
    Application.objects.filter(call=call, unit__name="长治市撤销有限公司").update(status=ApplicationStatus.REVOKED)
    for name, band in (("长治市验收有限公司", "good"), ("长治市未过有限公司", "failed")):
        application = Application.objects.get(call=call, unit__name=name)
        AcceptanceEvaluation.objects.create(
            application=application, created_by=application.created_by, status="decided", band=band
        )

    for html in (page(client, "/service/register/"), page(client, "/c/changzhi/service/register/")):
        assert _status_of(html, "长治市建设有限公司") == "建设中"
        assert _status_of(html, "长治市验收有限公司") == "已验收"
        assert _status_of(html, "长治市撤销有限公司") == "已撤销"
        assert _status_of(html, "长治市未过有限公司") == "建设中"  # a failed evaluation: rectification follows


def test_the_register_is_searched_by_project_type(client, two_cities, past_call):
    _jincheng, changzhi = two_cities
    call = past_call(changzhi, 2022, units=["长治市甲类有限公司"])
    other_type = call.project_types.order_by("sort_order").last()
    Application.objects.filter(call=call).update(project_type=other_type)
    past_call(changzhi, 2021, units=["长治市乙类有限公司"])

    by_type = page(client, "/c/changzhi/service/register/", type=other_type.code)
    assert "长治市甲类有限公司" in by_type and "长治市乙类有限公司" not in by_type
    assert f'<option value="{other_type.code}">' in page(client, "/service/register/")


def test_the_register_shows_no_personal_data(client, two_cities, past_call):
    _jincheng, changzhi = two_cities
    call = past_call(changzhi, 2022, units=["长治市隐私有限公司"])
    applicant = Application.objects.get(call=call).created_by
    html = page(client, "/service/register/")
    assert applicant.full_name not in html and applicant.username not in html


# --- Query counts: the same at one row and at many ------------------------------------------------------------

# Anonymous pages: no session or user query. Each number lists what the page reads.
HUB_QUERIES = 2  # the feed (calls ∪ notices), the latest notices
CITY_HUB_QUERIES = 3  # the city, then the same
ANNOUNCEMENTS_QUERIES = 2  # the feed's count, its page
GUIDE_LIST_QUERIES = 3  # count, the page of calls with their city, their project types
GUIDE_QUERIES = 9  # the call with its city; its project types and the six things they hold; the attachments
REGISTER_QUERIES = 5  # the register's calls + their types, count, the page (unit, region, type, plaque, call), bands
CITY_REGISTER_QUERIES = 6  # the city, then the same
CITY_NOTICES_QUERIES = 3  # the city, count, the page of notices with their unit counts


def _one(two_cities, past_call, make_call):
    _jincheng, changzhi = two_cities
    call = past_call(changzhi, 2021, units=["长治市甲有限公司"])
    make_notice(call, title="公示", start=timezone.localdate())
    make_call(open_now=True, city=changzhi)


def _many(two_cities, past_call, make_call):
    jincheng, changzhi = two_cities
    for year in range(2016, 2022):
        for city in (jincheng, changzhi):
            call = past_call(city, year, units=[f"{city.name}{year}甲有限公司", f"{city.name}{year}乙有限公司"])
            make_notice(call, title=f"{city.name}{year}公示", start=datetime.date(year, 12, 20))
    for city in (jincheng, changzhi):
        for _ in range(3):
            make_call(open_now=True, city=city)
        make_notice(call, title="公示", start=timezone.localdate())


PAGES = [
    ("/service/", HUB_QUERIES),
    ("/c/changzhi/service/", CITY_HUB_QUERIES),
    ("/service/announcements/", ANNOUNCEMENTS_QUERIES),
    ("/c/changzhi/service/announcements/", CITY_HUB_QUERIES),
    ("/service/guide/", GUIDE_LIST_QUERIES),
    ("/c/changzhi/service/guide/", GUIDE_LIST_QUERIES + 1),
    ("/service/register/", REGISTER_QUERIES),
    ("/c/changzhi/service/register/", CITY_REGISTER_QUERIES),
    ("/c/changzhi/service/notices/", CITY_NOTICES_QUERIES),
    (STATUS_URL, 0),
]


@pytest.mark.parametrize("rows", [_one, _many], ids=["one", "many"])
@pytest.mark.parametrize(("url", "queries"), PAGES, ids=[url for url, _queries in PAGES])
def test_service_page_query_count_is_fixed(
    client, two_cities, past_call, make_call, django_assert_num_queries, rows, url, queries
):
    rows(two_cities, past_call, make_call)

    with django_assert_num_queries(queries):
        page(client, url)


@pytest.mark.parametrize("project_types", [1, 2], ids=["one", "many"])
def test_guide_query_count_is_fixed(client, call_2022, django_assert_num_queries, project_types):
    if project_types == 1:
        call_2022.project_types.exclude(code="workstation").delete()

    with django_assert_num_queries(GUIDE_QUERIES):
        page(client, "/service/guide/jincheng-2022/workstation/")
