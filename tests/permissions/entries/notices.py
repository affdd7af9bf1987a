"""notices: public 公示 pages and objections; the working-day calendar (call and system administrators); the
call administrator's notices and objections (404 for every other role)."""

from shenbao.notices.models import CalendarDay
from tests.permissions.dsl import ADMIN, ROLES, SYSADMIN, allow, check, expect, get, post, public

CALENDAR = (ADMIN, SYSADMIN)


def _days(_obj):
    return list(CalendarDay.objects.order_by("pk").values_list("pk", "date", "is_working_day", "name"))


ENTRIES = [
    public("notices:public_list"),
    public("notices:public_detail", obj="notice"),
    public("notices:object", obj="notice", note="the objection form is public（named objections，三5）"),
    check(
        "POST",
        "notices:object",
        allow(ROLES, status=400),
        obj="notice",
        data={},
        watch=lambda notice: notice.objections.count(),
        note="anyone may file; an empty form is shown again with its errors (400)",
    ),
    public(
        "notices:objection_receipt",
        expect(404, ROLES),
        note="only right after filing (the receipt number is in the filer's session)",
    ),
    get("notices:calendar", allow(CALENDAR), denied=404),
    post("notices:calendar_day", allow(CALENDAR), denied=404, data={}, watch=_days),
    post("notices:calendar_day_remove", allow(CALENDAR), denied=404, data={}, watch=_days),
    post("notices:calendar_year", allow(CALENDAR), denied=404, data={}, watch=_days),
    get("notices:calendar_import", allow(CALENDAR), denied=404),
    post("notices:calendar_import", allow(CALENDAR), denied=404, data={}, watch=_days),
    get("notices:list", allow(ADMIN), denied=404),
    get("notices:publish", allow(ADMIN), denied=404),
    post("notices:publish", allow(ADMIN), denied=404, data={}),
    get("notices:objections", allow(ADMIN), denied=404),
    get("notices:objection_detail", allow(ADMIN), denied=404, obj="objection"),
    post(
        "notices:objection_detail",
        allow(ADMIN),
        denied=404,
        obj="objection",
        data={},
        watch=lambda objection: objection.status,
    ),
    get("notices:evidence_download", allow(ADMIN), denied=404, obj="evidence"),
    get("notices:detail", allow(ADMIN), denied=404, obj="notice"),
    get("notices:export_html", allow(ADMIN), denied=404, obj="notice"),
    get("notices:export_docx", allow(ADMIN), denied=404, obj="notice"),
]
