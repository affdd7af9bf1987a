"""experts: the pool (专家库), panels and assignments, the 答辩 schedule for the call administrator; the expert's own
assignments and 回避; the applicant unit's own 答辩 slot.

Administrator pages check the role first (403 for every other role), then fetch the object within the city (404
outside it). `build` makes the home expert an expert of the pool, puts them in the workstation panel with a
colleague and assigns the home expert to the own, other-county and city-direct applications in 专家评审 and the
colleague (not the home expert) to the unassigned one, as README.md asks.
"""

import datetime

from shenbao.experts.models import Assignment, ExpertProfile, PanelMember
from shenbao.experts.panels import add_panel_members, create_panel
from shenbao.experts.services import (
    assign_experts,
    create_expert,
    create_session,
    declare_relation,
    generate_slots,
    notify_applicants,
    swap_assignment,
)
from tests.permissions.dsl import ADMIN, APPLICANT, EXPERT, LOGGED_IN, OWN, UNASSIGNED, allow, expect, get, post

NOT_ADMIN = tuple(role for role in LOGGED_IN if role != ADMIN)
ROLE_FIRST = "administrator pages check the role before fetching the object: other roles get 403, not 404"
NOT_EXPERT = tuple(role for role in LOGGED_IN if role != EXPERT)


def _admin_object(method, url, kind, **options):
    return (get if method == "GET" else post)(
        url, expect(403, NOT_ADMIN), allow(ADMIN), obj=kind, note=ROLE_FIRST, **options
    )


def _relation_kwargs(relation):
    return {"public_id": relation.expert.public_id, "relation_id": relation.public_id}


def _member_kwargs(member):
    return {"public_id": member.panel.public_id, "expert_id": member.expert.public_id}


def _status(obj):
    return obj.status


ENTRIES = [
    # 专家库
    get("experts:pool", allow(ADMIN)),
    get("experts:expert_create", allow(ADMIN)),
    post("experts:expert_create", allow(ADMIN), data={}),
    get("experts:import", allow(ADMIN)),
    post("experts:import", allow(ADMIN), data={}),
    get("experts:import_template", allow(ADMIN)),
    # The pool's export, as an export job: the administrators; anyone else does not learn the kind exists (404).
    post(
        "exports:request", allow(ADMIN, status=302), denied=404, kwargs={"kind": "experts.pool"}, variant="experts.pool"
    ),
    _admin_object("GET", "experts:expert_detail", "expert_profile"),
    _admin_object("POST", "experts:expert_detail", "expert_profile", data={}),
    _admin_object("POST", "experts:expert_active", "expert_profile", data={"active": "1"}),
    _admin_object("POST", "experts:relation_add", "expert_profile", data={}),
    _admin_object("POST", "experts:relation_remove", "expert_relation", kwargs=_relation_kwargs),
    # 专家组 and assignments
    get("experts:panels", allow(ADMIN)),
    post("experts:panel_create", allow(ADMIN), data={}),
    _admin_object("GET", "experts:panel_detail", "panel"),
    _admin_object("POST", "experts:panel_detail", "panel", data={}),
    _admin_object("POST", "experts:panel_members_add", "panel", data={}),
    _admin_object("POST", "experts:panel_member_remove", "panel_member", kwargs=_member_kwargs),
    _admin_object("POST", "experts:panel_assign", "panel"),
    get("experts:assignment_swap", expect(403, NOT_ADMIN), allow(ADMIN), obj="assignment", note=ROLE_FIRST),
    post(
        "experts:assignment_swap",
        expect(403, NOT_ADMIN),
        allow(ADMIN),
        obj="assignment",
        data={"reason": ""},
        watch=_status,
        note=ROLE_FIRST,
    ),
    # 答辩
    _admin_object("GET", "experts:session_create", "panel"),
    _admin_object("POST", "experts:session_create", "panel", data={}),
    _admin_object("GET", "experts:session_detail", "defence_session"),
    _admin_object("POST", "experts:session_detail", "defence_session", data={}),
    _admin_object("POST", "experts:session_generate", "defence_session"),
    _admin_object("POST", "experts:session_notify", "defence_session"),
    _admin_object("GET", "experts:session_print", "defence_session"),
    _admin_object("GET", "experts:session_pdf", "defence_session", sample=1),
    _admin_object("GET", "experts:slot_edit", "defence_slot"),
    _admin_object("POST", "experts:slot_edit", "defence_slot", data={}),
    _admin_object("POST", "experts:slot_delete", "defence_slot"),
    get("experts:my_defence", allow(APPLICANT)),
    # The expert's own work: only their own active assignment (another expert's answers 404).
    get("experts:my_assignments", allow(EXPERT)),
    get(
        "experts:recuse",
        expect(403, NOT_EXPERT),
        allow(EXPERT, on=OWN),
        obj="assignment",
        note="a role other than expert is refused before the lookup",
    ),
    post(
        "experts:recuse",
        expect(403, NOT_EXPERT),
        allow(EXPERT, on=OWN),
        obj="assignment",
        data={"reason": ""},
        watch=_status,
        note="a role other than expert is refused before the lookup",
    ),
]


def build(scenario):
    admin = scenario.users[ADMIN]
    home = scenario.users[EXPERT]
    review = scenario.kinds["application.expert_review"]
    # The acceptance entry may have put the matrix expert in the pool already (acceptance experts come from it).
    profile = ExpertProfile.objects.filter(user=home).first() or create_expert(
        actor=admin,
        user=home,
        full_name=home.full_name,
        work_unit_name="",
        region=home.organisation.region,
        phone="13935600000",
    )
    colleague = create_expert(
        actor=admin, full_name="矩阵同事专家", work_unit_name="晋城市矩阵研究院", region=home.organisation.region
    )
    spare = create_expert(
        actor=admin, full_name="矩阵备用专家", work_unit_name="晋城市矩阵备用研究院", region=home.organisation.region
    )
    relation = declare_relation(profile=profile, actor=admin, organisation_name="晋城市教育局", kind="advisory")
    # The scenario's call file asks for one expert per application (the panel may not ask for fewer).
    type(scenario.call).objects.filter(pk=scenario.call.pk).update(experts_per_application=1)
    scenario.call.experts_per_application = 1
    panel = create_panel(
        call=scenario.call,
        project_type=review[OWN].project_type,
        actor=admin,
        experts_per_application=1,
        exclude_same_county=False,
    )
    add_panel_members(panel=panel, actor=admin, experts=[home])
    assign_experts(panel=panel, actor=admin)
    add_panel_members(panel=panel, actor=admin, experts=[colleague.user, spare.user])
    unassigned = Assignment.objects.get(application=review[UNASSIGNED], status=Assignment.Status.ACTIVE)
    swap_assignment(assignment=unassigned, actor=admin, reason="矩阵场景", replacement=colleague.user)
    assignments = {
        relation_name: Assignment.objects.select_related("panel").get(
            application=review[relation_name], status=Assignment.Status.ACTIVE
        )
        for relation_name in (OWN, UNASSIGNED)
    }
    session = create_session(
        panel=panel,
        actor=admin,
        date=scenario.call.submission_deadline.date(),
        start_time=datetime.time(9),
        place="矩阵会议室",
        presentation_minutes=10,
        questions_minutes=5,
    )
    slots = generate_slots(session=session, actor=admin)
    notify_applicants(session=session, actor=admin)
    scenario.add("expert_profile", profile)
    scenario.add("expert_relation", relation)
    scenario.add("panel", panel)
    scenario.add("panel_member", PanelMember.objects.select_related("panel", "expert").get(expert=spare.user))
    scenario.add("assignment", **assignments)
    scenario.add("defence_session", session)
    scenario.add("defence_slot", slots[0])
