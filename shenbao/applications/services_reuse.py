"""Writes that fill a draft from elsewhere: 复制往年申报 (`copy_application_from`, `start_application_from`) and the
Excel import of a table (`import_table_rows`). Like `services.save_section` they lock the row, check the unit's
applicant and the state again, refresh the live eligibility result and are audited.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.audit.services import record_event
from shenbao.core.revisions import check_revision

from .diff import diff_form_data
from .formdata import clean_section
from .metrics import evaluate_eligibility
from .models import Application
from .reuse import as_raw, plan_copy
from .rules import applicant_of_unit
from .search_columns import SEARCH_COLUMNS, search_columns_of
from .sections import get_form_spec
from .sections.spec import Section, Table
from .services import APPLICATION_CONTENT, start_application, store_section
from .workflow import EDITABLE_STATES, ApplicationStatus

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.calls.models import Call, ProjectType
    from shenbao.organisations.models import Organisation


def _source_summary(source: Application) -> dict[str, Any]:
    return {
        "number": source.number,
        "public_id": str(source.public_id),
        "call_title": source.call.title,
        "call_year": source.call.year,
        "project_type": source.project_type.name,
        "status": str(ApplicationStatus(source.status).label),
    }


def _check_source(*, application: Application, source: Application) -> None:
    if source.unit_id != application.unit_id:
        # Only the unit's own earlier applications; another unit's does not exist for this one.
        raise Application.DoesNotExist("not an application of this unit")
    if source.pk == application.pk or source.call_id == application.call_id:
        raise ValidationError(_("只能从往年（其他申报通知）的申报复制。"), code="same_call")


def _materials_to_upload(application: Application) -> list[str]:
    requirements = application.project_type.materials.filter(generated=False).order_by("sort_order", "pk")
    return [requirement.name for requirement in requirements]


def copy_application_from(
    *, application: Application, source: Application, user: User, at: dt.datetime | None = None
) -> Application:
    """Fill the draft `application` from the unit's earlier application `source`; returns the updated draft.

    Copies what `reuse.plan_copy` allows (items present in both forms, cleaned again against this year's form);
    items not copied keep the draft's current value. Stores the report (copied / to re-enter per section,
    materials to upload again) on the draft and recomputes eligibility under this call's rules.
    Raises Application.DoesNotExist (another unit's source: views answer 404), PermissionDenied (not the unit's
    applicant) and ValidationError (the draft is no longer a draft, or the source is of the same call).
    """
    at = at or timezone.now()
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call", "project_type", "unit")
            .get(pk=application.pk)
        )
        if not applicant_of_unit(user, locked):
            raise PermissionDenied(_("只有本单位的申报经办人可以复制往年申报。"))
        if locked.status != ApplicationStatus.DRAFT:
            raise ValidationError(
                _("申报当前状态为「%(status_display)s」，只能复制到尚未提交的草稿。")
                % {"status_display": locked.get_status_display()},
                code="not_draft",
            )
        _check_source(application=locked, source=source)
        spec = get_form_spec(locked.project_type)
        plan = plan_copy(
            source_spec=get_form_spec(source.project_type), source_form_data=source.form_data, target_spec=spec
        )
        old_form_data = locked.form_data or {}
        form_data = dict(old_form_data)
        for section in plan:
            if section.values or section.blanks:
                form_data[section.key] = {**section.blanks, **(form_data.get(section.key) or {}), **section.values}
        locked.form_data = form_data
        locked.revision += 1
        locked.eligibility = evaluate_eligibility(application=locked)
        locked.copied_from = source
        locked.copy_report = {
            "source": _source_summary(source),
            "copied_at": at.isoformat(),
            "sections": [section.as_report() for section in plan],
            "materials": _materials_to_upload(locked),
            "pending": [section.key for section in plan if section.copied or section.reenter],
        }
        for column, value in search_columns_of(form_data).items():
            setattr(locked, column, value)
        locked.save(
            update_fields=[
                "form_data",
                "revision",
                "eligibility",
                "copied_from",
                "copy_report",
                "updated_at",
                *SEARCH_COLUMNS,
            ]
        )
        changes = diff_form_data(spec=spec, old=old_form_data, new=form_data)
        record_event(
            event="application:copy_from",
            actor=user,
            target=locked,
            changes={change["label"]: [change["old"], change["new"]] for change in changes},
            details={
                "source": source.number,
                "source_call": source.call.slug,
                "copied_sections": [section.key for section in plan if section.copied],
                "revision": locked.revision,
            },
        )
    return locked


def start_application_from(
    *,
    call: Call,
    project_type: ProjectType,
    source: Application,
    unit: Organisation,
    user: User,
    at: dt.datetime | None = None,
) -> Application:
    """Start `unit`'s draft for `project_type` and fill it from `source` in one transaction (both or neither)."""
    with transaction.atomic():
        application = start_application(call=call, project_type=project_type, unit=unit, user=user, at=at)
        return copy_application_from(application=application, source=source, user=user, at=at)


def import_table_rows(
    *,
    application: Application,
    section_key: str,
    table_name: str,
    rows: list[dict[str, Any]],
    user: User,
    expected_revision: int | str | None = None,
) -> Application:
    """Replace the rows of one table of the draft with `rows` (raw values, as `formdata.clean_section` takes them).

    All or nothing: ValidationError {"<table>.<row index>.<column>": message} when a row is refused, and nothing
    changes. The section's other items keep their values.
    """
    spec = get_form_spec(application.project_type)
    section = spec.section(section_key)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not applicant_of_unit(user, locked):
            raise PermissionDenied(_("只有本单位的申报经办人可以导入表格。"))
        if locked.status not in EDITABLE_STATES:
            raise ValidationError(
                _("申报当前状态为「%(state)s」，不能修改。") % {"state": locked.get_status_display()},
                code="not_editable",
            )
        check_revision(current=locked.revision, expected=expected_revision, what=APPLICATION_CONTENT, optional=True)
        previous = (locked.form_data or {}).get(section_key) or {}
        data = {**previous, table_name: rows}
        # The other items go through the cleaner as stored; identity numbers are posted back as their tokens' text.
        cleaned, errors = clean_section(
            spec=spec, section_key=section_key, data=_as_posted(section, data), previous=previous
        )
        if errors:
            raise ValidationError(errors)
        store_section(
            locked,
            section_key=section_key,
            cleaned=cleaned,
            changes=diff_form_data(spec=spec, old={section_key: previous}, new={section_key: cleaned}),
            user=user,
            event="application:import_table",
            details={"table": table_name, "rows": len(rows)},
        )
    return locked


def _as_posted(section: Section, data: dict[str, Any]) -> dict[str, Any]:
    """Stored values of a section as raw input again (身份证号码 in clear; the cleaner keeps their tokens)."""
    return {
        item.name: data.get(item.name) if isinstance(item, Table) else as_raw(item, data.get(item.name))
        for item in section.items
    }
