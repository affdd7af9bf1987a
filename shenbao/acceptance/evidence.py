"""佐证材料 of a progress report, a self-evaluation or a rectification report: upload and removal.

Uploads go through the one upload pipeline (`core.uploads`: name hygiene, size, content, risky content, hash,
audited refusals), as the application materials do. A removed file stays as not current, nothing is deleted.
"""

from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shenbao.audit.services import record_event
from shenbao.core.uploads import MAX_FILES, UploadRule, check_file_count, check_upload, storing, upload_details

from .models import AcceptanceEvaluation, EvidenceFile, ProgressReport, Rectification

# The call file's default for materials (MaterialRequirement.max_size_mb) and the usual formats of a scan or report.
EVIDENCE_RULE = UploadRule(accepted_formats=("pdf", "jpg", "png", "docx"), max_size_mb=20)
EVIDENCE_NAME = gettext_lazy("佐证材料")
MAX_EVIDENCE_FILES = MAX_FILES


@dataclass(frozen=True)
class Owner:
    field: str  # EvidenceFile's foreign key to the owner
    permission: str  # rules permission to change the owner's files
    label: str  # for messages


OWNERS = {
    ProgressReport: Owner("report", "acceptance.edit_report", gettext_lazy("建设进展报告")),
    AcceptanceEvaluation: Owner("evaluation", "acceptance.edit_evaluation", gettext_lazy("验收自评")),
    Rectification: Owner("rectification", "acceptance.edit_rectification", gettext_lazy("整改报告")),
}

EvidenceOwner = ProgressReport | AcceptanceEvaluation | Rectification


def _owner_of(obj: EvidenceOwner) -> Owner:
    return OWNERS[type(obj)]


def _check_may_change(*, user: models.Model, owner: EvidenceOwner) -> None:
    spec = _owner_of(owner)
    if not rules.has_perm(spec.permission, user, owner):
        raise PermissionDenied(_("只有本单位经办人可以在%(owner)s填报期间更改佐证材料。") % {"owner": spec.label})


def _lock(owner: EvidenceOwner) -> EvidenceOwner:
    return type(owner).objects.select_related("application").select_for_update(of=("self",)).get(pk=owner.pk)


def upload_evidence(
    *, owner: EvidenceOwner, uploaded_file: UploadedFile, user: models.Model, request: HttpRequest | None = None
) -> EvidenceFile:
    """Attach `uploaded_file` to `owner` (a ProgressReport, AcceptanceEvaluation or Rectification).

    Raises PermissionDenied (not the unit's applicant, or no longer editable) or ValidationError with the reason
    (empty, too large, not an accepted format, extension not matching the content, risky content, too many files).
    """
    spec = _owner_of(owner)
    checked = check_upload(
        uploaded_file=uploaded_file,
        rule=EVIDENCE_RULE,
        event="acceptance:upload_evidence",
        actor=user,
        target=owner,
        request=request,
        details={"owner": spec.field},
        check_allowed=lambda: _check_may_change(user=user, owner=owner),
    )
    evidence = EvidenceFile(
        application_id=owner.application_id, uploaded_by=user, **upload_details(checked), **{spec.field: owner}
    )
    # Stored before the transaction and removed again if anything in it (or its commit) fails.
    with storing(evidence, checked), transaction.atomic():
        locked = _lock(owner)
        _check_may_change(user=user, owner=locked)
        current = EvidenceFile.objects.filter(**{spec.field: locked, "is_current": True}).count()
        check_file_count(count=current, name=EVIDENCE_NAME, limit=MAX_EVIDENCE_FILES)
        evidence.save()
        record_event(
            event="acceptance:upload_evidence",
            actor=user,
            target=locked,
            request=request,
            details={"owner": spec.field, "evidence": str(evidence.public_id), **upload_details(checked)},
        )
    return evidence


def evidence_owner(evidence):
    return evidence.report or evidence.evaluation or evidence.rectification


def remove_evidence(*, evidence, user, request=None):
    """Withdraw a file (kept as not current) while its owner is still being filled in."""
    owner = evidence_owner(evidence)
    with transaction.atomic():
        locked = _lock(owner)
        _check_may_change(user=user, owner=locked)
        if not EvidenceFile.objects.filter(pk=evidence.pk, is_current=True).update(is_current=False):
            raise ValidationError(_("该文件已被移除。"), code="not_current")
        evidence.is_current = False
        record_event(
            event="acceptance:remove_evidence",
            actor=user,
            target=locked,
            request=request,
            details={"evidence": str(evidence.public_id), "original_name": evidence.original_name},
        )
    return evidence
