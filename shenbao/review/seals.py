"""The first-review body's sealed opinion (盖章扫描件): part of a pass (三1 审核后"符合条件的报市人社局").

The county bureau (or competent department) prints its 推荐意见, seals it and uploads the scan for the version
under review, through the one upload pipeline (`core.uploads`, PDF or image). The pass guard asks for one of this
version; the pass record keeps the one it was decided with (`FirstReviewRecord.seal`), so a newer upload for a
later round never changes what an earlier decision rested on. Everyone who sees the application sees its seals.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import rules
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from shenbao.accounts.selectors import get_acting_organisation
from shenbao.applications.selectors import list_applications, lock_application
from shenbao.audit.services import record_event
from shenbao.core.uploads import UploadRule, check_upload, storing, upload_details

from .checklist import current_version_sequence
from .models import FirstReviewSeal

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.accounts.rules import AnyUser
    from shenbao.applications.models import Application

SEAL_RULE = UploadRule(accepted_formats=("pdf", "jpg", "png"), max_size_mb=10)


def _refusal() -> PermissionDenied:
    return PermissionDenied(_("只有该申报的资格初审单位人员可以在初审期间上传盖章扫描件。"))


def upload_first_review_seal(
    *, application: Application, uploaded_file: UploadedFile, user: User, request: HttpRequest | None = None
) -> FirstReviewSeal:
    """Store the sealed scan for the version under review; PermissionDenied (not its first-review body, or not
    waiting for 资格初审) or ValidationError (the pipeline's reasons). Audited, refusals too."""

    def check_allowed(target: Application = application) -> None:
        if not rules.has_perm("review.upload_seal", user, target):
            raise _refusal()

    checked = check_upload(
        uploaded_file=uploaded_file,
        rule=SEAL_RULE,
        event="review:upload_seal",
        actor=user,
        target=application,
        request=request,
        details={"number": application.number},
        check_allowed=check_allowed,
    )
    seal = FirstReviewSeal(uploaded_by=user, **upload_details(checked))
    with storing(seal, checked), transaction.atomic():
        locked = lock_application(application=application)
        check_allowed(locked)
        seal.application = locked
        seal.version_sequence = current_version_sequence(locked)
        seal.organisation = get_acting_organisation(user=user)
        seal.save()
        record_event(
            event="review:upload_seal",
            actor=user,
            target=locked,
            request=request,
            details={
                "number": locked.number,
                "seal": str(seal.public_id),
                "version": seal.version_sequence,
                **upload_details(checked),
            },
        )
    return seal


def get_current_seal(*, application: Application) -> FirstReviewSeal | None:
    """The latest seal of the version under review, or None."""
    return (
        FirstReviewSeal.objects.filter(application=application, version_sequence=current_version_sequence(application))
        .order_by("-uploaded_at", "-pk")
        .first()
    )


def get_visible_seal(*, user: AnyUser, public_id: uuid.UUID | str) -> FirstReviewSeal:
    """A seal of an application `user` may see; else FirstReviewSeal.DoesNotExist (the view answers 404)."""
    visible = list_applications(user=user).values("pk")
    return FirstReviewSeal.objects.select_related("application").get(public_id=public_id, application__in=visible)
