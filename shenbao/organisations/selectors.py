"""Reads about organisations, and the one place that decides which organisations a user may see.

`visible_organisations_q` is the single scoping rule: the list page, the detail page (404 when outside it)
and the `organisations.view_organisation` rules predicate all go through it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from shenbao.accounts.roles import Role

from .credit_code import normalise_credit_code
from .models import Organisation, Region, UnitType

if TYPE_CHECKING:
    from shenbao.accounts.rules import AnyUser

Kind = Organisation.Kind
Function = Organisation.Function

NOTHING = Q(pk__in=[])


def get_city_of_region(region: Region | None) -> Region | None:
    """The city (地级市) a region belongs to, or None above city level (a province-level organisation)."""
    seen = 0
    while region is not None and seen < 8:  # the tree is shallow; the bound guards against a cycle in bad data
        if region.level == Region.Level.CITY:
            return region
        region = region.parent
        seen += 1
    return None


def get_region_subtree(region: Region) -> QuerySet[Region]:
    """`region` and every region below it (the tree is province → city → county/zone)."""
    return Region.objects.filter(Q(pk=region.pk) | Q(parent=region.pk) | Q(parent__parent=region.pk))


def regions_within_q(region: Region, prefix: str = "region") -> Q:
    """Q matching objects whose region lies in `region`'s subtree.

    A subquery on the small region table, so the big table is filtered by an indexed `region_id IN (...)`.
    """
    return Q(**{f"{prefix}__in": get_region_subtree(region).values("pk")})


def _city_wide_q(organisation: Organisation) -> Q:
    city = get_city_of_region(organisation.region)
    if city is None:
        return Q(pk=organisation.pk)
    return regions_within_q(city)


def _role_q(role: str, organisation: Organisation) -> Q:
    own = Q(pk=organisation.pk)
    if role == Role.COUNTY_REVIEWER:
        # City-direct units are first-reviewed by their competent department, not by the county they sit in.
        county_units = Q(kind=Kind.APPLICANT_UNIT, region=organisation.region_id, is_city_direct=False)
        return own | county_units
    if role == Role.DEPARTMENT_REVIEWER:
        return own | Q(competent_department=organisation)
    if role in (Role.CITY_REVIEWER, Role.CALL_ADMIN):
        return own | _city_wide_q(organisation)
    return own


def visible_organisations_q(user: AnyUser) -> Q:
    """Q for the organisations `user` may see, by organisation and role (see module docstring)."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser or user.has_role(Role.SYSTEM_ADMIN):
        return Q()
    organisation = user.organisation
    if organisation is None:
        return NOTHING
    query = Q(pk=organisation.pk)
    for role in user.roles:
        query |= _role_q(role, organisation)
    return query


def list_visible_organisations(*, user: AnyUser) -> QuerySet[Organisation]:
    return Organisation.objects.filter(visible_organisations_q(user))


def find_region(*, key: str) -> Region | None:
    """The region (行政区划) with this code, or None."""
    return Region.objects.filter(key=key).first()


def list_unit_type_codes() -> set[str]:
    return set(UnitType.objects.values_list("code", flat=True))


def list_unit_types(*, codes: Iterable[str]) -> QuerySet[UnitType]:
    return UnitType.objects.filter(code__in=list(codes))


def list_regions_within(*, region: Region | None) -> QuerySet[Region]:
    """`region` and every region below it (a city's counties and zones), by level and order; none without one."""
    if region is None:
        return Region.objects.none()
    return Region.objects.filter(regions_within_q(region, prefix="pk")).order_by("level", "sort_order", "key")


def list_organisations_named(*, name: str, city: Region) -> QuerySet[Organisation]:
    """The organisations of `city` called `name` exactly (the platform operator excluded), in id order."""
    return (
        Organisation.objects.filter(regions_within_q(city), name=name.strip())
        .exclude(kind=Organisation.Kind.PLATFORM)
        .order_by("pk")
    )


def list_existing_names(*, names: Iterable[str]) -> set[str]:
    """Which of `names` are the names of organisations."""
    return set(Organisation.objects.filter(name__in=list(names)).values_list("name", flat=True))


def get_organisation(*, name: str, function: str | None = None) -> Organisation:
    """The organisation called `name` (holding `function`, when given); Organisation.DoesNotExist otherwise."""
    organisations = Organisation.objects.filter(name=name)
    if function is not None:
        organisations = organisations.filter(function=function)
    return organisations.get()


def find_organisation_by_credit_code(*, credit_code: str) -> Organisation | None:
    return Organisation.objects.filter(credit_code=credit_code).first()


def get_unit_type(*, code: str) -> UnitType:
    return UnitType.objects.get(code=code)


def lock_organisation(*, organisation: Organisation) -> None:
    """Take the organisation's row lock (SELECT … FOR UPDATE) for the rest of the transaction, so two writes about
    the same unit (two invitations under its limit) run one after the other."""
    list(Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk", flat=True))


def get_visible_organisation(*, user: AnyUser, public_id: uuid.UUID | str) -> Organisation:
    """The organisation if `user` may see it, else Organisation.DoesNotExist (views answer 404)."""
    return (
        list_visible_organisations(user=user)
        .select_related("region", "unit_type", "competent_department", "parent")
        .get(public_id=public_id)
    )


def search_organisations(
    *, queryset: QuerySet[Organisation], query: str = "", region: Region | None = None, kind: str = ""
) -> QuerySet[Organisation]:
    """Narrow a (scoped) queryset by name / credit-code text, region subtree and kind."""
    if query:
        query = query.strip()
        queryset = queryset.filter(Q(name__icontains=query) | Q(credit_code__startswith=normalise_credit_code(query)))
    if region is not None:
        queryset = queryset.filter(regions_within_q(region))
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def list_filter_regions(*, user: AnyUser) -> QuerySet[Region]:
    """Regions offered in list filters: the user's city subtree, or every region for a system admin."""
    regions = Region.objects.all()
    if not user.is_authenticated:
        return regions.none()
    if user.is_superuser or user.has_role(Role.SYSTEM_ADMIN):
        return regions
    organisation = user.organisation
    city = get_city_of_region(organisation.region) if organisation else None
    if city is None:
        return regions.none()
    return get_region_subtree(city)


def get_first_review_body(*, unit: Organisation) -> Organisation | None:
    """资格初审 body of an applicant unit, derived from its data (never typed in).

    County units: the county-level HR bureau (or the ETDZ's department) of the unit's region.
    City-direct units and city-owned enterprises: their competent department (主管部门).
    Returns None when the reference data holds no such body (a configuration gap the caller reports).
    """
    if unit.is_city_direct:
        return unit.competent_department
    return (
        Organisation.objects.filter(
            kind=Kind.GOVERNMENT, function=Function.COUNTY_HR_BUREAU, region=unit.region_id, is_active=True
        )
        .order_by("pk")
        .first()
    )


def list_portal_cities() -> QuerySet[Region]:
    """Cities that have a public portal (`/c/<portal_slug>/`), in the reference data's order."""
    return Region.objects.filter(level=Region.Level.CITY, portal_slug__isnull=False).order_by("sort_order", "key")


def get_portal_city(*, slug: str) -> Region:
    """The city whose portal is `/c/<slug>/`, or Region.DoesNotExist (views answer 404)."""
    return list_portal_cities().get(portal_slug=slug)


def list_government_bodies_within(*, city: Region, function: str) -> QuerySet[Organisation]:
    """The active government bodies of `function` anywhere in `city` (its counties too), in id order."""
    return Organisation.objects.filter(
        regions_within_q(city), kind=Kind.GOVERNMENT, function=function, is_active=True
    ).order_by("pk")


def list_city_bodies(*, city: Region | int, functions: Iterable[str] | None) -> list[Organisation]:
    """The active government bodies of `city` (a Region or its pk) holding one of `functions` (a call's
    `recheck_bodies`, say), in the order of `functions`: the names a document prints for them."""
    functions = list(functions or [])
    order = {function: index for index, function in enumerate(functions)}
    bodies = Organisation.objects.filter(
        kind=Kind.GOVERNMENT, function__in=functions, region=city, is_active=True
    ).order_by("name")
    return sorted(bodies, key=lambda body: order[body.function])


def list_bodies_with_functions(*, functions: Iterable[str]) -> QuerySet[Organisation]:
    """The active government bodies of every city holding one of `functions`, by region and name (the service
    accounts' page offers them; each one's region names its city)."""
    return (
        Organisation.objects.filter(kind=Kind.GOVERNMENT, function__in=list(functions), is_active=True)
        .select_related("region")
        .order_by("region__key", "name")
    )
