"""The 答辩 schedule: sessions, slots generated one after another and edited, notices, the PDF."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shenbao.experts.documents import render_schedule_pdf
from shenbao.experts.models import DefenceSlot
from shenbao.experts.services import create_session, delete_slot, generate_slots, notify_applicants, update_slot
from shenbao.notifications.models import Notification
from tests.documents.helpers import pdf_fonts, pdf_text, squeeze

from .builders import make_application, make_panel, make_unit

pytestmark = pytest.mark.django_db


def t(text):
    return datetime.time.fromisoformat(text)


@pytest.fixture
def panel(admin, call, workstation_type):
    return make_panel(admin, call, workstation_type)


@pytest.fixture
def applications(workstation_type):
    names = ("晋城市答辩一号机械有限公司", "晋城市答辩二号机械有限公司", "晋城市答辩三号机械有限公司")
    return [make_application(make_unit("140502", name=name), workstation_type) for name in names]


@pytest.fixture
def session(admin, panel):
    return create_session(
        panel=panel,
        actor=admin,
        date=datetime.date(2023, 1, 10),
        start_time=t("09:00"),
        place="晋城市人社局三楼会议室",
        presentation_minutes=10,
        questions_minutes=5,
    )


def slot_times(session):
    return [(slot.sequence, slot.starts_at, slot.ends_at) for slot in session.slots.order_by("sequence")]


def test_slots_follow_one_another_from_the_start_time(admin, session, applications):
    created = generate_slots(session=session, actor=admin)

    assert [slot.application for slot in created] == sorted(applications, key=lambda a: a.number)
    assert slot_times(session) == [
        (1, t("09:00"), t("09:15")),
        (2, t("09:15"), t("09:30")),
        (3, t("09:30"), t("09:45")),
    ]
    assert generate_slots(session=session, actor=admin) == []


def test_late_applications_are_appended_after_the_last_slot(admin, session, applications, workstation_type):
    generate_slots(session=session, actor=admin)
    late = make_application(make_unit("140521"), workstation_type)

    (slot,) = generate_slots(session=session, actor=admin)

    assert slot.application == late and (slot.sequence, slot.starts_at) == (4, t("09:45"))


def test_a_slot_can_be_edited_but_never_overlap_another(admin, session, applications):
    first, _second, _third = generate_slots(session=session, actor=admin)

    with pytest.raises(ValidationError) as refused:
        update_slot(slot=first, actor=admin, starts_at=t("09:10"), presentation_minutes=10, questions_minutes=5)
    assert "重叠" in str(refused.value)

    update_slot(slot=first, actor=admin, starts_at=t("10:00"), presentation_minutes=20, questions_minutes=10)
    assert slot_times(session) == [
        (1, t("09:15"), t("09:30")),
        (2, t("09:30"), t("09:45")),
        (3, t("10:00"), t("10:30")),
    ]
    with pytest.raises(ValidationError) as midnight:
        update_slot(slot=first, actor=admin, starts_at=t("23:50"), presentation_minutes=10, questions_minutes=5)
    assert "午夜" in str(midnight.value)


def test_removing_a_slot_renumbers_the_rest(admin, session, applications):
    first, _second, _third = generate_slots(session=session, actor=admin)
    delete_slot(slot=first, actor=admin)
    assert [sequence for sequence, _start, _end in slot_times(session)] == [1, 2]


def test_applicants_are_told_once_and_again_after_a_change(admin, session, applications):
    from shenbao.accounts.roles import Role
    from tests.factories import UserFactory

    slots = generate_slots(session=session, actor=admin)
    colleague = UserFactory(organisation=applications[0].unit, roles=[Role.APPLICANT])

    assert notify_applicants(session=session, actor=admin) == 3
    assert notify_applicants(session=session, actor=admin) == 0
    message = Notification.objects.get(recipient=colleague, event="experts:defence_scheduled")
    assert "2023年1月10日 09:00—09:15" in message.body and "晋城市人社局三楼会议室" in message.body
    assert message.url == reverse("experts:my_defence")

    first = DefenceSlot.objects.get(pk=slots[0].pk)
    update_slot(slot=first, actor=admin, starts_at=t("11:00"), presentation_minutes=10, questions_minutes=5)
    assert notify_applicants(session=session, actor=admin) == 1
    assert Notification.objects.filter(recipient=colleague, event="experts:defence_scheduled").count() == 2


def test_only_the_citys_administrator_schedules(other_city_admin, panel):
    with pytest.raises(ValidationError):
        create_session(
            panel=panel,
            actor=other_city_admin,
            date=datetime.date(2023, 1, 10),
            start_time=t("09:00"),
            place="某地",
            presentation_minutes=10,
            questions_minutes=5,
        )


def test_the_schedule_pdf_names_the_units_in_chinese_with_an_embedded_cjk_font(admin, session, applications):
    generate_slots(session=session, actor=admin)

    data = render_schedule_pdf(session=session, user=admin)

    text = squeeze(pdf_text(data))
    assert "晋城市答辩一号机械有限公司" in text and "答辩安排表" in text and "09:00—09:15" in text
    fonts = pdf_fonts(data)
    assert any("CJK" in name and embedded for name, embedded in fonts.items()), fonts
