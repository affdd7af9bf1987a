"""A person (by 身份证号码) is listed in at most one unit's application of a call.

The numbers sit encrypted in the form data; `ApplicationPerson` keeps their blind index (`crypto.blind_index`) for
the last submitted version of each application, written by the `index_persons` effect of 提交 and 重新提交.

Which applications hold a person (`HOLDING_STATES`): every one submitted and still in the call, the designated
ones included. A draft holds nobody (a unit cannot block a person by starting a draft), and an application that
left the call (撤回, 审核未通过, 未入选, 公示异议成立, 撤销命名) frees its persons. A returned application (退回修改)
still holds the persons of its submitted version: it is in the call and comes back; what it removes is freed at
its resubmission, what it adds is checked then. The rule is between units: one unit's own applications for two
project types may name the same person (the unit answers for its own people).

Who learns what: the applicant is told only that the person already appears in another unit's application of the
call, never which one (`guards.persons_unique_in_call`). Staff are shown the other application's number only where
the one scoping rule (`rules.visible_applications_q`) already shows them that application: the city's reviewers
and the 技能办 see every submitted application of their city, a county bureau sees its own county's, so a county
reviewer learns that a conflict exists (both counties must settle it) but not another county's unit.

Two units submitting the same person at the same instant: the guard first takes a lock on each person it names
in the call (`lock_persons`), held to the commit, so the second submission reads the first one's index rows. On
PostgreSQL these are transaction-level advisory locks, one per (call, person): submissions that share nobody, the
deadline rush's usual case, do not wait for each other (a lock per call made every submission of the call wait for
the one before it to commit). SQLite serialises every writing transaction anyway (BEGIN IMMEDIATE). Conflicts that
still exist (data from before the rule) are shown on the reviewers' pages and queues.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from shenbao.core.crypto import blind_index, mask_id_number

from .formdata import is_empty, reveal_id_number
from .models import Application, ApplicationPerson
from .rules import visible_applications_q
from .sections import get_form_spec
from .sections.spec import Table
from .workflow import STATES, ApplicationStatus

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

    from shenbao.accounts.rules import AnyUser

    from .sections.spec import FormSpec, Section

# Submitted and still in the call, or designated (see the module docstring).
HOLDING_STATES = frozenset(
    state.status
    for state in STATES
    if state.status != ApplicationStatus.DRAFT and (not state.final or state.designated)
)


def person_lock_key(*, call_id: int, index: str) -> int:
    """The advisory lock key of one person in one call: 64 bits of SHA-256 over both (a collision only makes two
    unrelated submissions wait for each other, never lets two with the same person through together)."""
    digest = hashlib.sha256(f"shenbao-person:{call_id}:{index}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_persons(*, call_id: int, persons: Iterable[Person]) -> None:
    """Serialise the persons check of submissions naming any of `persons` in the call until the current transaction
    ends (module docstring). The keys are taken in ascending order, the same in every transaction, so two
    submissions sharing several people cannot deadlock. Outside a transaction (the submission page's preview) there
    is nothing to hold, so nothing is taken."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return
    keys = sorted({person_lock_key(call_id=call_id, index=person.index) for person in persons})
    if keys:
        with connection.cursor() as cursor:
            # One round trip; unnest yields the sorted array in order, so the locks are taken in that order.
            cursor.execute("SELECT pg_advisory_xact_lock(key) FROM unnest(%s::bigint[]) AS key", [keys])


@dataclass(frozen=True)
class Person:
    """A person named in an application: blind index, masked number, the name given beside it, where."""

    index: str
    masked: str
    name: str
    where: str


@dataclass(frozen=True)
class PersonConflict:
    """A person of this application who is also in `other`, another unit's holding application of the call."""

    person: Person
    other: Application


def names_persons(section: Section) -> bool:
    """Whether a section of the form asks for ID numbers (a field, or a column of one of its tables)."""
    return any(
        any(column.kind == "id_number" for column in item.columns)
        if isinstance(item, Table)
        else item.kind == "id_number"
        for item in section.items
    )


def _person(number: str, name: object, where: str) -> Person:
    return Person(index=blind_index(number), masked=mask_id_number(number), name=str(name or ""), where=where)


def list_persons(*, spec: FormSpec, form_data: Mapping[str, Any] | None) -> list[Person]:
    """Every readable ID number of the form data (fields and table cells of kind id_number), once each."""
    found: dict[str, Person] = {}
    form_data = form_data or {}
    for section in spec.sections:
        values = form_data.get(section.key) or {}
        for item in section.items:
            if isinstance(item, Table):
                columns = [column for column in item.columns if column.kind == "id_number"]
                for row in values.get(item.name) or []:
                    if not isinstance(row, dict):
                        continue
                    for column in columns:
                        number = reveal_id_number(row.get(column.name))
                        if number:
                            found.setdefault(number, _person(number, row.get("name"), str(item.label)))
            elif item.kind == "id_number" and not is_empty(values.get(item.name)):
                number = reveal_id_number(values.get(item.name))
                if number:
                    found.setdefault(number, _person(number, "", str(item.label)))
    return list(found.values())


def persons_of(*, application: Application) -> list[Person]:
    return list_persons(spec=get_form_spec(application.project_type), form_data=application.form_data)


def index_submitted_persons(*, application: Application) -> None:
    """Rewrite the application's index rows from its form data (called as it is submitted)."""
    ApplicationPerson.objects.filter(application=application).delete()
    ApplicationPerson.objects.bulk_create(
        ApplicationPerson(application=application, call_id=application.call_id, id_index=person.index)
        for person in persons_of(application=application)
    )


def _holding_elsewhere(application: Application) -> Q:
    return Q(call=application.call_id, application__status__in=HOLDING_STATES) & ~Q(
        application__unit=application.unit_id
    )


def find_person_conflicts(*, application: Application, persons: list[Person] | None = None) -> list[PersonConflict]:
    """The persons of `application` (its current form data unless `persons` is given) that another unit's holding
    application of the same call also names, each with that application; in the order of the form."""
    persons = persons_of(application=application) if persons is None else persons
    by_index = {person.index: person for person in persons}
    if not by_index:
        return []
    # First the index rows of these persons in the call (the index on call and person; none, usually), then only
    # those rows' applications. In one joined query PostgreSQL chose, at province scale, to walk every application
    # of the database in key order to meet the few index rows: 15–86 ms for each reviewer's page and decision.
    matches = list(
        ApplicationPerson.objects.filter(call=application.call_id, id_index__in=list(by_index))
        .exclude(application=application.pk)
        .values_list("pk", flat=True)
    )
    if not matches:
        return []
    rows = (
        ApplicationPerson.objects.filter(_holding_elsewhere(application), pk__in=matches)
        .select_related("application")
        .order_by("application__number", "pk")
    )
    others: dict[str, list[Application]] = {}
    for row in rows:
        others.setdefault(row.id_index, []).append(row.application)
    return [PersonConflict(person=person, other=other) for person in persons for other in others.get(person.index, [])]


def describe_person_for_applicant(*, where: str, name: str, masked: str) -> str:
    """The applicant's sentence about a person already in another unit's application: nothing about that unit."""
    who = _("%(name)s（身份证号码 %(masked)s）") % {"name": name, "masked": masked} if name else masked
    return _(
        "「%(where)s」中的%(who)s已列入本次申报通知中其他单位的申报，同一人员只能列入一个单位的申报，请核实后修改。"
    ) % {"where": where, "who": who}


def list_person_warnings(*, application: Application, persons: list[Person] | None = None) -> list[str]:
    """The applicant's sentences: each person of the application (or of `persons`, read from it already) another
    unit's holding application also names, once, never naming that unit (the submission guard's reasons and the
    editing page's warning)."""
    sentences: list[str] = []
    for conflict in find_person_conflicts(application=application, persons=persons):
        person = conflict.person
        sentence = describe_person_for_applicant(where=person.where, name=person.name, masked=person.masked)
        if sentence not in sentences:  # one sentence per person, however many other applications name them
            sentences.append(sentence)
    return sentences


def describe_conflicts_for(*, user: AnyUser, conflicts: list[PersonConflict]) -> list[dict[str, Any]]:
    """Staff's view of the conflicts: the other application's number only where `user` may see that application."""
    visible = set(
        Application.objects.filter(
            visible_applications_q(user), pk__in=[item.other.pk for item in conflicts]
        ).values_list("pk", flat=True)
    )
    return [
        {"person": item.person, "other_number": item.other.number if item.other.pk in visible else ""}
        for item in conflicts
    ]


def count_person_conflicts(*, applications: Iterable[Application]) -> dict[int, int]:
    """{application id: how many of its indexed persons another unit's holding application also names}, one query
    (the review queues' badge)."""
    ids = [application.pk for application in applications]
    if not ids:
        return {}
    elsewhere = ApplicationPerson.objects.filter(
        call=OuterRef("call"), id_index=OuterRef("id_index"), application__status__in=HOLDING_STATES
    ).exclude(application__unit=OuterRef("application__unit"))
    counted = (
        ApplicationPerson.objects.filter(application__in=ids)
        .filter(Exists(elsewhere))
        .values("application")
        .annotate(count=Count("pk"))
    )
    return {row["application"]: row["count"] for row in counted}
