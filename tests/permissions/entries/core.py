"""core: the home page, the city portals and the public service hall (public), the per-role dashboard, the
province's statistics."""

from tests.permissions.dsl import LOGGED_IN, PROVINCE, ROLES, allow, check, get, public

ENTRIES = [
    public("core:home"),
    public("core:city_portal", kwargs={"slug": "jincheng"}),
    get("core:dashboard", allow(LOGGED_IN)),
    # 省级查看人员 only: every other role, city staff included, gets 403.
    get("core:province_statistics", allow(PROVINCE)),
    # The public service hall (政务服务): everyone, signed in or not, for the platform and for a city's portal.
    public("core:service"),
    public("core:service_announcements"),
    public("core:service_guide"),
    public("core:service_guide_detail", kwargs={"call_slug": "jincheng-2022", "code": "workstation"}),
    public("core:service_status"),
    check(
        "POST",
        "core:service_status",
        allow(ROLES, status=400),
        data={},
        note="anyone may ask; an empty form is shown again with its errors (400)",
    ),
    check(
        "POST",
        "core:service_status",
        allow(ROLES, status=200),
        data={"number": "2022-01-0001", "credit_code": "91140500MA0000000X"},
        variant="wrong pair",
        note="a wrong number and credit code pair gets the page with the one not-found answer",
    ),
    public("core:service_register"),
    public("core:city_service", kwargs={"slug": "jincheng"}),
    public("core:city_service_announcements", kwargs={"slug": "jincheng"}),
    public("core:city_service_notices", kwargs={"slug": "jincheng"}),
    public("core:city_service_guide", kwargs={"slug": "jincheng"}),
    public("core:city_service_register", kwargs={"slug": "jincheng"}),
]
