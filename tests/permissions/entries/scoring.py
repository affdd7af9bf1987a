"""scoring: the expert's score sheets (pages and API), the panel progress and reminders, reopening, the ranking,
the proposed list and its exports.

`build` (after experts.py's, which assigns the home expert to the `own` application in 专家评审 and a colleague to
the `unassigned` one) makes the home expert the panel's chair and has both experts submit their sheets, so:
- `assignment` own / unassigned: the home expert's own active assignment / the colleague's;
- `score_sheet` own / unassigned: the home expert's submitted sheet / the colleague's (which the home expert,
  as chair, may reopen but never read).
"""

from shenbao.applications.models import ApplicationMaterial
from shenbao.experts.panels import update_panel
from shenbao.scoring.models import ScoreSheet
from shenbao.scoring.selectors import list_rubric_items
from shenbao.scoring.services import submit_sheet
from tests.permissions.dsl import ADMIN, EXPERT, LOGGED_IN, OWN, UNASSIGNED, allow, check, expect, get, post

SCOPED = "panels are fetched within the user's scope (the administrator's city, the chair's own): others get 404"
LOCKED = "the home expert's own sheet is submitted: a further write answers 409 Conflict, never a change"
ROLE_FIRST = "the ranking pages check the administrator role first: other roles get 403"
NOT_ADMIN = tuple(role for role in LOGGED_IN if role != ADMIN)


def _material(assignment):
    material = ApplicationMaterial.objects.filter(application=assignment.application, is_current=True).first()
    return {"public_id": assignment.public_id, "material_public_id": material.public_id}


def _sheet_state(sheet):
    return ScoreSheet.objects.filter(pk=sheet.pk).values_list("status", "revision", "total").first()


def _assignment_sheet_state(assignment):
    return ScoreSheet.objects.filter(assignment=assignment).values_list("status", "revision", "total").first()


def _full_sheet(assignment):
    items = list_rubric_items(project_type=assignment.application.project_type)
    return {f"points-{item.code}": "0" for item in items} | {"revision": "0", "action": "save"}


ENTRIES = [
    # The expert's pages: only their own active assignment exists for them (404 for everything else).
    get("scoring:my_assignments", allow(EXPERT)),
    get("scoring:assignment", allow(EXPERT, on=OWN), obj="assignment"),
    get("scoring:sheet", allow(EXPERT, on=OWN), obj="assignment"),
    post(
        "scoring:sheet",
        expect(409, EXPERT, on=OWN),
        obj="assignment",
        data=_full_sheet,
        watch=_assignment_sheet_state,
        note=LOCKED,
    ),
    get("scoring:material", allow(EXPERT, on=OWN), obj="assignment", kwargs=_material),
    get(
        "scoring:document",
        allow(EXPERT, on=OWN),
        obj="assignment",
        kwargs=lambda a: {"public_id": a.public_id, "document": "application-form"},
        sample=1,
    ),
    # The signed sheet: its expert and the administrator; the chair never reads another expert's points.
    get("scoring:sheet_pdf", allow(EXPERT, on=OWN), allow(ADMIN), obj="score_sheet", sample=2),
    # Reopening: the administrator, or the chair for another expert's sheet (never their own).
    post(
        "scoring:reopen",
        allow(ADMIN),
        allow(EXPERT, on=UNASSIGNED),
        obj="score_sheet",
        data={"reason": "权限矩阵核查"},
        watch=_sheet_state,
    ),
    # Progress: the administrator and the panel's chair.
    get("scoring:panels", allow(ADMIN, EXPERT)),
    get("scoring:progress", allow(ADMIN, EXPERT), obj="panel", denied=404, note=SCOPED),
    post(
        "scoring:remind",
        allow(ADMIN),
        expect(403, EXPERT),
        obj="panel",
        denied=404,
        note=SCOPED + "; the chair follows the panel but only the administrator reminds",
    ),
    # Ranking and the proposed list: the administrator only.
    get("scoring:ranking", allow(ADMIN), note=ROLE_FIRST),
    post("scoring:tie_break", allow(ADMIN), data={"type": "workstation", "group": ""}, note=ROLE_FIRST),
    post("scoring:propose", allow(ADMIN), data={"type": "workstation"}, note=ROLE_FIRST),
    get("scoring:export", allow(ADMIN), kwargs={"file_format": "xlsx"}, variant="xlsx", note=ROLE_FIRST),
    get(
        "scoring:export",
        allow(ADMIN),
        kwargs={"file_format": "pdf"},
        query="list=proposed",
        variant="pdf",
        sample=1,
        note=ROLE_FIRST,
    ),
    # The API: session authentication (anonymous: 401); the list is for experts (403 for other roles), a sheet
    # exists only for its own expert (404 otherwise).
    check("GET", "api:scoring_assignments", allow(EXPERT), anonymous=401),
    check("GET", "api:scoring_sheet", allow(EXPERT, on=OWN), obj="assignment", anonymous=401),
    check(
        "PUT",
        "api:scoring_sheet_save",
        expect(409, EXPERT, on=OWN),
        obj="assignment",
        anonymous=401,
        json=True,
        data={"revision": 0, "entries": {"leaders-team": {"points": "1"}}},
        watch=_assignment_sheet_state,
        note=LOCKED,
    ),
    check(
        "POST",
        "api:scoring_sheet_submit",
        expect(409, EXPERT, on=OWN),
        obj="assignment",
        anonymous=401,
        json=True,
        data={"revision": 0, "entries": {}},
        watch=_assignment_sheet_state,
        note=LOCKED,
    ),
]


def _submit(assignment):
    items = list_rubric_items(project_type=assignment.application.project_type)
    scores = {item.code: {"points": str(item.max_points), "comment": ""} for item in items}
    return submit_sheet(assignment=assignment, expert=assignment.expert, scores=scores, overall_opinion="同意。")


def build(scenario):
    admin = scenario.users[ADMIN]
    home = scenario.users[EXPERT]
    assignments = scenario.kinds["assignment"]
    panel = scenario.kinds["panel"].objects[None]
    update_panel(
        panel=panel,
        actor=admin,
        name=panel.name,
        experts_per_application=panel.experts_per_application,
        exclude_same_county=panel.exclude_same_county,
        chair=home,
    )
    sheets = {relation: _submit(assignments.objects[relation]) for relation in (OWN, UNASSIGNED)}
    scenario.add("score_sheet", **sheets)
