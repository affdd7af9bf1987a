"""Reading calls (申报通知) for the public pages and the home page.

A call is open from its publication day (Beijing time) up to and including its deadline's last second, the same
rule as `Call.is_open`, expressed as database filters so no list walks all rows in Python. Calls whose
publication day has not come, drafts of the call editor (state draft) and, unless SHENBAO_SHOW_PRACTICE_CALLS is
on, practice calls (「演示」) are not public and appear in no list; their pages answer 404. The editor's own reads
(a city's calls, drafts included) are at the end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.db.models import Case, DateTimeField, F, IntegerField, Max, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

if TYPE_CHECKING:
    pass

from shenbao.organisations.models import Region

from .models import (
    Call,
    CallAttachment,
    CallState,
    CallVersion,
    EligibilityRule,
    Instalment,
    MaterialRequirement,
    ProjectType,
    RubricItem,
    first_late_instant,
    split_instalments,
)


class ProjectTypeDetail(TypedDict):
    """What a call's page shows for one project type."""

    project_type: ProjectType
    instalments: list[tuple[Instalment, Decimal]]
    selection_rubric: list[RubricItem]
    acceptance_rubric: list[RubricItem]


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _last_second(at: dt.datetime) -> dt.datetime:
    """`at` to the whole second: `submission_deadline >= _last_second(at)` is `Call.is_open`'s deadline rule
    (the whole of the deadline's last second is in time) as a filter that can use the index."""
    return at.replace(microsecond=0)


def _public() -> QuerySet[Call]:
    calls = Call.objects.filter(state=CallState.PUBLISHED)
    if not settings.SHENBAO_SHOW_PRACTICE_CALLS:
        # A practice call (「演示」) is public only in the demo profile; elsewhere it is in no list and its page 404s.
        calls = calls.filter(is_practice=False)
    return calls


def _published(at: dt.datetime) -> QuerySet[Call]:
    return _public().filter(published_on__lte=timezone.localtime(at).date())


def _with_project_types(queryset: QuerySet[Call]) -> QuerySet[Call]:
    return queryset.select_related("city").prefetch_related(
        Prefetch("project_types", queryset=ProjectType.objects.order_by("sort_order", "pk"))
    )


def list_open_calls(*, at: dt.datetime | None = None) -> QuerySet[Call]:
    """正在受理: published and not past the deadline; the soonest deadline first."""
    at = _now(at)
    return _with_project_types(
        _published(at).filter(submission_deadline__gte=_last_second(at)).order_by("submission_deadline", "slug")
    )


def next_deadline_passing(*, at: dt.datetime | None = None) -> dt.datetime | None:
    """The instant the soonest public deadline not yet past at `at` passes (its first late instant), or None: when
    the lists of open and closed calls next change with the clock alone (one query)."""
    at = _now(at)
    deadline = (
        _public()
        .filter(submission_deadline__gte=_last_second(at))
        .order_by("submission_deadline")
        .values_list("submission_deadline", flat=True)
        .first()
    )
    return first_late_instant(deadline) if deadline else None


def list_closed_calls(*, at: dt.datetime | None = None) -> QuerySet[Call]:
    """已截止: past the deadline; the most recent deadline first."""
    at = _now(at)
    return _with_project_types(
        _public().filter(submission_deadline__lt=_last_second(at)).order_by("-submission_deadline", "slug")
    )


def list_public_calls(*, at: dt.datetime | None = None) -> QuerySet[Call]:
    """Every published call for the public list: open calls first (soonest deadline), then closed (newest first)."""
    at = _now(at)
    is_open = When(submission_deadline__gte=_last_second(at), then=Value(0))
    queryset = _published(at).annotate(
        closed_rank=Case(is_open, default=Value(1), output_field=IntegerField()),
        open_deadline=Case(
            When(submission_deadline__gte=_last_second(at), then=F("submission_deadline")), output_field=DateTimeField()
        ),
    )
    return _with_project_types(
        queryset.order_by("closed_rank", F("open_deadline").asc(nulls_last=True), "-submission_deadline", "slug")
    )


def get_call(*, slug: str, at: dt.datetime | None = None) -> Call:
    """A published call by slug, or Call.DoesNotExist (views turn it into a 404)."""
    return _with_project_types(_published(_now(at))).get(slug=slug)


def with_everything(calls: QuerySet[Call]) -> QuerySet[Call]:
    """`calls` with every row a call's page or its export reads (project types and all they hold, attachments),
    loaded in a fixed number of queries."""
    project_types = ProjectType.objects.order_by("sort_order", "pk").prefetch_related(
        "allowed_unit_types",
        "instalments",
        "materials",
        Prefetch(
            "eligibility_rules",
            queryset=EligibilityRule.objects.order_by("sort_order", "pk").prefetch_related("applies_to_unit_types"),
        ),
        Prefetch("rubric_items", queryset=RubricItem.objects.order_by("rubric", "sort_order", "pk")),
    )
    return calls.select_related("city").prefetch_related(
        Prefetch("project_types", queryset=project_types), "attachments"
    )


def get_call_detail(*, slug: str, at: dt.datetime | None = None, calls: QuerySet[Call] | None = None) -> Call:
    """A published call with everything its public page shows, in a fixed number of queries.

    `calls` (a queryset) replaces "published calls" for the editor's preview of a city's drafts.
    """
    return with_everything(_published(_now(at)) if calls is None else calls).get(slug=slug)


def get_call_attachment(*, slug: str, code: str, at: dt.datetime | None = None) -> CallAttachment:
    """A published call's attachment by its code, or CallAttachment.DoesNotExist."""
    return CallAttachment.objects.select_related("call").get(call__in=_published(_now(at)), call__slug=slug, code=code)


def list_instalment_amounts(*, project_type: ProjectType) -> list[tuple[Instalment, Decimal]]:
    """[(instalment, amount)] for a project type, amounts to the fen (the last part takes the rounding remainder)."""
    instalments = list(project_type.instalments.all())
    if not instalments:
        return []
    amounts = split_instalments(project_type.funding_amount, [instalment.percent for instalment in instalments])
    return list(zip(instalments, amounts, strict=True))


def list_project_type_details(*, call: Call) -> list[ProjectTypeDetail]:
    """What the detail page shows per project type, from a call fetched with `get_call_detail` (no queries)."""
    details: list[ProjectTypeDetail] = []
    for project_type in call.project_types.all():
        items = list(project_type.rubric_items.all())
        details.append(
            {
                "project_type": project_type,
                "instalments": list_instalment_amounts(project_type=project_type),
                "selection_rubric": [item for item in items if item.rubric == RubricItem.Rubric.SELECTION],
                "acceptance_rubric": [item for item in items if item.rubric == RubricItem.Rubric.ACCEPTANCE],
            }
        )
    return details


# --- City portals and the archive of past calls (issue 17) -----------------------------------------------------
# Built on `list_open_calls` / `list_closed_calls`, so whatever those decide is public (publication day, a future
# draft state) holds on the portals too.


def list_open_calls_of_city(*, city: Region | int, at: dt.datetime | None = None) -> QuerySet[Call]:
    """正在受理 calls of one city (its portal `/c/<slug>/`), in `list_open_calls`' order."""
    return list_open_calls(at=at).filter(city=city)


def search_closed_calls(
    *,
    at: dt.datetime | None = None,
    city: Region | int | None = None,
    year: int | str | None = None,
    text: str = "",
    also_matching: QuerySet | None = None,
) -> QuerySet[Call]:
    """The archive of past calls (往期申报通知), newest first, narrowed by city, year and text.

    `text` matches the call's title, or any call whose pk is in `also_matching` (a subquery of call pks the caller
    matched on something else, e.g. the awards app's designated units by name).
    """
    calls = list_closed_calls(at=at).select_related("city")
    if city is not None:
        calls = calls.filter(city=city)
    if year:
        calls = calls.filter(year=year)
    text = (text or "").strip()
    if text:
        matches = Q(title__icontains=text)
        if also_matching is not None:
            matches |= Q(pk__in=also_matching)
        calls = calls.filter(matches)
    return calls


def list_closed_call_years(*, at: dt.datetime | None = None, city: Region | int | None = None) -> list[int]:
    """The years that have past calls (for the archive's year filter), newest first."""
    calls = list_closed_calls(at=at)
    if city is not None:
        calls = calls.filter(city=city)
    return list(calls.prefetch_related(None).order_by("-year").values_list("year", flat=True).distinct())


def list_published_calls_of_city(*, city: Region | int | None) -> QuerySet[Call]:
    """The published calls of `city` (drafts excluded), newest publication first: what the city's staff pages
    (panels, opinions, public notices) work on. A draft of next year's call is the editor's business until it is
    published, so it never becomes the "latest call" of those pages."""
    if city is None:
        return Call.objects.none()
    return _public().filter(city=city).order_by("-published_on", "pk")


def list_project_types_of_province(*, province: Region) -> list[ProjectType]:
    """Every project type of every call (any state) of the cities of `province`, by city, newest year, call and
    type order, with call and city: the rows of the province's statistics."""
    return list(
        ProjectType.objects.filter(call__city__parent=province, call__city__level=Region.Level.CITY)
        .select_related("call", "call__city")
        .order_by("call__city__sort_order", "call__city__key", "-call__year", "call__slug", "sort_order", "pk")
    )


def list_calls_in(*, pks: QuerySet, city: Region | int | None = None, published_only: bool = False) -> QuerySet[Call]:
    """The calls whose ids `pks` (a subquery: the calls of some scoped applications or records) names, of `city`
    and published when asked; unordered (a list page's call filter orders them)."""
    calls = Call.objects.filter(pk__in=pks)
    if city is not None:
        calls = calls.filter(city=city)
    if published_only:
        calls = calls.filter(state=CallState.PUBLISHED)
    return calls


def list_fund_sources_of_city(*, city: Region) -> set[str]:
    """The fund sources (经费来源) the calls of `city` name."""
    return set(Call.objects.filter(city=city).exclude(fund_source="").values_list("fund_source", flat=True))


def find_call(*, slug: str) -> Call | None:
    """The call with this slug in any state, or None: for operators' commands and the practice data, which name a
    call by its slug (pages go through the scoped selectors above)."""
    return Call.objects.filter(slug=slug).first()


def list_project_types(*, call: Call | int | None = None, city: Region | int | None = None) -> QuerySet[ProjectType]:
    """The project types of `call` (or of every call of `city`) in the call file's order; none without either."""
    if call is None and city is None:
        return ProjectType.objects.none()
    types = ProjectType.objects.all()
    if call is not None:
        types = types.filter(call=call)
    if city is not None:
        types = types.filter(call__city=city)
    return types.order_by("sort_order", "pk")


def lock_project_type(*, project_type: ProjectType | int) -> ProjectType:
    """The project type re-read under its row lock (SELECT … FOR UPDATE): writes about its quota and its list (the
    proposed list, the award's plaque numbers) run one after the other. Call inside a transaction."""
    pk = project_type if isinstance(project_type, int) else project_type.pk
    return ProjectType.objects.select_for_update().get(pk=pk)


def list_material_requirements(*, project_type: ProjectType | int) -> QuerySet[MaterialRequirement]:
    """The materials (申报材料) `project_type` requires, in the call file's order."""
    return MaterialRequirement.objects.filter(project_type=project_type).order_by("sort_order", "pk")


def list_eligibility_rules(*, project_type: ProjectType | int) -> QuerySet[EligibilityRule]:
    """The eligibility rules (申报条件) of `project_type` with the unit types each applies to, in order."""
    return (
        EligibilityRule.objects.filter(project_type=project_type)
        .prefetch_related("applies_to_unit_types")
        .order_by("sort_order", "pk")
    )


def list_rubric_items(*, project_type: ProjectType, rubric: str) -> QuerySet[RubricItem]:
    """The items of one rubric (selection or acceptance) of `project_type`, in the call file's order."""
    return RubricItem.objects.filter(project_type=project_type, rubric=rubric).order_by("sort_order", "pk")


def list_city_calls(*, city: Region | int | None) -> QuerySet[Call]:
    """The calls of `city` for its call administrators' editor, drafts included, the newest year first."""
    if city is None:
        return Call.objects.none()
    return Call.objects.filter(city=city).select_related("city").order_by("-year", "-published_on", "slug")


def get_city_call(*, city: Region | int | None, slug: str) -> Call:
    """A call of `city` by slug (draft or published), or Call.DoesNotExist: another city's call is not found."""
    return list_city_calls(city=city).get(slug=slug)


def list_call_versions(*, call: Call) -> QuerySet[CallVersion]:
    return call.versions.select_related("author").order_by("-number")


def find_largest_material_size_mb() -> int:
    """The largest upload size (MB) any loaded call allows for a material (0 when no call is loaded): the nginx
    site's client_max_body_size follows it (shenbao/operations/nginx_site.py)."""
    return MaterialRequirement.objects.aggregate(largest=Max("max_size_mb"))["largest"] or 0


def get_published_call_of_city(*, city: Region | int | None, slug: str) -> Call:
    """A published call of `city` by slug, or Call.DoesNotExist: another city's call, or a draft, is not found."""
    return list_published_calls_of_city(city=city).get(slug=slug)


def list_project_types_by_id(*, ids: Iterable[int]) -> QuerySet[ProjectType]:
    """The project types with these ids, each with its call, in a stable order."""
    return ProjectType.objects.filter(pk__in=list(ids)).select_related("call").order_by("pk")
