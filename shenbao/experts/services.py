"""Writes about the expert pool (专家库): experts with their log-ins, their declared relations, their activity.

Panels and assignments are written by `shenbao.experts.assignment`, the 答辩 schedule by
`shenbao.experts.defence` and the XLSX import by `shenbao.experts.imports`; their entry points are re-exported
at the end of this module so callers have one place to look.
"""

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from shenbao.accounts.activation import issue_activation, needs_activation
from shenbao.accounts.models import User
from shenbao.accounts.roles import Role
from shenbao.accounts.selectors import find_user_by_username, list_usernames_starting
from shenbao.accounts.services import check_role_allowed, create_user, grant_role
from shenbao.audit.services import record_event
from shenbao.core.crypto import blind_index, decrypt_text, encrypt_text, mask_phone
from shenbao.organisations.models import Organisation, Region
from shenbao.organisations.selectors import (
    get_city_of_region,
    list_organisations_named,
    list_regions_within,
)
from shenbao.organisations.services import ensure_work_unit

from .models import ExpertProfile, ExpertRelation
from .rules import administered_city

PHONE_PATTERN = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
SPECIALTY_SEPARATORS = re.compile(r"[、,，;；\n]+")
MAX_SPECIALTIES = 20
USERNAME_PREFIX = "expert"


def normalise_phone(value: str | None) -> str:
    return re.sub(r"[\s()()]", "", value or "")


def validate_phone(value: str) -> None:
    """A mainland mobile number (11 digits) or a landline with its area code; empty allowed."""
    if value and not PHONE_PATTERN.match(value):
        raise ValidationError(
            _("联系电话格式不正确，应为11位手机号码或带区号的固定电话（如0356-2199488）。"), code="phone"
        )


def parse_specialties(value: str | Iterable[object] | None) -> list[str]:
    """A list of occupations/specialties from a list or a text separated by 、 , ; or new lines."""
    items = value if isinstance(value, list | tuple) else SPECIALTY_SEPARATORS.split(str(value or ""))
    seen: list[str] = []
    for item in items:
        text = str(item).strip()
        if text and text not in seen:
            seen.append(text)
    if len(seen) > MAX_SPECIALTIES:
        raise ValidationError(
            _("职业（工种）/专业最多填写%(max_specialties)s项。") % {"max_specialties": MAX_SPECIALTIES},
            code="specialties",
        )
    return seen


def read_phone(profile: ExpertProfile) -> str:
    """The clear phone number; only for the call administrator's pages and export."""
    try:
        return decrypt_text(profile.phone)
    except ValueError:
        return ""


def _require_city(actor: User) -> Region:
    city = administered_city(actor)
    if city is None:
        raise ValidationError(_("只有本市申报管理员可以管理专家库。"), code="not_admin")
    return city


def check_region(*, region: Region | None, city: Region) -> Region:
    """The expert's county, which must lie in the administrator's city (a county, a zone or the city itself)."""
    if region is None or not list_regions_within(region=city).filter(pk=region.pk).exists():
        raise ValidationError({"region": _("所在县（市、区）须为本市的县（市、区）。")})
    return region


def find_work_unit(*, name: str, city: Region) -> Organisation | None:
    """The organisation of the city called `name` exactly (None when there is none); ambiguous names refused."""
    units = list(list_organisations_named(name=name, city=city)[:2])
    if len(units) > 1:
        raise ValidationError(
            {"work_unit": _("本市有多个名为「%(name)s」的单位，请在单位管理中核对后再填写。") % {"name": name}}
        )
    return units[0] if units else None


def resolve_work_unit(*, name: str, region: Region, city: Region) -> Organisation:
    """The expert's work unit by name: an existing organisation of the city, else a new 'other' organisation."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"work_unit": _("请填写工作单位。")})
    unit = find_work_unit(name=name, city=city)
    if unit is None:
        unit = ensure_work_unit(name=name, region=region)
        if get_city_of_region(unit.region) != city:
            raise ValidationError(
                {"work_unit": _("「%(name)s」是其他城市的单位，不能作为本市专家的工作单位。") % {"name": name}}
            )
    return unit


def next_username() -> str:
    """expert0001, expert0002 …: the first free one (experts set their password through the activation link)."""
    taken = list_usernames_starting(prefix=USERNAME_PREFIX)
    number = ExpertProfile.objects.count() + 1
    while f"{USERNAME_PREFIX}{number:04d}" in taken:
        number += 1
    return f"{USERNAME_PREFIX}{number:04d}"


def _set_phone(profile: ExpertProfile, phone: str | None) -> None:
    phone = normalise_phone(phone)
    validate_phone(phone)
    profile.phone = encrypt_text(phone)
    profile.phone_index = blind_index(phone)


@transaction.atomic
def create_expert(
    *,
    actor: User,
    full_name: str,
    work_unit_name: str,
    region: Region | None,
    title: str = "",
    specialties: str | Iterable[object] = (),
    phone: str = "",
    email: str = "",
    username: str = "",
    user: User | None = None,
    link_existing: bool = False,
    request: HttpRequest | None = None,
) -> ExpertProfile:
    """Add an expert to the administrator's pool with a log-in (role 评审专家, organisation = the work unit).

    A new user gets no password and an activation link (`accounts.activation`) to set one. `user` makes an
    existing user an expert instead (the demo data), keeping their organisation as the work unit; so does
    `link_existing` when `username` names an account that may be linked (`check_linkable`).
    """
    city = _require_city(actor)
    region = check_region(region=region, city=city)
    full_name = (full_name or "").strip()
    if not full_name:
        raise ValidationError({"full_name": _("请填写专家姓名。")})
    username = (username or "").strip()
    existing = find_user_by_username(username=username, ignore_case=True) if username and user is None else None
    if existing is not None:
        if not link_existing:
            raise ValidationError(
                {
                    "username": _(
                        "用户名「%(username)s」已被使用。"
                        "如该账号就是这位专家（例如系统管理员已为其创建账号），请勾选「关联已有账号」"
                        "，将其加入专家库。"
                    )
                    % {"username": username}
                }
            )
        user = check_linkable(user=existing, city=city)
    if user is None:
        work_unit = resolve_work_unit(name=work_unit_name, region=region, city=city)
        user = create_user(
            username=username or next_username(),
            full_name=full_name,
            organisation=work_unit,
            password=None,
            roles=[Role.EXPERT],
            granted_by=actor,
            email=email,
        )
    else:
        if ExpertProfile.objects.filter(user=user).exists():
            raise ValidationError({"user": _("%(user)s已在专家库中。") % {"user": user}})
        if user.organisation is None:
            raise ValidationError({"user": _("该账号已停用或未归属任何单位，不能加入专家库。")})
        work_unit = user.organisation
        grant_role(user=user, role=Role.EXPERT, granted_by=actor)
    profile = ExpertProfile(
        user=user,
        work_unit=work_unit,
        region=region,
        city=city,
        title=(title or "").strip(),
        specialties=parse_specialties(specialties),
        contact_email=(email or "").strip() or user.email,
    )
    _set_phone(profile, phone)
    profile.full_clean(exclude=["user", "work_unit", "region", "city", "phone"])
    profile.save()
    record_event(
        event="experts:create_expert",
        actor=actor,
        target=profile,
        request=request,
        details={"linked_existing": existing is not None},
    )
    if needs_activation(user):
        issue_activation(
            user=user,
            actor=actor,
            phone=normalise_phone(phone),
            reason="link" if existing is not None else "create",
            request=request,
        )
    return profile


def check_linkable(*, user: User, city: Region) -> User:
    """An existing account the call administrator may add to their city's pool, or a Chinese ValidationError.

    Only an active account of an organisation of the same city, not yet in a pool, holding no role but 评审专家:
    an account of another role (a reviewer, an applicant, an administrator) is a different person's work and is
    changed by the system administrator, never turned into an expert through the 专家库.
    """
    problem = ""
    if not user.is_active or user.organisation is None:
        problem = _("该账号已停用或未归属任何单位，不能加入专家库。")
    elif get_city_of_region(user.organisation.region) != city:
        problem = _("该账号不属于本市的单位，不能加入本市专家库。")
    elif ExpertProfile.objects.filter(user=user).exists():
        problem = _("%(user)s已在专家库中。") % {"user": user}
    else:
        others = set(user.roles) - {Role.EXPERT}
        if others:
            labels = "、".join(str(Role(role).label) for role in sorted(others))
            problem = _("该账号担任%(labels)s，不能同时作为评审专家加入专家库；如确需调整，请联系系统管理员。") % {
                "labels": labels
            }
    if problem:
        raise ValidationError({"username": problem})
    return user


@transaction.atomic
def update_expert(
    *,
    profile: ExpertProfile,
    actor: User,
    full_name: str,
    work_unit_name: str,
    region: Region | None,
    title: str,
    specialties: str | Iterable[object],
    phone: str,
    email: str = "",
    request: HttpRequest | None = None,
) -> ExpertProfile:
    """Change an expert's particulars; a new work unit moves their log-in to that organisation too.

    `email` is the contact address of the pool entry, not the account's log-in e-mail (which only its owner
    changes): changing that would let the administrator reset the expert's password and score in their name.
    """
    city = _require_city(actor)
    profile = ExpertProfile.objects.select_for_update(of=("self",)).select_related("user").get(pk=profile.pk)
    if profile.city_id != city.pk:
        raise ValidationError(_("该专家不属于本市专家库。"), code="other_city")
    region = check_region(region=region, city=city)
    user = profile.user
    work_unit = resolve_work_unit(name=work_unit_name, region=region, city=city)
    if work_unit.pk != profile.work_unit_id:
        other_roles = set(user.roles) - {Role.EXPERT}
        if other_roles:
            raise ValidationError(
                {"work_unit": _("该专家的账号还担任其他角色，不能在专家库中更换工作单位，请由系统管理员处理。")}
            )
        user.organisation = work_unit
        check_role_allowed(user=user, role=Role.EXPERT, current_roles={Role.EXPERT})
    user.full_name = (full_name or "").strip() or user.full_name
    user.full_clean(exclude=["password"])
    # Never the account's log-in e-mail: a business role does not change another person's credentials.
    user.save(update_fields=["organisation", "full_name"])
    profile.contact_email = (email or "").strip()
    profile.work_unit = work_unit
    profile.region = region
    profile.title = (title or "").strip()
    profile.specialties = parse_specialties(specialties)
    _set_phone(profile, phone)
    profile.save()
    record_event(event="experts:update_expert", actor=actor, target=profile, request=request)
    return profile


@transaction.atomic
def set_expert_active(
    *, profile: ExpertProfile, actor: User, active: bool, request: HttpRequest | None = None
) -> ExpertProfile:
    """Take an expert out of the pool (no new assignments; their current ones stay) or back in."""
    city = _require_city(actor)
    if profile.city_id != city.pk:
        raise ValidationError(_("该专家不属于本市专家库。"), code="other_city")
    ExpertProfile.objects.filter(pk=profile.pk).update(active=active)
    profile.active = active
    record_event(event="experts:set_active", actor=actor, target=profile, request=request, details={"active": active})
    return profile


@transaction.atomic
def declare_relation(
    *,
    profile: ExpertProfile,
    actor: User,
    organisation_name: str,
    kind: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> ExpertRelation:
    """Record a relation of the expert with a unit (利害关系): never assigned to that unit's applications."""
    city = _require_city(actor)
    if profile.city_id != city.pk:
        raise ValidationError(_("该专家不属于本市专家库。"), code="other_city")
    organisation = find_work_unit(name=organisation_name or "", city=city)
    if organisation is None:
        raise ValidationError(
            {
                "organisation_name": _("本市没有名为「%(organisation_name)s」的单位。")
                % {"organisation_name": organisation_name}
            }
        )
    if organisation.pk == profile.work_unit_id:
        raise ValidationError({"organisation_name": _("这是专家本人的工作单位，已自动回避，无需登记。")})
    relation, created = ExpertRelation.objects.get_or_create(
        expert=profile, organisation=organisation, defaults={"kind": kind, "note": (note or "").strip()}
    )
    if not created:
        raise ValidationError({"organisation_name": _("已登记与「%(name)s」的关系。") % {"name": organisation.name}})
    record_event(
        event="experts:declare_relation",
        actor=actor,
        target=profile,
        request=request,
        details={"organisation": organisation.name, "kind": kind},
    )
    return relation


@transaction.atomic
def remove_relation(*, relation: ExpertRelation, actor: User, request: HttpRequest | None = None) -> None:
    city = _require_city(actor)
    if relation.expert.city_id != city.pk:
        raise ValidationError(_("该专家不属于本市专家库。"), code="other_city")
    details = {"organisation": relation.organisation.name, "kind": relation.kind}
    profile = relation.expert
    relation.delete()
    record_event(event="experts:remove_relation", actor=actor, target=profile, request=request, details=details)


from .assignment import (  # noqa: E402  (re-exported entry points; those modules import nothing from here)
    assign_experts,
    recuse_assignment,
    swap_assignment,
)
from .defence import (  # noqa: E402
    create_session,
    delete_slot,
    generate_slots,
    notify_applicants,
    update_session,
    update_slot,
)
from .panels import add_panel_members, create_panel, lock_panel, remove_panel_member, update_panel  # noqa: E402

__all__ = [
    "add_panel_members",
    "assign_experts",
    "create_expert",
    "create_panel",
    "create_session",
    "declare_relation",
    "delete_slot",
    "generate_slots",
    "lock_panel",
    "mask_phone",
    "notify_applicants",
    "recuse_assignment",
    "remove_panel_member",
    "remove_relation",
    "set_expert_active",
    "swap_assignment",
    "update_expert",
    "update_panel",
    "update_session",
    "update_slot",
]


def rebuild_phone_indexes() -> int:
    """Recompute every expert's phone blind index with the current key (`rotate_data_keys` after a SECRET_KEY
    change); returns how many changed. A derived index, so nothing is audited per row."""
    changed = 0
    for pk, phone, index in ExpertProfile.objects.exclude(phone="").values_list("pk", "phone", "phone_index"):
        wanted = blind_index(decrypt_text(phone))
        if wanted != index:
            ExpertProfile.objects.filter(pk=pk).update(phone_index=wanted)
            changed += 1
    return changed
