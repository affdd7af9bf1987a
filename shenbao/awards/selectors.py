"""Reads for 授牌: who may be awarded now, the designated units (the funding issue starts from them), and the
public verification of plaque and designation codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy

from shenbao.applications.models import Application
from shenbao.applications.selectors import list_applications
from shenbao.applications.workflow import ApplicationStatus
from shenbao.calls.models import Call
from shenbao.calls.selectors import list_calls_in
from shenbao.documents.selectors import CODE_RE, normalise_verification_code
from shenbao.notices.selectors import beijing_date, pending_objection_exists

from .models import Designation, Plaque

# The states of an application that holds a plaque: designated, or revoked since (the plaque record stays).
PLAQUE_STATES = (ApplicationStatus.AWARDED, ApplicationStatus.REVOKED)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from shenbao.organisations.models import Region


def list_award_candidates(*, call: Call, at: dt.datetime | None = None) -> QuerySet[Application]:
    """Applications of `call` in 公示 whose notice has ended (Beijing time), each annotated with
    `pending_objections` (a pending objection blocks the award; the guard gives the reason)."""
    return (
        list_applications(call=call, statuses=(ApplicationStatus.IN_NOTICE,))
        .filter(notice_entry__notice__end_date__lt=beijing_date(at))
        .annotate(has_pending_objection=pending_objection_exists())
        .select_related("unit", "unit__region", "project_type", "notice_entry__notice")
        .order_by("project_type__sort_order", "notice_entry__sort_order", "pk")
    )


def list_designated_applications(*, call: Call) -> QuerySet[Application]:
    """授牌 units of `call` with their plaque, by project type and plaque number.

    Hook for the funding issue: designation opens each unit's funding record (启动经费 after designation).
    """
    return (
        list_applications(call=call, statuses=(ApplicationStatus.AWARDED,))
        .filter(plaque__isnull=False)
        .select_related("unit", "unit__region", "project_type", "plaque", "plaque__designation")
        .order_by("project_type__sort_order", "plaque__sequence", "pk")
    )


def get_plaque(*, application: Application) -> Plaque | None:
    """The plaque (牌匾) of `application`, or None before the award."""
    return Plaque.objects.filter(application=application).first()


def list_plaque_holders() -> QuerySet[Application]:
    """Every application that holds a plaque, whatever its state since (a revoked designation keeps its plaque)."""
    return list_applications(statuses=PLAQUE_STATES).filter(plaque__isnull=False)


def list_designations(*, call: Call) -> QuerySet[Designation]:
    return (
        Designation.objects.filter(call=call)
        .select_related("project_type")
        .annotate(plaque_count=Count("plaques"))
        .order_by("project_type__sort_order", "pk")
    )


def get_call_wide_designation(*, call: Call) -> Designation | None:
    return Designation.objects.filter(call=call, project_type__isnull=True).first()


def list_designation_plaques(*, designation: Designation) -> QuerySet[Plaque]:
    return (
        Plaque.objects.filter(designation=designation)
        .select_related("application__unit__region", "application__project_type")
        .order_by("application__project_type__sort_order", "sequence")
    )


def list_recent_plaques(*, call: Call) -> QuerySet[Plaque]:
    return (
        Plaque.objects.filter(application__call=call)
        .select_related("application__unit", "application__project_type", "designation")
        .order_by("application__project_type__sort_order", "sequence")
    )


@dataclass(frozen=True)
class AwardVerification:
    """What the public may confirm about a plaque or a designation document; nothing personal."""

    kind: StrOrPromise  # 牌匾 / 命名文件
    title: str
    number: str  # plaque number or document number
    unit_names: tuple[str, ...]
    project_type: str
    call_title: str
    issued_on: dt.date | None
    issuing_bodies: str
    revoked_unit_names: tuple[str, ...] = ()  # 撤销命名 after a failed re-evaluation (评估验收)


def find_award_verification(*, code: str) -> AwardVerification | None:
    """The plaque or designation with this verification code, or None (malformed codes are not looked up)."""
    code = normalise_verification_code(code)
    if not CODE_RE.match(code):
        return None
    plaque = (
        Plaque.objects.filter(verification_code=code)
        .select_related("application__unit", "application__project_type", "application__call", "designation")
        .first()
    )
    if plaque is not None:
        application = plaque.application
        return AwardVerification(
            kind=gettext_lazy("牌匾"),
            title=plaque.title,
            number=plaque.number,
            unit_names=(application.unit.name,),
            project_type=application.project_type.name,
            call_title=application.call.title,
            issued_on=plaque.issued_on,
            issuing_bodies="、".join(plaque.designation.issuing_bodies or []),
            revoked_unit_names=(application.unit.name,) if application.status == ApplicationStatus.REVOKED else (),
        )
    designation = Designation.objects.filter(verification_code=code).select_related("call", "project_type").first()
    if designation is None:
        return None
    rows = list(
        Plaque.objects.filter(designation=designation)
        .order_by("application__project_type__sort_order", "sequence")
        .values_list("application__unit__name", "application__status")
    )
    names = tuple(name for name, _status in rows)
    return AwardVerification(
        kind=gettext_lazy("命名文件"),
        title=designation.title,
        number=designation.document_number,
        unit_names=names,
        project_type=designation.project_type.name if designation.project_type is not None else "",
        call_title=designation.call.title,
        issued_on=designation.issued_on,
        issuing_bodies="、".join(designation.issuing_bodies or []),
        revoked_unit_names=tuple(name for name, status in rows if status == ApplicationStatus.REVOKED),
    )


def list_designated_applications_of_calls(*, calls: QuerySet[Call] | Iterable[Call]) -> QuerySet[Application]:
    """授牌 units of several calls at once (the public archive): one query however many calls, ordered like
    `list_designated_applications` within each call."""
    return (
        list_applications(statuses=(ApplicationStatus.AWARDED,))
        .filter(call__in=calls, plaque__isnull=False)
        .select_related("unit", "project_type", "plaque")
        .order_by("call", "project_type__sort_order", "plaque__sequence", "pk")
    )


def designated_unit_calls(*, name: str) -> QuerySet[Application, Any]:
    """A subquery of the pks of calls that designated a unit whose name contains `name` (archive search)."""
    return (
        list_applications(statuses=(ApplicationStatus.AWARDED,))
        .filter(plaque__isnull=False, unit__name__icontains=name)
        .values("call")
        .distinct()
    )


def count_designated_units(*, project_types: QuerySet[Any] | Iterable[Any]) -> dict[int, int]:
    """{project_type pk: number of units designated (授牌, a plaque issued, revoked later or not)}; one query."""
    rows = (
        Plaque.objects.filter(application__project_type__in=project_types)
        .order_by()
        .values("application__project_type")
        .annotate(number=Count("pk"))
    )
    return {row["application__project_type"]: row["number"] for row in rows}


# The register lists every designation made, a revoked one too (shown as revoked: the public must learn of it).
REGISTER_STATUSES = (ApplicationStatus.AWARDED, ApplicationStatus.REVOKED)


def search_designated_units(
    *,
    city: Region | int | None = None,
    year: int | str | None = None,
    call: str | None = None,
    project_type: str = "",
    text: str = "",
) -> QuerySet[Application]:
    """The public register of designated units (认定名单): designated applications with their plaque (revoked ones
    included), narrowed by city, year, call (a slug), project type (a code) and text (unit name or plaque number);
    newest call first, then as the call lists them."""
    published = list_calls_in(pks=list_applications(statuses=REGISTER_STATUSES).values("call"), published_only=True)
    applications = list_applications(statuses=REGISTER_STATUSES).filter(plaque__isnull=False, call__in=published)
    if city is not None:
        applications = applications.filter(call__city=city)
    if year:
        applications = applications.filter(call__year=year)
    if call:
        applications = applications.filter(call__slug=call)
    if project_type:
        applications = applications.filter(project_type__code=project_type)
    text = (text or "").strip()
    if text:
        applications = applications.filter(Q(unit__name__icontains=text) | Q(plaque__number__icontains=text))
    return applications.select_related("unit__region", "project_type", "plaque", "call__city").order_by(
        "-call__year", "-call__published_on", "call__slug", "project_type__sort_order", "plaque__sequence", "pk"
    )


def list_register_calls(*, city: Region | int | None = None) -> QuerySet[Call]:
    """The calls that designated units (the register's call filter), newest first."""
    designated = list_applications(statuses=REGISTER_STATUSES).filter(plaque__isnull=False)
    calls = list_calls_in(pks=designated.values("call"), city=city, published_only=True)
    return calls.order_by("-year", "-published_on", "slug")


# --- 已认定单位再次申报 (the application and review pages warn; nothing is refused) ----------------------------------


@dataclass(frozen=True)
class StandingDesignation:
    """An earlier designation of a unit for a project type that still binds it: the plaque's construction period
    has not ended, or the new call's 申报间隔 (`Call.reapply_waiting_years`) since the 授牌日期 has not passed."""

    number: str  # the earlier application's 申报编号 (the unit's own; staff see it anyway)
    plaque_number: str
    call_title: str
    issued_on: dt.date
    construction_end: dt.date
    in_construction: bool  # the construction period has not ended on the day asked about
    waiting_until: dt.date | None  # the first day the call's 申报间隔 allows again, while it has not passed


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def map_standing_designations(
    *, call: Call, units_and_codes: Iterable[tuple[int, str]], today: dt.date
) -> dict[tuple[int, str], list[StandingDesignation]]:
    """{(unit id, project type code): the unit's standing designations for that code in other calls}, in one query.

    Standing: designated (授牌, not revoked) for the same project type code in another call, and on `today`
    (Beijing) still within that type's construction period or, when `call` sets a 申报间隔, less than that many
    years after the 授牌日期. Pairs without one are absent.
    """
    pairs = set(units_and_codes)
    if not pairs:
        return {}
    designated = (
        list_applications(statuses=(ApplicationStatus.AWARDED,))
        .filter(plaque__isnull=False, unit__in={unit for unit, _code in pairs})
        .filter(project_type__code__in={code for _unit, code in pairs})
        .exclude(call=call)
        .select_related("plaque", "project_type", "call")
        .order_by("plaque__issued_on", "pk")
    )
    found: dict[tuple[int, str], list[StandingDesignation]] = {}
    for application in designated:
        key = (application.unit_id, application.project_type.code)
        if key not in pairs:
            continue
        plaque = application.plaque
        waiting_until = _add_years(plaque.issued_on, call.reapply_waiting_years) if call.reapply_waiting_years else None
        end = application.project_type.construction_end
        if waiting_until is not None and waiting_until <= today:
            waiting_until = None
        if end < today and waiting_until is None:
            continue
        found.setdefault(key, []).append(
            StandingDesignation(
                number=application.number,
                plaque_number=plaque.number,
                call_title=application.call.title,
                issued_on=plaque.issued_on,
                construction_end=end,
                in_construction=end >= today,
                waiting_until=waiting_until,
            )
        )
    return found


def list_standing_designations(
    *, call: Call, unit_id: int, project_type_code: str, today: dt.date
) -> list[StandingDesignation]:
    """The standing designations of one unit for one project type code (see `map_standing_designations`)."""
    pairs = [(unit_id, project_type_code)]
    return map_standing_designations(call=call, units_and_codes=pairs, today=today).get(pairs[0], [])


def count_designated_units_by_year_and_county(*, calls: QuerySet[Call] | Iterable[Call]) -> list[tuple[int, str, int]]:
    """[(call year, county name, number of units designated)] of `calls` (a plaque issued, revoked later or not),
    by year then county; one query. The calls are scoped by the caller (the leadership's statistics)."""
    rows = (
        Plaque.objects.filter(application__call__in=calls)
        .order_by()
        .values("application__call__year", "application__unit__region", "application__unit__region__name")
        .annotate(number=Count("pk"))
        .order_by("application__call__year", "application__unit__region__sort_order", "application__unit__region")
    )
    return [(row["application__call__year"], row["application__unit__region__name"], row["number"]) for row in rows]
