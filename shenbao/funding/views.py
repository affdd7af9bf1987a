"""Funding pages: the ledger (经费台账) list and one record with its payments and reversals, the budget
dashboard (预算执行) with the yearly appropriation, and the XLSX export.

The call administrator manages its city's records; the applicant unit reads its own. Records outside the user's
scope are fetched through the scoped selectors and answer 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shenbao.core.files import serve_generated_file
from shenbao.core.forms import add_service_errors
from shenbao.core.http import error_messages, or_404, page_of, require_permission
from shenbao.notices.selectors import beijing_date

from . import selectors, services
from .budget import budget_overview, overview_charts
from .exports import ledger_workbook
from .figures import PAYABLE_STATUSES
from .forms import AppropriationForm, LedgerFilterForm, PaymentForm, ReversalForm, YearFilterForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request):
    calls = list(selectors.list_record_calls(user=request.user))
    form = LedgerFilterForm(request.GET or None, calls=calls)
    call = next((item for item in calls if item.slug == request.GET.get("call")), None)
    status = request.GET.get("status") if request.GET.get("status") in ("active", "revoked") else None
    return form, call, status


@login_required
@require_safe
def ledger(request):
    require_permission(request.user, "funding.view_ledger")
    form, call, status = _filters(request)
    records = selectors.list_funding_records(user=request.user, call=call, status=status)
    page = page_of(request, records)
    page.object_list = selectors.annotate_records(page.object_list)
    context = {
        "filter_form": form,
        "page_obj": page,
        "manages": request.user.has_perm("funding.manage_budget"),
        "call": call,
    }
    return render(request, "funding/ledger.html", context)


def _payment_form(record, data=None):
    instalments = list(record.instalments.all())
    payable = [item for item in instalments if item.status in PAYABLE_STATUSES]
    initial = {}
    if payable:
        first = payable[0]
        initial = {"instalment": first.sequence, "amount": first.figures.unpaid, "paid_on": beijing_date()}
    return PaymentForm(data, instalments=payable, initial=initial)


def _render_record(request, record, payment_form=None, status=200):
    manages = request.user.has_perm("funding.manage_record", record)
    context = {
        "record": record,
        "application": record.application,
        "instalments": list(record.instalments.all()),
        "entries": selectors.list_record_entries(record=record),
        "manages": manages,
        "payment_form": (payment_form or _payment_form(record)) if manages and not record.is_revoked else None,
        "reversal_form": ReversalForm() if manages else None,
    }
    return render(request, "funding/record.html", context, status=status)


@login_required
@require_safe
def record_detail(request, public_id):
    record = or_404(selectors.get_funding_record, user=request.user, public_id=public_id)
    return _render_record(request, record)


@login_required
@require_POST
def record_payment(request, public_id):
    record = or_404(selectors.get_funding_record, user=request.user, public_id=public_id)
    require_permission(request.user, "funding.manage_record", record)
    form = _payment_form(record, request.POST)
    if form.is_valid():
        instalment = next(item for item in record.instalments.all() if item.sequence == form.cleaned_data["instalment"])
        try:
            services.record_payment(
                record=record,
                instalment=instalment,
                amount=form.cleaned_data["amount"],
                paid_on=form.cleaned_data["paid_on"],
                voucher_number=form.cleaned_data["voucher_number"],
                actor=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("已录入拨付：%(name)s %(amount)s 元（凭证号 %(voucher)s）。")
                % {
                    "name": instalment.name,
                    "amount": f"{form.cleaned_data['amount']:,.2f}",
                    "voucher": form.cleaned_data["voucher_number"],
                },
            )
            return redirect("funding:record", public_id=record.public_id)
    return _render_record(request, record, payment_form=form)


@login_required
@require_POST
def reverse_entry(request, public_id):
    entry = or_404(selectors.get_ledger_entry, user=request.user, public_id=public_id)
    require_permission(request.user, "funding.manage_record", entry.record)
    form = ReversalForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect("funding:record", public_id=entry.record.public_id)
    try:
        services.reverse_entry(
            entry=entry,
            reason=form.cleaned_data["reason"],
            on=form.cleaned_data["booked_on"],
            voucher_number=form.cleaned_data["voucher_number"],
            actor=request.user,
            request=request,
        )
    except ValidationError as error:
        for text in error_messages(error):
            messages.error(request, text)
    else:
        messages.success(request, _("已冲销该拨付记录，对应批次的未拨付金额已恢复。"))
    return redirect("funding:record", public_id=entry.record.public_id)


def _save_appropriation(request, form):
    if not form.is_valid():
        return False
    try:
        services.save_appropriation(
            actor=request.user,
            fund_source=form.cleaned_data["fund_source"],
            year=form.cleaned_data["year"],
            amount=form.cleaned_data["amount"],
            request=request,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, _("年度预算已保存。"))
    return True


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def budget(request):
    require_permission(request.user, "funding.manage_budget")
    fund_sources = selectors.list_fund_sources(user=request.user)
    form = AppropriationForm(
        request.POST if request.method == "POST" else None,
        fund_sources=fund_sources,
        initial={"fund_source": fund_sources[0] if fund_sources else "", "year": beijing_date().year},
    )
    if request.method == "POST" and _save_appropriation(request, form):
        return redirect("funding:budget")
    overview = budget_overview(user=request.user)
    # Its own id prefix: the appropriation form on the same page has a "year" field too.
    year_form = YearFilterForm(request.GET or None, years=overview.available_years, auto_id="filter_%s")
    year = year_form.cleaned_data.get("year") if year_form.is_valid() else None
    if year is not None:
        overview = budget_overview(user=request.user, year=year)
    context = {
        "overview": overview,
        "charts": overview_charts(overview),
        "form": form,
        "year_form": year_form,
        "appropriations": list(selectors.list_appropriations(user=request.user)),
    }
    return render(request, "funding/budget.html", context)


@login_required
@require_safe
def ledger_xlsx(request):
    require_permission(request.user, "funding.manage_budget")
    _form, call, status = _filters(request)
    records = selectors.annotate_records(selectors.list_funding_records(user=request.user, call=call, status=status))
    entries = selectors.list_ledger_entries_for_export(user=request.user, call=call)
    data = ledger_workbook(records=records, entries=entries, overview=budget_overview(user=request.user))
    return serve_generated_file(
        request,
        content=data,
        filename=f"经费台账-{call.slug if call else '全部'}.xlsx",
        content_type=XLSX,
        event="funding:export",
        details={"format": "xlsx", "call": call.slug if call else "", "records": len(records)},
    )
