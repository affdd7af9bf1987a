"""Writes about applications: starting one, saving a section of the form, moving it through the workflow.

Every write locks the application row (SELECT … FOR UPDATE) and re-reads it, so two browser tabs, a double
click or two staff members of the same unit cannot overwrite each other or fire a step twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shenbao.accounts.roles import Role
from shenbao.audit.services import record_event
from shenbao.calls.project_types import is_registered
from shenbao.core.revisions import check_revision
from shenbao.core.transitions import Transition, fire
from shenbao.notifications.services import notify_transition
from shenbao.organisations.selectors import get_city_of_region, get_first_review_body

from .diff import diff_form_data
from .formdata import clean_section
from .guards import submission_time_refusals
from .metrics import evaluate_eligibility
from .models import Application, ApplicationNumberCounter, ApplicationPerson, ApplicationVersion, ReviewComment
from .persons import list_persons
from .reuse import acknowledge_copied_section
from .rules import applicant_of_unit
from .search_columns import SEARCH_COLUMNS, search_columns_of
from .sections import get_form_spec
from .workflow import EDITABLE_STATES, MACHINE

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.accounts.rules import AnyUser
    from shenbao.calls.models import Call, ProjectType
    from shenbao.organisations.models import Organisation


# What a stale save names (core.revisions): the section page and the table import both write the form's content.
APPLICATION_CONTENT = gettext_lazy("申报内容")


def _existing_message(existing: Application) -> str:
    return _("本单位已申报「%(name)s」（申报编号 %(number)s），同一通知下每类项目只能申报一次。") % {
        "name": existing.project_type.name,
        "number": existing.number,
    }


def _check_can_start(
    *, call: Call, project_type: ProjectType, unit: Organisation, user: AnyUser, at: datetime.datetime
) -> None:
    if not (user.is_authenticated and user.has_role(Role.APPLICANT) and user.organisation_id == unit.pk):
        raise PermissionDenied(_("只有本单位的申报经办人可以发起申报。"))
    if project_type.call_id != call.pk:
        raise ValidationError(_("所选项目类别不属于本次申报通知。"), code="wrong_call")
    unit_city = get_city_of_region(unit.region)
    if unit_city is not None and unit_city.pk != call.city_id:
        # One deployment serves several cities: a call takes the units of the city that issued it.
        raise ValidationError(_("本次申报通知只受理%(name)s的申报单位。") % {"name": call.city.name}, code="other_city")
    refusals = submission_time_refusals(call=call, unit=unit, at=at, starting=True)
    if refusals:
        raise ValidationError(refusals[0], code="call_closed")
    if not is_registered(project_type.code):  # a row the call loader would have refused (written another way)
        raise ValidationError(
            _("「%(name)s」暂未配置申报表，请联系技能办。") % {"name": project_type.name}, code="no_form"
        )
    allowed = project_type.allowed_unit_types.all()
    if unit.unit_type_id not in {unit_type.pk for unit_type in allowed}:
        names = "、".join(unit_type.name for unit_type in allowed)
        raise ValidationError(
            _("「%(unit_type)s」不能申报「%(name)s」（通知%(clause)s：可申报的单位为%(names)s）。")
            % {"unit_type": unit.unit_type, "name": project_type.name, "clause": project_type.clause, "names": names},
            code="unit_type_not_allowed",
        )


def _next_number(project_type: ProjectType, call: Call) -> str:
    """申报编号 prefix-type-sequence (2022-01-0001); the counter row is locked so numbers never repeat.

    The prefix is the call's (`application_number_prefix`, unique among calls; the year unless the call file
    sets one), the type part the project type's 1-based position in the call file (the loader stores 0-based
    sort_order).
    """
    try:
        with transaction.atomic():
            ApplicationNumberCounter.objects.get_or_create(project_type=project_type)
    except IntegrityError:
        pass  # created by a concurrent start in the meantime; the locked read below waits for it
    counter = ApplicationNumberCounter.objects.select_for_update().get(project_type=project_type)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return f"{call.application_number_prefix}-{project_type.sort_order + 1:02d}-{counter.last_value:04d}"


def start_application(
    *, call: Call, project_type: ProjectType, unit: Organisation, user: User, at: datetime.datetime | None = None
) -> Application:
    """Create the draft of `unit`'s application for `project_type` (one per unit, project type and call)."""
    at = at or timezone.now()
    _check_can_start(call=call, project_type=project_type, unit=unit, user=user, at=at)
    with transaction.atomic():
        number = _next_number(project_type, call)
        # Checked again after the counter lock: starts for the same project type run one after the other here.
        existing = Application.objects.filter(call=call, project_type=project_type, unit=unit).first()
        if existing is not None:
            raise ValidationError(_existing_message(existing), code="duplicate")
        application = Application(
            number=number,
            call=call,
            project_type=project_type,
            unit=unit,
            first_review_body=get_first_review_body(unit=unit),
            created_by=user,
        )
        application.eligibility = evaluate_eligibility(application=application)
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError as exc:
            existing = Application.objects.filter(call=call, project_type=project_type, unit=unit).first()
            if existing is not None:
                raise ValidationError(_existing_message(existing), code="duplicate") from exc
            raise
        record_event(
            event="application:start",
            actor=user,
            target=application,
            details={"number": number, "project_type": project_type.code, "call": call.slug},
        )
    return application


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def save_section(
    *,
    application: Application,
    section_key: str,
    data: Mapping[str, Any],
    user: User,
    expected_revision: int | str | None,
) -> Application:
    """Save one section of the draft (partial content allowed) and refresh the live eligibility result.

    Raises PermissionDenied (not the unit's applicant), ValidationError (not editable in this state, or the
    values as {key: message}, see `formdata`), StaleRevisionError (saved elsewhere since `expected_revision`).
    Saving identical content changes nothing (no new revision, no audit entry).
    """
    spec = get_form_spec(application.project_type)
    try:
        section = spec.section(section_key)
    except KeyError as exc:
        raise ValidationError(
            _("申报表中没有“%(section_key)s”这一部分。") % {"section_key": section_key}, code="unknown_section"
        ) from exc
    with transaction.atomic():
        locked = _lock(application)
        if not applicant_of_unit(user, locked):
            raise PermissionDenied(_("只有本单位的申报经办人可以填写申报书。"))
        if locked.status not in EDITABLE_STATES:
            raise ValidationError(
                _("申报当前状态为「%(state)s」，不能修改。") % {"state": locked.get_status_display()},
                code="not_editable",
            )
        check_revision(current=locked.revision, expected=expected_revision, what=APPLICATION_CONTENT)
        previous = (locked.form_data or {}).get(section_key) or {}
        cleaned, errors = clean_section(spec=spec, section_key=section_key, data=data, previous=previous)
        if errors:
            raise ValidationError(errors)
        changes = diff_form_data(spec=spec, old={section_key: previous}, new={section_key: cleaned})
        if not changes:
            return locked
        store_section(
            locked,
            section_key=section_key,
            cleaned=cleaned,
            changes=changes,
            user=user,
            event="application:save_section",
            details={"section": section.title},
        )
    return locked


def store_section(
    locked: Application,
    *,
    section_key: str,
    cleaned: dict[str, Any],
    changes: list[dict[str, Any]],
    user: User,
    event: str,
    details: Mapping[str, Any],
) -> None:
    """Write a cleaned section into the locked draft: a new revision, eligibility evaluated again, the section's
    part of the copy report acknowledged, and one audit entry with the changes. The caller holds the row lock."""
    locked.form_data = {**(locked.form_data or {}), section_key: cleaned}
    locked.revision += 1
    locked.eligibility = evaluate_eligibility(application=locked)
    locked.copy_report = acknowledge_copied_section(report=locked.copy_report, section_key=section_key)
    for column, value in search_columns_of(locked.form_data).items():
        setattr(locked, column, value)
    locked.save(update_fields=["form_data", "revision", "eligibility", "copy_report", "updated_at", *SEARCH_COLUMNS])
    record_event(
        event=event,
        actor=user,
        target=locked,
        changes={change["label"]: [change["old"], change["new"]] for change in changes},
        details={**details, "section_key": section_key, "revision": locked.revision},
    )


def fire_transition(
    *,
    application: Application,
    name: str,
    actor: Any,
    comment: str = "",
    payload: Mapping[str, Any] | None = None,
    at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> Application:
    """The only way an application changes state: `workflow.MACHINE` fired by `core.transitions.fire`.

    Under the row lock: the actor predicate must hold (PermissionDenied), the current state must be a source of
    the step ("状态已变化" otherwise, so a second identical request does nothing), a required comment must be
    given, and every guard must pass (ValidationError listing every reason). Then the effects run, the
    django-fsm method records the StateLog, the step is audited and notified, and a comment for the applicant
    is kept (`ReviewComment`). Returns the updated application.
    """
    with transaction.atomic():
        locked = fire(
            machine=MACHINE,
            obj=application,
            name=name,
            actor=actor,
            comment=comment,
            payload=payload,
            at=at,
            request=request,
            # This block is the step's transaction (or its savepoint inside a caller's): nothing to undo apart.
            savepoint=False,
        )
        step = MACHINE.transition(name)
        comment = (comment or "").strip()
        if step.comment_to_applicant and comment:
            ReviewComment.objects.create(
                application=locked,
                author=actor,
                author_organisation=actor.organisation,
                transition=step.name,
                text=comment,
            )
    return locked


def audit_details(application: Application, *, step: Transition, at: datetime.datetime) -> dict[str, str]:
    """What the application's audit entries carry besides the step (the machine's `details` hook)."""
    return {"number": application.number}


def notify_step(application: Application, *, step: Transition, actor: Any, comment: str, at: datetime.datetime) -> None:
    """The machine's notify hook: the step's audiences are told (`notifications.services.notify_transition`)."""
    notify_transition(application=application, step=step, actor=actor, comment=comment, at=at)


def rebuild_person_indexes() -> int:
    """Rewrite every indexed application's person rows (`ApplicationPerson`) from its last submitted version, as 提交
    wrote them, with the current blind-index key; returns how many applications changed. For `rotate_data_keys`
    after a SECRET_KEY change: the rows are a derived index, so nothing is audited per row."""
    changed = 0
    indexed = ApplicationPerson.objects.values_list("application", flat=True).distinct()
    for application in Application.objects.filter(pk__in=indexed).select_related("project_type"):
        version = ApplicationVersion.objects.filter(application=application).order_by("-sequence").first()
        if version is None:
            continue
        spec = get_form_spec(application.project_type)
        wanted = {person.index for person in list_persons(spec=spec, form_data=version.form_data)}
        existing = set(ApplicationPerson.objects.filter(application=application).values_list("id_index", flat=True))
        if wanted == existing:
            continue
        with transaction.atomic():
            ApplicationPerson.objects.filter(application=application).delete()
            ApplicationPerson.objects.bulk_create(
                ApplicationPerson(application=application, call_id=application.call_id, id_index=index)
                for index in sorted(wanted)
            )
        changed += 1
    return changed
