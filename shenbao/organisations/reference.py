"""Reference data (参考数据): regions and government bodies, loaded from a YAML file.

The file is validated as a whole before anything is written, so a malformed file changes nothing and the
error names the offending field. Loading is an upsert (regions by `key`, organisations by `name` + `kind`)
that only saves rows whose values changed, so running it again writes nothing and logs nothing.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from shenbao.core.punctuation import half_width_variant

from .models import Organisation, Region

REFERENCE_KINDS = {Organisation.Kind.GOVERNMENT, Organisation.Kind.PLATFORM, Organisation.Kind.OTHER}


class RegionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=32)
    name: str = Field(min_length=1, max_length=64)
    level: Region.Level
    division_code: str = Field(default="", pattern=r"^(\d{6})?$")
    parent: str | None = None
    sort_order: int = Field(default=0, ge=0)
    # A city's public portal: /c/<portal_slug>/ and the heading shown there (city level only).
    portal_slug: str | None = Field(default=None, pattern=r"^[a-z0-9][-a-z0-9]*$", max_length=32)
    portal_heading: str = Field(default="", max_length=100)


class OrganisationSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=128)
    kind: Organisation.Kind
    function: Organisation.Function = Organisation.Function.NONE
    region: str
    parent: str | None = None
    contact_name: str = ""
    contact_phone: str = ""
    address: str = ""


class ReferenceFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    regions: list[RegionSpec]
    organisations: list[OrganisationSpec] = []


@dataclass
class LoadCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class LoadResult:
    regions: LoadCounts = field(default_factory=LoadCounts)
    organisations: LoadCounts = field(default_factory=LoadCounts)


def _format_pydantic_error(exc):
    parts = []
    for error in exc.errors():
        location = "".join(f"[{item}]" if isinstance(item, int) else f".{item}" for item in error["loc"]).lstrip(".")
        parts.append(f"{location}: {error['msg']}")
    return _("参考数据文件格式错误：%(parts)s") % {"parts": ";".join(parts)}


def parse_reference_data(text):
    """Parse and validate the YAML text; raises ValidationError naming the field."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValidationError(_("参考数据文件不是有效的 YAML：%(error)s") % {"error": exc}) from exc
    if not isinstance(raw, dict):
        raise ValidationError(_("参考数据文件格式错误：顶层应为包含 regions 与 organisations 的映射。"))
    try:
        return ReferenceFile.model_validate(raw)
    except PydanticValidationError as exc:
        raise ValidationError(_format_pydantic_error(exc)) from exc


def _upsert(model, lookup, values, counts):
    """Create or update one row, saving only when a value differs (so reruns add no audit entries)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        counts.created += 1
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
        counts.updated += 1
    else:
        counts.unchanged += 1
    return obj


def _adopt_half_width_name(*, name, kind):
    """A body loaded before names took full-width punctuation (「…(人社)」) is renamed, not doubled by the upsert."""
    legacy = half_width_variant(name)
    if legacy == name or Organisation.objects.filter(name=name, kind=kind).exists():
        return
    obj = Organisation.objects.filter(name=legacy, kind=kind).first()
    if obj is not None:
        obj.name = name
        obj.save(update_fields=["name"])


def _check_region_spec(index, spec):
    where = f"regions[{index}]"
    if spec.level != Region.Level.CITY and (spec.portal_slug or spec.portal_heading):
        raise ValidationError(
            _("参考数据文件格式错误：%(where)s.portal_slug：只有市级区域可以设置门户。") % {"where": where}
        )
    if spec.portal_slug and Region.objects.filter(portal_slug=spec.portal_slug).exclude(key=spec.key).exists():
        raise ValidationError(
            _("参考数据文件格式错误：%(where)s.portal_slug：门户标识「%(portal_slug)s」已被其他城市使用。")
            % {"where": where, "portal_slug": spec.portal_slug}
        )


def _check_organisation_spec(index, spec):
    where = f"organisations[{index}]"
    if spec.kind not in REFERENCE_KINDS:
        raise ValidationError(
            _("参考数据文件格式错误：%(where)s.kind：申报单位不属于参考数据，请通过注册或演示数据创建。")
            % {"where": where}
        )
    if spec.kind != Organisation.Kind.GOVERNMENT and spec.function:
        raise ValidationError(
            _("参考数据文件格式错误：%(where)s.function：只有政府部门可以设置职能。") % {"where": where}
        )


@transaction.atomic
def load_reference_data(*, text):
    """Upsert the regions and organisations described by `text` (YAML); returns the counts."""
    data = parse_reference_data(text)
    result = LoadResult()
    regions = {}
    for index, spec in enumerate(data.regions):
        _check_region_spec(index, spec)
        parent = None
        if spec.parent:
            parent = regions.get(spec.parent) or Region.objects.filter(key=spec.parent).first()
            if parent is None:
                raise ValidationError(
                    _("参考数据文件格式错误：regions[%(index)s].parent：找不到上级区域「%(parent)s」。")
                    % {"index": index, "parent": spec.parent}
                )
        values = {
            "name": spec.name,
            "level": spec.level,
            "division_code": spec.division_code,
            "parent": parent,
            "sort_order": spec.sort_order,
            "portal_slug": spec.portal_slug,
            "portal_heading": spec.portal_heading,
        }
        regions[spec.key] = _upsert(Region, {"key": spec.key}, values, result.regions)

    for index, spec in enumerate(data.organisations):
        _check_organisation_spec(index, spec)
        region = regions.get(spec.region) or Region.objects.filter(key=spec.region).first()
        if region is None:
            raise ValidationError(
                _("参考数据文件格式错误：organisations[%(index)s].region：找不到区域「%(region)s」。")
                % {"index": index, "region": spec.region}
            )
        if spec.function == Organisation.Function.PROVINCE_HR_DEPARTMENT and region.level != Region.Level.PROVINCE:
            raise ValidationError(
                _("参考数据文件格式错误：organisations[%(index)s].region：省人社厅须属于省级区域。") % {"index": index}
            )
        parent = None
        if spec.parent:
            parent = (
                Organisation.objects.filter(name=spec.parent).exclude(kind=Organisation.Kind.APPLICANT_UNIT).first()
            )
            if parent is None:
                raise ValidationError(
                    _(
                        "参考数据文件格式错误：organisations[%(index)s].parent："
                        "找不到上级单位「%(parent)s」（须先列出）。"
                    )
                    % {"index": index, "parent": spec.parent}
                )
        values = {
            "function": spec.function,
            "region": region,
            "parent": parent,
            "contact_name": spec.contact_name,
            "contact_phone": spec.contact_phone,
            "address": spec.address,
            "is_active": True,
        }
        _adopt_half_width_name(name=spec.name, kind=spec.kind)
        _upsert(Organisation, {"name": spec.name, "kind": spec.kind}, values, result.organisations)
    return result


def load_reference_file(*, path):
    return load_reference_data(text=Path(path).read_text(encoding="utf-8"))


@transaction.atomic
def load_reference_files(*, paths):
    """Load several cities' files in one transaction; a region both declare (the province) is written once.

    Returns [(path, LoadResult)] in the given order; the first invalid file undoes them all.
    """
    return [(path, load_reference_file(path=path)) for path in paths]
