"""The 技能办 runs next year's call in a real browser (issue 17, acceptance, first half): copy the 2022 call to
2023, change the deadline, a quota and one material, preview the public page and publish.

`publish_next_years_call` is the 技能办's half as a reusable step: a later journey continues with the applicant
(a unit that applied in 2022 starts from its 2022 application, sees the changed material, submits).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from shenbao.calls.models import Call, CallState
from tests.browser.navigation import open_menu_entry

PASSWORD = "Test#pass2022"
BEIJING = timezone.get_fixed_timezone(8 * 60)


@dataclass(frozen=True)
class NextYearsCall:
    """What the 技能办 changed, for the checks of a journey that continues with the applicant."""

    slug: str
    deadline: str  # ISO, Beijing time
    project_type: str
    quota_max: str
    material_code: str
    material_name: str


def log_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_password) [type=submit]").click()
    expect(page).to_have_url(live_server.url + "/dashboard/")


def publish_next_years_call(page, live_server, admin, *, source, screenshot=None):
    """The 技能办 copies `source` to the next year, moves the deadline a month past today, raises the first project
    type's quota by 2, renames its second material, previews and publishes. Returns what it changed."""
    year = source.year + 1
    deadline = (timezone.now() + timedelta(days=30)).astimezone(BEIJING).replace(hour=17, minute=0, second=0)
    first_type = source.project_types.order_by("sort_order").first()
    material = first_type.materials.order_by("sort_order")[1]
    changed = NextYearsCall(
        slug=source.slug.replace(str(source.year), str(year)),
        deadline=deadline.replace(microsecond=0).isoformat(),
        project_type=first_type.name,
        quota_max=str(first_type.quota_max + 2),
        material_code=material.code,
        material_name=f"{material.name}（{year}年起须附建设计划）",
    )

    log_in(page, live_server, admin)
    open_menu_entry(page, "通知编辑")
    expect(page.get_by_role("heading", name="申报通知编辑")).to_be_visible()
    page.get_by_role("link", name=f"复制{source.year}年通知").click()
    expect(page.get_by_label("年度")).to_have_value(str(year))
    expect(page.get_by_label("新通知标识")).to_have_value(changed.slug)
    page.get_by_role("button", name="复制为草稿").click()
    expect(page.get_by_text("发布前仅技能办可见")).to_be_visible()

    page.get_by_role("link", name="审核与评审设置").click()
    page.get_by_label("资格初审截止日期").fill((deadline + timedelta(days=8)).date().isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存：")).to_be_visible()

    page.get_by_role("link", name="基本信息与截止时间").click()
    page.get_by_label("申报截止时间").fill(changed.deadline)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存：申报截止时间")).to_be_visible()

    page.get_by_role("link", name=f"项目类别：{changed.project_type}").click()
    page.get_by_label("拟评定数量上限").fill(changed.quota_max)
    materials = page.get_by_label("申报材料", exact=True)
    materials.fill(materials.input_value().replace(f"name: {material.name}\n", f"name: {changed.material_name}\n", 1))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text(f"拟评定数量上限：{first_type.quota_max} → {changed.quota_max}")).to_be_visible()

    page.get_by_role("link", name="预览公开页面").click()
    expect(page.get_by_text("本申报通知尚未发布")).to_be_visible()
    expect(page.get_by_text(changed.material_name)).to_be_visible()
    if screenshot:
        screenshot(page, "-preview")
    page.get_by_role("link", name="返回编辑").click()
    page.get_by_role("button", name="发布申报通知").click()
    expect(page.get_by_text("申报通知已发布")).to_be_visible()
    return changed


def test_the_skills_office_copies_the_2022_call_to_2023_and_publishes_it(
    page, live_server, call_2022, skills_office, screenshot
):
    changed = publish_next_years_call(page, live_server, skills_office, source=call_2022, screenshot=screenshot)
    call = Call.objects.get(slug=changed.slug)
    assert call.state == CallState.PUBLISHED and call.year == call_2022.year + 1
    assert call.versions.get().number == 1

    # Anyone now sees the 2023 call, open, with the changed deadline, quota and material.
    page.context.clear_cookies()
    page.goto(live_server.url + f"/calls/{changed.slug}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(call.year))
    expect(page.get_by_text("正在受理").first).to_be_visible()
    expect(page.get_by_text(changed.material_name)).to_be_visible()
    expect(page.get_by_text(f"5–{changed.quota_max}个").first).to_be_visible()
    expect(page.get_by_text("平台设定").first).to_be_visible()
    screenshot(page)
