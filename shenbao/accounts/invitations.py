"""邀请本单位人员: an applicant invites colleagues of the same unit; each link works once, for 7 days.

The link holds the invitation's `public_id`, signed with a timestamp (django.core.signing), so it cannot be
forged or altered; the unit comes from the stored row. Expiry is checked on the signature and on the row's
`created_at`; single use on `accepted_at` under a row lock.
"""

import rules
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shenbao.audit.services import record_event
from shenbao.notifications.outbox import absolute_url, queue_email
from shenbao.organisations.selectors import lock_organisation

from .models import INVITATION_VALIDITY, Invitation, User
from .roles import Role
from .services import create_user

SALT = "shenbao.accounts.invitation"
# A unit cannot pile up open links without bound; revoke unused ones to invite more.
MAX_PENDING_PER_UNIT = 20

INVALID_MESSAGE = gettext_lazy("邀请链接无效，请向邀请人索取新的链接。")
EXPIRED_MESSAGE = gettext_lazy("邀请链接已过期（有效期7天），请联系本单位经办人重新邀请。")
USED_MESSAGE = gettext_lazy("该邀请链接已被使用，不能重复使用。如需登录请使用已设置的用户名和密码。")
REVOKED_MESSAGE = gettext_lazy("该邀请已被撤销，请联系本单位经办人。")
INACTIVE_UNIT_MESSAGE = gettext_lazy("该单位已停用，不能接受邀请。")


def can_invite(*, user):
    """Applicants (申报单位经办人) of an active applicant unit may invite colleagues of that unit."""
    return rules.has_perm("accounts.invite_colleagues", user)


def make_invitation_token(*, invitation):
    return signing.dumps(str(invitation.public_id), salt=SALT)


@transaction.atomic
def create_invitation(*, invited_by, email, full_name, at=None):
    """Create an invitation to `invited_by`'s unit; returns (invitation, token). Chinese ValidationErrors."""
    if not can_invite(user=invited_by):
        raise PermissionDenied
    at = at or timezone.now()
    unit = invited_by.organisation
    email = (email or "").strip()
    full_name = (full_name or "").strip()
    errors = {}
    if not full_name:
        errors["full_name"] = _("请填写被邀请人姓名。")
    if not email:
        errors["email"] = _("请填写被邀请人的电子邮箱。")
    elif User.objects.filter(organisation=unit, email__iexact=email, is_active=True).exists():
        errors["email"] = _("本单位已有使用该邮箱的账号，无需邀请。")
    elif _pending(unit, at).filter(email__iexact=email).exists():
        errors["email"] = _("已向该邮箱发出邀请且尚未接受；如需重新发送，请先撤销原邀请。")
    if errors:
        raise ValidationError(errors)
    # Lock the unit row so two concurrent invitations cannot both slip under the limit.
    lock_organisation(organisation=unit)
    if _pending(unit, at).count() >= MAX_PENDING_PER_UNIT:
        raise ValidationError(
            _("本单位未接受的邀请已达%(max_pending_per_unit)s个，请先撤销不再需要的邀请。")
            % {"max_pending_per_unit": MAX_PENDING_PER_UNIT}
        )
    invitation = Invitation.objects.create(
        organisation=unit, email=email, full_name=full_name, invited_by=invited_by, created_at=at
    )
    record_event(event="invitation:create", actor=invited_by, target=invitation, details={"organisation": unit.name})
    return invitation, make_invitation_token(invitation=invitation)


def _pending(unit, at):
    return Invitation.objects.filter(
        organisation=unit, accepted_at__isnull=True, revoked_at__isnull=True, created_at__gt=at - INVITATION_VALIDITY
    )


def invitation_link(*, token):
    """The acceptance link on the platform's configured public address (never the request's Host header)."""
    return absolute_url(reverse("accounts:accept_invitation", kwargs={"token": token}))


def send_invitation_email(*, invitation, link):
    """Queue the Chinese invitation e-mail (the outbox sends it after the commit and retries a failed send)."""
    context = {"invitation": invitation, "link": link, "unit": invitation.organisation}
    subject = render_to_string("accounts/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/invitation_email.txt", context)
    queue_email(to=[invitation.email], subject=subject, body=body, purpose="accounts:invitation")


def _check_usable(invitation, at):
    if invitation.accepted_at is not None:
        raise ValidationError(USED_MESSAGE, code="used")
    if invitation.revoked_at is not None:
        raise ValidationError(REVOKED_MESSAGE, code="revoked")
    if at >= invitation.expires_at:
        raise ValidationError(EXPIRED_MESSAGE, code="expired")
    if not invitation.organisation.is_active:
        raise ValidationError(INACTIVE_UNIT_MESSAGE, code="inactive_unit")


def _unsign(token):
    try:
        return signing.loads(token, salt=SALT, max_age=INVITATION_VALIDITY)
    except signing.SignatureExpired as exc:
        raise ValidationError(EXPIRED_MESSAGE, code="expired") from exc
    except signing.BadSignature as exc:
        raise ValidationError(INVALID_MESSAGE, code="invalid") from exc


def get_invitation_for_token(*, token, at=None, lock=False):
    """The usable invitation a link points to, or ValidationError saying in Chinese why it cannot be used."""
    at = at or timezone.now()
    public_id = _unsign(token)
    invitations = Invitation.objects.select_related("organisation", "invited_by")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(public_id=public_id).first()
    if invitation is None:
        raise ValidationError(INVALID_MESSAGE, code="invalid")
    _check_usable(invitation, at)
    return invitation


@transaction.atomic
def accept_invitation(*, token, username, password, full_name="", phone="", remote_addr=None, at=None):
    """Create the invited person's account in the inviting unit with the applicant role; returns the user."""
    at = at or timezone.now()
    invitation = get_invitation_for_token(token=token, at=at, lock=True)
    user = create_user(
        username=username,
        full_name=full_name or invitation.full_name,
        organisation=invitation.organisation,
        password=password,
        roles=[Role.APPLICANT],
        granted_by=invitation.invited_by,
        email=invitation.email,
        phone=phone,
    )
    invitation.accepted_at = at
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    record_event(
        event="invitation:accept",
        actor=user,
        target=invitation,
        remote_addr=remote_addr,
        details={"organisation": invitation.organisation.name, "username": user.username},
    )
    return user


@transaction.atomic
def revoke_invitation(*, invitation, revoked_by, at=None):
    """Withdraw an unused invitation of the revoker's own unit; its link stops working at once."""
    if not can_invite(user=revoked_by) or invitation.organisation_id != revoked_by.organisation_id:
        raise PermissionDenied
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("该邀请已被接受，不能撤销。"))
    if invitation.revoked_at is None:
        invitation.revoked_at = at or timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record_event(event="invitation:revoke", actor=revoked_by, target=invitation)
    return invitation
