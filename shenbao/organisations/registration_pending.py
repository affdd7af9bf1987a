"""单位注册 confirmed by e-mail: the page answers the same whether a user name is taken or not.

Answering 「用户名「secadmin」已被使用」 to anybody would list the platform's accounts one guess at a time. So:
- `submit_registration` checks everything the registration service checks, in a transaction that is rolled back
  (nothing is written). Errors the person can fix on the form (a malformed credit code, a weak password …) are
  shown as before. A taken user name is *not*: the page says 「请查收邮件」 either way, and the e-mail address
  is told that the name is not available. Every attempt is audited (the taken name as a failure).
- Otherwise a `PendingRegistration` keeps the form's values (the password only as its hash) and a link valid for
  `VALIDITY` goes to the address. Nothing is reserved: an unconfirmed registration blocks no user name or code.
- `complete_registration` (the link) creates the unit and the account with the same service as always; if the
  user name or the credit code was taken in the meantime, the person is told on the page and registers again.
"""

import datetime

from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shenbao.accounts.selectors import is_username_taken
from shenbao.audit.services import record_event
from shenbao.core.crypto import decrypt_text, encrypt_text
from shenbao.notifications.outbox import absolute_url, queue_email

from .models import Organisation, PendingRegistration, Region, UnitType
from .registration import register_applicant_unit

SALT = "shenbao.organisations.registration"
VALIDITY = datetime.timedelta(days=2)
INVALID_LINK = gettext_lazy("注册确认链接无效、已使用或已过期，请重新注册。")


class _DryRun(Exception):
    """Raised inside the trial registration so its transaction is rolled back."""


def _service_values(data):
    """The form values as the registration service takes them (model choices looked up by key)."""
    values = dict(data)
    values["phone"] = decrypt_text(data.get("phone", ""))
    values["unit_type"] = UnitType.objects.filter(pk=data["unit_type"]).first()
    values["region"] = Region.objects.filter(pk=data["region"]).first() if data["region"] else None
    department = data["competent_department"]
    values["competent_department"] = Organisation.objects.filter(pk=department).first() if department else None
    return values


def _trial_errors(values, password):
    """Every error the registration would raise, found by running it in a transaction that is rolled back."""
    try:
        with transaction.atomic():
            register_applicant_unit(**values, password=password)
            raise _DryRun
    except _DryRun:
        return {}
    except ValidationError as error:
        return error.message_dict


def submit_registration(*, data, password, remote_addr=None, at=None):
    """Check and keep a registration until its e-mail is confirmed; ValidationError for what the form must fix.

    `data`: the form's values with model choices as keys (unit_type, region, competent_department pks).
    Returns None: the caller shows the same page whatever happened with the user name.
    """
    at = at or timezone.now()
    stored = {**data, "phone": encrypt_text(data.get("phone", ""))}
    values = _service_values(stored)
    errors = _trial_errors(values, password)
    username = (data.get("username") or "").strip()
    taken = is_username_taken(username=username)
    if taken:
        errors.pop("username", None)
    if errors:
        raise ValidationError(errors)
    email = data["email"]
    context = {"name": data["name"], "username": username, "validity_days": VALIDITY.days}
    if taken:
        body = render_to_string("accounts/registration_username_taken.txt", context)
        queue_email(to=[email], subject="申报评审平台单位注册未完成", body=body, purpose="organisations:register")
        record_event(
            event="unit:register",
            remote_addr=remote_addr,
            result="failure",
            details={"reason": "username_taken", "credit_code": data["credit_code"]},
        )
        return
    # Personal data is kept no longer than needed: links that have lapsed are forgotten, phones stay encrypted.
    PendingRegistration.objects.filter(expires_at__lt=at).delete()
    pending = PendingRegistration.objects.create(
        email=email,
        data=stored,
        password_hash=make_password(password),
        remote_addr=remote_addr,
        created_at=at,
        expires_at=at + VALIDITY,
    )
    token = signing.dumps(pending.public_id.hex, salt=SALT)
    context["link"] = absolute_url(reverse("accounts:register_confirm", kwargs={"token": token}))
    body = render_to_string("accounts/registration_confirm.txt", context)
    queue_email(to=[email], subject="请确认申报评审平台单位注册", body=body, purpose="organisations:register")
    record_event(
        event="unit:register_request",
        remote_addr=remote_addr,
        target=pending,
        details={"credit_code": data["credit_code"]},
    )


def get_pending(*, token, at=None):
    """The registration a link confirms, or ValidationError (forged, used or expired)."""
    try:
        public_id = signing.loads(token, salt=SALT, max_age=VALIDITY)
    except signing.BadSignature as error:
        raise ValidationError(INVALID_LINK, code="invalid") from error
    pending = PendingRegistration.objects.filter(public_id=public_id, completed_at__isnull=True).first()
    if pending is None or pending.expires_at <= (at or timezone.now()):
        raise ValidationError(INVALID_LINK, code="invalid")
    return pending


@transaction.atomic
def complete_registration(*, token, remote_addr=None, at=None):
    """Create the unit and its clerk from a confirmed registration; returns (organisation, user)."""
    at = at or timezone.now()
    pending = get_pending(token=token, at=at)
    pending = PendingRegistration.objects.select_for_update().get(pk=pending.pk)
    if pending.completed_at is not None:
        raise ValidationError(INVALID_LINK, code="invalid")
    values = _service_values(pending.data)
    try:
        unit, user = register_applicant_unit(
            **values, password_hash=pending.password_hash, remote_addr=remote_addr, at=at
        )
    except ValidationError as error:
        # Taken since the registration was submitted (or the reference data changed): register again.
        raise ValidationError(
            [_("注册未能完成：%(messages)s") % {"messages": "；".join(error.messages)}, _("请重新填写注册信息。")],
            code="conflict",
        ) from error
    # Done: the values now live in the unit and the account; keep only the fact that the link was used.
    pending.completed_at, pending.data, pending.password_hash = at, {"name": pending.data.get("name", "")}, ""
    pending.save(update_fields=["completed_at", "data", "password_hash"])
    return unit, user
