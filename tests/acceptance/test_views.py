"""The pages: who may open each (own unit / other unit → 404, own city / other city, assigned expert / not → 404,
other roles → 403 on role pages), the journeys through the forms, and query counts at one and many rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shenbao.acceptance import results, services
from shenbao.acceptance.models import AcceptanceEvaluation, EvidenceFile, ExpertReview, ProgressReport, Rectification
from shenbao.acceptance.reviews import assign_experts, submit_review
from shenbao.accounts.roles import Role
from shenbao.audit.models import AuditEntry
from tests.documents.helpers import pdf_fonts, pdf_text, squeeze
from tests.factories import UserFactory

from .builders import (
    AFTER_DECISION,
    DECIDED_ON,
    accept_all_reports,
    apply_for_acceptance,
    file_report,
    full_marks,
    pdf_upload,
    scores_with_total,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_designated, make_expert, call_admin_user, other_city_admin, hr_reviewer):
    """A designated workstation with both reports accepted and its acceptance applied for; one expert assigned."""
    application, owner = make_designated(name="晋城市验收示范机械有限公司")
    _other_application, stranger = make_designated(name="晋城市另一家机械有限公司")
    accept_all_reports(application, owner, call_admin_user)
    evaluation = apply_for_acceptance(application, owner)
    assigned, unassigned = make_expert(), make_expert()
    [review] = assign_experts(evaluation=evaluation, experts=[assigned], actor=call_admin_user)
    return {
        "application": application,
        "evaluation": evaluation,
        "review": review,
        "report": ProgressReport.objects.get(application=application, year=2023),
        "evidence": EvidenceFile.objects.filter(report__application=application).first(),
        "users": {
            "owner": owner,
            "stranger": stranger,
            "admin": call_admin_user,
            "other_city_admin": other_city_admin,
            "assigned_expert": assigned,
            "unassigned_expert": unassigned,
            "city_reviewer": hr_reviewer,
        },
    }


def statuses(client, users, url, method="get", data=None):
    result = {}
    for name, user in users.items():
        client.force_login(user)
        response = getattr(client, method)(url, data or {})
        result[name] = response.status_code
    client.logout()
    result["anonymous"] = getattr(client, method)(url, data or {}).status_code
    return result


def test_home_is_for_units_and_the_administrator(client, world):
    assert statuses(client, world["users"], reverse("acceptance:home")) == {
        "owner": 200,
        "stranger": 200,
        "admin": 200,
        "other_city_admin": 200,
        "assigned_expert": 403,
        "unassigned_expert": 403,
        "city_reviewer": 403,
        "anonymous": 302,
    }


def test_the_home_page_lists_only_what_the_user_follows(client, world):
    client.force_login(world["users"]["stranger"])
    assert "晋城市验收示范机械有限公司" not in client.get(reverse("acceptance:home")).content.decode()
    client.force_login(world["users"]["other_city_admin"])
    assert "晋城市验收示范机械有限公司" not in client.get(reverse("acceptance:home")).content.decode()
    client.force_login(world["users"]["admin"])
    page = client.get(reverse("acceptance:home")).content.decode()
    assert "晋城市验收示范机械有限公司" in page and "晋城市另一家机械有限公司" in page


def test_project_page_is_for_its_unit_and_its_citys_administrator(client, world):
    url = reverse("acceptance:project_detail", kwargs={"public_id": world["application"].public_id})
    assert statuses(client, world["users"], url) == {
        "owner": 200,
        "stranger": 404,
        "admin": 200,
        "other_city_admin": 404,
        "assigned_expert": 404,
        "unassigned_expert": 404,
        "city_reviewer": 404,
        "anonymous": 302,
    }


def test_report_page_is_also_for_the_assigned_expert(client, world):
    url = reverse("acceptance:report_detail", kwargs={"public_id": world["report"].public_id})
    assert statuses(client, world["users"], url) == {
        "owner": 200,
        "stranger": 404,
        "admin": 200,
        "other_city_admin": 404,
        "assigned_expert": 200,
        "unassigned_expert": 404,
        "city_reviewer": 404,
        "anonymous": 302,
    }


def test_a_draft_report_is_the_units_own(client, make_designated, call_admin_user):
    application, owner = make_designated()
    draft = file_report(application, owner, 2023, submit=False)
    users = {"owner": owner, "admin": call_admin_user}
    for name in ("report_detail", "report_edit"):
        url = reverse(f"acceptance:{name}", kwargs={"public_id": draft.public_id})
        assert statuses(client, users, url) == {"owner": 200, "admin": 404, "anonymous": 302}


def test_evidence_downloads_follow_the_report(client, world):
    url = reverse("acceptance:evidence_download", kwargs={"public_id": world["evidence"].public_id})
    result = statuses(client, world["users"], url)
    assert result == {
        "owner": 200,
        "stranger": 404,
        "admin": 200,
        "other_city_admin": 404,
        "assigned_expert": 200,
        "unassigned_expert": 404,
        "city_reviewer": 404,
        "anonymous": 302,
    }
    client.force_login(world["users"]["owner"])
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    # Who read which file is on record (core.files.serve_stored_file), for every allowed read, none for a refused one.
    entries = AuditEntry.objects.filter(event="acceptance:evidence_download")
    assert entries.count() == 4
    assert {entry.additional_data["file"] for entry in entries} == {world["evidence"].original_name}


def test_evaluation_page_is_for_the_unit_and_the_administrator_experts_use_their_sheet(client, world):
    url = reverse("acceptance:evaluation_detail", kwargs={"public_id": world["evaluation"].public_id})
    assert statuses(client, world["users"], url) == {
        "owner": 200,
        "stranger": 404,
        "admin": 200,
        "other_city_admin": 404,
        "assigned_expert": 404,
        "unassigned_expert": 404,
        "city_reviewer": 404,
        "anonymous": 302,
    }


def test_the_unit_never_sees_the_experts_scores(client, world):
    review = world["review"]
    submit_review(
        review=review, user=review.expert, scores=scores_with_total(world["application"], "87.5"), opinion="很好"
    )
    url = reverse("acceptance:evaluation_detail", kwargs={"public_id": world["evaluation"].public_id})
    client.force_login(world["users"]["owner"])
    page = client.get(url).content.decode()
    assert "87.50" not in page and str(review.expert) not in page
    client.force_login(world["users"]["admin"])
    assert "87.50" in client.get(url).content.decode()


def test_score_sheet_is_the_assigned_experts_alone(client, world, make_expert, call_admin_user):
    colleague = make_expert()
    [other] = assign_experts(evaluation=world["evaluation"], experts=[colleague], actor=call_admin_user)
    submit_review(review=other, user=colleague, scores=scores_with_total(world["application"], "77.5"), opinion="")
    url = reverse("acceptance:review_sheet", kwargs={"public_id": world["review"].public_id})
    assert statuses(client, world["users"], url) == {
        "owner": 404,
        "stranger": 404,
        "admin": 404,
        "other_city_admin": 404,
        "assigned_expert": 200,
        "unassigned_expert": 404,
        "city_reviewer": 404,
        "anonymous": 302,
    }
    client.force_login(world["users"]["assigned_expert"])
    assert "77.50" not in client.get(url).content.decode()  # never another expert's scores


def test_role_pages(client, world):
    users = world["users"]
    for name, allowed in (
        ("admin_reports", {"admin", "other_city_admin"}),
        ("admin_evaluations", {"admin", "other_city_admin"}),
        ("expert_reviews", {"assigned_expert", "unassigned_expert"}),
    ):
        result = statuses(client, users, reverse(f"acceptance:{name}"))
        assert result == {who: (200 if who in allowed else 403) for who in users} | {"anonymous": 302}, name


def test_the_administrators_lists_hold_only_the_citys_rows(client, world):
    client.force_login(world["users"]["other_city_admin"])
    assert "晋城市验收示范机械有限公司" not in client.get(reverse("acceptance:admin_reports")).content.decode()
    assert "晋城市验收示范机械有限公司" not in client.get(reverse("acceptance:admin_evaluations")).content.decode()
    client.force_login(world["users"]["admin"])
    page = client.get(reverse("acceptance:admin_reports"), {"year": "2024", "status": "accepted"}).content.decode()
    assert page.count("晋城市验收示范机械有限公司") == 1
    assert (
        "晋城市验收示范机械有限公司"
        not in client.get(reverse("acceptance:admin_reports"), {"status": "returned"}).content.decode()
    )


def test_posts_outside_the_scope_answer_404_and_change_nothing(client, world):
    users = world["users"]
    evaluation = world["evaluation"]
    cases = [
        ("acceptance:report_review", world["report"].public_id, {"decision": "return", "comment": "改"}),
        (
            "acceptance:evaluation_assign",
            evaluation.public_id,
            {"experts": [str(users["unassigned_expert"].public_id)]},
        ),
        ("acceptance:evaluation_decide", evaluation.public_id, {"decided_on": "2025-03-20", "conclusion": "合格"}),
        ("acceptance:review_remove", world["review"].public_id, {"reason": "调整"}),
    ]
    for name, public_id, data in cases:
        url = reverse(name, kwargs={"public_id": public_id})
        for who in ("stranger", "other_city_admin", "unassigned_expert", "city_reviewer"):
            client.force_login(users[who])
            assert client.post(url, data).status_code == 404, (name, who)
        client.force_login(users["owner"])
        assert client.post(url, data).status_code in (403, 404), name
    assert ExpertReview.objects.filter(evaluation=evaluation, removed_at__isnull=True).count() == 1
    assert AcceptanceEvaluation.objects.get(pk=evaluation.pk).status == "submitted"
    assert ProgressReport.objects.get(pk=world["report"].pk).status == "accepted"


def test_the_unit_files_a_report_through_the_pages(client, make_designated, call_admin_user):
    application, owner = make_designated()
    client.force_login(owner)
    response = client.post(
        reverse("acceptance:report_start", kwargs={"public_id": application.public_id, "year": 2023})
    )
    report = ProgressReport.objects.get(application=application, year=2023)
    assert response.url == reverse("acceptance:report_edit", kwargs={"public_id": report.public_id})
    edit_url = response.url
    page = client.get(edit_url).content.decode()
    assert "成员1 带 徒弟甲（数控车工）" in page and "技术攻关课题：薄壁件加工" in page
    client.post(reverse("acceptance:report_evidence", kwargs={"public_id": report.public_id}), {"file": pdf_upload()})
    data = {
        "revision": report.revision,
        "achieved-pairs": "1",
        "status-pair-0": "completed",
        "status-topic-0": "in_progress",
        "note-topic-0": "完成样件试制",
        "subsidy-equipment": "50000.00",
        "own-equipment": "20000.50",
        "narrative": "本年度完成师带徒结对。",
        "action": "submit",
    }
    response = client.post(edit_url, data)
    report.refresh_from_db()
    assert report.status == "submitted", [str(message) for message in response.wsgi_request._messages]
    assert report.fund_uses.get(category="equipment").own_spent == 20000.50
    client.force_login(call_admin_user)
    detail = reverse("acceptance:report_detail", kwargs={"public_id": report.public_id})
    assert "完成样件试制" in client.get(detail).content.decode()
    client.post(reverse("acceptance:report_review", kwargs={"public_id": report.public_id}), {"decision": "return"})
    report.refresh_from_db()
    assert report.status == "submitted"  # a return without comments is refused
    client.post(
        reverse("acceptance:report_review", kwargs={"public_id": report.public_id}),
        {"decision": "return", "comment": "请补充佐证。"},
    )
    report.refresh_from_db()
    assert report.status == "returned"
    client.force_login(owner)
    assert "请补充佐证。" in client.get(edit_url).content.decode()


def test_the_administrator_assigns_and_decides_through_the_pages(client, world, make_expert):
    users, evaluation, application = world["users"], world["evaluation"], world["application"]
    more = [make_expert() for _ in range(4)]
    client.force_login(users["admin"])
    detail = reverse("acceptance:evaluation_detail", kwargs={"public_id": evaluation.public_id})
    client.post(
        reverse("acceptance:evaluation_assign", kwargs={"public_id": evaluation.public_id}),
        {"experts": [str(expert.public_id) for expert in more]},
    )
    assert ExpertReview.objects.filter(evaluation=evaluation).count() == 5
    for review in ExpertReview.objects.filter(evaluation=evaluation).select_related("expert"):
        client.force_login(review.expert)
        sheet = reverse("acceptance:review_sheet", kwargs={"public_id": review.public_id})
        data = {f"score-{pk}": str(points) for pk, points in full_marks(application).items()}
        client.post(sheet, {**data, "revision": review.revision, "opinion": "同意", "action": "submit"})
    assert not ExpertReview.objects.filter(evaluation=evaluation, submitted_at__isnull=True).exists()
    client.force_login(users["admin"])
    assert "验收得分为100.00分，等次为优秀" in client.get(detail).content.decode()
    client.post(
        reverse("acceptance:evaluation_decide", kwargs={"public_id": evaluation.public_id}),
        {"decided_on": DECIDED_ON.isoformat(), "conclusion": "验收合格。"},
    )
    assert AcceptanceEvaluation.objects.get(pk=evaluation.pk).band == "excellent"


def test_the_result_pdf_is_for_the_unit_and_the_administrator(client, world, make_expert, call_admin_user):
    evaluation, application = world["evaluation"], world["application"]
    reviews = [
        world["review"],
        *assign_experts(evaluation=evaluation, experts=[make_expert() for _ in range(4)], actor=call_admin_user),
    ]
    for review in reviews:
        submit_review(review=review, user=review.expert, scores=scores_with_total(application, 55), opinion="")
    results.decide_evaluation(
        evaluation=evaluation,
        actor=call_admin_user,
        decided_on=DECIDED_ON,
        conclusion="师带徒成效不足。",
        at=AFTER_DECISION,
    )
    url = reverse("acceptance:evaluation_pdf", kwargs={"public_id": evaluation.public_id})
    result = statuses(client, world["users"], url)
    assert result == {
        "owner": 200,
        "stranger": 404,
        "admin": 200,
        "other_city_admin": 404,
        "assigned_expert": 404,
        "unassigned_expert": 404,
        "city_reviewer": 404,
        "anonymous": 302,
    }
    client.force_login(world["users"]["owner"])
    data = client.get(url).content
    text = squeeze(pdf_text(data))
    assert "评估验收结论" in text and "不合格" in text and "晋城市验收示范机械有限公司" in text
    fonts = pdf_fonts(data)
    assert any("CJK" in name and embedded for name, embedded in fonts.items())
    # The rectification page is the unit's while it rectifies; the city sees it once submitted.
    rectification = Rectification.objects.get(evaluation=evaluation)
    rect_url = reverse("acceptance:rectification_edit", kwargs={"public_id": rectification.public_id})
    assert statuses(client, {k: world["users"][k] for k in ("owner", "stranger", "admin")}, rect_url) == {
        "owner": 200,
        "stranger": 404,
        "admin": 404,
        "anonymous": 302,
    }
    services.save_rectification(
        rectification=rectification, user=world["users"]["owner"], report="已整改。", expected_revision=0
    )


# The whole page's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
LIST_QUERIES = {
    "admin_reports": 10,
    "admin_evaluations": 9,
    "home": 8,
    "expert_reviews": 7,
}
PROJECT_QUERIES = 10  # the unit's project page, its reports and evaluation


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_rows(client, make_designated, make_expert, call_admin_user):
    expert = make_expert()
    application, owner = make_designated(name="晋城市查询一号有限公司")

    def add_rows(application, owner):
        accept_all_reports(application, owner, call_admin_user)
        evaluation = apply_for_acceptance(application, owner)
        assign_experts(evaluation=evaluation, experts=[expert], actor=call_admin_user)

    add_rows(application, owner)
    pages = {
        "admin_reports": call_admin_user,
        "admin_evaluations": call_admin_user,
        "home": call_admin_user,
        "expert_reviews": expert,
    }
    one = {}
    for name, user in pages.items():
        client.force_login(user)
        one[name] = _count(client, reverse(f"acceptance:{name}"))
    for n in range(3):
        add_rows(*make_designated(name=f"晋城市查询{n}号机械有限公司"))
    for name, user in pages.items():
        client.force_login(user)
        assert _count(client, reverse(f"acceptance:{name}")) == LIST_QUERIES[name], name
    assert one == LIST_QUERIES
    client.force_login(owner)
    project = reverse("acceptance:project_detail", kwargs={"public_id": application.public_id})
    assert _count(client, project) == PROJECT_QUERIES


def test_a_unit_applicant_of_another_role_mix_is_scoped_by_unit(client, world):
    colleague = UserFactory(organisation=world["application"].unit, roles=[Role.APPLICANT])
    client.force_login(colleague)
    url = reverse("acceptance:project_detail", kwargs={"public_id": world["application"].public_id})
    assert client.get(url).status_code == 200
