"""Pages of the administrator and the panel chair: progress per panel (states only), reminders, reopening, the
ranking with tie decisions and the proposed list, and the XLSX / PDF exports. Who may open each, query counts."""

import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from shenbao.notifications.models import Notification
from shenbao.scoring import views_ranking
from shenbao.scoring.models import ScoreSheet, SheetReopening, TieBreak

from .builders import OPINION_DUE, assign, reload, submit, uniform
from .test_views import embedded_fonts

pytestmark = pytest.mark.django_db
D = Decimal


def progress_url(panel):
    return reverse("scoring:progress", kwargs={"public_id": panel.public_id})


# The whole page's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
PROGRESS_QUERIES = 10
PANELS_QUERIES = 8
MY_ASSIGNMENTS_QUERIES = 10  # with the page count: the list is paginated
RANKING_QUERIES = 13


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# --- Progress -------------------------------------------------------------------------------------------------


def test_progress_shows_who_submitted_what_but_no_points(client, assignments, panel, call_admin_user, chair):
    submit(assignments[1], material="61.5", defence=27)
    for user in (call_admin_user, chair):
        client.force_login(user)
        page = client.get(progress_url(panel)).content.decode()
        assert "已提交" in page and "未开始" in page
        assert "1 / 5" in page
        assert "88.5" not in page and "61.5" not in page
        assert "评审专家2" in page
    listing = client.get(reverse("scoring:panels")).content.decode()
    assert panel.name in listing


def test_who_may_follow_a_panel(client, assignments, panel, outsiders, other_city_admin):
    member = assignments[1].expert  # in the panel, but not its chair
    for user in (member, outsiders["other_expert"], other_city_admin, outsiders["applicant"]):
        client.force_login(user)
        assert client.get(progress_url(panel)).status_code == 404
    client.force_login(member)
    assert panel.name not in client.get(reverse("scoring:panels")).content.decode()
    client.force_login(outsiders["applicant"])
    assert client.get(reverse("scoring:panels")).status_code == 403


def test_the_administrator_reminds_the_late_experts(client, assignments, panel, call_admin_user, chair):
    submit(assignments[0], material=50, defence=20)
    url = reverse("scoring:remind", kwargs={"public_id": panel.public_id})
    client.force_login(chair)
    assert client.post(url).status_code == 403
    client.force_login(assignments[1].expert)
    assert client.post(url).status_code == 404
    client.force_login(call_admin_user)
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "已提醒 4 位专家，共 4 份评分表未提交。" in response.content.decode()
    assert Notification.objects.filter(event="scoring:remind").count() == 4
    assert "上次提醒" in client.get(progress_url(panel)).content.decode()


def test_reopening_from_the_progress_page(client, assignments, panel, chair, call_admin_user, other_city_admin):
    own = submit(assignments[0], material=50, defence=20)  # the chair's own
    other = submit(assignments[1], material=50, defence=20)

    def reopen(sheet, reason="评分与评语不一致"):
        return client.post(reverse("scoring:reopen", kwargs={"public_id": sheet.public_id}), {"reason": reason})

    client.force_login(chair)
    page = client.get(progress_url(panel)).content.decode()
    assert reverse("scoring:reopen", kwargs={"public_id": other.public_id}) in page
    assert reverse("scoring:reopen", kwargs={"public_id": own.public_id}) not in page
    assert reopen(own).status_code == 404
    response = reopen(other, reason="")
    assert response.status_code == 302
    assert ScoreSheet.objects.get(pk=other.pk).status == "submitted"
    assert reopen(other).status_code == 302
    assert ScoreSheet.objects.get(pk=other.pk).status == "draft"
    for user in (assignments[2].expert, other_city_admin):
        client.force_login(user)
        assert reopen(own).status_code == 404
    client.force_login(call_admin_user)
    assert reopen(own).status_code == 302
    assert SheetReopening.objects.count() == 2


def test_progress_queries_do_not_grow(client, panel, experts, make_waiting, call_admin_user):
    first = make_waiting(name="晋城市进度一有限公司")
    submit(assign(panel, first, experts)[0], material=50, defence=20)
    client.force_login(call_admin_user)
    one = count_queries(client, progress_url(panel))
    list_one = count_queries(client, reverse("scoring:panels"))
    for n in range(3):
        for assignment in assign(panel, make_waiting(name=f"晋城市进度{n}号有限公司"), experts)[:2]:
            submit(assignment, material=50, defence=20)
    assert (one, count_queries(client, progress_url(panel))) == (PROGRESS_QUERIES, PROGRESS_QUERIES)
    assert (list_one, count_queries(client, reverse("scoring:panels"))) == (PANELS_QUERIES, PANELS_QUERIES)


def test_my_assignments_queries_do_not_grow(client, panel, experts, make_waiting):
    expert = experts[0]
    assign(panel, make_waiting(name="晋城市任务一有限公司"), [expert])
    client.force_login(expert)
    one = count_queries(client, reverse("scoring:my_assignments"))
    for n in range(3):
        (assignment,) = assign(panel, make_waiting(name=f"晋城市任务{n}号有限公司"), [expert])
        submit(assignment, material=50, defence=20)
    many = count_queries(client, reverse("scoring:my_assignments"))
    assert (one, many) == (MY_ASSIGNMENTS_QUERIES, MY_ASSIGNMENTS_QUERIES)


def test_my_assignments_come_a_page_at_a_time(client, settings, panel, experts, make_waiting):
    """At province scale an expert holds scores of tasks across calls: the list is paginated like the queues."""
    settings.PAGE_SIZE = 2
    expert = experts[0]
    numbers = [
        assignment.application.number
        for n in range(3)
        for assignment in assign(panel, make_waiting(name=f"晋城市分页{n}号有限公司"), [expert])
    ]
    client.force_login(expert)
    first = client.get(reverse("scoring:my_assignments")).content.decode()
    second = client.get(reverse("scoring:my_assignments"), {"page": 2}).content.decode()
    assert sum(number in first for number in numbers) == 2
    assert sum(number in second for number in numbers) == 1
    assert "第 1 / 2 页" in first and "第 2 / 2 页" in second
    assert all(number in first + second for number in numbers)


# --- Ranking --------------------------------------------------------------------------------------------------


@pytest.fixture
def ranked(make_scored, workstation_type):
    """Three scored applications (85, 80 at the pass line … 59.5 below it) with a quota of 2–3."""
    workstation_type.quota_min = 2
    workstation_type.quota_max = 3
    workstation_type.save(update_fields=["quota_min", "quota_max"])
    return [
        make_scored("晋城市排名第一机械有限公司", uniform(60, 25)),
        make_scored("晋城市排名第二机械有限公司", uniform(55, 25)),
        make_scored("晋城市排名末位机械有限公司", uniform("39.5", 20), region="140521"),
    ]


def ranking_url(**params):
    from django.utils.http import urlencode

    return f"{reverse('scoring:ranking')}?{urlencode(params)}" if params else reverse("scoring:ranking")


def test_the_ranking_page(client, ranked, call_admin_user):
    client.force_login(call_admin_user)
    page = client.get(ranking_url(type="workstation")).content.decode()
    first, second, last = ranked
    assert page.index(first.unit.name) < page.index(second.unit.name) < page.index(last.unit.name)
    for text in ("85.00", "80.00", "59.50", "未达合格分数线", "去掉一个最高分和一个最低分后取平均", "确定拟授牌名单"):
        assert text in page
    assert 'value="2"' in page  # suggested: the two that pass


@pytest.mark.parametrize("who", ["chair", "hr_reviewer", "applicant"])
def test_only_the_administrator_sees_the_ranking(client, ranked, who, chair, hr_reviewer, outsiders):
    user = {"chair": chair, "hr_reviewer": hr_reviewer, "applicant": outsiders["applicant"]}[who]
    client.force_login(user)
    assert client.get(ranking_url()).status_code == 403
    assert client.get(reverse("scoring:export", kwargs={"file_format": "xlsx"})).status_code == 403
    assert client.post(reverse("scoring:propose"), {"type": "workstation", "count": 1}).status_code == 403


def test_another_citys_administrator_gets_404(client, ranked, other_city_admin, call):
    client.force_login(other_city_admin)
    assert client.get(ranking_url()).status_code == 404
    assert client.get(ranking_url(call=call.slug)).status_code == 404


def test_unknown_type_or_format_is_404(client, ranked, call_admin_user):
    client.force_login(call_admin_user)
    assert client.get(ranking_url(type="nope")).status_code == 404
    assert client.get(reverse("scoring:export", kwargs={"file_format": "csv"})).status_code == 404
    assert client.get(reverse("scoring:export", kwargs={"file_format": "xlsx"}) + "?list=secret").status_code == 404


def test_proposing_from_the_page(client, ranked, call_admin_user):
    client.force_login(call_admin_user)
    url = reverse("scoring:propose")
    data = {"type": "workstation", "opinion_due": OPINION_DUE, "not_selected_reason": "综合得分未进入名额。"}
    response = client.post(url, {**data, "count": 3}, follow=True)
    assert "达到合格分数线的申报只有2个，拟授牌数量不能超过2个。" in response.content.decode()
    assert {reload(item).status for item in ranked} == {"expert_review"}
    response = client.post(url, {**data, "count": 2}, follow=True)
    assert "拟授牌名单已确定：列入 2 个单位" in response.content.decode()
    assert [reload(item).status for item in ranked] == ["soliciting", "soliciting", "not_selected"]


def test_a_refused_proposal_form_names_the_field_with_a_full_width_colon(client, ranked, call_admin_user):
    client.force_login(call_admin_user)
    data = {"type": "workstation", "count": "-1", "opinion_due": OPINION_DUE, "not_selected_reason": "x"}
    page = client.post(reverse("scoring:propose"), data, follow=True).content.decode()
    assert "拟授牌数量：" in page and "拟授牌数量:" not in page
    assert {reload(item).status for item in ranked} == {"expert_review"}


def test_deciding_a_tie_from_the_page(client, make_scored, call_admin_user):
    a = make_scored("晋城市同分甲机械有限公司", uniform(60, 25))
    b = make_scored("晋城市同分乙机械有限公司", uniform(60, 25))
    client.force_login(call_admin_user)
    page = client.get(ranking_url()).content.decode()
    assert "决定并列名次" in page and "并列，待决定" in page
    group = ",".join(sorted([str(a.public_id), str(b.public_id)]))
    data = {"type": "workstation", "group": group, f"place-{a.public_id}": "2", f"place-{b.public_id}": "1"}
    response = client.post(reverse("scoring:tie_break"), {**data, "reason": ""}, follow=True)
    assert not TieBreak.objects.exists()
    response = client.post(reverse("scoring:tie_break"), {**data, f"place-{a.public_id}": "1", "reason": "x"})
    assert not TieBreak.objects.exists()  # two applications in the same place
    response = client.post(reverse("scoring:tie_break"), {**data, "reason": "乙单位实施方案更具体。"}, follow=True)
    assert "已记录并列名次的决定" in response.content.decode()
    page = response.content.decode()
    assert page.index("晋城市同分乙机械有限公司") < page.index("晋城市同分甲机械有限公司")


def test_ranking_queries_do_not_grow(client, make_scored, call_admin_user):
    make_scored("晋城市查询排名一有限公司", uniform(60, 25))
    client.force_login(call_admin_user)
    one = count_queries(client, ranking_url())
    make_scored("晋城市查询排名二有限公司", uniform(50, 25))
    make_scored("晋城市查询排名三有限公司", uniform(50, 25, experts=3))
    assert (one, count_queries(client, ranking_url())) == (RANKING_QUERIES, RANKING_QUERIES)


# --- Exports --------------------------------------------------------------------------------------------------


def test_the_ranking_as_xlsx(client, ranked, call_admin_user):
    client.force_login(call_admin_user)
    response = client.get(reverse("scoring:export", kwargs={"file_format": "xlsx"}) + "?type=workstation")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "2022年市级技师工作站评审排名表"
    assert rows[2][:5] == ("排名", "申报编号", "申报单位", "所在县（市、区）", "最终得分")
    assert [(row[0], row[2], row[3], D(str(row[4])), row[8]) for row in rows[3:]] == [
        (1, "晋城市排名第一机械有限公司", "城区", D("85"), "待确定"),
        (2, "晋城市排名第二机械有限公司", "城区", D("80"), "待确定"),
        (3, "晋城市排名末位机械有限公司", "沁水县", D("59.5"), "未达合格分数线"),
    ]


def test_the_proposed_list_as_xlsx_and_pdf(client, ranked, call_admin_user):
    client.force_login(call_admin_user)
    client.post(
        reverse("scoring:propose"),
        {"type": "workstation", "count": 2, "opinion_due": OPINION_DUE, "not_selected_reason": "未达合格分数线。"},
    )
    base = reverse("scoring:export", kwargs={"file_format": "xlsx"})
    rows = list(
        load_workbook(io.BytesIO(client.get(f"{base}?list=proposed").content)).active.iter_rows(values_only=True)
    )
    assert rows[0][0] == "2022年市级技师工作站拟授牌单位名单"
    assert [(row[0], row[2], row[8]) for row in rows[3:]] == [
        (1, "晋城市排名第一机械有限公司", "拟授牌"),
        (2, "晋城市排名第二机械有限公司", "拟授牌"),
    ]
    response = client.get(reverse("scoring:export", kwargs={"file_format": "pdf"}) + "?list=proposed")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    assert "拟授牌单位名单" in text
    assert "晋城市排名第一机械有限公司" in text and "晋城市排名第二机械有限公司" in text
    assert "晋城市排名末位机械有限公司" not in text
    assert any("CJK" in font or "Noto" in font for font in embedded_fonts(reader))
    page = client.get(ranking_url()).content.decode()
    assert "拟授牌单位名单（XLSX）" in page


def test_an_application_with_fewer_sheets_than_trimming_needs_says_so_on_the_page_xlsx_and_pdf(
    client, make_waiting, panel, experts, call_admin_user
):
    # A recusal not replaced: four active assignments, four submitted sheets (75, 80, 85, 90 → mean 82.50).
    short = make_waiting(name="晋城市四位专家机械有限公司")
    for assignment, material in zip(assign(panel, short, experts[:4]), (50, 55, 60, 65), strict=True):
        submit(assignment, material=material, defence=25)
    full = make_waiting(name="晋城市五位专家机械有限公司")
    for assignment, material in zip(assign(panel, full, experts), (50, 55, 60, 65, 70), strict=True):
        submit(assignment, material=material, defence=25)
    note = "仅4份评分表，不足5份，按算术平均汇总"
    client.force_login(call_admin_user)

    page = client.get(ranking_url(type="workstation")).content.decode()
    assert note in page and "82.50" in page
    assert "评分表不少于5份时；不足5份的申报取算术平均" in page

    base = reverse("scoring:export", kwargs={"file_format": "xlsx"})
    rows = list(
        load_workbook(io.BytesIO(client.get(f"{base}?type=workstation").content)).active.iter_rows(values_only=True)
    )
    assert rows[2][9] == "汇总说明"
    by_unit = {row[2]: row for row in rows[3:]}
    assert by_unit["晋城市四位专家机械有限公司"][9] == note
    assert D(str(by_unit["晋城市四位专家机械有限公司"][4])) == D("82.5")
    assert by_unit["晋城市五位专家机械有限公司"][9] in (None, "")
    assert D(str(by_unit["晋城市五位专家机械有限公司"][4])) == D("85")  # 80, 85, 90 after trimming

    pdf = client.get(reverse("scoring:export", kwargs={"file_format": "pdf"}) + "?type=workstation")
    text = (
        "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        .replace(" ", "")
        .replace("\n", "")
    )
    assert note in text


def test_the_ranking_is_shown_a_page_at_a_time_and_names_the_first_pending(
    client, ranked, make_scored, call_admin_user, monkeypatch
):
    monkeypatch.setattr(views_ranking, "RANKING_PAGE_SIZE", 2)
    monkeypatch.setattr(views_ranking, "PENDING_SHOWN", 1)
    make_scored("晋城市未评完甲机械有限公司", uniform(55, 20, experts=2))
    make_scored("晋城市未评完乙机械有限公司", uniform(55, 20, experts=2))
    client.force_login(call_admin_user)
    first = client.get(ranking_url(type="workstation")).content.decode()
    second = client.get(ranking_url(type="workstation", page=2)).content.decode()
    assert "晋城市排名第一机械有限公司" in first and "晋城市排名第二机械有限公司" in first
    assert "晋城市排名末位机械有限公司" not in first and "晋城市排名末位机械有限公司" in second
    assert "第 1 / 2 页" in first and "第 2 / 2 页" in second
    # The pending are in number order: the first is named, the other counted, with the way to the progress page.
    assert "晋城市未评完甲机械有限公司" in first and "晋城市未评完乙机械有限公司" not in first
    assert f'另有 1 项申报待评分完成，详见<a href="{reverse("scoring:panels")}">评审进度</a>。' in first


def test_the_ranking_page_keeps_its_ranking_until_an_audited_change(
    client, ranked, make_scored, call_admin_user, settings
):
    settings.SHENBAO_PORTAL_CACHE_SECONDS = 300
    cache.clear()
    client.force_login(call_admin_user)
    built = count_queries(client, ranking_url())
    cached = count_queries(client, ranking_url())
    # Saved: the ranked applications, their assignments with the sheets' scores, and the tie breaks.
    assert cached == built - 3

    newcomer = make_scored("晋城市新评完机械有限公司", uniform(58, 25))  # its sheets' submissions are audited
    with CaptureQueriesContext(connection) as queries:
        page = client.get(ranking_url()).content.decode()
    assert len(queries) == built and newcomer.unit.name in page
    cache.clear()
