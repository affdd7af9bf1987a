"""The public portals: the platform's home page and each city's page (`/c/<slug>/`).

Both list the open calls and the archive of past calls (往期申报通知) with their results: the units designated
(授牌) by each call, by project type. The archive is searched by city, year and text, paginated in the database,
and the designated units of a page come in one query, so the page costs the same however many rows it shows.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator

from shenbao.awards.selectors import designated_unit_calls, list_designated_applications_of_calls
from shenbao.calls.selectors import search_closed_calls

ARCHIVE_PAGE_SIZE = 5


@dataclass(frozen=True)
class ArchiveEntry:
    call: object
    designated: list  # awarded applications with unit, project type and plaque


@dataclass(frozen=True)
class Archive:
    page_obj: object
    entries: list


def build_archive(*, at, city=None, year=None, text="", page=None):
    """One page of past calls matching the criteria, each with its designated units."""
    text = (text or "").strip()
    calls = search_closed_calls(
        at=at, city=city, year=year, text=text, also_matching=designated_unit_calls(name=text) if text else None
    )
    page_obj = Paginator(calls, ARCHIVE_PAGE_SIZE).get_page(page)
    page_calls = list(page_obj.object_list)
    by_call = {call.pk: [] for call in page_calls}
    if page_calls:
        for application in list_designated_applications_of_calls(calls=[call.pk for call in page_calls]):
            by_call[application.call_id].append(application)
    return Archive(page_obj=page_obj, entries=[ArchiveEntry(call, by_call[call.pk]) for call in page_calls])
