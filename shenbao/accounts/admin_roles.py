"""三权分立: the administrator roles change only with two people (申请 by one, 确认 by another of the three).

The system, security and audit administrators check each other; if one of them could give such a role to an
account of their own choosing (or take it from the real holder), the separation would be void. So:
- any of the three may request a grant or a revocation, with a reason (`request_change`);
- another of the three confirms or rejects it (`confirm_change`, `reject_change`); the requester may withdraw it;
- nobody requests or confirms a change of their own roles, nor a grant to an account they created;
- the last active holder of a role keeps it;
- every step is audited and announced to every other administrator (inbox and e-mail) and to the account concerned.
The command line has one more path, `manage.py admin_role`, for bootstrapping and emergencies: it needs a
recorded reason and announces the change the same way.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.audit.services import record_event
from shenbao.notifications.services import create_notifications, in_working_language

from .models import AdminRoleChange, RoleGrant, User
from .roles import EXCLUSIVE_ROLES, Role
from .services import check_not_last_holder, check_role_allowed, grant_role, revoke_role

Action = AdminRoleChange.Action
Status = AdminRoleChange.Status


def is_platform_admin(user):
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*EXCLUSIVE_ROLES)


def list_admins(*, exclude=()):
    """Every active holder of one of the three roles, except the users in `exclude`."""
    excluded = {user.pk for user in exclude if user is not None}
    users = User.objects.filter(is_active=True, role_grants__role__in=EXCLUSIVE_ROLES).distinct().order_by("pk")
    return [user for user in users if user.pk not in excluded]


def count_waiting_for(*, user):
    """Requests this administrator may decide (not their own, not about them): their 待办 on the dashboard."""
    return AdminRoleChange.objects.filter(status=Status.PENDING).exclude(requested_by=user).exclude(target=user).count()


def _announce(*, change, event, title, body, actor):
    recipients = list_admins(exclude=[actor])
    if change.target.pk != getattr(actor, "pk", None) and change.target.pk not in {user.pk for user in recipients}:
        recipients.append(change.target)
    create_notifications(
        recipients=recipients, event=event, title=title, body=body, url=reverse("accounts:admin_roles")
    )


def _describe(change):
    return _("%(action)s「%(name)s」（%(username)s）的「%(role)s」角色") % {
        "action": change.get_action_display(),
        "name": change.target,
        "username": change.target.username,
        "role": change.get_role_display(),
    }


def _check_parties(*, target, role, action, person, acting_as):
    """The rules every party (requester or confirmer) must meet; `acting_as` names the step in messages."""
    if not is_platform_admin(person):
        raise PermissionDenied
    if target.pk == person.pk:
        raise ValidationError(_("不能%(acting_as)s涉及本人角色的变更。") % {"acting_as": acting_as}, code="own_roles")
    if action == Action.GRANT and target.created_by_id == person.pk:
        raise ValidationError(
            _("不能%(acting_as)s向本人创建的账号授予管理员角色（三权分立）。") % {"acting_as": acting_as},
            code="created_by_person",
        )


def _check_change_possible(*, target, role, action):
    current = set(RoleGrant.objects.filter(user=target).values_list("role", flat=True))
    if action == Action.GRANT:
        if role in current:
            raise ValidationError(
                _("「%(target)s」已担任「%(label)s」。") % {"target": target, "label": Role(role).label}, code="held"
            )
        check_role_allowed(user=target, role=role, current_roles=current)
    else:
        if role not in current:
            raise ValidationError(
                _("「%(target)s」未担任「%(label)s」。") % {"target": target, "label": Role(role).label},
                code="not_held",
            )
        check_not_last_holder(user=target, role=role)


@transaction.atomic
def request_change(*, target, role, action, reason, requested_by, request=None, at=None):
    """Record a request to grant or revoke an administrator role; nothing changes until another confirms."""
    role, action, reason = Role(role), Action(action), (reason or "").strip()
    if role not in EXCLUSIVE_ROLES:
        raise ValidationError(_("只有系统管理员、安全管理员和审计管理员角色需要双人确认。"), code="not_admin_role")
    if not reason:
        raise ValidationError(_("请填写申请理由。"), code="reason_required")
    _check_parties(target=target, role=role, action=action, person=requested_by, acting_as=_("申请"))
    _check_change_possible(target=target, role=role, action=action)
    if AdminRoleChange.objects.filter(target=target, role=role, status=Status.PENDING).exists():
        raise ValidationError(_("该账号的这一角色已有待确认的申请。"), code="pending_exists")
    change = AdminRoleChange.objects.create(
        target=target,
        role=role,
        action=action,
        reason=reason,
        requested_by=requested_by,
        requested_at=at or timezone.now(),
    )
    record_event(
        event="accounts:admin_role_request",
        actor=requested_by,
        target=target,
        request=request,
        details={"role": role.value, "action": action.value, "reason": reason, "change": str(change.public_id)},
    )
    with in_working_language():
        title = _("管理员角色变更待确认")
        body = _("%(by)s申请%(change)s，理由：%(reason)s。须由另一位管理员确认后生效。") % {
            "by": requested_by,
            "change": _describe(change),
            "reason": reason,
        }
    _announce(change=change, event="admin_role:request", title=title, body=body, actor=requested_by)
    return change


def _locked_pending(change):
    locked = (
        AdminRoleChange.objects.select_for_update(of=("self",))
        .select_related("target", "requested_by")
        .get(pk=change.pk)
    )
    if locked.status != Status.PENDING:
        raise ValidationError(
            _("该申请已处理（%(status_display)s）。") % {"status_display": locked.get_status_display()},
            code="not_pending",
        )
    return locked


@transaction.atomic
def confirm_change(*, change, confirmed_by, note="", request=None, at=None):
    """Another administrator confirms: the grant or revocation takes effect now."""
    change = _locked_pending(change)
    if confirmed_by.pk == change.requested_by_id:
        raise ValidationError(_("申请人不能确认自己的申请，须由另一位管理员确认。"), code="same_person")
    _check_parties(
        target=change.target, role=change.role, action=change.action, person=confirmed_by, acting_as=_("确认")
    )
    _check_change_possible(target=change.target, role=change.role, action=change.action)
    if change.action == Action.GRANT:
        grant_role(user=change.target, role=change.role, granted_by=confirmed_by, confirmed=True)
    else:
        revoke_role(user=change.target, role=change.role, revoked_by=confirmed_by, confirmed=True)
    change.status, change.decided_by, change.decided_at = Status.APPLIED, confirmed_by, at or timezone.now()
    change.decision_note = (note or "").strip()
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record_event(
        event="accounts:admin_role_confirm",
        actor=confirmed_by,
        target=change.target,
        request=request,
        details={
            "role": change.role,
            "action": change.action,
            "requested_by": change.requested_by.username,
            "change": str(change.public_id),
        },
    )
    with in_working_language():
        title = _("管理员角色已变更")
        body = _("%(by)s确认了%(requester)s的申请，已%(change)s。") % {
            "by": confirmed_by,
            "requester": change.requested_by,
            "change": _describe(change),
        }
    _announce(change=change, event="admin_role:applied", title=title, body=body, actor=confirmed_by)
    return change


@transaction.atomic
def reject_change(*, change, decided_by, note="", request=None, at=None):
    """Another administrator rejects the request, or its requester withdraws it; nothing changes."""
    change = _locked_pending(change)
    if not is_platform_admin(decided_by):
        raise PermissionDenied
    withdrawn = decided_by.pk == change.requested_by_id
    if not withdrawn and decided_by.pk == change.target_id:
        raise ValidationError(_("不能处理涉及本人角色的申请。"), code="own_roles")
    change.status = Status.CANCELLED if withdrawn else Status.REJECTED
    change.decided_by, change.decided_at, change.decision_note = decided_by, at or timezone.now(), (note or "").strip()
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record_event(
        event="accounts:admin_role_reject",
        actor=decided_by,
        target=change.target,
        request=request,
        details={"role": change.role, "action": change.action, "status": change.status, "note": change.decision_note},
    )
    with in_working_language():
        title = _("管理员角色变更申请未生效")
        values = {"by": decided_by, "change": _describe(change)}
        body = (_("%(by)s撤回了%(change)s的申请。") if withdrawn else _("%(by)s拒绝了%(change)s的申请。")) % values
    _announce(change=change, event="admin_role:rejected", title=title, body=body, actor=decided_by)
    return change


@transaction.atomic
def break_glass(*, target, role, action, reason, operator):
    """The command line's emergency path (`manage.py admin_role`): applies at once, with a recorded reason.

    `operator` is the operating-system account that ran the command (the web cannot reach this path).
    """
    role, action, reason = Role(role), Action(action), (reason or "").strip()
    if role not in EXCLUSIVE_ROLES:
        raise ValidationError(_("只有管理员角色使用此应急程序。"), code="not_admin_role")
    if len(reason) < 10:
        raise ValidationError(_("应急程序须写明理由（至少10个字），该理由将记入审计日志并通知全体管理员。"))
    _check_change_possible(target=target, role=role, action=action)
    if action == Action.GRANT:
        grant_role(user=target, role=role)
    else:
        revoke_role(user=target, role=role)
    record_event(
        event="accounts:admin_role_break_glass",
        target=target,
        details={"role": role.value, "action": action.value, "reason": reason, "operator": operator},
    )
    change = AdminRoleChange(target=target, role=role, action=action)
    with in_working_language():
        title = _("管理员角色经应急程序变更")
        body = _("系统运维人员（%(operator)s）在服务器上经应急程序%(change)s，理由：%(reason)s。") % {
            "operator": operator,
            "change": _describe(change),
            "reason": reason,
        }
    create_notifications(
        recipients=[user for user in list_admins() if user.pk != target.pk] + [target],
        event="admin_role:break_glass",
        title=title,
        body=body,
        url=reverse("accounts:admin_roles"),
    )
