"""工作日历 pages: year overview with the administrator's entries, single-day entries, year completeness, import."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .calendar_services import (
    get_year_overview,
    import_schedule,
    mark_year,
    preview_schedule,
    remove_calendar_day,
    set_calendar_day,
)
from .forms import CalendarDayForm, CalendarYearForm, ScheduleImportForm
from .permissions import perm_or_404
from .selectors import beijing_date

MANAGE = "notices.manage_calendar"


def _year_param(value, default):
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= 2100 else default


def _calendar_url(year):
    return f"{reverse('notices:calendar')}?year={year}"


@perm_or_404(MANAGE)
def calendar_overview(request):
    year = _year_param(request.GET.get("year"), beijing_date().year)
    overview = get_year_overview(year=year)
    record = overview.record
    context = {
        "overview": overview,
        "years": range(year - 2, year + 3),
        "day_form": CalendarDayForm(),
        "year_form": CalendarYearForm(
            initial={"year": year, "source": record.source if record else "", "complete": True}
        ),
    }
    return render(request, "notices/calendar.html", context)


@require_POST
@perm_or_404(MANAGE)
def calendar_day(request):
    form = CalendarDayForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_calendar_url(_year_param(request.POST.get("year"), beijing_date().year)))
    data = form.cleaned_data
    set_calendar_day(
        date=data["date"],
        is_working_day=data["kind"] == "work",
        name=data["name"],
        note=data["note"],
        user=request.user,
        request=request,
    )
    messages.success(request, _("已保存%(date)s的工作日设置。") % {"date": format(data["date"], "%Y-%m-%d")})
    return redirect(_calendar_url(data["date"].year))


@require_POST
@perm_or_404(MANAGE)
def calendar_day_remove(request):
    form = CalendarDayForm(request.POST)
    form.is_valid()
    date = form.cleaned_data.get("date")
    if date is None:
        messages.error(request, _("日期无效。"))
        return redirect("notices:calendar")
    if remove_calendar_day(date=date, user=request.user, request=request):
        messages.success(request, _("已删除%(date)s的调整，该日恢复为默认安排。") % {"date": format(date, "%Y-%m-%d")})
    return redirect(_calendar_url(date.year))


@require_POST
@perm_or_404(MANAGE)
def calendar_year(request):
    form = CalendarYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("年份无效。"))
        return redirect("notices:calendar")
    data = form.cleaned_data
    try:
        mark_year(
            year=data["year"], complete=data["complete"], source=data["source"], user=request.user, request=request
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if data["complete"]:
            messages.success(request, _("已将%(year)s年标记为已完整录入，可据此计算工作日。") % {"year": data["year"]})
        else:
            messages.success(request, _("已撤销%(year)s年的完整录入标记。") % {"year": data["year"]})
    return redirect(_calendar_url(data["year"]))


@perm_or_404(MANAGE)
def calendar_import(request):
    """Paste or upload → preview (every date with what changes) → confirm (all or nothing)."""
    if request.method != "POST":
        year = _year_param(request.GET.get("year"), beijing_date().year + 1)
        form = ScheduleImportForm(
            initial={"year": year, "source": f"国务院办公厅关于{year}年部分节假日安排的通知", "mark_complete": True}
        )
        return render(request, "notices/calendar_import.html", {"form": form})
    form = ScheduleImportForm(request.POST, request.FILES)
    context = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "confirm":
                days = import_schedule(
                    text=data["text"],
                    year=data["year"],
                    source=data["source"],
                    mark_complete=data["mark_complete"],
                    user=request.user,
                    request=request,
                )
                messages.success(
                    request, _("已导入%(year)s年的%(count)s个日期。") % {"year": data["year"], "count": len(days)}
                )
                return redirect(_calendar_url(data["year"]))
            context["preview"] = preview_schedule(text=data["text"], year=data["year"])
            context["confirm_form"] = ScheduleImportForm(initial={**data, "upload": None})
        except ValidationError as exc:
            context["import_errors"] = exc.messages
    return render(request, "notices/calendar_import.html", context)
