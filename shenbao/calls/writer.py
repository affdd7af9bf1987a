"""The rows a call document writes, the second half of 导入申报通知 — the call, its project types with their rules,
materials, instalments and rubrics, the unit types it names, and its attachments.

`services.save_call_document` validates everything first and calls `write_call` and `write_attachments` inside its
one transaction. A row is matched by slug / (project type, code) and saved only when a value differs, so a second
load writes nothing and leaves no audit entries; children no longer in the document are deleted. Attachment files
are stored under a name carrying their digest; `Changes` remembers the new ones (deleted again if the transaction
fails) and the replaced ones (deleted once it commits).
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import QuerySet

from shenbao.organisations.models import Region, UnitType
from shenbao.organisations.selectors import list_unit_types
from shenbao.organisations.services import save_unit_type

from .models import Call, CallAttachment, EligibilityRule, Instalment, MaterialRequirement, ProjectType, RubricItem
from .schema import AcceptanceItemSpec, AttachmentSpec, CallFile, ProjectTypeSpec, SelectionItemSpec

# One attachment to store: its spec, its position in the file and its bytes.
type AttachmentFile = tuple[AttachmentSpec, int, bytes]


@dataclass
class Changes:
    """What a load changed, for the command's summary."""

    items: list[str] = field(default_factory=list)
    saved_files: list[str] = field(default_factory=list)
    obsolete_files: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        self.items.append(text)


def delete_files(names: Iterable[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _upsert[M: models.Model](
    model: type[M],
    lookup: dict[str, Any],
    values: dict[str, Any],
    changes: Changes,
    *,
    create_values: dict[str, Any] | None = None,
) -> M:
    """Get by `lookup`; create, or save only the fields whose value differs."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model._default_manager.create(**lookup, **values, **(create_values or {}))
        changes.note(f"新增{model._meta.verbose_name}「{obj}」")
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        # update_fields leaves auto_now fields (Call.loaded_at) alone unless they are named.
        stamps = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
        obj.save(update_fields=changed + stamps)
        changes.note(f"更新{model._meta.verbose_name}「{obj}」：{', '.join(changed)}")
    return obj


def _set_m2m(obj: models.Model, relation: str, targets: list[Any], changes: Changes) -> None:
    manager = getattr(obj, relation)
    if {target.pk for target in manager.all()} != {target.pk for target in targets}:
        manager.set(targets)
        label = getattr(obj._meta.get_field(relation), "verbose_name", relation)
        changes.note(f"更新「{obj}」的{label}")


def _delete_missing(queryset: QuerySet[Any], keep_codes: Iterable[str], changes: Changes) -> None:
    stale = queryset.exclude(code__in=keep_codes)
    for obj in stale:
        changes.note(f"删除{obj._meta.verbose_name}「{obj}」")
    stale.delete()


def write_call(spec: CallFile, *, city: Region, source: str, sha256: str, changes: Changes, state: str) -> Call:
    unit_types: dict[str, UnitType] = {}
    for index, unit_type in enumerate(spec.unit_types):
        saved, change = save_unit_type(code=unit_type.code, name=unit_type.name, sort_order=index)
        unit_types[unit_type.code] = saved
        if change:
            changes.note(change)
    referenced = {code for pt in spec.project_types for code in pt.allowed_unit_types} - unit_types.keys()
    unit_types.update({unit_type.code: unit_type for unit_type in list_unit_types(codes=referenced)})

    values: dict[str, Any] = {
        "city": city,
        "year": spec.year,
        "title": spec.title,
        "issuing_bodies": list(spec.issuing_bodies),
        "published_on": spec.published_on,
        "submission_deadline": spec.deadline,
        "submission_address": spec.submission_address,
        "paper_copies": spec.paper_copies,
        "contact_name": spec.contact_name,
        "contact_phone": spec.contact_phone,
        "body": spec.body,
        "fund_source": spec.fund_source,
        "recheck_bodies": list(spec.recheck_bodies),
        "recheck_requires_all": spec.recheck_requires_all,
        "consulted_functions": list(spec.consulted_functions),
        "experts_per_application": spec.experts_per_application,
        "acceptance_experts_per_application": spec.acceptance_experts_per_application,
        "is_practice": spec.practice,
        "score_aggregation": spec.score_aggregation,
        "trim_minimum_scores": spec.trim_minimum_scores,
        "notice_working_days": spec.notice_working_days,
        "notice_counting": spec.notice_counting,
        "first_review_due": spec.first_review_due,
        "reapply_waiting_years": spec.reapply_waiting_years,
        "application_number_prefix": spec.number_prefix,
        "source_file": source,
        "source_sha256": sha256,
    }
    call = _upsert(Call, {"slug": spec.slug}, values, changes, create_values={"state": state})
    for index, project_type in enumerate(spec.project_types):
        _write_project_type(call, project_type, index, unit_types, changes)
    _delete_missing(call.project_types.all(), [pt.code for pt in spec.project_types], changes)
    return call


def _write_project_type(
    call: Call, spec: ProjectTypeSpec, index: int, unit_types: dict[str, UnitType], changes: Changes
) -> None:
    project_type = _upsert(
        ProjectType,
        {"call": call, "code": spec.code},
        {
            "name": spec.name,
            "plaque_title": spec.plaque_title,
            "clause": spec.clause,
            "quota_min": spec.quota_min,
            "quota_max": spec.quota_max,
            "funding_amount": spec.funding_amount,
            "construction_start": spec.construction_start,
            "construction_end": spec.construction_end,
            "score_step": spec.score_step,
            "pass_line": spec.pass_line,
            "rectification_months": spec.rectification_months,
            "acceptance_excellent_min": spec.acceptance_bands.excellent,
            "acceptance_good_min": spec.acceptance_bands.good,
            "acceptance_qualified_min": spec.acceptance_bands.qualified,
            "acceptance_main_item_min_ratio": spec.acceptance_bands.main_item_min_ratio,
            "progress_report_due_month": spec.progress_report_due.month,
            "progress_report_due_day": spec.progress_report_due.day,
            "plaque_number_prefix": spec.plaque_prefix,
            "sort_order": index,
        },
        changes,
    )
    _set_m2m(project_type, "allowed_unit_types", [unit_types[code] for code in spec.allowed_unit_types], changes)

    values: dict[str, Any]
    for position, instalment in enumerate(spec.instalments):
        values = {
            "sequence": position + 1,
            "name": instalment.name,
            "percent": instalment.percent,
            "trigger": instalment.trigger,
        }
        _upsert(Instalment, {"project_type": project_type, "code": instalment.code}, values, changes)
    _delete_missing(project_type.instalments.all(), [item.code for item in spec.instalments], changes)

    for position, rule_spec in enumerate(spec.eligibility_rules):
        values = {
            "clause": rule_spec.clause,
            "description": rule_spec.description,
            "kind": rule_spec.kind,
            "metric": rule_spec.metric,
            "operator": rule_spec.operator or "",
            "threshold": rule_spec.threshold,
            "sort_order": position,
        }
        rule = _upsert(EligibilityRule, {"project_type": project_type, "code": rule_spec.code}, values, changes)
        unit_types_of_rule = [unit_types[code] for code in rule_spec.applies_to_unit_types]
        _set_m2m(rule, "applies_to_unit_types", unit_types_of_rule, changes)
    _delete_missing(project_type.eligibility_rules.all(), [item.code for item in spec.eligibility_rules], changes)

    for position, material in enumerate(spec.materials):
        values = {
            "name": material.name,
            "clause": material.clause,
            "description": material.description,
            "required": material.required,
            "generated": material.generated,
            "allow_multiple": material.multiple,
            "accepted_formats": list(material.accepted_formats),
            "max_size_mb": material.max_size_mb,
            "sort_order": position,
        }
        _upsert(MaterialRequirement, {"project_type": project_type, "code": material.code}, values, changes)
    _delete_missing(project_type.materials.all(), [item.code for item in spec.materials], changes)

    rubrics: tuple[tuple[str, Sequence[SelectionItemSpec | AcceptanceItemSpec]], ...] = (
        (RubricItem.Rubric.SELECTION, spec.selection_rubric),
        (RubricItem.Rubric.ACCEPTANCE, spec.acceptance_rubric),
    )
    for rubric, items in rubrics:
        for position, rubric_item in enumerate(items):
            values = {
                "group": rubric_item.group,
                "name": rubric_item.name,
                "description": rubric_item.description,
                "max_points": rubric_item.max_points,
                "sort_order": position,
            }
            lookup = {"project_type": project_type, "rubric": rubric, "code": rubric_item.code}
            _upsert(RubricItem, lookup, values, changes)
        _delete_missing(project_type.rubric_items.filter(rubric=rubric), [item.code for item in items], changes)


def write_attachments(call: Call, files: list[AttachmentFile], changes: Changes) -> None:
    for attachment_spec, index, content in files:
        sha256 = hashlib.sha256(content).hexdigest()
        attachment = call.attachments.filter(code=attachment_spec.code).first()
        if attachment is None:
            attachment = CallAttachment(call=call, code=attachment_spec.code)
        values: dict[str, Any] = {"title": attachment_spec.title, "sort_order": index}
        changed = [name for name, value in values.items() if getattr(attachment, name) != value]
        for name in changed:
            setattr(attachment, name, values[name])
        # Copy the file only when its content changed (or the stored copy has gone missing).
        stored = attachment.file.name  # empty when there is no file yet
        if attachment.sha256 != sha256 or not stored or not default_storage.exists(stored):
            if stored:
                changes.obsolete_files.append(stored)
            # The digest in the name keeps an old copy untouched until the transaction commits.
            name = f"{call.slug}/{attachment_spec.code}-{sha256[:12]}{Path(attachment_spec.path).suffix.lower()}"
            attachment.file.save(name, ContentFile(content), save=False)
            changes.saved_files.append(attachment.file.name or name)  # the storage's name for it, if it chose one
            attachment.sha256 = sha256
            changed += ["file", "sha256"]
        if attachment.pk is None:
            attachment.save()
            changes.note(f"新增通知附件「{attachment}」")
        elif changed:
            attachment.save(update_fields=changed)
            changes.note(f"更新通知附件「{attachment}」")
    stale = call.attachments.exclude(code__in=[spec.code for spec, _, _ in files])
    # Files of attachments dropped from the call file go once the rows are gone.
    changes.obsolete_files += [attachment.file.name for attachment in stale if attachment.file.name]
    _delete_missing(stale, [], changes)
