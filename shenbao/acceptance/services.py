"""Writes of the construction period: progress reports (建设进展报告) and the rectification report (整改报告).

The acceptance evaluation itself (评估验收, expert scores, result, revocation) is in `evaluations`; evidence files
in `evidence`. Every write locks its row (`core.transitions.lock`) and re-checks the permission there, so a double
click or two staff members of the same unit cannot overwrite each other; submitting and reviewing are steps of the
`workflow` machines, fired through `core.transitions.fire` (lock, actor, state, guards, effects, audit, notify).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shenbao.applications.rules import applicant_of_unit
from shenbao.applications.selectors import lock_application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.services import record_event
from shenbao.calls.periods import construction_years
from shenbao.core.days import format_day
from shenbao.core.money import ZERO, MoneyError, parse_money
from shenbao.core.revisions import check_revision
from shenbao.core.transitions import fire, lock

from . import periods, targets
from .models import EvidenceFile, FundUse, ProgressReport, Rectification
from .workflow import RECTIFICATION, REPORT

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.applications.models import Application


STATUS_CODES = frozenset(code for code, _label in targets.PROGRESS_STATUSES)


def _money(value: object, label: str) -> Decimal:
    """`core.money.parse_money` (not negative, blank is 0), its refusal naming the spending line."""
    try:
        return parse_money(value, blank=ZERO)
    except MoneyError as error:
        message = _("%(label)s：%(error)s") % {"label": label, "error": error.messages[0]}
        raise ValidationError(message, code="amount") from None


def report_url(report: ProgressReport) -> str:
    return reverse("acceptance:report_detail", kwargs={"public_id": report.public_id})


# --- Progress reports -------------------------------------------------------------------------------------------


def start_report(
    *,
    application: Application,
    year: int,
    user: User,
    at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> ProgressReport:
    """Start (or return the existing) report of `application` for `year`, with the unit's targets copied in."""
    at = at or timezone.now()
    project_type = application.project_type
    with transaction.atomic():
        locked = lock_application(application=application)
        if not applicant_of_unit(user, locked):
            raise PermissionDenied(_("只有本单位经办人可以填报建设进展报告。"))
        if locked.status != ApplicationStatus.AWARDED:
            raise ValidationError(_("该项目未授牌或已撤销命名，不能填报建设进展报告。"), code="not_designated")
        existing = ProgressReport.objects.filter(application=locked, year=year).first()
        if existing is not None:
            return existing
        if year not in construction_years(project_type):
            raise ValidationError(_("%(year)s年不在建设期内。") % {"year": year}, code="outside_period")
        opens_on = periods.report_opens_on(project_type, year)
        if periods.beijing_today(at) < opens_on:
            raise ValidationError(
                _("%(year)s年度建设进展报告自%(opens_on)s起填报。") % {"year": year, "opens_on": format_day(opens_on)},
                code="not_open",
            )
        form_data = targets.submitted_form_data(locked)
        report = ProgressReport(
            application=locked,
            year=year,
            due_on=periods.report_due_on(project_type, year),
            targets=targets.snapshot(
                targets.targets_for_year(project_type_code=project_type.code, form_data=form_data, year=year)
            ),
            created_by=user,
        )
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            return ProgressReport.objects.get(application=locked, year=year)
        FundUse.objects.bulk_create(
            FundUse(
                report=report,
                category=line.category,
                label=line.label,
                planned_subsidy=line.planned_subsidy,
                planned_own=line.planned_own,
                sort_order=index,
            )
            for index, line in enumerate(targets.fund_plan(project_type_code=project_type.code, form_data=form_data))
        )
        record_event(
            event="acceptance:start_report",
            actor=user,
            target=report,
            request=request,
            details={"number": locked.number, "year": year, "targets": len(report.targets)},
        )
    return report


def _clean_progress(report: ProgressReport, progress: Mapping[str, Any] | None) -> dict[str, dict[str, str]]:
    """{key: {"achieved": Decimal|None, "status": str, "note": str}} limited to the report's own targets."""
    cleaned: dict[str, dict[str, str]] = {}
    for target in report.targets:
        entry = (progress or {}).get(target["key"]) or {}
        achieved = entry.get("achieved")
        if achieved not in (None, ""):
            try:
                achieved = Decimal(str(achieved))
            except ArithmeticError:
                raise ValidationError(
                    _("%(label)s：完成数须为数字。") % {"label": target["label"]}, code="achieved"
                ) from None
            if not achieved.is_finite() or achieved < 0:
                raise ValidationError(
                    _("%(label)s：完成数须为不小于0的数。") % {"label": target["label"]}, code="achieved"
                )
            achieved = f"{achieved.normalize():f}"
        else:
            achieved = ""
        status = entry.get("status") or ""
        if status and status not in STATUS_CODES:
            raise ValidationError(_("%(label)s：请选择完成情况。") % {"label": target["label"]}, code="status")
        cleaned[target["key"]] = {"achieved": achieved, "status": status, "note": str(entry.get("note") or "").strip()}
    return cleaned


def save_report(
    *,
    report: ProgressReport,
    user: User,
    progress: Mapping[str, Any] | None,
    fund_uses: Mapping[str, tuple[object, object]] | None,
    narrative: str,
    expected_revision: int | str | None,
    request: HttpRequest | None = None,
) -> ProgressReport:
    """Save the draft: achievements per target, spending per category ({category: (subsidy, own)}), narrative."""
    with transaction.atomic():
        locked = lock(machine=REPORT, obj=report)
        if not rules.has_perm("acceptance.edit_report", user, locked):
            raise PermissionDenied(_("该报告当前不能修改。"))
        check_revision(current=locked.revision, expected=expected_revision, what=gettext_lazy("建设进展报告"))
        locked.progress = _clean_progress(locked, progress)
        locked.narrative = (narrative or "").strip()
        changed_funds: dict[str, list[str]] = {}
        for line in FundUse.objects.filter(report=locked):
            subsidy, own = (fund_uses or {}).get(line.category, (line.subsidy_spent, line.own_spent))
            subsidy = _money(subsidy, _("%(line)s·扶持经费") % {"line": line.label})
            own = _money(own, _("%(line)s·自筹资金") % {"line": line.label})
            if (subsidy, own) != (line.subsidy_spent, line.own_spent):
                changed_funds[line.label] = [f"{line.subsidy_spent}/{line.own_spent}", f"{subsidy}/{own}"]
                line.subsidy_spent, line.own_spent = subsidy, own
                line.save(update_fields=["subsidy_spent", "own_spent"])
        locked.revision += 1
        locked.save(update_fields=["progress", "narrative", "revision", "updated_at"])
        record_event(
            event="acceptance:save_report",
            actor=user,
            target=locked,
            request=request,
            changes=changed_funds or None,
            details={"year": locked.year, "revision": locked.revision},
        )
    return locked


def report_missing_items(report: ProgressReport, *, evidence_count: int | None = None) -> list[str]:
    """What still stops the report from being submitted (Chinese reasons); empty when complete."""
    missing: list[str] = []
    progress = report.progress or {}
    for target in report.targets:
        entry = progress.get(target["key"]) or {}
        if target["category"] == targets.QUANTITY:
            if entry.get("achieved") in (None, ""):
                missing.append(_("请填写“%(label)s”的完成数。") % {"label": target["label"]})
        elif not entry.get("status"):
            missing.append(_("请选择“%(label)s”的完成情况。") % {"label": target["label"]})
    if not (report.narrative or "").strip():
        missing.append(_("请填写年度建设情况综述。"))
    if evidence_count is None:
        evidence_count = EvidenceFile.objects.filter(report=report, is_current=True).count()
    if not evidence_count:
        missing.append(_("请上传至少一份佐证材料。"))
    return missing


def submit_report(
    *, report: ProgressReport, user: Any, at: datetime.datetime | None = None, request: HttpRequest | None = None
) -> ProgressReport:
    """Submit the report to the city (报送, `workflow.REPORT`); it is locked until the city returns it."""
    return fire(machine=REPORT, obj=report, name="submit_report", actor=user, at=at, request=request)


REVIEW_STEPS = {"accept": "accept_report", "return": "return_report"}


def review_report(
    *,
    report: ProgressReport,
    user: Any,
    decision: str,
    comment: str = "",
    at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> ProgressReport:
    """The city accepts the report (审核通过) or returns it with comments shown to the unit (退回修改)."""
    comment = (comment or "").strip()
    if decision not in REVIEW_STEPS:
        raise ValidationError(_("请选择审核结果。"), code="decision")
    if decision == "return" and not comment:
        raise ValidationError(_("退回修改须填写审核意见。"), code="comment_required")
    return fire(
        machine=REPORT,
        obj=report,
        name=REVIEW_STEPS[decision],
        actor=user,
        comment=comment,
        at=at,
        request=request,
    )


# --- Rectification (整改) -----------------------------------------------------------------------------------------


def rectification_url(rectification: Rectification) -> str:
    return reverse("acceptance:rectification_edit", kwargs={"public_id": rectification.public_id})


def save_rectification(
    *,
    rectification: Rectification,
    user: User,
    report: str,
    expected_revision: int | str | None,
    request: HttpRequest | None = None,
) -> Rectification:
    with transaction.atomic():
        locked = lock(machine=RECTIFICATION, obj=rectification)
        if not rules.has_perm("acceptance.edit_rectification", user, locked):
            raise PermissionDenied(_("该整改报告当前不能修改。"))
        check_revision(current=locked.revision, expected=expected_revision, what=gettext_lazy("整改报告"))
        locked.report = (report or "").strip()
        locked.revision += 1
        locked.save(update_fields=["report", "revision", "updated_at"])
        record_event(
            event="acceptance:save_rectification",
            actor=user,
            target=locked,
            request=request,
            details={"revision": locked.revision},
        )
    return locked


def rectification_missing_items(rectification: Rectification) -> list[str]:
    """What still stops the rectification report from being submitted; empty when complete."""
    missing = []
    if not rectification.report.strip():
        missing.append(_("请填写整改报告。"))
    if not EvidenceFile.objects.filter(rectification=rectification, is_current=True).exists():
        missing.append(_("请上传至少一份佐证材料。"))
    return missing


def submit_rectification(
    *,
    rectification: Rectification,
    user: Any,
    at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> Rectification:
    """Submit the rectification report, on or before its due date (Beijing time); the re-evaluation may follow."""
    return fire(
        machine=RECTIFICATION, obj=rectification, name="submit_rectification", actor=user, at=at, request=request
    )
