"""core: the home page and the city portals (public), the per-role dashboard, the province's statistics."""

from tests.permissions.dsl import LOGGED_IN, PROVINCE, allow, get, public

ENTRIES = [
    public("core:home"),
    public("core:city_portal", kwargs={"slug": "jincheng"}),
    get("core:dashboard", allow(LOGGED_IN)),
    # 省级查看人员 only: every other role, city staff included, gets 403.
    get("core:province_statistics", allow(PROVINCE)),
]
