"""Guards of the workflow transitions: each returns the Chinese reasons a step is not allowed (empty = allowed).

Signature: `guard(*, application, actor, payload, at) -> list[str]`. `services.fire_transition` runs every guard
of a step and refuses with all reasons at once; `selectors.get_submission_checklist` shows the same reasons
before the applicant presses the button. All dates are judged in Beijing time (TIME_ZONE = Asia/Shanghai).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.calls.extension_selectors import get_unit_deadline
from shenbao.calls.formatting import format_deadline
from shenbao.core.days import format_day, parse_due_date

from .formdata import missing_fields
from .materials import missing_required_materials
from .metrics import evaluate_eligibility, failing_rules
from .persons import list_person_warnings, lock_persons, persons_of
from .sections import get_form_spec

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.calls.models import Call
    from shenbao.organisations.models import Organisation

    from .models import Application


def call_open(
    *, application: Application, actor: User, payload: Mapping[str, Any] | None, at: datetime.datetime
) -> list[str]:
    """四: the server's clock against the unit's deadline — the call's, or the later one the 技能办 granted the unit
    (延期提交) — whose last second is still in time."""
    return submission_time_refusals(call=application.call, unit=application.unit, at=at, starting=False)


def submission_time_refusals(*, call: Call, unit: Organisation, at: datetime.datetime, starting: bool) -> list[str]:
    """Why `unit` may not start (`starting`) or submit an application to `call` at `at` (empty: in time)."""
    unit_deadline = get_unit_deadline(call=call, unit=unit)
    if unit_deadline.is_open(at=at):
        return []
    if timezone.localtime(at).date() < call.published_on:
        return [_("本次申报自%(published_on)s起受理，尚未开始。") % {"published_on": format_day(call.published_on)}]
    values = {"deadline": format_deadline(unit_deadline.deadline)}
    if unit_deadline.extension is not None:
        if starting:
            return [_("本单位的延期提交已于%(deadline)s（北京时间）截止，不能再发起申报。") % values]
        return [_("本单位的延期提交已于%(deadline)s（北京时间）截止，不能再提交。") % values]
    if starting:
        return [_("本次申报已于%(deadline)s（北京时间）截止，不能再发起申报。") % values]
    return [_("本次申报已于%(deadline)s（北京时间）截止，不能再提交。") % values]


def form_complete(
    *, application: Application, actor: User, payload: Mapping[str, Any] | None, at: datetime.datetime
) -> list[str]:
    spec = get_form_spec(application.project_type)
    return [
        _("「%(title)s」尚未填写完整：%(labels)s。") % {"title": spec.section(key).title, "labels": "、".join(labels)}
        for key, labels in missing_fields(spec=spec, form_data=application.form_data).items()
    ]


def eligibility_passed(
    *, application: Application, actor: User, payload: Mapping[str, Any] | None, at: datetime.datetime
) -> list[str]:
    """一: the hard rules, evaluated again on the data being submitted (not on the stored result)."""
    return [
        _("不符合申报条件：%(message)s") % {"message": result["message"]}
        for result in failing_rules(evaluate_eligibility(application=application))
    ]


def materials_complete(
    *, application: Application, actor: User, payload: Mapping[str, Any] | None, at: datetime.datetime
) -> list[str]:
    missing = missing_required_materials(application=application)
    if not missing:
        return []
    return [
        _("尚未上传必交材料：%(items)s。") % {"items": "、".join(f"「{requirement.name}」" for requirement in missing)}
    ]


def resubmission_not_overdue(
    *, application: Application, actor: User, payload: Mapping[str, Any] | None, at: datetime.datetime
) -> list[str]:
    """A returned application may be resubmitted up to and including its 补正截止日期 (Beijing time)."""
    due = application.resubmission_due
    if due is None or timezone.localtime(at).date() <= due:
        return []
    return [_("补正材料的截止日期（%(due)s）已过，不能再重新提交；请联系资格初审单位。") % {"due": format_day(due)}]


def resubmission_due_in_future(
    *, application: Application, actor: User, payload: Mapping[str, Any] | None, at: datetime.datetime
) -> list[str]:
    due = parse_due_date((payload or {}).get("resubmission_due"))
    if due is None:
        return [_("请填写补正截止日期（格式：年-月-日）。")]
    today = timezone.localtime(at).date()
    if due < today:
        return [_("补正截止日期不能早于今天（%(today)s）。") % {"today": format_day(today)}]
    return []


def persons_unique_in_call(
    *, application: Application, actor: User, payload: Mapping[str, Any] | None, at: datetime.datetime
) -> list[str]:
    """A person, known by the 身份证号码 in the form, is in at most one unit's application of the call, see
    `persons.py`; each person's lock is held from here to the commit, so simultaneous submissions naming the same
    person are judged one after the other."""
    persons = persons_of(application=application)
    lock_persons(call_id=application.call_id, persons=persons)
    return list_person_warnings(application=application, persons=persons)


GUARDS = {
    "call_open": call_open,
    "form_complete": form_complete,
    "eligibility_passed": eligibility_passed,
    "materials_complete": materials_complete,
    "persons_unique_in_call": persons_unique_in_call,
    "resubmission_not_overdue": resubmission_not_overdue,
    "resubmission_due_in_future": resubmission_due_in_future,
}
