"""Demo data of the expert review (演示数据): pool entries for the demo experts, a panel per project type of the
2022 call, and their assignments. Idempotent, like the rest of `seed_demo`; runs after it.

The demo has as many experts as the call file asks for per application (five, for the selection and for 评估验收
alike), so its panels take the call's number; they do not exclude the applicant's county (most demo experts work
at city level, like the city-direct units).
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from shenbao.accounts.selectors import find_user_by_username, list_users_named
from shenbao.calls.selectors import find_call

from .models import ExpertProfile, Panel
from .panels import add_panel_members, create_panel, update_panel
from .services import create_expert

DEMO_CALL = "jincheng-2022"
ADMIN = "skills_admin"
# username → (title, specialties, phone)
DEMO_EXPERTS = {
    "expert1": ("正高级工程师", ["数控车工", "机械设计与制造"], "13935600001"),
    "expert2": ("高级讲师", ["职业教育", "焊工"], "13935600002"),
    "expert3": ("高级技师", ["电工", "智能制造"], "13935600003"),
    "expert4": ("高级工程师", ["焊工", "钳工"], "13935600004"),
    "expert5": ("高级讲师", ["职业教育", "电子商务"], "13935600005"),
}


def _ensure_profiles(admin):
    rows = list_users_named(usernames=DEMO_EXPERTS)
    users = {user.username: user for user in rows}
    profiles = []
    for username, (title, specialties, phone) in DEMO_EXPERTS.items():
        user = users.get(username)
        if user is None:
            continue
        profile = ExpertProfile.objects.filter(user=user).first()
        if profile is None:
            profile = create_expert(
                actor=admin,
                user=user,
                full_name=user.full_name,
                work_unit_name="",
                region=user.organisation.region,
                title=title,
                specialties=specialties,
                phone=phone,
            )
        profiles.append(profile)
    return profiles


def _ensure_panel(call, project_type, admin, experts):
    panel = Panel.objects.filter(call=call, project_type=project_type).first()
    if panel is None:
        panel = create_panel(
            call=call,
            project_type=project_type,
            actor=admin,
            exclude_same_county=False,
        )
    add_panel_members(panel=panel, actor=admin, experts=experts)
    if panel.chair_id is None and experts:
        update_panel(
            panel=panel,
            actor=admin,
            name=panel.name,
            experts_per_application=panel.experts_per_application,
            exclude_same_county=panel.exclude_same_county,
            chair=experts[0],
        )
    return panel


@transaction.atomic
def seed_experts():
    """Create (or complete) the demo pool and panels and assign the applications in 专家评审; a Chinese summary."""
    from .assignment import assign_experts

    call = find_call(slug=DEMO_CALL)
    admin = find_user_by_username(username=ADMIN)
    if call is None or admin is None:
        return "未找到演示申报通知或申报管理员，跳过演示专家。"
    profiles = _ensure_profiles(admin)
    experts = [profile.user for profile in profiles]
    created, problems = 0, []
    for project_type in call.project_types.order_by("sort_order"):
        panel = _ensure_panel(call, project_type, admin, experts)
        try:
            with transaction.atomic():
                created += len(assign_experts(panel=panel, actor=admin).created)
        except ValidationError as error:
            # The demo experts cannot cover every conflict; the rest of the demo data is still useful.
            problems.extend(error.messages)
    summary = f"演示专家{len(profiles)}名已入库，专家组已就绪，本次新分配评审任务{created}人次。"
    return summary + "".join(f"\n未能分配：{problem}" for problem in problems)
