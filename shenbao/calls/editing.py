"""The call editor's writes (技能办): copy a call as next year's draft, save a changed document, publish.

Every save validates the whole call document with the schema of `load_call` (`services.validate_call_document`)
and writes through the same writer (`services.save_call_document`). A change of a published call is versioned
(CallVersion), audited and told to the units that already started an application (通知变更); a change that
would invalidate applications is refused or needs the administrator's explicit confirmation (`changes`).
"""

import calendar
import copy
import datetime
import hashlib

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from shenbao.accounts.roles import Role
from shenbao.accounts.selectors import holding_role_q, list_active_users
from shenbao.audit.services import record_event
from shenbao.notifications.services import create_notifications, in_working_language

from .changes import assess_changes, describe_changes
from .exports import dump_call_yaml, export_call_document
from .models import Call, CallState, CallVersion
from .services import CallFileError, save_call_document, validate_call_document
from .workflow import fire_call_transition

EDITOR_SOURCE = "编辑器"
CALL_CHANGED = "call_changed"


class CallChangeRefused(Exception):
    """A change that would invalidate applications and is never allowed; `lines` say why."""

    def __init__(self, lines):
        self.lines = list(lines)
        super().__init__("\n".join(self.lines))


class CallChangeNeedsConfirmation(Exception):
    """A change allowed only with the administrator's explicit confirmation; `lines` say what it affects."""

    def __init__(self, lines):
        self.lines = list(lines)
        super().__init__("\n".join(self.lines))


def _stored_reader(call, uploads=None):
    """Attachment bytes by code: a file uploaded now (`uploads`: {code: bytes}), else `call`'s stored one."""
    stored = {attachment.code: attachment for attachment in call.attachments.all()}
    uploads = uploads or {}

    def read(attachment_spec):
        if attachment_spec.code in uploads:
            return uploads[attachment_spec.code]
        attachment = stored.get(attachment_spec.code)
        if attachment is None or not attachment.file or not default_storage.exists(attachment.file.name):
            return None
        with attachment.file.open("rb") as handle:
            return handle.read()

    return read


def _sha256(document):
    return hashlib.sha256(dump_call_yaml(document).encode("utf-8")).hexdigest()


def _shift_date(value, years):
    day = value.day
    last = calendar.monthrange(value.year + years, value.month)[1]
    return value.replace(year=value.year + years, day=min(day, last))


def _shift(text, years, parse):
    value = parse(text)
    if isinstance(value, datetime.datetime):
        shifted = _shift_date(value.date(), years)
        return datetime.datetime.combine(shifted, value.timetz()).isoformat()
    return _shift_date(value, years).isoformat()


def copy_document(document, *, slug, year, application_number_prefix):
    """`document` as the call of `year`: every date moved by the difference of years, the year in its title too."""
    years = year - document["year"]
    new = copy.deepcopy(document)
    new.update(slug=slug, year=year, application_number_prefix=application_number_prefix)
    new["title"] = document["title"].replace(str(document["year"]), str(year))
    new["published_on"] = _shift(document["published_on"], years, parse_date)
    new["deadline"] = _shift(document["deadline"], years, parse_datetime)
    if document.get("first_review_due"):
        new["first_review_due"] = _shift(document["first_review_due"], years, parse_date)
    for project_type in new["project_types"]:
        for key in ("construction_start", "construction_end"):
            project_type[key] = _shift(project_type[key], years, parse_date)
    for attachment in new["attachments"]:
        attachment["path"] = f"{slug}/{attachment['path'].split('/', 1)[-1]}"
    return new


# A practice call (「演示」) copied on `today`: published this many days ago, open this many days ahead, its
# construction period the whole of last year up to these days ago (so its demo units can report and be accepted).
PRACTICE_MARK = "【演示】"
PRACTICE_PUBLISHED_DAYS_AGO = 30
PRACTICE_OPEN_DAYS_AHEAD = 28
PRACTICE_FIRST_REVIEW_DAYS_AHEAD = 42
PRACTICE_CONSTRUCTION_ENDED_DAYS_AGO = 3


def practice_document(document, *, slug, application_number_prefix, today):
    """`document` copied (`copy_document`) as a practice call of `today`: marked 「演示」, dates relative to today."""
    new = copy_document(document, slug=slug, year=today.year, application_number_prefix=application_number_prefix)
    day = datetime.timedelta(days=1)
    deadline = parse_datetime(document["deadline"])
    closes = datetime.datetime.combine(today + day * PRACTICE_OPEN_DAYS_AHEAD, deadline.timetz())
    new.update(
        practice=True,
        # Stored data, not UI text: the mark is the same whatever language the copy ran in.
        title=f"{PRACTICE_MARK}{new['title']}",
        published_on=(today - day * PRACTICE_PUBLISHED_DAYS_AGO).isoformat(),
        deadline=closes.isoformat(),
        first_review_due=(today + day * PRACTICE_FIRST_REVIEW_DAYS_AHEAD).isoformat(),
    )
    for project_type in new["project_types"]:
        project_type["construction_start"] = datetime.date(today.year - 1, 1, 1).isoformat()
        project_type["construction_end"] = (today - day * PRACTICE_CONSTRUCTION_ENDED_DAYS_AGO).isoformat()
    return new


def copy_call(*, source, slug, year, application_number_prefix, actor, request=None, practice_on=None):
    """A new draft call copied from `source` for `year` (dates moved by the difference of years).

    With `practice_on` (a day) the copy is a practice call (「演示」) of that day instead (`practice_document`).
    """
    document = export_call_document(source)
    if practice_on is None:
        document = copy_document(document, slug=slug, year=year, application_number_prefix=application_number_prefix)
    else:
        document = practice_document(
            document, slug=slug, application_number_prefix=application_number_prefix, today=practice_on
        )
    origin = f"{EDITOR_SOURCE}:{slug}"
    if Call.objects.filter(slug=slug).exists():
        raise CallFileError(origin, [_("字段 slug：标识 %(slug)s 已被其他申报通知使用") % {"slug": slug}])
    spec = validate_call_document(data=document, source=origin)
    with transaction.atomic():
        call = save_call_document(
            spec=spec,
            source=origin,
            sha256=_sha256(document),
            read_attachment=_stored_reader(source),
            state=CallState.DRAFT,
        )
        record_event(event="calls:copy", actor=actor, target=call, request=request, details={"source": source.slug})
    return call


def save_call_changes(*, call, document, actor, confirmed=False, uploads=None, request=None, at=None):
    """Validate and write the edited `document` of `call`; returns (call, summary lines).

    `uploads` ({attachment code: bytes}) are new files of attachments the document names.
    The slug and the city are the call's own whatever the document says. For a published call: refusals raise
    CallChangeRefused, changes that need confirmation raise CallChangeNeedsConfirmation unless `confirmed`; a
    real change makes a CallVersion, an audit entry and a notification to every unit that started an application.
    """
    at = at or timezone.now()
    document = {**document, "slug": call.slug, "city": call.city.key}
    origin = f"{EDITOR_SOURCE}:{call.slug}"
    spec = validate_call_document(data=document, source=origin)
    old = export_call_document(call)
    if call.state == CallState.PUBLISHED:
        refusals, confirmations = assess_changes(call=call, old=old, new=document, at=at)
        if refusals:
            raise CallChangeRefused(refusals)
        if confirmations and not confirmed:
            raise CallChangeNeedsConfirmation(confirmations)
    before = dict(call.attachments.values_list("code", "sha256"))
    with transaction.atomic():
        call = save_call_document(
            spec=spec, source=origin, sha256=_sha256(document), read_attachment=_stored_reader(call, uploads)
        )
        # Compared as the writer exports them, so "3" and 3.00 are no change. The summary is a record (the
        # version, the audit entry, the units' notification): written in the working language.
        with in_working_language():
            summary = describe_changes(old, export_call_document(call))
            summary += [
                _("附件「%(title)s」：更换文件") % {"title": title}
                for code, title, sha256 in call.attachments.values_list("code", "title", "sha256")
                if code in before and code in (uploads or {}) and before[code] != sha256
            ]
        if summary and call.state == CallState.PUBLISHED:
            _record_published_change(call=call, summary=summary, actor=actor, request=request, at=at)
        elif summary:
            record_event(
                event="calls:edit_draft", actor=actor, target=call, request=request, details={"summary": summary}
            )
    return call, summary


def _snapshot(*, call, summary, actor, at):
    number = (call.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return CallVersion.objects.create(
        call=call, number=number, document=export_call_document(call), summary=summary, author=actor, created_at=at
    )


def _record_published_change(*, call, summary, actor, request, at):
    version = _snapshot(call=call, summary=summary, actor=actor, at=at)
    call.revised_at = at
    call.revision_summary = summary
    call.save(update_fields=["revised_at", "revision_summary"])
    record_event(
        event="calls:change",
        actor=actor,
        target=call,
        request=request,
        details={"version": version.number, "summary": summary},
    )
    recipients = list_active_users(
        query=holding_role_q(Role.APPLICANT) & Q(organisation__in=call.applications.values("unit"))
    )
    with in_working_language():
        title = _("通知变更：%(title)s") % {"title": call.title}
    create_notifications(
        recipients=list(recipients),
        event=CALL_CHANGED,
        title=title,
        body="\n".join(summary),
        url=reverse("calls:detail", kwargs={"slug": call.slug}),
        city=call.city_id,
        at=at,
    )


def publish_call(*, call, actor, request=None, at=None):
    """Publish a draft (the `publish` transition) and keep its document as version 1."""
    with transaction.atomic():
        call = fire_call_transition(call=call, name="publish", actor=actor, request=request)
        with in_working_language():
            summary = [_("发布申报通知")]
        _snapshot(call=call, summary=summary, actor=actor, at=at or timezone.now())
    return call


ATTACHMENT_FORMATS = ("doc", "docx", "xls", "xlsx", "pdf", "wps", "et")


def upload_call_attachment(*, call, code, title, name, content, actor, request=None, at=None):
    """Add an attachment to `call`'s document, or replace the file (and title) of the one with `code`."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ATTACHMENT_FORMATS:
        raise CallFileError(
            f"{EDITOR_SOURCE}:{call.slug}",
            [
                _("字段 attachments：附件格式须为 %(attachment_formats)s 之一")
                % {"attachment_formats": ", ".join(ATTACHMENT_FORMATS)}
            ],
        )
    document = export_call_document(call)
    row = {"code": code, "title": title, "path": f"{call.slug}/{code}.{suffix}"}
    rows = document["attachments"]
    index = next((i for i, existing in enumerate(rows) if existing["code"] == code), None)
    if index is None:
        rows.append(row)
    else:
        rows[index] = row
    return save_call_changes(call=call, document=document, actor=actor, uploads={code: content}, request=request, at=at)
