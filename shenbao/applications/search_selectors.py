"""Reads of the staff applications list (申报管理): search, filters, sort, columns, pages and saved views.

One scope, as everywhere: `rules.visible_applications_q(user)`; every filter only narrows it, so no parameter ever
reaches another county's or city's application. Searching and filtering read the application's own indexed columns
(the leader's name and the industry are copied out of the form data for this, see `search_columns`), the unit and
small EXISTS subqueries; never the JSON. Pages are chosen as on the simple list (`selectors.
page_visible_applications`): the page's keys from the filtered rows alone, then only those rows read with their
related rows in the same query (`IN (… LIMIT …)`).

The filters arrive as the list's GET parameters (`search_forms.ApplicationSearchForm`), so a URL is a shareable
view and a saved view is just that query string. The export job (`search_exports`) runs the very same query.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from shenbao.calls.extension_selectors import granted_extension_exists
from shenbao.core.fragment_cache import cached_value

from .models import Application, ApplicationPerson, PaperCopyReceipt, ReviewComment, SavedListView, SignedScan
from .paper import with_paper_status
from .persons import HOLDING_STATES
from .rules import visible_applications_q
from .workflow import TRANSITIONS, ApplicationStatus

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from shenbao.accounts.rules import AnyUser

ROW_RELATED = ("call", "project_type", "unit", "unit__region", "unit__unit_type", "first_review_body")
# The transitions that send an application back to its unit (the workflow table's, target 退回修改); each requires a
# comment to the applicant, which marks the application for good.
RETURN_TRANSITIONS = tuple(step.name for step in TRANSITIONS if step.target == ApplicationStatus.RETURNED)


def _conflicted() -> Exists:
    """An indexed person of the application that another unit's holding application of the call also names (the
    review queues' badge, `persons.count_person_conflicts`, as a filter)."""
    elsewhere = ApplicationPerson.objects.filter(
        call=OuterRef("call"), id_index=OuterRef("id_index"), application__status__in=HOLDING_STATES
    ).exclude(application__unit=OuterRef("application__unit"))
    return Exists(ApplicationPerson.objects.filter(application=OuterRef("pk")).filter(Exists(elsewhere)))


# 标记: what is recorded about an application besides its state. Each flag is an EXISTS on an indexed table.
FLAGS: dict[str, tuple[str | Promise, Callable[[], Exists]]] = {
    "person_conflict": (_("人员身份证号码与其他单位重复"), _conflicted),
    "returned": (
        _("曾退回修改"),
        lambda: Exists(ReviewComment.objects.filter(application=OuterRef("pk"), transition__in=RETURN_TRANSITIONS)),
    ),
    "paper_received": (
        _("已收到纸质材料"),
        lambda: Exists(PaperCopyReceipt.objects.filter(application=OuterRef("pk"))),
    ),
    "signed_scan": (
        _("已上传签字盖章扫描件"),
        lambda: Exists(SignedScan.objects.filter(application=OuterRef("pk"), is_current=True)),
    ),
    "extension": (_("获准延期提交"), granted_extension_exists),
}

# Sortable columns: the key in the URL → the ORDER BY (the primary key last, so pages never overlap).
SORTS: dict[str, tuple[str | Promise, tuple[str, ...]]] = {
    "-created": (_("创建时间（新的在前）"), ("-created_at", "-id")),
    "number": (_("申报编号"), ("number", "id")),
    "-number": (_("申报编号（倒序）"), ("-number", "-id")),
    "unit": (_("申报单位"), ("unit__name", "id")),
    "-unit": (_("申报单位（倒序）"), ("-unit__name", "-id")),
    "-submitted": (_("提交时间（新的在前）"), ("-submitted_at", "-id")),
    "submitted": (_("提交时间（早的在前）"), ("submitted_at", "id")),
    "status": (_("状态"), ("status", "id")),
}
DEFAULT_SORT = "-created"


@dataclass(frozen=True)
class SearchFilters:
    """The list's cleaned filters (`search_forms.ApplicationSearchForm.filters`); empty values filter nothing."""

    text: str = ""
    call: int | None = None
    year: int | None = None
    project_type: str = ""  # a project type code: the same kind of project across calls and years
    first_review_body: int | None = None
    county: int | None = None  # the unit's region
    state: str = ""
    unit_type: int | None = None
    industry: str = ""
    flags: tuple[str, ...] = field(default_factory=tuple)
    score_min: Decimal | None = None  # the final score of the application's ranking (专家评审), inclusive
    score_max: Decimal | None = None
    sort: str = DEFAULT_SORT


def _text_q(text: str) -> Q:
    """Unit name, 统一社会信用代码, 申报编号, the leader's name (领办人) or the unit's 法定代表人."""
    return (
        Q(unit__name__icontains=text)
        | Q(unit__credit_code=text.upper())
        | Q(number__icontains=text)
        | Q(leader_name__icontains=text)
        | Q(unit__legal_representative__icontains=text)
    )


def _filters_q(filters: SearchFilters) -> Q:
    query = Q()
    if filters.text:
        query &= _text_q(filters.text)
    exact = {
        "call": filters.call,
        "call__year": filters.year,
        "project_type__code": filters.project_type,
        "first_review_body": filters.first_review_body,
        "unit__region": filters.county,
        "status": filters.state,
        "unit__unit_type": filters.unit_type,
        "industry": filters.industry,
    }
    for lookup, value in exact.items():
        if value not in (None, ""):
            query &= Q(**{lookup: value})
    for flag in filters.flags:
        query &= Q(FLAGS[flag][1]())
    return query


# The rankings' final scores are computed from the sheets by the call's aggregation rule (`scoring.ranking`), never
# stored; the scoring app imports this one, so its selector is named by dotted path and imported on use.
FINAL_SCORES = "shenbao.scoring.selectors.list_final_scores"


def _score_q(scope: QuerySet[Application], filters: SearchFilters) -> Q:
    """The applications whose ranking's final score lies in the range: the rankings of the project types the
    scoped, filtered rows belong to (one query for those, then the rankings' own few queries per project type)."""
    if filters.score_min is None and filters.score_max is None:
        return Q()
    types = scope.order_by().values_list("project_type", flat=True).distinct()
    scores = import_string(FINAL_SCORES)(project_type_ids=list(types))
    low = filters.score_min if filters.score_min is not None else Decimal("-Infinity")
    high = filters.score_max if filters.score_max is not None else Decimal("Infinity")
    return Q(pk__in=[pk for pk, final in scores.items() if low <= final <= high])


def _matching(user: AnyUser, filters: SearchFilters) -> QuerySet[Application]:
    scope = Application.objects.filter(visible_applications_q(user)).filter(_filters_q(filters))
    return scope.filter(_score_q(scope, filters))


def search_visible_applications(*, user: AnyUser, filters: SearchFilters) -> QuerySet[Application]:
    """The applications `user` may see that match `filters`, in the chosen order, with a row's related rows."""
    return with_paper_status(_matching(user, filters).select_related(*ROW_RELATED).order_by(*SORTS[filters.sort][1]))


def page_search_results(*, user: AnyUser, filters: SearchFilters, number: str | int | None, per_page: int) -> Page:
    """One page of `search_visible_applications`: keys first from the filtered rows, then those rows in full."""
    order = SORTS[filters.sort][1]
    keys = _matching(user, filters).order_by(*order)
    page = Paginator(keys, per_page).get_page(number)
    chosen = keys[page.start_index() - 1 : page.end_index()] if page.paginator.count else keys.none()
    page.object_list = with_paper_status(
        Application.objects.filter(pk__in=chosen.values("pk")).select_related(*ROW_RELATED).order_by(*order)
    )
    return page


@dataclass(frozen=True)
class FilterChoices:
    """What the filter form offers: only what occurs among the user's own visible applications."""

    calls: list[tuple[int, str]]
    years: list[int]
    project_types: list[tuple[str, str]]
    bodies: list[tuple[int, str]]
    counties: list[tuple[int, str]]
    unit_types: list[tuple[int, str]]
    industries: list[str]


def _distinct(scope: QuerySet[Application], *fields: str) -> list[tuple[Any, ...]]:
    """The distinct values of `fields` (related rows' columns, read through the application's foreign keys, so
    this app reads no other app's tables directly) among the rows of `scope`, ordered by `fields` ("-" for
    descending), which the tuples hold in that order."""
    names = [name.lstrip("-") for name in fields]
    present = scope.exclude(**{f"{names[0]}__isnull": True})
    return list(present.order_by(*fields).values_list(*names).distinct())


def get_filter_choices(*, user: AnyUser) -> FilterChoices:
    """The filter form's choices: the same on every page of the list until an audited change (a submission, a
    step, a new call, a renamed unit …), so they are kept per reader (`core.fragment_cache`). Building them reads
    every application the reader may see, six times: at province scale most of the list's time (48 of 97 ms for
    a city's 技能办, `make bench --scale province`)."""
    return cached_value(name=f"filter-choices:{user.pk}", at=timezone.now(), build=lambda: _build_filter_choices(user))


def _build_filter_choices(user: AnyUser) -> FilterChoices:
    """The filter form's choices (six queries, whatever the number of rows)."""
    scope = Application.objects.filter(visible_applications_q(user))
    calls = _distinct(scope, "-call__year", "call__title", "call")
    types: dict[str, str] = {}
    for code, _year, name in _distinct(scope, "project_type__code", "-project_type__call__year", "project_type__name"):
        types.setdefault(code, name)  # one choice per kind of project, named as in its latest call
    return FilterChoices(
        calls=[(pk, title) for _year, title, pk in calls],
        years=sorted({year for year, _title, _pk in calls}, reverse=True),
        project_types=list(types.items()),
        bodies=[(pk, name) for name, pk in _distinct(scope, "first_review_body__name", "first_review_body")],
        counties=[
            (pk, name)
            for _order, _key, pk, name in _distinct(
                scope, "unit__region__sort_order", "unit__region__key", "unit__region", "unit__region__name"
            )
        ],
        unit_types=[
            (pk, name)
            for _order, pk, name in _distinct(
                scope, "unit__unit_type__sort_order", "unit__unit_type", "unit__unit_type__name"
            )
        ],
        industries=[name for (name,) in _distinct(scope.exclude(industry=""), "industry")],
    )


def list_saved_views(*, user: AnyUser) -> QuerySet[SavedListView]:
    """The user's own saved views, by name."""
    return SavedListView.objects.filter(owner=user.pk).order_by("name", "pk")


def get_own_saved_view(*, user: AnyUser, public_id: uuid.UUID | str) -> SavedListView:
    """The user's saved view, else SavedListView.DoesNotExist (another person's view answers 404)."""
    return SavedListView.objects.get(owner=user.pk, public_id=public_id)
