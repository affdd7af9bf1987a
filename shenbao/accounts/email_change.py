"""A user changes their own log-in e-mail, confirmed from the address it replaces.

The log-in e-mail is where password resets go, so whoever controls it controls the account. Only its owner may
change it (no business role can: the expert pool keeps a separate contact address), and the change must be
confirmed through a link sent to the *old* address (to the new one when there was none), valid for three days
and usable once: the link is signed with the old address, so it stops working as soon as the address changed.
The new address is told that a change was requested; both addresses are told when it took effect. Audited.
"""

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shenbao.audit.services import record_event
from shenbao.notifications.outbox import absolute_url, queue_email

from .models import User

SALT = "shenbao.accounts.email_change"
MAX_AGE = 3 * 24 * 3600
INVALID_MESSAGE = gettext_lazy("确认链接无效、已使用或已过期，请重新申请更改邮箱。")


def _mail(to, subject, template, context):
    queue_email(to=[to], subject=subject, body=render_to_string(template, context), purpose="accounts:email_change")


@transaction.atomic
def request_email_change(*, user, new_email, request=None):
    new_email = (new_email or "").strip()
    validate_email(new_email)
    if new_email.lower() == (user.email or "").lower():
        raise ValidationError(_("新邮箱与当前登录邮箱相同。"), code="same")
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        # Said the same way whoever owns it: the address is simply not available.
        raise ValidationError(_("该邮箱不能使用，请换一个。"), code="taken")
    token = signing.dumps({"user": user.public_id.hex, "old": user.email or "", "new": new_email}, salt=SALT)
    link = absolute_url(reverse("accounts:email_change_confirm", kwargs={"token": token}))
    confirm_at = user.email or new_email
    context = {"user": user, "new_email": new_email, "link": link}
    _mail(confirm_at, "确认更改申报评审平台登录邮箱", "accounts/email_change_confirm.txt", context)
    if user.email:
        _mail(new_email, "申报评审平台登录邮箱更改申请", "accounts/email_change_notice.txt", context)
    record_event(event="accounts:email_change_request", actor=user, target=user, request=request)
    return confirm_at


def read_token(token):
    """(user, old e-mail, new e-mail) for a valid link, else ValidationError."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature as error:
        raise ValidationError(INVALID_MESSAGE, code="invalid") from error
    user = User.objects.filter(public_id=data["user"], is_active=True).first()
    if user is None or (user.email or "") != data["old"]:
        raise ValidationError(INVALID_MESSAGE, code="used")
    return user, data["old"], data["new"]


@transaction.atomic
def confirm_email_change(*, token, request=None):
    user, old_email, new_email = read_token(token)
    user = User.objects.select_for_update().get(pk=user.pk)
    if (user.email or "") != old_email:  # confirmed twice at once: the second finds the address changed
        raise ValidationError(INVALID_MESSAGE, code="used")
    user.email = new_email
    user.save(update_fields=["email"])
    record_event(
        event="accounts:email_change",
        actor=user,
        target=user,
        request=request,
        changes={"email": [old_email, new_email]},
    )
    context = {"user": user, "old_email": old_email, "new_email": new_email}
    for address in {old_email, new_email} - {""}:
        _mail(address, "申报评审平台登录邮箱已更改", "accounts/email_changed.txt", context)
    return user
