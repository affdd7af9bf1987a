"""Pages of the expert app: who may open each (role × own/other city → status) and the forms end to end (their
query counts: test_view_queries.py)."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from shenbao.accounts.roles import Role
from shenbao.audit.models import AuditEntry
from shenbao.experts.models import Assignment, ExpertProfile, ExpertRelation
from shenbao.experts.services import (
    assign_experts,
    create_session,
    declare_relation,
    generate_slots,
    notify_applicants,
)
from shenbao.organisations.models import Organisation
from tests.exports.jobs import export_through_pages
from tests.factories import UserFactory
from tests.web import WebUser

from .builders import make_application, make_expert, make_panel, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(admin, other_city_admin, call, workstation_type):
    experts = [make_expert(admin, region_key=county) for county in ("140521", "140522", "140524")]
    unit = make_unit("140502", name="晋城市页面测试有限公司")
    application = make_application(unit, workstation_type)
    panel = make_panel(admin, call, workstation_type, experts, per_application=2)
    assign_experts(panel=panel, actor=admin)
    assignment = Assignment.objects.filter(application=application).order_by("pk").first()
    holder = assignment.expert
    idle = next(profile.user for profile in experts if not profile.user.expert_assignments.exists())
    relation = declare_relation(
        profile=experts[0], actor=admin, organisation_name="晋城市工业和信息化局", kind="advisory"
    )
    session = create_session(
        panel=panel,
        actor=admin,
        date=datetime.date(2023, 1, 10),
        start_time=datetime.time(9),
        place="会议室",
        presentation_minutes=10,
        questions_minutes=5,
    )
    (slot,) = generate_slots(session=session, actor=admin)
    notify_applicants(session=session, actor=admin)
    applicant = UserFactory(organisation=unit, roles=[Role.APPLICANT])
    city_reviewer = UserFactory(
        organisation=Organisation.objects.get(name="晋城市人力资源和社会保障局"), roles=[Role.CITY_REVIEWER]
    )
    return {
        "people": {
            "admin": admin,
            "other_city_admin": other_city_admin,
            "expert": holder,
            "idle_expert": idle,
            "applicant": applicant,
            "city_reviewer": city_reviewer,
        },
        "expert": experts[0],
        "relation": relation,
        "panel": panel,
        "assignment": assignment,
        "session": session,
        "slot": slot,
        "application": application,
    }


ADMIN_ONLY = {"admin": 200, "other_city_admin": 200, "expert": 403, "applicant": 403, "city_reviewer": 403}
ADMIN_OBJECT = {"admin": 200, "other_city_admin": 404, "expert": 403, "applicant": 403, "city_reviewer": 403}
ADMIN_ACTION = {"admin": 302, "other_city_admin": 404, "expert": 403, "applicant": 403, "city_reviewer": 403}


def pages(world):
    """(url name, args, method, data, expected statuses by person)."""
    expert, panel, assignment = world["expert"], world["panel"], world["assignment"]
    session, slot, relation = world["session"], world["slot"], world["relation"]
    other_member = next(member.expert for member in panel.memberships.all() if member.expert_id != assignment.expert_id)
    return [
        ("experts:pool", (), "get", {}, ADMIN_ONLY),
        ("experts:expert_create", (), "get", {}, ADMIN_ONLY),
        ("experts:import", (), "get", {}, ADMIN_ONLY),
        ("experts:import_template", (), "get", {}, ADMIN_ONLY),
        # The pool's export is an export job: asked for by the administrators, unknown (404) to everyone else.
        (
            "exports:request",
            ("experts.pool",),
            "post",
            {},
            {"admin": 302, "other_city_admin": 302, "expert": 404, "applicant": 404, "city_reviewer": 404},
        ),
        ("experts:panels", (), "get", {}, {**ADMIN_ONLY, "other_city_admin": 404}),  # no call in that city
        ("experts:panel_create", (), "post", {}, {**ADMIN_ACTION}),
        ("experts:expert_detail", (expert.public_id,), "get", {}, ADMIN_OBJECT),
        ("experts:expert_active", (expert.public_id,), "post", {"active": "1"}, ADMIN_ACTION),
        ("experts:relation_add", (expert.public_id,), "post", {}, ADMIN_ACTION),
        ("experts:relation_remove", (expert.public_id, relation.public_id), "post", {}, ADMIN_ACTION),
        ("experts:panel_detail", (panel.public_id,), "get", {}, ADMIN_OBJECT),
        ("experts:panel_members_add", (panel.public_id,), "post", {}, ADMIN_ACTION),
        (
            "experts:panel_member_remove",
            (panel.public_id, other_member.public_id),
            "post",
            {},
            ADMIN_ACTION,
        ),
        ("experts:panel_assign", (panel.public_id,), "post", {}, ADMIN_ACTION),
        ("experts:assignment_swap", (assignment.public_id,), "get", {}, ADMIN_OBJECT),
        ("experts:session_create", (panel.public_id,), "get", {}, ADMIN_OBJECT),
        ("experts:session_detail", (session.public_id,), "get", {}, ADMIN_OBJECT),
        ("experts:session_generate", (session.public_id,), "post", {}, ADMIN_ACTION),
        ("experts:session_notify", (session.public_id,), "post", {}, ADMIN_ACTION),
        ("experts:session_print", (session.public_id,), "get", {}, ADMIN_OBJECT),
        ("experts:session_pdf", (session.public_id,), "get", {}, ADMIN_OBJECT),
        ("experts:slot_edit", (slot.public_id,), "get", {}, ADMIN_OBJECT),
        ("experts:slot_delete", (slot.public_id,), "post", {}, ADMIN_ACTION),
        (
            "experts:my_assignments",
            (),
            "get",
            {},
            {"expert": 200, "idle_expert": 200, "admin": 403, "applicant": 403, "city_reviewer": 403},
        ),
        (
            "experts:recuse",
            (assignment.public_id,),
            "get",
            {},
            {"expert": 200, "idle_expert": 404, "admin": 403, "applicant": 403, "other_city_admin": 403},
        ),
        (
            "experts:my_defence",
            (),
            "get",
            {},
            {"applicant": 200, "expert": 403, "admin": 403, "city_reviewer": 403},
        ),
    ]


def test_every_page_answers_each_role_as_expected(client, world):
    failures = []
    for name, args, method, data, expected in pages(world):
        url = reverse(name, args=args)
        client.logout()
        anonymous = getattr(client, method)(url, data)
        if anonymous.status_code != 302 or "/accounts/login" not in anonymous["Location"]:
            failures.append((name, "anonymous", anonymous.status_code))
        for who, status in expected.items():
            if name in {"experts:slot_delete", "experts:relation_remove"} and who == "admin":
                continue  # destructive for the following rows; checked in their own tests below
            client.force_login(world["people"][who])
            got = getattr(client, method)(url, data).status_code
            if got != status:
                failures.append((name, who, got, status))
    assert failures == []


def test_unknown_objects_answer_404(client, world):
    import uuid

    client.force_login(world["people"]["admin"])
    for name in ("experts:expert_detail", "experts:panel_detail", "experts:session_detail", "experts:slot_edit"):
        assert client.get(reverse(name, args=[uuid.uuid4()])).status_code == 404
    client.force_login(world["people"]["expert"])
    assert client.get(reverse("experts:recuse", args=[uuid.uuid4()])).status_code == 404


def test_the_pool_shows_phones_to_the_administrator_and_the_expert_sees_his_masked(client, admin, world):
    profile = make_expert(admin, name="电话专家", phone="13935607777")
    client.force_login(admin)
    assert "13935607777" in client.get(reverse("experts:pool")).content.decode()

    client.force_login(profile.user)
    page = client.get(reverse("experts:my_assignments")).content.decode()
    assert "139****7777" in page and "13935607777" not in page


def test_creating_an_expert_on_the_page(client, admin, world):
    client.force_login(admin)
    county = world["expert"].region
    response = client.post(
        reverse("experts:expert_create"),
        {"full_name": "页面专家", "work_unit_name": "晋城市页面研究院", "region": county.pk, "phone": "13900001111"},
    )
    profile = ExpertProfile.objects.get(user__full_name="页面专家")
    assert response.status_code == 302 and response["Location"] == reverse(
        "experts:expert_detail", args=[profile.public_id]
    )
    refused = client.post(
        reverse("experts:expert_create"),
        {"full_name": "错号专家", "work_unit_name": "某单位", "region": county.pk, "phone": "1"},
    )
    assert refused.status_code == 200 and "联系电话格式不正确" in refused.content.decode()


def test_the_import_page_lists_errors_and_imports_nothing(client, admin, world):
    workbook = Workbook()
    workbook.active.append(["姓名", "工作单位", "所在县（市、区）"])
    workbook.active.append(["甲", "单位甲", "城区"])
    workbook.active.append(["乙", "单位乙", "火星"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "experts.xlsx"
    before = ExpertProfile.objects.count()
    client.force_login(admin)

    response = client.post(reverse("experts:import"), {"file": upload})

    page = response.content.decode()
    assert response.status_code == 200 and "第3行" in page and "所在县（市、区）" in page
    assert ExpertProfile.objects.count() == before


def test_the_pools_export_job_is_downloaded_and_opens_with_openpyxl(
    admin, world, password, django_capture_on_commit_callbacks
):
    web = WebUser()
    web.log_in(admin.username, password)
    pool = reverse("experts:pool")
    job, content = export_through_pages(
        web, django_capture_on_commit_callbacks, kind="experts.pool", data={}, form_url=pool
    )
    assert job.content_type.startswith("application/vnd.openxmlformats") and job.filename.endswith(".xlsx")
    worksheet = load_workbook(io.BytesIO(content)).active
    experts = ExpertProfile.objects.filter(city__key="140500").count()
    assert worksheet.max_row == 1 + experts and job.rows_total == job.rows_written == experts
    # Clear telephone numbers left the platform: who asked and who took the file are both on the audit chain.
    events = AuditEntry.objects.filter(event__in=["exports:request", "exports:download"], actor=admin)
    assert sorted(events.values_list("event", flat=True)) == ["exports:download", "exports:request"]


def test_swap_on_the_page_requires_a_reason(client, admin, world):
    assignment = world["assignment"]
    url = reverse("experts:assignment_swap", args=[assignment.public_id])
    client.force_login(admin)

    refused = client.post(url, {"reason": ""})
    done = client.post(url, {"reason": "专家生病。"})

    assert refused.status_code == 200
    assert done.status_code == 302
    assert Assignment.objects.get(pk=assignment.pk).status == Assignment.Status.SWAPPED


def test_recusal_on_the_page(client, world):
    assignment = world["assignment"]
    client.force_login(world["people"]["expert"])

    response = client.post(reverse("experts:recuse", args=[assignment.public_id]), {"reason": "亲属在该单位任职。"})

    assert response.status_code == 302
    assert Assignment.objects.get(pk=assignment.pk).status == Assignment.Status.RECUSED


def test_relation_removal_and_slot_removal_by_the_administrator(client, admin, world):
    client.force_login(admin)
    expert, relation, slot = world["expert"], world["relation"], world["slot"]

    removed = client.post(reverse("experts:relation_remove", args=[expert.public_id, relation.public_id]))
    dropped = client.post(reverse("experts:slot_delete", args=[slot.public_id]))

    assert removed.status_code == 302 and not ExpertRelation.objects.filter(pk=relation.pk).exists()
    assert dropped.status_code == 302 and not world["session"].slots.exists()


def test_the_applicant_sees_only_its_own_notified_slot(client, world, workstation_type, admin):
    other = make_application(make_unit("140521", name="晋城市别家单位有限公司"), workstation_type)
    generate_slots(session=world["session"], actor=admin)  # scheduled, not yet told
    client.force_login(world["people"]["applicant"])

    page = client.get(reverse("experts:my_defence")).content.decode()

    assert world["application"].number in page and "会议室" in page
    assert other.number not in page
    client.force_login(UserFactory(organisation=other.unit, roles=[Role.APPLICANT]))
    assert other.number not in client.get(reverse("experts:my_defence")).content.decode()


def test_the_session_pdf_download(client, admin, world):
    client.force_login(admin)
    response = client.get(reverse("experts:session_pdf", args=[world["session"].public_id]))
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF")


# --- query counts -----------------------------------------------------------------------------------------------


def test_the_swap_form_names_experts_by_public_id_and_swaps_to_the_chosen_one(client, admin, world):
    assignment = world["assignment"]
    url = reverse("experts:assignment_swap", args=[assignment.public_id])
    client.force_login(admin)
    form = client.get(url).context["form"]
    values = [value for value, _label in form.fields["replacement"].choices if value]
    assert values, "the page offers replacements"
    assert all(len(value) == 36 and not value.isdigit() for value in values)  # UUIDs, never integer keys
    chosen = next(iter(form.eligible))

    response = client.post(url, {"reason": "专家出差。", "replacement": chosen})

    assert response.status_code == 302
    new = Assignment.objects.filter(application=assignment.application).exclude(pk=assignment.pk).latest("pk")
    assert str(new.expert.public_id) == chosen
    refused = client.post(
        reverse("experts:assignment_swap", args=[new.public_id]),
        {"reason": "再换。", "replacement": str(new.expert.pk)},
    )
    assert refused.status_code == 200  # an integer key is not a choice
