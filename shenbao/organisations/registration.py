"""单位注册: a unit registers itself and gets its first applicant account in one step.

The first-review body (资格初审单位) is derived from where the unit sits, never typed in. A duplicate credit
code is refused without saying which unit holds it (the page is public). Registrations are throttled per
client address by the platform's one rate limiter (`core.ratelimit`) so the public form cannot be used to flood
the database or to probe which codes are registered.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shenbao.accounts.roles import Role
from shenbao.accounts.selectors import is_username_taken
from shenbao.accounts.services import create_user, validate_new_password
from shenbao.audit.services import record_event
from shenbao.core import ratelimit

from .credit_code import normalise_credit_code
from .models import Organisation, Region
from .selectors import get_first_review_body
from .services import create_applicant_unit

DUPLICATE_CODE_MESSAGE = gettext_lazy("该统一社会信用代码已注册，如需加入该单位请联系本单位经办人邀请")
THROTTLED_MESSAGE = gettext_lazy("本网络地址的注册尝试过于频繁，请稍后再试。")


def get_registration_throttle():
    """Attempts allowed per client address per window; `SHENBAO_REGISTRATION_THROTTLE` overrides the default."""
    return ratelimit.limit_from_settings("SHENBAO_REGISTRATION_THROTTLE", attempts=10, window=3600)


def count_registration_attempt(*, remote_addr):
    """Count one registration attempt from `remote_addr`; raises ValidationError once over the limit.

    Every submitted attempt counts, failed ones included: failures are what probing looks like. Counted in the
    shared store (`shenbao.core.ratelimit`), so every worker and node sees the same number.
    """
    if not ratelimit.allow(scope="register", ident=remote_addr, limit=get_registration_throttle()):
        record_event(event="unit:register", remote_addr=remote_addr, result="failure", details={"reason": "throttled"})
        raise ValidationError(THROTTLED_MESSAGE, code="throttled")


def list_registration_regions():
    """Counties and zones (for county units) and cities (for city-direct units), grouped by city in order."""
    return Region.objects.filter(level__in=[Region.Level.CITY, Region.Level.COUNTY, Region.Level.ZONE]).order_by(
        "sort_order", "key"
    )


def list_competent_departments():
    """Competent departments (主管部门) a city-direct unit can name; the service checks they are of its city."""
    return (
        Organisation.objects.filter(
            kind=Organisation.Kind.GOVERNMENT,
            function=Organisation.Function.COMPETENT_DEPARTMENT,
            is_active=True,
        )
        .select_related("region")
        .order_by("region__sort_order", "name")
    )


def _check_account(*, username, full_name, email, password, hashed=None):
    """Account errors found before anything is written, so the form shows unit and account errors together.

    `hashed`: the password was validated when the registration was submitted and is kept only as its hash.
    """
    errors = {}
    username = (username or "").strip()
    if not username:
        errors["username"] = [_("请填写用户名。")]
    elif is_username_taken(username=username):
        errors["username"] = [_("用户名「%(username)s」已被使用，请换一个。") % {"username": username}]
    if hashed is None:
        try:
            validate_new_password(password=password, username=username, full_name=full_name, email=email)
        except ValidationError as exc:
            errors["password"] = exc.messages
    return errors


def _merge(errors, exc):
    for field, messages in exc.message_dict.items():
        errors.setdefault(field, []).extend(messages)


@transaction.atomic
def register_applicant_unit(
    *,
    name,
    credit_code,
    unit_type,
    region,
    is_city_direct=False,
    competent_department=None,
    legal_representative="",
    contact_name="",
    contact_phone="",
    contact_email="",
    address="",
    username,
    full_name,
    password=None,
    password_hash=None,
    email="",
    phone="",
    remote_addr=None,
    at=None,
):
    """Create the applicant unit and its first applicant (申报单位经办人) together; returns (organisation, user).

    Raises ValidationError keyed by field (unit fields as in `create_applicant_unit`; account fields
    `username`, `password`, `full_name`) with every problem found, and writes nothing when any is found.
    """
    at = at or timezone.now()
    errors = {}
    if not (full_name or "").strip():
        errors["full_name"] = [_("请填写经办人姓名。")]
    errors.update(
        _check_account(username=username, full_name=full_name, email=email, password=password, hashed=password_hash)
    )
    code = normalise_credit_code(credit_code)
    if code and Organisation.objects.filter(credit_code=code).exists():
        errors["credit_code"] = [DUPLICATE_CODE_MESSAGE]
    unit = None
    try:
        unit = create_applicant_unit(
            name=name,
            credit_code=credit_code,
            unit_type=unit_type,
            region=region,
            is_city_direct=is_city_direct,
            competent_department=competent_department,
            legal_representative=legal_representative,
            contact_name=contact_name,
            contact_phone=contact_phone,
            contact_email=contact_email,
            address=address,
        )
    except ValidationError as exc:
        if "credit_code" in errors:
            # Ours already says it is taken; create_applicant_unit's message would name the unit holding it.
            exc.error_dict.pop("credit_code", None)
        elif Organisation.objects.filter(credit_code=code).exists():
            # Registered by someone else a moment ago: same answer, without the other unit's name.
            exc.error_dict["credit_code"] = [ValidationError(DUPLICATE_CODE_MESSAGE)]
        _merge(errors, exc)
    if errors:
        raise ValidationError(errors)

    try:
        user = create_user(
            username=username,
            full_name=full_name,
            organisation=unit,
            password=password,
            password_hash=password_hash,
            roles=[Role.APPLICANT],
            email=email,
            phone=phone,
        )
    except ValidationError as exc:  # a username taken between the check and the insert
        raise ValidationError(exc.message_dict) from exc
    record_event(
        event="unit:register",
        actor=user,
        target=unit,
        remote_addr=remote_addr,
        details={"credit_code": unit.credit_code, "username": user.username, "at": at.isoformat()},
    )
    return unit, user


def describe_first_review_body(*, unit):
    """The first-review body's name for the success message, or None when the reference data lacks one."""
    body = get_first_review_body(unit=unit)
    return body.name if body is not None else None
