"""The one transition helper (`shenbao.core.transitions`), through a real model (a call and its `state`).

The machine below is declared for these tests only (not registered); its actor, guards and effects are plain
functions of this module named in its registries, as an app's would be.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template

from shenbao.accounts.roles import Role
from shenbao.audit.models import AuditEntry
from shenbao.calls.models import Call, CallState
from shenbao.core.transitions import (
    Machine,
    State,
    Transition,
    fire,
    machine_of,
    may_fire,
    registered_machines,
    state_of,
    unresolved_names,
)
from tests.factories import UserFactory


def is_call_admin(user, call):
    return user is not None and user.has_role(Role.CALL_ADMIN)


def title_is_short(*, call, actor, payload, at):
    return [] if len(call.title) <= 40 else ["标题过长。"]


def has_contact(*, call, actor, payload, at):
    return [] if call.contact_phone else ["请填写联系电话。"]


def mark_first(*, call, actor, payload, at):
    call.title += "·甲"


def mark_second(*, call, actor, payload, at):
    call.title += "·乙"


def write_contact_through_a_query(*, call, actor, payload, at):
    Call.objects.filter(pk=call.pk).update(contact_name="王五")


def refuse(*, call, actor, payload, at):
    raise ValidationError("效果拒绝。", code="refused")


ACTORS = {"call_admin": is_call_admin}
GUARDS = {"title_is_short": title_is_short, "has_contact": has_contact}
EFFECTS = {
    "mark_first": mark_first,
    "mark_second": mark_second,
    "refuse": refuse,
    "write_contact_through_a_query": write_contact_through_a_query,
}
HERE = "tests.core.test_transitions"

MACHINE = Machine(
    name="test_calls",
    model="calls.Call",
    noun="申报通知",
    subject="call",
    field="state",
    states=(State(CallState.DRAFT, "草稿", editable=True), State(CallState.PUBLISHED, "已发布", final=True)),
    transitions=(
        Transition(
            "publish",
            "发布",
            (CallState.DRAFT,),
            CallState.PUBLISHED,
            "call_admin",
            guards=("title_is_short", "has_contact"),
            effects=("mark_first", "mark_second"),
            payload=("reason",),
        ),
        Transition("retract", "撤回", (CallState.PUBLISHED,), CallState.DRAFT, "call_admin", requires_comment=True),
        Transition("amend", "修订", (CallState.PUBLISHED,), CallState.PUBLISHED, "call_admin"),
        Transition(
            "publish_refused", "发布", (CallState.DRAFT,), CallState.PUBLISHED, "call_admin", effects=("refuse",)
        ),
        Transition(
            "publish_writing",
            "发布",
            (CallState.DRAFT,),
            CallState.PUBLISHED,
            "call_admin",
            effects=("write_contact_through_a_query",),
        ),
    ),
    registries={"actor": f"{HERE}.ACTORS", "guard": f"{HERE}.GUARDS", "effect": f"{HERE}.EFFECTS"},
)


@pytest.fixture
def draft(db, make_call):
    return make_call(state=CallState.DRAFT, title="申报通知")


@pytest.fixture
def admin(db):
    return UserFactory(roles=[Role.CALL_ADMIN])


def publish(call, actor, **kwargs):
    return fire(machine=MACHINE, obj=call, name="publish", actor=actor, **kwargs)


def test_a_step_sets_the_state_runs_the_effects_in_order_and_audits(draft, admin):
    published = publish(draft, admin, payload={"reason": "按期", "ignored": "x"}, comment=" 同意。 ")
    assert published.state == CallState.PUBLISHED
    stored = Call.objects.get(pk=draft.pk)
    assert (stored.state, stored.title) == (CallState.PUBLISHED, "申报通知·甲·乙")
    entry = AuditEntry.objects.get(event="test_calls:publish")
    assert entry.actor == admin
    assert entry.changes == {"状态": ["草稿", "已发布"]}
    assert entry.additional_data["transition"] == "publish"
    assert entry.additional_data["comment"] == "同意。"
    assert entry.additional_data["reason"] == "按期"
    assert "ignored" not in entry.additional_data


def test_a_source_state_that_changed_is_refused_and_a_double_fire_is_one_transition(draft, admin):
    stale = Call.objects.get(pk=draft.pk)  # a second window still showing the draft
    publish(draft, admin)
    with pytest.raises(ValidationError) as caught:
        publish(stale, admin)
    assert caught.value.code == "state_changed"
    assert caught.value.messages == ["状态已变化：该申报通知当前已是「已发布」，请勿重复提交。请刷新页面。"]
    assert Call.objects.get(pk=draft.pk).title == "申报通知·甲·乙"  # the effects ran once
    assert AuditEntry.objects.filter(event="test_calls:publish").count() == 1


def test_a_state_that_is_not_a_source_names_the_state_and_the_step(draft, admin):
    with pytest.raises(ValidationError) as caught:
        fire(machine=MACHINE, obj=draft, name="amend", actor=admin)
    assert caught.value.code == "state_changed"
    assert caught.value.messages == ["状态已变化：该申报通知当前为「草稿」，不能再执行「修订」。请刷新页面。"]


def test_someone_who_is_not_the_actor_is_refused_before_the_state_is_told(draft, admin):
    other = UserFactory(roles=[Role.APPLICANT])
    for actor in (other, None):
        with pytest.raises(PermissionDenied, match="您无权对该申报通知执行「发布」。"):
            publish(draft, actor)
    published = publish(draft, admin)
    with pytest.raises(PermissionDenied):  # not "状态已变化": the state is not disclosed to a stranger
        publish(published, other)
    assert Call.objects.get(pk=draft.pk).state == CallState.PUBLISHED


def test_a_required_comment_must_be_given(draft, admin):
    published = publish(draft, admin)
    for blank in ("", "   "):
        with pytest.raises(ValidationError) as caught:
            fire(machine=MACHINE, obj=published, name="retract", actor=admin, comment=blank)
        assert caught.value.code == "comment_required"
        assert caught.value.messages == ["执行「撤回」须填写意见。"]
    retracted = fire(machine=MACHINE, obj=published, name="retract", actor=admin, comment="有误。")
    assert retracted.state == CallState.DRAFT


def test_every_guards_reasons_are_listed_and_nothing_changes(draft, admin):
    Call.objects.filter(pk=draft.pk).update(title="长" * 41, contact_phone="")
    with pytest.raises(ValidationError) as caught:
        publish(draft, admin)
    assert [(error.code, error.message) for error in caught.value.error_list] == [
        ("guard_failed", "标题过长。"),
        ("guard_failed", "请填写联系电话。"),
    ]
    stored = Call.objects.get(pk=draft.pk)
    assert (stored.state, stored.title) == (CallState.DRAFT, "长" * 41)
    assert not AuditEntry.objects.filter(event__startswith="test_calls:").exists()


def test_an_effect_that_refuses_rolls_the_whole_step_back(draft, admin):
    with pytest.raises(ValidationError, match="效果拒绝"):
        fire(machine=MACHINE, obj=draft, name="publish_refused", actor=admin)
    assert Call.objects.get(pk=draft.pk).state == CallState.DRAFT
    assert not AuditEntry.objects.filter(event__startswith="test_calls:").exists()


def test_an_unknown_step_is_refused(draft, admin):
    with pytest.raises(ValidationError) as caught:
        fire(machine=MACHINE, obj=draft, name="burn", actor=admin)
    assert caught.value.code == "unknown_transition"


def test_only_the_changed_fields_are_written(draft, admin):
    # A column an effect wrote through a query is not overwritten with the locked copy's value, and an auto_now
    # column the machine does not `touch` (the call's load time) keeps its value.
    loaded_at = Call.objects.get(pk=draft.pk).loaded_at
    fire(machine=MACHINE, obj=draft, name="publish_writing", actor=admin)
    stored = Call.objects.get(pk=draft.pk)
    assert (stored.state, stored.contact_name, stored.loaded_at) == (CallState.PUBLISHED, "王五", loaded_at)


def test_a_button_asks_the_actor_and_the_state_not_the_guards(draft, admin):
    step = MACHINE.transition("publish")
    Call.objects.filter(pk=draft.pk).update(contact_phone="")
    draft.refresh_from_db()
    assert may_fire(machine=MACHINE, step=step, obj=draft, user=admin)
    assert not may_fire(machine=MACHINE, step=step, obj=draft, user=UserFactory())
    draft.state = CallState.PUBLISHED
    assert not may_fire(machine=MACHINE, step=step, obj=draft, user=admin)


def test_every_registered_machine_resolves_its_names_and_describes_its_states(draft):
    machines = {machine.model for machine in registered_machines()}
    assert {"applications.Application", "calls.Call", "acceptance.ProgressReport"} <= machines
    for machine in (MACHINE, *registered_machines()):
        assert unresolved_names(machine) == [], machine.model
        assert {step.target for step in machine.transitions} <= set(machine.states_by_value), machine.model
    assert machine_of(draft).name == "calls"
    assert str(state_of(draft).label) == "草稿"
    assert MACHINE.state("nonsense").label == "nonsense"


def test_pages_take_the_label_badge_and_flags_from_the_table(draft):
    page = Template(
        "{% load states %}{% state_badge call %}|{{ call|state }}|"
        '{% if call|state_flag:"editable" %}editable{% endif %}{% if call|state_flag:"final" %}final{% endif %}'
    ).render(Context({"call": draft}))
    assert page == '<span class="badge status-badge text-bg-secondary">草稿</span>\n|草稿|editable'
