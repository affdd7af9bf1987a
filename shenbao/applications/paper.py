"""四 纸质材料: the sealed paper copies the unit delivers to the 技能办, and the scan of the signed and sealed 申报书.

When each is allowed (`rules.PAPER_RECEIPT_STATES` / `SIGNED_SCAN_STATES` in the permissions
`applications.record_paper_receipt` / `applications.upload_signed_scan`, which pages and these services both ask):

- The 技能办 (call administrator of the call's city) records a delivery once the application is submitted and until
  the experts' review is over (`PAPER_RECEIPT_STATES`): the copies are due with the application and serve the
  first review, the re-check and the experts. A draft is not visible to the 技能办, and after the proposed list or
  an end (撤回, 审核未通过, 未入选) there is nothing left to receive the copies for. A delivery in two parts is two
  rows; the pages show the total against the call file's `paper_copies`.
- The applicant uploads the scan from the draft (printed from the completed form, signed and sealed, as the
  notice asks with the paper copies) until the first review has decided (`SIGNED_SCAN_STATES`): in a draft, while
  waiting for the first review, and while returned for revision. After 资格初审 passes, the judged scan is not
  replaced. A newer scan supersedes the earlier one (kept, as materials are).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.audit.services import record_event
from shenbao.core.days import format_day
from shenbao.core.uploads import UploadRule, check_upload, storing, upload_details

from .models import Application, PaperCopyReceipt, SignedScan
from .rules import visible_applications_q

if TYPE_CHECKING:
    import uuid

    from shenbao.accounts.models import User
    from shenbao.accounts.rules import AnyUser

SIGNED_SCAN_RULE = UploadRule(accepted_formats=("pdf",), max_size_mb=20)
MAX_COPIES = 20


def record_paper_receipt(
    *,
    application: Application,
    user: User,
    received_on: dt.date,
    receiver: str,
    copies: int,
    note: str = "",
    request: HttpRequest | None = None,
) -> PaperCopyReceipt:
    """Record a delivery of paper copies; PermissionDenied (not the call's 技能办, or not in a receiving state) or
    ValidationError (a day in the future or before the call, no receiver, a count out of range). Audited."""
    receiver = (receiver or "").strip()
    errors: dict[str, str] = {}
    if received_on > timezone.localdate():
        errors["received_on"] = _("接收日期不能晚于今天。")
    if received_on < application.call.published_on:
        errors["received_on"] = _("接收日期不能早于申报通知发布日期（%(day)s）。") % {
            "day": format_day(application.call.published_on)
        }
    if not receiver:
        errors["receiver"] = _("请填写接收人。")
    if not 1 <= copies <= MAX_COPIES:
        errors["copies"] = _("份数应在1至%(max)s之间。") % {"max": MAX_COPIES}
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).select_related("call").get(pk=application.pk)
        if not rules.has_perm("applications.record_paper_receipt", user, locked):
            raise PermissionDenied(_("只有申报通知的申报管理员可以在申报受理期间登记纸质材料。"))
        if errors:
            raise ValidationError(errors)
        receipt = PaperCopyReceipt.objects.create(
            application=locked,
            received_on=received_on,
            receiver=receiver,
            copies=copies,
            note=(note or "").strip(),
            recorded_by=user,
        )
        record_event(
            event="application:paper_receipt",
            actor=user,
            target=locked,
            request=request,
            details={
                "number": locked.number,
                "received_on": received_on.isoformat(),
                "receiver": receiver,
                "copies": copies,
                "required": locked.call.paper_copies,
            },
        )
    return receipt


def upload_signed_scan(
    *, application: Application, uploaded_file: UploadedFile, user: User, request: HttpRequest | None = None
) -> SignedScan:
    """Store the signed and sealed 申报书 (PDF, through the one upload pipeline); the earlier scan is superseded.
    PermissionDenied (not the unit's applicant, or not in an uploading state) or ValidationError (the pipeline)."""

    def check_allowed(target: Application = application) -> None:
        if not rules.has_perm("applications.upload_signed_scan", user, target):
            raise PermissionDenied(_("只有申报单位的经办人可以在资格初审完成前上传签字盖章扫描件。"))

    checked = check_upload(
        uploaded_file=uploaded_file,
        rule=SIGNED_SCAN_RULE,
        event="application:upload_signed_scan",
        actor=user,
        target=application,
        request=request,
        details={"number": application.number},
        check_allowed=check_allowed,
    )
    scan = SignedScan(application=application, uploaded_by=user, **upload_details(checked))
    with storing(scan, checked), transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        check_allowed(locked)  # again under the lock: a submission or decision in the meantime counts
        earlier = SignedScan.objects.filter(application=locked, is_current=True)
        superseded = [str(public_id) for public_id in earlier.values_list("public_id", flat=True)]
        earlier.update(is_current=False)
        scan.save()
        record_event(
            event="application:upload_signed_scan",
            actor=user,
            target=locked,
            request=request,
            details={
                "number": locked.number,
                "scan": str(scan.public_id),
                **upload_details(checked),
                "superseded": superseded,
            },
        )
    return scan


@dataclass
class PaperStatus:
    """What the status page and the review pages show: copies received against the call's number, the scan."""

    required: int
    receipts: list[PaperCopyReceipt] = field(default_factory=list)
    scan: SignedScan | None = None

    @property
    def received(self) -> int:
        return sum(receipt.copies for receipt in self.receipts)

    @property
    def complete(self) -> bool:
        return self.received >= self.required


def get_paper_status(*, application: Application) -> PaperStatus:
    return PaperStatus(
        required=application.call.paper_copies,
        receipts=list(
            PaperCopyReceipt.objects.filter(application=application)
            .select_related("recorded_by")
            .order_by("received_on", "pk")
        ),
        scan=SignedScan.objects.filter(application=application, is_current=True).order_by("-uploaded_at").first(),
    )


def with_paper_status[Q: QuerySet[Any]](queryset: Q) -> Q:
    """The queues' column: `paper_copies_received` (sum of deliveries) and `has_signed_scan`, in the same query
    (the queryset keeps its own annotations and type)."""
    copies = (
        PaperCopyReceipt.objects.filter(application=OuterRef("pk"))
        .values("application")
        .annotate(total=Sum("copies"))
        .values("total")
    )
    annotated = queryset.annotate(
        paper_copies_received=Coalesce(Subquery(copies), 0),
        has_signed_scan=Exists(SignedScan.objects.filter(application=OuterRef("pk"), is_current=True)),
    )
    return cast("Q", annotated)


def get_visible_signed_scan(*, user: AnyUser, public_id: uuid.UUID | str) -> SignedScan:
    """A scan (current or superseded) of an application `user` may see; else SignedScan.DoesNotExist (→ 404)."""
    visible = Application.objects.filter(visible_applications_q(user)).values("pk")
    return SignedScan.objects.select_related("application").get(public_id=public_id, application__in=visible)
