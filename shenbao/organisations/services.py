"""Writes about organisations: registering applicant units (申报单位)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from .credit_code import check_credit_code
from .models import Organisation, Region, UnitType
from .selectors import get_city_of_region

Kind = Organisation.Kind
Function = Organisation.Function

COUNTY_LEVELS = {Region.Level.COUNTY, Region.Level.ZONE}


def _duplicate_message(code: str, existing: Organisation) -> str:
    return gettext(
        "统一社会信用代码 %(code)s 已由「%(name)s」登记，不能重复登记；如有疑问请联系所在县（市、区）人社部门。"
    ) % {"code": code, "name": existing.name}


def _validate_placement(
    *, region: Region | None, is_city_direct: bool, competent_department: Organisation | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if region is None:
        errors["region"] = gettext("请选择单位所在区域。")
    elif is_city_direct:
        if competent_department is None:
            errors["competent_department"] = gettext("市直单位或市属企业须选择主管部门（由主管部门进行资格初审）。")
        elif competent_department.function != Function.COMPETENT_DEPARTMENT:
            errors["competent_department"] = gettext("「%(name)s」不是主管部门，请重新选择。") % {
                "name": competent_department.name
            }
        elif get_city_of_region(region) != get_city_of_region(competent_department.region):
            errors["region"] = gettext("市直单位所在区域须与主管部门属于同一个市。")
    elif region.level not in COUNTY_LEVELS:
        errors["region"] = gettext("非市直单位须选择所在县（市、区）或开发区，由当地人社部门进行资格初审。")
    return errors


@transaction.atomic
def create_applicant_unit(
    *,
    name: str,
    credit_code: str,
    unit_type: UnitType | None,
    region: Region | None,
    is_city_direct: bool = False,
    competent_department: Organisation | None = None,
    legal_representative: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    address: str = "",
) -> Organisation:
    """Register an applicant unit; raises ValidationError (Chinese messages, keyed by field).

    The credit code is normalised and checked (GB 32100-2015); a GB 11714 inner-check warning does not
    block registration. County units must sit in a county or zone; city-direct units need a competent
    department, which then does their first review.
    """
    name = (name or "").strip()
    errors: dict[str, Any] = {}
    if not name:
        errors["name"] = gettext("请填写单位名称。")
    check = check_credit_code(credit_code)
    if not check.is_valid:
        errors["credit_code"] = check.error
    else:
        existing = Organisation.objects.filter(credit_code=check.code).first()
        if existing is not None:
            errors["credit_code"] = _duplicate_message(check.code, existing)
    if unit_type is None:
        errors["unit_type"] = gettext("请选择单位类型。")
    errors.update(
        _validate_placement(region=region, is_city_direct=is_city_direct, competent_department=competent_department)
    )
    if errors or region is None:  # a missing region is one of the errors
        raise ValidationError(errors)

    unit = Organisation(
        name=name,
        kind=Kind.APPLICANT_UNIT,
        unit_type=unit_type,
        credit_code=check.code,
        region=region,
        is_city_direct=is_city_direct,
        competent_department=competent_department if is_city_direct else None,
        legal_representative=legal_representative.strip(),
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        contact_email=contact_email.strip(),
        address=address.strip(),
    )
    # validate_unique=False: the duplicate check above gives the friendlier message; the database has the last word.
    unit.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as exc:
        existing = Organisation.objects.filter(credit_code=check.code).first()
        if existing is not None:
            raise ValidationError({"credit_code": _duplicate_message(check.code, existing)}) from exc
        raise
    return unit


def ensure_work_unit(*, name: str, region: Region) -> Organisation:
    """An 'other' organisation (e.g. an expert's university or institute), created when missing."""
    unit, _ = Organisation.objects.get_or_create(name=name, kind=Kind.OTHER, defaults={"region": region})
    return unit


def save_unit_type(*, code: str, name: str, sort_order: int) -> tuple[UnitType, str]:
    """Create the unit type `code` (with `sort_order`) or rename it; returns it and what changed, in words ("" when
    nothing did). A call file declares the unit types its project types admit (`calls.services`)."""
    unit_type = UnitType.objects.filter(code=code).first()
    label = UnitType._meta.verbose_name
    if unit_type is None:
        unit_type = UnitType.objects.create(code=code, name=name, sort_order=sort_order)
        return unit_type, f"新增{label}「{unit_type}」"
    if unit_type.name == name:
        return unit_type, ""
    unit_type.name = name
    unit_type.save(update_fields=["name"])
    return unit_type, f"更新{label}「{unit_type}」：name"


def ensure_unit_type(*, code: str, name: str, sort_order: int) -> UnitType:
    """The unit type `code`, created with `name` and `sort_order` when missing (an existing one is left as is)."""
    unit_type, _created = UnitType.objects.get_or_create(code=code, defaults={"name": name, "sort_order": sort_order})
    return unit_type
