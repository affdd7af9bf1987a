"""Writes about panels (评审专家组, notice 三3): one per call and project type, its members and its chair (组长)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from shenbao.audit.services import record_event

from .models import Assignment, ExpertProfile, Panel, PanelMember
from .rules import administered_city

ACTIVE = Assignment.Status.ACTIVE


def require_panel_admin(actor, panel):
    city = administered_city(actor)
    if city is None or panel.call.city_id != city.pk:
        raise ValidationError(gettext("只有本市申报管理员可以管理该专家组。"), code="not_admin")


def lock_panel(panel):
    return Panel.objects.select_for_update(of=("self",)).select_related("call", "project_type").get(pk=panel.pk)


def _check_experts_per_application(value, call):
    """One rule per call: the call file's experts_per_application is the least a panel may give an application
    (a panel may ask for more, never fewer)."""
    needed = call.experts_per_application
    if value is None or value < needed:
        raise ValidationError(
            {
                "experts_per_application": gettext(
                    "本申报通知规定每项申报由不少于%(needed)s名专家评审，专家组不能少于%(needed)s名。"
                )
                % {"needed": needed}
            }
        )


@transaction.atomic
def create_panel(
    *, call, project_type, actor, name="", experts_per_application=None, exclude_same_county=True, request=None
):
    """One panel per call and project type; N defaults to the call file's experts_per_application."""
    city = administered_city(actor)
    if city is None or call.city_id != city.pk:
        raise ValidationError(gettext("只有本市申报管理员可以组建专家组。"), code="not_admin")
    if project_type.call_id != call.pk:
        raise ValidationError({"project_type": gettext("项目类别不属于该申报通知。")})
    if experts_per_application is None:
        experts_per_application = call.experts_per_application
    _check_experts_per_application(experts_per_application, call)
    name = (name or "").strip() or f"{call.year}年{project_type.name}评审专家组"
    try:
        with transaction.atomic():
            panel = Panel.objects.create(
                call=call,
                project_type=project_type,
                name=name,
                experts_per_application=experts_per_application,
                exclude_same_county=exclude_same_county,
                created_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            {
                "project_type": gettext("「%(name)s」已组建专家组，请在原专家组中调整成员。")
                % {"name": project_type.name}
            }
        ) from None
    record_event(event="experts:create_panel", actor=actor, target=panel, request=request)
    return panel


@transaction.atomic
def update_panel(*, panel, actor, name, experts_per_application, exclude_same_county, chair=None, request=None):
    """Change a panel's settings; the chair (组长) must be one of its members. Existing assignments stay."""
    panel = lock_panel(panel)
    require_panel_admin(actor, panel)
    _check_experts_per_application(experts_per_application, panel.call)
    if chair is not None and not PanelMember.objects.filter(panel=panel, expert=chair).exists():
        raise ValidationError({"chair": gettext("组长须为本专家组成员。")})
    panel.name = (name or "").strip() or panel.name
    panel.experts_per_application = experts_per_application
    panel.exclude_same_county = exclude_same_county
    panel.chair = chair
    panel.save(update_fields=["name", "experts_per_application", "exclude_same_county", "chair", "updated_at"])
    record_event(event="experts:update_panel", actor=actor, target=panel, request=request)
    return panel


@transaction.atomic
def add_panel_members(*, panel, actor, experts, request=None):
    """Add experts (users with a profile in the city's pool, active) to the panel; members already in stay."""
    panel = lock_panel(panel)
    require_panel_admin(actor, panel)
    profiles = {
        profile.user_id: profile
        for profile in ExpertProfile.objects.filter(user__in=[user.pk for user in experts]).select_related("user")
    }
    added = []
    for user in experts:
        profile = profiles.get(user.pk)
        if profile is None or profile.city_id != panel.call.city_id or not profile.active:
            raise ValidationError(
                {"experts": gettext("%(user)s不在本市专家库中或已停用，不能加入专家组。") % {"user": user}}
            )
        _, created = PanelMember.objects.get_or_create(panel=panel, expert=user)
        if created:
            added.append(user)
    if added:
        record_event(
            event="experts:add_members",
            actor=actor,
            target=panel,
            request=request,
            details={"experts": [str(user) for user in added]},
        )
    return added


@transaction.atomic
def remove_panel_member(*, panel, actor, expert, request=None):
    """Take an expert off the panel; refused while they still hold an active assignment there (swap it first)."""
    panel = lock_panel(panel)
    require_panel_admin(actor, panel)
    if Assignment.objects.filter(panel=panel, expert=expert, status=ACTIVE).exists():
        raise ValidationError(
            gettext("%(expert)s仍有评审任务，请先更换其负责的申报后再移出专家组。") % {"expert": expert},
            code="has_assignments",
        )
    deleted, _ = PanelMember.objects.filter(panel=panel, expert=expert).delete()
    if not deleted:
        raise ValidationError(gettext("%(expert)s不是本专家组成员。") % {"expert": expert}, code="not_member")
    if panel.chair_id == expert.pk:
        panel.chair = None
        panel.save(update_fields=["chair", "updated_at"])
    record_event(
        event="experts:remove_member", actor=actor, target=panel, request=request, details={"expert": str(expert)}
    )
