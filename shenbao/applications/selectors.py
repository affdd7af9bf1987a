"""Reads about applications, always through the scoping rule of `rules.visible_applications_q`."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.accounts.roles import Role
from shenbao.calls.extension_selectors import get_unit_deadline
from shenbao.calls.models import DeadlineExtension, ProjectType
from shenbao.calls.selectors import list_project_types
from shenbao.core.pending import Pending, count_pending

from .diff import diff_form_data
from .formdata import missing_fields
from .history_selectors import HistoryEntry as HistoryEntry
from .history_selectors import get_progress as get_progress
from .history_selectors import list_application_history as list_application_history
from .materials import missing_required_materials
from .metrics import evaluate_eligibility, failing_rules
from .models import Application, ApplicationMaterial, ApplicationVersion
from .paper import PaperStatus as PaperStatus
from .paper import get_paper_status as get_paper_status
from .paper import get_visible_signed_scan as get_visible_signed_scan
from .paper import with_paper_status as with_paper_status
from .persons import PersonConflict as PersonConflict
from .persons import count_person_conflicts as count_person_conflicts
from .persons import describe_conflicts_for as describe_conflicts_for
from .persons import find_person_conflicts as find_person_conflicts
from .rules import visible_applications_q
from .sections import get_form_spec
from .statistics import FUNNEL as FUNNEL
from .statistics import STATISTICS_DIMENSIONS as STATISTICS_DIMENSIONS
from .statistics import count_application_funnel as count_application_funnel
from .statistics import count_applications_by as count_applications_by
from .steps import resolve
from .workflow import (
    EDITABLE_STATES,
    ON_PROPOSED_LIST,
    TRANSITIONS_BY_NAME,
    ApplicationStatus,
    Transition,
)

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.accounts.rules import AnyUser
    from shenbao.calls.models import Call, MaterialRequirement
    from shenbao.organisations.models import Organisation, Region


class ChecklistSection(TypedDict):
    key: str
    title: str
    documents: tuple[str, ...]
    missing: list[str]
    complete: bool


class SubmissionChecklist(TypedDict):
    """What stands between a draft (or a returned application) and its submission; see `get_submission_checklist`."""

    transition: str | None
    deadline: dt.datetime  # the unit's: the call's, or the later one of its extension (延期提交)
    extension: DeadlineExtension | None
    is_open: bool
    resubmission_due: dt.date | None
    sections: list[ChecklistSection]
    eligibility: list[dict[str, Any]]
    failing_rules: list[dict[str, Any]]
    missing_materials: list[MaterialRequirement]
    reasons: list[str]
    can_submit: bool


NEWEST_FIRST = ("-created_at", "-id")
LIST_ROW_RELATED = ("call", "project_type", "unit", "unit__region", "first_review_body")


def list_visible_applications(*, user: AnyUser) -> QuerySet[Application]:
    """The applications `user` may see, newest first, with what a list row shows."""
    return (
        Application.objects.filter(visible_applications_q(user))
        .select_related(*LIST_ROW_RELATED)
        .order_by(*NEWEST_FIRST)
    )


def page_visible_applications(*, user: AnyUser, number: str | int | None, per_page: int) -> Page:
    """One page (1-based `number`, clamped like `Paginator.get_page`) of `list_visible_applications`.

    The page's keys are chosen from the application rows alone (the scope and the order), and only those rows are
    read with their related rows, in the same query (`IN (… LIMIT …)`). Joining every visible application before
    keeping a page cost most of the list's time at province scale: on PostgreSQL, for a city of 7,900 visible
    applications, 31 ms against 7 ms this way (EXPLAIN ANALYZE; `make bench --scale province`).
    """
    keys = Application.objects.filter(visible_applications_q(user)).order_by(*NEWEST_FIRST)
    page = Paginator(keys, per_page).get_page(number)
    chosen = keys[page.start_index() - 1 : page.end_index()] if page.paginator.count else keys.none()
    page.object_list = (
        Application.objects.filter(pk__in=chosen.values("pk")).select_related(*LIST_ROW_RELATED).order_by(*NEWEST_FIRST)
    )
    return page


def get_visible_application(*, user: AnyUser, public_id: uuid.UUID | str, related: bool = True) -> Application:
    """The application if `user` may see it, else Application.DoesNotExist (views answer 404).

    `related=False`: the row alone, for a step that reads it again under its lock with what the step needs. With
    its seven related rows, PostgreSQL spent 2.3 ms planning the query, most of a submission's database time for
    the scope check alone (pg_stat_statements, `make bench --scale province`)."""
    applications = Application.objects.filter(visible_applications_q(user))
    if related:
        applications = applications.select_related(
            "call", "call__city", "project_type", "unit", "unit__region", "unit__unit_type", "first_review_body"
        )
    return applications.get(public_id=public_id)


def list_startable_project_types(*, call: Call, unit: Organisation | None) -> QuerySet[ProjectType]:
    """Project types of `call` that `unit` may still start: its unit type is allowed and it has none yet (every
    project type of a loaded call has a registered form: the loader refuses other codes).

    Whether the call is still open is the caller's question (`call.is_open()`); `start_application` checks it.
    """
    if unit is None or unit.unit_type_id is None:
        return list_project_types()
    return list_project_types(call=call).filter(allowed_unit_types=unit.unit_type_id).exclude(applications__unit=unit)


def get_submission_step(*, application: Application) -> Transition | None:
    """The step a submission of `application` fires (提交 or 修改后重新提交), None when its state allows none."""
    if application.status == ApplicationStatus.DRAFT:
        return TRANSITIONS_BY_NAME["submit"]
    if application.status == ApplicationStatus.RETURNED:
        return TRANSITIONS_BY_NAME["resubmit"]
    return None


def get_submission_checklist(*, application: Application, at: dt.datetime | None = None) -> SubmissionChecklist:
    """Everything that stands between a draft (or a returned application) and its submission.

    Returns a dict: transition (the step a submission would fire, None when the state allows none), deadline,
    is_open, resubmission_due, sections [{key, title, document, missing, complete}], eligibility (every rule),
    failing_rules, missing_materials (MaterialRequirement list), reasons (the guards' Chinese messages) and
    can_submit. The reasons are the very guards `services.fire_transition` will run.
    """
    at = at or timezone.now()
    spec = get_form_spec(application.project_type)
    missing = missing_fields(spec=spec, form_data=application.form_data)
    eligibility = evaluate_eligibility(application=application)
    step = get_submission_step(application=application)
    unit_deadline = get_unit_deadline(call=application.call, unit=application.unit)
    reasons: list[str] = []
    if step is None:
        reasons.append(
            _("申报当前状态为「%(status_display)s」，无需提交。") % {"status_display": application.get_status_display()}
        )
    else:
        for name in step.guards:
            reasons.extend(resolve("guard", name)(application=application, actor=None, payload={}, at=at))
    return {
        "transition": step.name if step else None,
        "deadline": unit_deadline.deadline,
        "extension": unit_deadline.extension,
        "is_open": unit_deadline.is_open(at=at),
        "resubmission_due": application.resubmission_due,
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "documents": section.documents,
                "missing": missing.get(section.key, []),
                "complete": section.key not in missing,
            }
            for section in spec.sections
        ],
        "eligibility": eligibility,
        "failing_rules": failing_rules(eligibility),
        "missing_materials": missing_required_materials(application=application),
        "reasons": reasons,
        "can_submit": step is not None and not reasons,
    }


def list_versions(*, application: Application) -> QuerySet[ApplicationVersion]:
    """Submitted versions, oldest first (版本1 is the first submission)."""
    return (
        ApplicationVersion.objects.filter(application=application).select_related("submitted_by").order_by("sequence")
    )


def list_applications(
    *,
    user: AnyUser | None = None,
    call: Call | int | None = None,
    city: Region | int | None = None,
    project_type: ProjectType | int | None = None,
    statuses: Iterable[str] | None = None,
) -> QuerySet[Application]:
    """The applications of a call, a city, a project type or in `statuses`: the base set each later stage's lists
    start from and narrow with their own relations. With `user`, only those `user` may see
    (`visible_applications_q`); without, the caller passes a call or city it has already scoped (the
    administrator's own call), or asks for states whose applications are public (授牌), never the whole table."""
    if user is None and call is None and city is None and project_type is None and statuses is None:
        raise TypeError("list_applications needs a user, call, city, project type or states to start from")
    applications = Application.objects.all()
    if user is not None:
        applications = applications.filter(visible_applications_q(user))
    if call is not None:
        applications = applications.filter(call=call)
    if city is not None:
        applications = applications.filter(call__city=city)
    if project_type is not None:
        applications = applications.filter(project_type=project_type)
    if statuses is not None:
        applications = applications.filter(status__in=list(statuses))
    return applications


def latest_version_sequence(*, outer: str = "pk") -> Subquery:
    """A subquery: the sequence of the latest version of the application `outer` (None before the first
    submission), so a list is annotated with its current round in the same query (资格复核)."""
    versions = ApplicationVersion.objects.filter(application=OuterRef(outer)).order_by("-sequence")
    return Subquery(versions.values("sequence")[:1])


def get_current_material(*, application: Application | int, public_id: uuid.UUID | str) -> ApplicationMaterial:
    """A current file of `application` with its requirement, else ApplicationMaterial.DoesNotExist (→ 404)."""
    return ApplicationMaterial.objects.select_related("requirement").get(
        public_id=public_id, application=application, is_current=True
    )


def find_by_verification_code(*, code: str) -> QuerySet[Any]:  # rows annotated with the latest version
    """The application carrying verification `code` (none or one) with its call, project type and unit, and its
    latest version's sequence and date (`latest_version`, `latest_version_at`): the public verify page."""
    versions = ApplicationVersion.objects.filter(application=OuterRef("pk")).order_by("-sequence")
    return (
        Application.objects.filter(verification_code=code)
        .select_related("call", "project_type", "unit")
        .annotate(
            latest_version=Subquery(versions.values("sequence")[:1]),
            latest_version_at=Subquery(versions.values("submitted_at")[:1]),
        )
    )


def lock_application(*, application: Application | int) -> Application:
    """`application` re-read under a row lock (SELECT … FOR UPDATE), with its project type: a later stage's write
    about it (the funding record) waits for any other write on the same application. Call inside a transaction."""
    pk = application if isinstance(application, int) else application.pk
    return Application.objects.select_for_update(of=("self",)).select_related("call", "project_type").get(pk=pk)


def get_latest_version(*, application: Application) -> ApplicationVersion | None:
    """The unit's last submitted version of `application` (what a designation rests on), or None."""
    return ApplicationVersion.objects.filter(application=application).order_by("-sequence").first()


def list_served_versions() -> QuerySet[ApplicationVersion]:
    """The latest version of every application no longer editable by its unit: the version whose documents the
    platform serves (documents renders and stores them once), with what rendering reads selected."""
    return (
        ApplicationVersion.objects.filter(sequence=latest_version_sequence(outer="application_id"))
        .exclude(application__status__in=EDITABLE_STATES)
        .select_related("application__call", "application__project_type", "application__unit")
        .order_by("pk")
    )


def get_version_with_diff(
    *, application: Application, sequence: int | str
) -> tuple[ApplicationVersion, ApplicationVersion | None, list[dict[str, Any]]]:
    """(version, previous version or None, its diff against the previous one: [] for the first version).

    Raises ApplicationVersion.DoesNotExist for an unknown sequence (views answer 404).
    """
    versions = list(
        ApplicationVersion.objects.filter(application=application, sequence__in=[sequence, int(sequence) - 1])
        .select_related("submitted_by")
        .order_by("sequence")
    )
    version = next((item for item in versions if item.sequence == int(sequence)), None)
    if version is None:
        raise ApplicationVersion.DoesNotExist(f"version {sequence} of {application.number}")
    previous = next((item for item in versions if item.sequence == int(sequence) - 1), None)
    spec = get_form_spec(application.project_type)
    changes = diff_form_data(spec=spec, old=previous.form_data, new=version.form_data) if previous else []
    return version, previous, changes


def list_applications_with_due_date(
    *, status: str, due_field: str, start: dt.date, end: dt.date
) -> QuerySet[Application]:
    """Applications in `status` whose due date (`due_field`: `resubmission_due`, `call__first_review_due`) falls
    between `start` and `end`, with call and unit, in id order: the due-date reminders' targets."""
    return (
        Application.objects.filter(status=status, **{f"{due_field}__range": (start, end)})
        .select_related("call", "unit")
        .order_by("pk")
    )


def list_call_application_facts(*, call: Call) -> list[tuple[str, str, bool]]:
    """(project type code, unit type code, submitted) of every application of `call`: what a change of the call
    would touch (`calls.changes.assess_changes`, which names this by dotted path)."""
    rows = Application.objects.filter(call=call).values_list("project_type__code", "unit__unit_type__code", "status")
    return [(type_code, unit_type, status != ApplicationStatus.DRAFT) for type_code, unit_type, status in rows]


def count_on_proposed_list(*, project_type: ProjectType) -> int:
    """How many applications of `project_type` are on the proposed list (拟授牌), counted against its quota."""
    return Application.objects.filter(project_type=project_type, status__in=ON_PROPOSED_LIST).count()


def count_applications_by_status(
    *, project_types: QuerySet[ProjectType] | Iterable[ProjectType]
) -> dict[tuple[int, str], int]:
    """{(project_type pk, status): number} of the submitted applications (drafts are the unit's own business) of
    `project_types` — figures only, for the province's statistics, which scope the project types; one query."""
    rows = (
        Application.objects.filter(project_type__in=project_types)
        .exclude(status=ApplicationStatus.DRAFT)
        .order_by()
        .values("project_type", "status")
        .annotate(number=Count("*"))  # COUNT(*), not of the key: the (type, state) index alone answers it
    )
    return {(row["project_type"], row["status"]): row["number"] for row in rows}


def list_reusable_applications(*, unit: Organisation | None, call: Call) -> QuerySet[Application]:
    """复制往年申报: `unit`'s applications of other calls (any state), newest call first, with what a row shows.

    Only the unit's own: the copy never reads another unit's application.
    """
    if unit is None:
        return Application.objects.none()
    return (
        Application.objects.filter(unit=unit.pk)
        .exclude(call=call.pk)
        .select_related("call", "project_type")
        .order_by("-call__year", "-created_at", "-id")
    )


def get_reusable_application(*, unit: Organisation | None, call: Call, public_id: uuid.UUID | str) -> Application:
    """One application of `list_reusable_applications`, else Application.DoesNotExist (views answer 404)."""
    return list_reusable_applications(unit=unit, call=call).get(public_id=public_id)


def list_unit_applications_in_call(*, unit: Organisation, call: Call) -> QuerySet[Application]:
    """`unit`'s applications of `call` (one per project type), with their project types."""
    return Application.objects.filter(unit=unit.pk, call=call.pk).select_related("project_type").order_by("pk")


def count_returned_applications(*, user: User, today: dt.date) -> Pending:
    """退回待修改 (core.todos): the unit's applications returned for revision; overdue after their 补正截止日期."""
    if not user.has_role(Role.APPLICANT):
        return Pending()
    returned = Application.objects.filter(
        visible_applications_q(user), unit=user.organisation_id, status=ApplicationStatus.RETURNED
    )
    return count_pending(returned, due="resubmission_due", today=today)


def list_visible_application_rows(
    *, user: AnyUser, call: Call | None = None, status: str | None = None
) -> QuerySet[Application]:
    """The applications `user` may see (of `call`, in `status` when given), newest first, with what a list row
    shows: the API's list."""
    return (
        list_applications(user=user, call=call, statuses=(status,) if status else None)
        .select_related(*LIST_ROW_RELATED)
        .order_by(*NEWEST_FIRST)
    )
