"""The construction period and 评估验收 in a real browser (issue 6, items 3 and 4):

the unit files its 2024 progress report against its own targets (with evidence) → the call administrator accepts
it → the unit applies for acceptance with its self-evaluation → the administrator assigns five experts → the last
expert scores on the page (the four others already have) → the administrator confirms the result (优秀) → the unit
reads the result and downloads the 评估验收结论.
"""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from shenbao.acceptance import services
from shenbao.acceptance.models import AcceptanceEvaluation, ExpertReview
from shenbao.acceptance.reviews import submit_review
from shenbao.accounts.roles import Role
from shenbao.calls.services import load_call_file
from shenbao.experts.services import create_expert
from shenbao.organisations.models import Organisation, Region, UnitType
from shenbao.organisations.reference import load_reference_file
from tests.acceptance.builders import designate, file_report, full_marks
from tests.browser.construction import (
    accept_open_report,
    apply_for_acceptance,
    assign_acceptance_experts,
    decide_acceptance,
    open_report_for_review,
    score_acceptance,
    start_report,
    upload_evidence,
)
from tests.browser.navigation import open_menu_entry
from tests.factories import OrganisationFactory, UserFactory

BASE = Path(settings.BASE_DIR)
UNIT_NAME = "晋城市城区泰达精密机械有限公司"
PASSWORD = "Test#pass2022"


@pytest.fixture
def world(transactional_db):
    """The real 2022 call; a designated 城区 workstation whose 2023 report the city has accepted; five experts."""
    load_reference_file(path=BASE / "data" / "reference" / "jincheng.yaml")
    call = load_call_file(path=BASE / "calls" / "jincheng-2022.yaml")
    unit = OrganisationFactory(
        name=UNIT_NAME, unit_type=UnitType.objects.get(code="enterprise"), region=Region.objects.get(key="140502")
    )
    applicant = UserFactory(organisation=unit, roles=[Role.APPLICANT], full_name="周经办")
    admin = UserFactory(
        organisation=Organisation.objects.get(name="晋城市人力资源和社会保障局技能办"),
        roles=[Role.CALL_ADMIN],
        full_name="郭大勇",
    )
    application = designate(call=call, unit=unit, user=applicant)
    services.review_report(report=file_report(application, applicant, 2023), user=admin, decision="accept")
    society = OrganisationFactory(
        name="晋城市机械工程学会", kind=Organisation.Kind.OTHER, unit_type=None, credit_code=None, region=unit.region
    )
    experts = [UserFactory(organisation=society, roles=[Role.EXPERT], full_name=f"验收专家{n}") for n in range(1, 6)]
    for expert in experts:  # only experts of the city's pool may evaluate (shenbao.experts.rules.pool_experts_q)
        create_expert(actor=admin, user=expert, full_name=expert.full_name, work_unit_name="", region=society.region)
    return {"application": application, "applicant": applicant, "admin": admin, "experts": experts}


def log_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_password) [type=submit]").click()
    expect(page).to_have_url(live_server.url + "/dashboard/")


def menu(page, name):
    open_menu_entry(page, name)


def test_report_acceptance_evaluation_and_result(page, live_server, world, screenshot, tmp_path):
    evidence = tmp_path / "2024年度佐证材料.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")

    # The unit files its 2024 report against the targets of its own application.
    log_in(page, live_server, world["applicant"])
    start_report(page, UNIT_NAME, 2024)
    expect(page.locator("main")).to_contain_text("成员1 带 徒弟甲（数控车工）")
    upload_evidence(page, evidence)
    page.fill("#id_achieved-pairs", "1")
    page.select_option("#id_status-pair-0", "completed")
    page.fill("#id_note-pair-0", "徒弟甲已取得技师证书。")
    page.fill("#id_subsidy-equipment", "80000.00")
    page.fill("#id_own-equipment", "35000.50")
    page.fill("#id_narrative", "2024年完成师带徒结对培养，购置检测设备一台。")
    screenshot(page, "-01-report-form")
    page.get_by_role("button", name="保存并提交").click()
    expect(page.locator("main")).to_contain_text("建设进展报告已提交")

    # The city accepts it.
    log_in(page, live_server, world["admin"])
    open_report_for_review(page, UNIT_NAME)
    expect(page.locator("main")).to_contain_text("徒弟甲已取得技师证书。")
    expect(page.locator("main")).to_contain_text("35000.50")
    accept_open_report(page)
    screenshot(page, "-02-report-accepted")

    # The unit applies for acceptance with its self-evaluation.
    log_in(page, live_server, world["applicant"])
    self_scores = {item: points - 1 for item, points in full_marks(world["application"]).items()}
    apply_for_acceptance(page, UNIT_NAME, self_scores, evidence, summary="建设期内各项目标均已完成。")
    screenshot(page, "-03-applied")

    # The administrator assigns the five experts; four score at once, the last on the page.
    log_in(page, live_server, world["admin"])
    labels = [f"{expert.full_name}（晋城市机械工程学会）" for expert in world["experts"]]
    assign_acceptance_experts(page, UNIT_NAME, labels)
    reviews = list(ExpertReview.objects.select_related("expert").order_by("expert__full_name"))
    for review in reviews[:4]:
        submit_review(review=review, user=review.expert, scores=full_marks(world["application"]), opinion="同意。")

    log_in(page, live_server, world["experts"][4])
    scores = {item: points - 2 for item, points in full_marks(world["application"]).items()}
    score_acceptance(page, UNIT_NAME, scores, reads="建设期内各项目标均已完成。", screenshot=screenshot)

    log_in(page, live_server, world["admin"])
    decide_acceptance(page, UNIT_NAME, "验收合格，等次优秀。", expected="验收得分为100.00分，等次为优秀")
    expect(page.locator("main")).to_contain_text("验收结论已确认：优秀")
    screenshot(page, "-05-decided")
    assert AcceptanceEvaluation.objects.get().band == "excellent"

    # The unit reads the result and may download the 评估验收结论.
    log_in(page, live_server, world["applicant"])
    menu(page, "建设与验收")
    page.get_by_role("link", name=UNIT_NAME).click()
    expect(
        page.get_by_role(
            "table", name="验收不合格的，整改期满前提交整改报告后可申请复评一次；复评仍不合格的，撤销命名。"
        )
    ).to_contain_text("优秀")
    with page.expect_download() as download:
        page.get_by_role("link", name="验收结论（PDF）").click()
    assert download.value.suggested_filename.endswith(".pdf")
    screenshot(page, "-06-unit-result")
