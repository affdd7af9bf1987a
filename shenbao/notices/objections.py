"""异议: anyone may object to a unit on a public notice, in writing, with real name and contact, within the period.

Anonymous objections (no real name or no contact phone) and objections outside the period are refused with the
reason (DOMAIN.md §5). A person gives an identity-card number (stored encrypted); a unit gives its name and
confirms that it will submit the objection in writing under its seal. Evidence files are checked by content like
application materials. Attempts are throttled per client address; every refusal is audited.
"""

import datetime as dt
import secrets
import uuid
from collections.abc import Iterable
from contextlib import ExitStack

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.applications.formdata import FieldError, check_id_number
from shenbao.audit.services import record_event
from shenbao.core import ratelimit
from shenbao.core.crypto import encrypt_text
from shenbao.core.uploads import (
    CheckedUpload,
    UploadRule,
    check_upload,
    sanitise_original_name,
    storing,
    upload_details,
)

from .models import NoticeEntry, Objection, ObjectionEvidence, PublicNotice
from .selectors import CLOSED, UPCOMING, get_notice_status

EVIDENCE_RULE = UploadRule(accepted_formats=("pdf", "jpg", "png", "docx"), max_size_mb=10)
MAX_EVIDENCE_FILES = 5
MIN_CONTENT_LENGTH = 10
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
THROTTLED_MESSAGE = "本网络地址提交异议过于频繁，请稍后再试，或按公示所列地址、电话提交书面异议。"
ANONYMOUS_MESSAGE = "异议须署真实姓名并提供联系电话，匿名异议不予受理。"


def get_objection_throttle() -> ratelimit.Limit:
    """Attempts per client address per window; `SHENBAO_OBJECTION_THROTTLE` overrides the default."""
    return ratelimit.limit_from_settings("SHENBAO_OBJECTION_THROTTLE", attempts=5, window=3600)


def count_objection_attempt(*, remote_addr: str | None) -> None:
    """Count one filing attempt from `remote_addr`; ValidationError once over the limit (failures count too)."""
    if not ratelimit.allow(scope="objection", ident=remote_addr, limit=get_objection_throttle()):
        raise ValidationError(THROTTLED_MESSAGE, code="throttled")


def period_refusal(*, notice: PublicNotice, at: dt.datetime) -> str:
    """The Chinese reason an objection to `notice` is not accepted at `at`, or "" within the period."""
    status = get_notice_status(notice=notice, at=at)
    if status == UPCOMING:
        return f"公示期自{notice.start_date:%Y年%m月%d日}开始，公示开始前异议不予受理。"
    if status == CLOSED:
        return f"公示期已于{notice.end_date:%Y年%m月%d日}24时结束，异议不予受理。"
    return ""


def _check_filer(
    *,
    filer_kind: str,
    filer_name: str,
    id_number: str,
    unit_name: str,
    seal_confirmed: bool,
    contact_phone: str,
    content: str,
) -> tuple[dict[str, list[str]], str]:
    errors: dict[str, list[str]] = {}
    if not filer_name or not contact_phone:
        errors["__all__"] = [ANONYMOUS_MESSAGE]
        if not filer_name:
            errors["filer_name"] = ["请填写异议人真实姓名。"]
        if not contact_phone:
            errors["contact_phone"] = ["请填写联系电话。"]
    if filer_kind == Objection.FilerKind.PERSON:
        if not id_number:
            errors["id_number"] = ["个人提出异议须填写身份证号码。"]
        else:
            try:
                id_number = check_id_number(id_number)
            except FieldError as exc:
                errors["id_number"] = [str(exc)]
    elif filer_kind == Objection.FilerKind.UNIT:
        if not unit_name:
            errors["unit_name"] = ["单位提出异议须填写单位名称。"]
        if not seal_confirmed:
            errors["seal_confirmed"] = ["单位提出异议须承诺提交加盖单位公章的书面异议材料。"]
    else:
        errors["filer_kind"] = ["请选择以个人还是单位名义提出异议。"]
    if len(content) < MIN_CONTENT_LENGTH:
        errors["content"] = [f"请写明异议的具体事实和理由（不少于{MIN_CONTENT_LENGTH}个字）。"]
    return errors, id_number


def _check_files(*, files: list[UploadedFile], notice: PublicNotice, remote_addr: str | None) -> list[CheckedUpload]:
    """Every evidence file through the upload pipeline (refusals audited); the first refusal names its file."""
    if len(files) > MAX_EVIDENCE_FILES:
        message = _("证明材料最多%(count)s个文件。") % {"count": MAX_EVIDENCE_FILES}
        raise ValidationError({"evidence": [message]})
    checked: list[CheckedUpload] = []
    for uploaded in files:
        try:
            checked.append(
                check_upload(
                    uploaded_file=uploaded,
                    rule=EVIDENCE_RULE,
                    event="notice:objection",
                    target=notice,
                    remote_addr=remote_addr,
                    details={"field": "evidence"},
                )
            )
        except ValidationError as exc:
            name = sanitise_original_name(getattr(uploaded, "name", ""))
            messages = [_("「%(name)s」：%(error)s") % {"name": name, "error": message} for message in exc.messages]
            raise ValidationError({"evidence": messages}) from exc
    return checked


def _new_receipt_number(at: dt.datetime) -> str:
    day = timezone.localtime(at).strftime("%Y%m%d")
    return f"YY{day}{''.join(secrets.choice(RECEIPT_ALPHABET) for _position in range(6))}"


def _store_evidence(objection: Objection, checked: list[CheckedUpload], stored: ExitStack) -> None:
    """Store each file under `stored`, which deletes them again if the objection's transaction fails."""
    for upload in checked:
        evidence = ObjectionEvidence(objection=objection, extension=upload.kind.extension, **upload_details(upload))
        stored.enter_context(storing(evidence, upload))
        evidence.save()


def _refuse(*, notice: PublicNotice, remote_addr: str | None, reason: str, code: str) -> None:
    record_event(
        event="notice:objection",
        target=notice,
        remote_addr=remote_addr,
        result="failure",
        details={"reason": code},
    )
    raise ValidationError(reason, code=code)


def file_objection(
    *,
    notice: PublicNotice,
    entry_public_id: uuid.UUID | str,
    filer_kind: str,
    filer_name: str,
    id_number: str = "",
    unit_name: str = "",
    seal_confirmed: bool = False,
    contact_phone: str,
    email: str = "",
    content: str,
    files: Iterable[UploadedFile] = (),
    remote_addr: str | None = None,
    at: dt.datetime | None = None,
) -> Objection:
    """Accept a named objection within the period; returns the Objection (its receipt_number is the 回执号)."""
    at = at or timezone.now()
    count_objection_attempt(remote_addr=remote_addr)
    refusal = period_refusal(notice=notice, at=at)
    if refusal:
        _refuse(notice=notice, remote_addr=remote_addr, reason=refusal, code="outside_period")
    filer_name, contact_phone = (filer_name or "").strip(), (contact_phone or "").strip()
    content, unit_name = (content or "").strip(), (unit_name or "").strip()
    errors, id_number = _check_filer(
        filer_kind=filer_kind,
        filer_name=filer_name,
        id_number=(id_number or "").strip(),
        unit_name=unit_name,
        seal_confirmed=bool(seal_confirmed),
        contact_phone=contact_phone,
        content=content,
    )
    entry = NoticeEntry.objects.filter(notice=notice, public_id=entry_public_id).select_related("application").first()
    if entry is None:
        errors["entry"] = ["请选择异议针对的公示单位。"]
    if errors or entry is None:  # a missing entry is one of the errors
        code = "anonymous" if ANONYMOUS_MESSAGE in errors.get("__all__", []) else "invalid"
        record_event(
            event="notice:objection", target=notice, remote_addr=remote_addr, result="failure", details={"reason": code}
        )
        raise ValidationError(errors, code=code)
    checked = _check_files(files=list(files), notice=notice, remote_addr=remote_addr)
    with ExitStack() as stored, transaction.atomic():
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    objection = Objection.objects.create(
                        receipt_number=_new_receipt_number(at),
                        notice=notice,
                        entry=entry,
                        filer_kind=filer_kind,
                        filer_name=filer_name[:64],
                        id_number=encrypt_text(id_number) if filer_kind == Objection.FilerKind.PERSON else "",
                        unit_name=unit_name[:200] if filer_kind == Objection.FilerKind.UNIT else "",
                        seal_confirmed=bool(seal_confirmed) and filer_kind == Objection.FilerKind.UNIT,
                        contact_phone=contact_phone[:32],
                        email=(email or "").strip(),
                        content=content,
                        filed_at=at,
                        remote_addr=remote_addr,
                    )
                break
            except IntegrityError:  # a receipt number collision: draw again
                continue
        else:
            raise ValidationError("系统繁忙，请稍后再试。")
        _store_evidence(objection, checked, stored)
        record_event(
            event="notice:objection",
            target=objection,
            remote_addr=remote_addr,
            details={"receipt_number": objection.receipt_number, "application": entry.application.number},
        )
    return objection
