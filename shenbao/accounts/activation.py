"""激活链接: every account the platform creates for someone (an expert of the 专家库, a user created by the system
administrator) gets a one-time link to set its password.

- Expiring: valid until `created_at + SHENBAO_ACTIVATION_HOURS` (default 72) inclusive; the next instant refused.
- Single use: `used_at` is set under a row lock, in the transaction that sets the password.
- A new link (resend, or a password-reset request for the account) supersedes the account's older ones.
- Audited: issue, resend and use each leave an audit entry.
- Sent by e-mail through the outbox and, when SHENBAO_SMS_BACKEND is configured, by SMS.

The link carries only the activation's signed `public_id` (as invitations do), so it cannot be forged; every
check is made on the stored row.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from shenbao.audit.services import record_event
from shenbao.notifications.outbox import absolute_url, queue_email
from shenbao.notifications.texting import queue_sms

from .models import Activation, User
from .services import create_user, record_password_change

SALT = "shenbao.accounts.activation"
INVALID_MESSAGE = gettext_lazy("激活链接无效，请联系系统管理员重新发送。")
EXPIRED_MESSAGE = gettext_lazy(
    "激活链接已过期，请联系系统管理员重新发送，或在「忘记密码」页面输入您的电子邮箱重新获取。"
)
USED_MESSAGE = gettext_lazy("该激活链接已被使用，账号已激活，请直接登录。")
SUPERSEDED_MESSAGE = gettext_lazy("该激活链接已失效（已发送了新的激活链接），请使用最新收到的链接。")
ACTIVE_MESSAGE = gettext_lazy("该账号已设置密码，无需激活。")


def validity():
    return timedelta(hours=int(getattr(settings, "SHENBAO_ACTIVATION_HOURS", 72)))


def needs_activation(user):
    """An active account that has never had a usable password (created for someone, not yet activated)."""
    return user.is_active and not user.has_usable_password()


def make_activation_token(*, activation):
    return signing.dumps(str(activation.public_id), salt=SALT)


def activation_link(*, activation):
    """The link on the platform's configured public address (never the request's Host header)."""
    return absolute_url(reverse("accounts:activate", kwargs={"token": make_activation_token(activation=activation)}))


def _send(activation, link, phone):
    user = activation.user
    hours = int(validity().total_seconds() // 3600)
    context = {"user": user, "link": link, "expires_at": activation.expires_at, "hours": hours}
    subject = render_to_string("accounts/activation_subject.txt", context).strip()
    body = render_to_string("accounts/activation_email.txt", context)
    emailed = queue_email(to=[user.email], subject=subject, body=body, purpose="accounts:activation") is not None
    texted = queue_sms(
        to=phone or user.phone,
        text=render_to_string("accounts/activation_sms.txt", context).strip(),
        purpose="accounts:activation",
    )
    return emailed, texted


@transaction.atomic
def issue_activation(*, user, actor=None, phone="", reason="create", request=None, at=None):
    """Issue a new link for `user` (superseding older unused ones) and send it; returns the Activation.

    reason: "create" (account just created), "link" (an existing account added to the 专家库), "resend" (the
    system administrator), "reset" (the person asked on the password-reset page).
    """
    at = at or timezone.now()
    user = User.objects.select_for_update().get(pk=user.pk)
    if not needs_activation(user):
        raise ValidationError(ACTIVE_MESSAGE, code="active")
    superseded = Activation.objects.filter(user=user, used_at__isnull=True, superseded_at__isnull=True).update(
        superseded_at=at
    )
    activation = Activation.objects.create(user=user, created_by=actor, created_at=at, expires_at=at + validity())
    emailed, texted = _send(activation, activation_link(activation=activation), phone)
    record_event(
        event=f"accounts:activation_{'resend' if reason == 'resend' else 'issue'}",
        actor=actor,
        target=user,
        request=request,
        details={"reason": reason, "email": emailed, "sms": texted, "superseded": superseded},
    )
    return activation


def resend_activation(*, user, actor, request=None, at=None):
    """The system administrator sends a new link to an account not yet activated; the older link stops working."""
    if not actor.has_perm("accounts.manage_users"):
        raise PermissionDenied
    return issue_activation(user=user, actor=actor, reason="resend", request=request, at=at)


def _unsign(token):
    try:
        return signing.loads(token, salt=SALT)
    except signing.BadSignature as exc:
        raise ValidationError(INVALID_MESSAGE, code="invalid") from exc


def get_activation_for_token(*, token, at=None, lock=False):
    """The usable activation a link points to, or a ValidationError saying in Chinese why it cannot be used."""
    at = at or timezone.now()
    activations = Activation.objects.select_related("user")
    if lock:
        activations = activations.select_for_update(of=("self",))
    activation = activations.filter(public_id=_unsign(token)).first()
    if activation is None or not activation.user.is_active:
        raise ValidationError(INVALID_MESSAGE, code="invalid")
    if activation.used_at is not None:
        raise ValidationError(USED_MESSAGE, code="used")
    if activation.superseded_at is not None:
        raise ValidationError(SUPERSEDED_MESSAGE, code="superseded")
    if at > activation.expires_at:
        raise ValidationError(EXPIRED_MESSAGE, code="expired")
    return activation


@transaction.atomic
def activate_account(*, token, password, request=None, at=None):
    """Set the account's first password (Django's validators) through its link; the link is then used up."""
    at = at or timezone.now()
    activation = get_activation_for_token(token=token, at=at, lock=True)
    user = User.objects.select_for_update().get(pk=activation.user_id)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    activation.used_at = at
    activation.save(update_fields=["used_at"])
    record_password_change(user=user, request=request, via="activation")
    record_event(event="accounts:activation_use", actor=user, target=user, request=request)
    return user


@transaction.atomic
def create_user_with_activation(*, granted_by, phone="", request=None, **fields):
    """`services.create_user` without a password, then its activation link: the account of someone else, who
    sets the password themselves. Returns (user, activation)."""
    user = create_user(password=None, granted_by=granted_by, phone=phone, **fields)
    activation = issue_activation(user=user, actor=granted_by, phone=phone, reason="create", request=request)
    return user, activation
