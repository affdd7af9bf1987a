"""Steps after 授牌 as the people take them in the browser, shared by the journeys: the unit's yearly progress report
and the city's review of it, the unit's application for 评估验收 (自评), the administrator's choice of experts, an
expert's score sheet, the administrator's conclusion, and a payment recorded from the ledger.

Each step starts from the main menu of a signed-in user and ends on the page's confirmation.
"""

from playwright.sync_api import expect

from tests.browser.navigation import open_menu_entry


def upload_evidence(page, path):
    page.set_input_files("#evidence-file", str(path))
    page.get_by_role("button", name="上传", exact=True).click()
    expect(page.locator("main")).to_contain_text("佐证材料已上传")


def open_project(page, unit_name):
    open_menu_entry(page, "建设与验收")
    page.get_by_role("link", name=unit_name).click()


def start_report(page, unit_name, year):
    """The unit opens its project and starts `year`'s report; the form is shown."""
    open_project(page, unit_name)
    page.get_by_role("button", name=f"填报{year}年度报告").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{year}年度建设进展报告")


def complete_report(page, year, *, narrative=None):
    """Every target of the form reported (each quantity as 1, each task 已完成) with the narrative; submitted."""
    for field in page.locator("input[id^='id_achieved-']").all():
        field.fill("1")
    for field in page.locator("select[id^='id_status-']").all():
        field.select_option("completed")
    page.fill("#id_narrative", narrative or f"{year}年度按申报书确定的目标推进建设，各项任务按期完成。")
    page.get_by_role("button", name="保存并提交").click()
    expect(page.locator("main")).to_contain_text("建设进展报告已提交")


def open_report_for_review(page, unit_name, year=None):
    """The administrator opens the unit's (`year`'s) report from 进展报告审核."""
    open_menu_entry(page, "建设与验收")
    page.get_by_role("link", name="进展报告审核").click()
    rows = page.get_by_role("row").filter(has_text=unit_name)
    if year is not None:
        rows = rows.filter(has=page.get_by_role("cell", name=str(year), exact=True))
    rows.get_by_role("link", name=unit_name).first.click()


def accept_open_report(page):
    page.get_by_label("审核通过").check()
    page.get_by_role("button", name="提交审核结果").click()
    expect(page.locator("main")).to_contain_text("审核结果已记录")


def accept_report(page, unit_name, year=None):
    open_report_for_review(page, unit_name, year)
    accept_open_report(page)


def apply_for_acceptance(page, unit_name, scores, evidence, *, summary="建设期内各项目标均已完成。"):
    """The unit applies for 评估验收 with its self-evaluation `scores` ({rubric item pk: points}) and evidence."""
    open_project(page, unit_name)
    page.get_by_role("button", name="申请评估验收").click()
    upload_evidence(page, evidence)
    for item, points in scores.items():
        page.fill(f"#id_score-{item}", str(points))
    page.fill("#id_summary", summary)
    page.get_by_role("button", name="保存并提交验收申请").click()
    expect(page.locator("main")).to_contain_text("评估验收申请已提交")


def open_evaluation(page, unit_name):
    open_menu_entry(page, "建设与验收")
    page.get_by_role("link", name="评估验收").click()
    page.get_by_role("link", name=unit_name).click()


def assign_acceptance_experts(page, unit_name, labels=(), *, count=0):
    """The administrator ticks the experts (their labels 「姓名(单位)」, or the first `count` offered) and assigns
    them."""
    open_evaluation(page, unit_name)
    for label in labels:
        page.get_by_label(label).check()
    for index in range(count):
        page.locator("input[name='experts']").nth(index).check()
    page.get_by_role("button", name="指派", exact=True).click()
    expect(page.locator("main")).to_contain_text("已指派专家")


def score_acceptance(page, unit_name, scores, opinion="资料齐全，成效明显。", *, reads=None, screenshot=None):
    """An expert fills the acceptance score sheet from 验收评分 (having read `reads` on it) and submits it."""
    open_menu_entry(page, "验收评分")
    page.get_by_role("link", name=unit_name).click()
    if reads is not None:
        expect(page.locator("main")).to_contain_text(reads)
    for item, points in scores.items():
        page.fill(f"#id_score-{item}", str(points))
    page.fill("#id_opinion", opinion)
    if screenshot is not None:
        screenshot(page, "-expert-sheet")
    page.get_by_role("button", name="提交评分（提交后不能修改）").click()
    expect(page.locator("main")).to_contain_text("评分表已提交")


def decide_acceptance(page, unit_name, conclusion, *, expected):
    """The administrator reads the computed result (`expected` text) and confirms the conclusion."""
    open_evaluation(page, unit_name)
    expect(page.locator("main")).to_contain_text(expected)
    page.fill("#id_conclusion", conclusion)
    page.get_by_role("button", name="确认验收结论").click()
    expect(page.locator("main")).to_contain_text("验收结论已确认")


def record_payment(page, number, amount, voucher_number, *, instalment=None):
    """The administrator opens the unit's funding record from 经费台账 and records a payment of `amount`."""
    open_menu_entry(page, "经费台账")
    page.get_by_role("link", name=number).click()
    if instalment is not None:
        page.get_by_label("拨付批次").select_option(label=instalment)
    page.fill("#id_amount", str(amount))
    page.fill("#id_voucher_number", voucher_number)
    page.get_by_role("button", name="录入拨付").click()
