"""统计分析 for the city's leadership: the dashboard (every call, or one), its XLSX, the one-page 「申报评审情况汇总」
(print and PDF) and the tables reported upward (汇总表, 评审结果表 as XLSX and DOCX).

A call of another city is not found (404) through `leadership.get_statistics_call`; every file taken away or page
printed is audited through `files.serve_generated_file` / `record_event`.
"""

from __future__ import annotations

from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from shenbao.audit.events import Event
from shenbao.audit.services import record_event
from shenbao.calls.models import Call
from shenbao.documents.pdf import render_template_pdf

from .files import serve_generated_file
from .http import or_404, permission_required
from .leadership import CityStatistics, build_city_statistics, get_statistics_call, statistics_workbook
from .upward import REPORTS, build_upward_report, upward_docx, upward_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
VIEW = "core.view_city_statistics"
SUMMARY_CSS = Path(__file__).resolve().parent / "static" / "core" / "statistics_summary.css"


def _call(request: HttpRequest, slug: str | None) -> Call | None:
    return None if slug is None else or_404(get_statistics_call, user=request.user, slug=slug)


def _scope_name(statistics: CityStatistics) -> str:
    return statistics.call.slug if statistics.call is not None else "all"


@require_safe
@permission_required(VIEW)
def dashboard(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The figures of one call (`slug`) or of every call of the city, each with its chart and table."""
    statistics = build_city_statistics(user=request.user, call=_call(request, slug))
    return render(request, "core/statistics/dashboard.html", {"statistics": statistics, "reports": REPORTS})


@require_safe
@permission_required(VIEW)
def dashboard_xlsx(request: HttpRequest, slug: str | None = None) -> HttpResponseBase:
    statistics = build_city_statistics(user=request.user, call=_call(request, slug))
    return serve_generated_file(
        request,
        content=statistics_workbook(statistics),
        filename=f"统计分析-{_scope_name(statistics)}.xlsx",
        content_type=XLSX,
        event=Event.STATISTICS_EXPORT,
        target=statistics.call,
        details={"format": "xlsx", "scope": _scope_name(statistics)},
    )


def _summary_context(request: HttpRequest, slug: str) -> dict[str, object]:
    statistics = build_city_statistics(user=request.user, call=_call(request, slug))
    return {
        "statistics": statistics,
        "organisation": request.user.organisation,  # type: ignore[union-attr]  # a leadership role has one
        "today": timezone.localdate(),
    }


@require_safe
@permission_required(VIEW)
def summary(request: HttpRequest, slug: str) -> HttpResponse:
    """「申报评审情况汇总」: one A4 page of the call's figures for the leadership, to print."""
    context = _summary_context(request, slug)
    statistics = context["statistics"]
    assert isinstance(statistics, CityStatistics)
    record_event(event=Event.STATISTICS_EXPORT, target=statistics.call, request=request, details={"format": "print"})
    return render(request, "core/statistics/summary.html", context)


@require_safe
@permission_required(VIEW)
def summary_pdf(request: HttpRequest, slug: str) -> HttpResponseBase:
    context = _summary_context(request, slug)
    statistics = context["statistics"]
    assert isinstance(statistics, CityStatistics) and statistics.call is not None
    content = render_template_pdf(
        template="core/statistics/summary_pdf.html", context=context, stylesheets=(SUMMARY_CSS,)
    )
    return serve_generated_file(
        request,
        content=content,
        filename=f"申报评审情况汇总-{statistics.call.slug}.pdf",
        content_type="application/pdf",
        event=Event.STATISTICS_EXPORT,
        target=statistics.call,
        details={"format": "pdf"},
    )


@require_safe
@permission_required("core.export_upward_reports")
def upward_report(request: HttpRequest, slug: str, kind: str, fmt: str) -> HttpResponseBase:
    """汇总表 / 评审结果表 of the call as XLSX or DOCX, with the sign-off boxes, from the template in data/."""
    if kind not in REPORTS or fmt not in {"xlsx", "docx"}:
        raise Http404
    call = _call(request, slug)
    assert call is not None
    organisation = request.user.organisation  # type: ignore[union-attr]  # signed in: the permission says so
    assert organisation is not None  # a call administrator belongs to the 技能办
    report = build_upward_report(kind=kind, call=call, organisation=organisation)
    content = upward_workbook(report) if fmt == "xlsx" else upward_docx(report)
    return serve_generated_file(
        request,
        content=content,
        filename=f"{report.title}.{fmt}",
        content_type=XLSX if fmt == "xlsx" else DOCX,
        event=Event.UPWARD_REPORT,
        target=call,
        details={"kind": kind, "format": fmt, "rows": len(report.rows)},
    )
