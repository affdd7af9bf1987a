"""applications, the staff list (申报管理): saving and deleting one's own saved views, and the list's export job.

The list itself is `applications:list` (entries/applications.py: every logged-in role, scoped). Only the staff who
review applications may save views or export the list; another person's view answers 404 on delete.
"""

from shenbao.applications.models import SavedListView
from tests.permissions.dsl import ADMIN, CITY, CONSULTED, COUNTY, DEPARTMENT, OTHER_COUNTY, OWN, allow, expect, post
from tests.permissions.scenario import PerRole

SEARCHERS = (COUNTY, DEPARTMENT, CITY, ADMIN, CONSULTED)

ENTRIES = [
    post(
        "applications:save_view",
        allow(*SEARCHERS, status=302),
        data={"name": "权限矩阵视图", "query": "state=submitted"},
    ),
    post(
        "applications:delete_view",
        allow(*SEARCHERS, on=OWN, status=302),
        expect(404, *SEARCHERS, on=OTHER_COUNTY),
        obj="saved_list_view",
        denied=403,  # the other roles may not use the list's views at all, whoever's view it is
    ),
    # The export of the list, as an export job: the same staff; anyone else does not learn the kind exists (404).
    post(
        "exports:request",
        allow(*SEARCHERS, status=302),
        denied=404,
        kwargs={"kind": "applications.list"},
        data={"query": "state=submitted", "format": "csv", "export_columns": "number"},
        variant="applications.list",
    ),
]


def build(scenario):
    own = {
        role: SavedListView.objects.create(owner=user, name="我的视图", query="state=submitted")
        for role, user in scenario.users.items()
    }
    stranger = scenario.make_user("city_reviewer", scenario.users["city_reviewer"].organisation)
    other = SavedListView.objects.create(owner=stranger, name="他人的视图", query="")
    scenario.add("saved_list_view", own=PerRole(own), other_county=other)
