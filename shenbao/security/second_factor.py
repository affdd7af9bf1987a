"""TOTP second factor (动态口令, django-otp's TOTPDevice): enrolment, verification after the password, reset.

A user has at most one device. Enrolment creates it unconfirmed, shows its secret as a QR code rendered here
(SVG in a data: URI, allowed by the CSP's img-src; nothing leaves the server) and in text, and confirms it with
one valid code. Repeated wrong codes slow down through django-otp's throttling (1, 2, 4 … seconds). A lost phone
is handled by the security administrator, who removes the device; the user enrols again at the next log-in.
"""

import base64
from base64 import b32encode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from shenbao.accounts.selectors import list_users, lock_user
from shenbao.audit.events import Event
from shenbao.audit.models import AuditEntry
from shenbao.audit.services import record_event

DEVICE_NAME = "TOTP"


# --- reads --------------------------------------------------------------------------------------------------------


def get_confirmed_device(*, user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def has_confirmed_device(*, user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def qr_code_data_uri(device):
    """The device's otpauth:// URL as a QR code: an SVG image in a data: URI (no external service, no script)."""
    # Imported here: only the enrolment page needs it, and the middleware imports this module at start-up.
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


def secret_for_manual_entry(device):
    """The base32 secret in groups of four, for authenticator apps without a camera."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def list_users_with_device_state(*, user, query=""):
    """The accounts `user` (the security administrator) may see, for the second-factor page, each with
    `has_device`; one query per page."""
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return list_users(user=user, query=(query or "").strip()).annotate(has_device=Exists(confirmed))


# --- writes -------------------------------------------------------------------------------------------------------


@transaction.atomic
def start_enrolment(*, user):
    """The user's unconfirmed device (created on first call, kept across reloads so a scanned code stays valid)."""
    lock_user(user=user)
    if has_confirmed_device(user=user):
        raise ValidationError(_("您已绑定动态口令；如需更换手机，请联系安全管理员重置。"), code="already_enrolled")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def _clean(token):
    return "".join((token or "").split())


def confirm_enrolment(*, request, token):
    """Confirm the signed-in user's unconfirmed device with one code; the session counts as verified."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("id").first()
        if device is None:
            raise ValidationError(_("没有待绑定的动态口令，请重新开始绑定。"), code="no_pending_device")
        verified = device.verify_token(_clean(token))
        if verified:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
    record_event(
        event=Event.OTP_ENROL,
        actor=user,
        target=user,
        request=request,
        result=AuditEntry.Result.SUCCESS if verified else AuditEntry.Result.FAILURE,
    )
    if verified:
        otp_login(request, device)
    return verified


def verify_second_factor(*, request, token):
    """Check a code after the password log-in; on success the session is verified (django-otp)."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("id").first()
        if device is None:
            raise ValidationError(_("您尚未绑定动态口令。"), code="no_device")
        allowed, _info = device.verify_is_allowed()
        verified = allowed and device.verify_token(_clean(token))
    record_event(
        event=Event.OTP_VERIFY,
        actor=user,
        target=user,
        request=request,
        result=AuditEntry.Result.SUCCESS if verified else AuditEntry.Result.FAILURE,
        details=None if allowed else {"throttled": True},
    )
    if verified:
        otp_login(request, device)
    return verified


@transaction.atomic
def reset_second_factor(*, user, actor, request=None):
    """重置动态口令 (security administrator): remove the user's devices; the next log-in enrols a new one."""
    deleted, _rows = TOTPDevice.objects.filter(user=user).delete()
    if not deleted:
        raise ValidationError(_("该用户尚未绑定动态口令，无需重置。"), code="no_device")
    record_event(event=Event.OTP_RESET, actor=actor, target=user, request=request)
    return deleted
