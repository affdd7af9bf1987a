"""佐证材料 of a progress report, a self-evaluation or a rectification report: upload and removal.

The checks are the application materials' own, called rather than copied: content sniffing and the format list
(`applications.filetypes.check_file_type`), the size limit and its message (`applications.materials.check_size`),
and the file-name clean-up (`sanitise_original_name`).
Refusals are audited like the materials' refusals. A removed file stays as not current, nothing is deleted.
"""

import uuid
from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shenbao.applications import materials as application_materials
from shenbao.applications.filetypes import accept_attribute, check_file_type, format_list
from shenbao.audit.models import AuditEntry
from shenbao.audit.services import record_event

from .models import AcceptanceEvaluation, EvidenceFile, ProgressReport, Rectification


@dataclass(frozen=True)
class EvidenceRule:
    """The accepted formats and size limit of 佐证材料 (what a material requirement says for application materials)."""

    name: str
    accepted_formats: tuple = ("pdf", "jpg", "png", "docx")
    max_size_mb: int = 20  # the call file's default for materials (MaterialRequirement.max_size_mb)

    @property
    def formats(self):
        return format_list(self.accepted_formats)

    @property
    def accept(self):
        return accept_attribute(self.accepted_formats)


EVIDENCE_RULE = EvidenceRule(name="佐证材料")
MAX_EVIDENCE_FILES = application_materials.MAX_FILES_PER_REQUIREMENT


@dataclass(frozen=True)
class Owner:
    field: str  # EvidenceFile's foreign key to the owner
    permission: str  # rules permission to change the owner's files
    label: str | Promise  # for messages, translated when shown


OWNERS = {
    ProgressReport: Owner("report", "acceptance.edit_report", gettext_lazy("建设进展报告")),
    AcceptanceEvaluation: Owner("evaluation", "acceptance.edit_evaluation", gettext_lazy("验收自评")),
    Rectification: Owner("rectification", "acceptance.edit_rectification", gettext_lazy("整改报告")),
}


def _owner_of(obj):
    return OWNERS[type(obj)]


def _check_may_change(*, user, owner):
    spec = _owner_of(owner)
    if not rules.has_perm(spec.permission, user, owner):
        raise PermissionDenied(_("只有本单位经办人可以在%(label)s填报期间更改佐证材料。") % {"label": spec.label})


def _lock(owner):
    return type(owner).objects.select_related("application").select_for_update(of=("self",)).get(pk=owner.pk)


def upload_evidence(*, owner, uploaded_file, user, request=None):
    """Attach `uploaded_file` to `owner` (a ProgressReport, AcceptanceEvaluation or Rectification).

    Raises PermissionDenied (not the unit's applicant, or no longer editable) or ValidationError with the Chinese
    reason (empty, too large, not an accepted format, extension not matching the content, too many files).
    """
    spec = _owner_of(owner)
    original_name = application_materials.sanitise_original_name(getattr(uploaded_file, "name", ""))
    try:
        _check_may_change(user=user, owner=owner)
        size = uploaded_file.size or 0
        application_materials.check_size(size=size, max_size_mb=EVIDENCE_RULE.max_size_mb)
        kind = check_file_type(file=uploaded_file, name=original_name, accepted_formats=EVIDENCE_RULE.accepted_formats)
    except (PermissionDenied, ValidationError) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        record_event(
            event="acceptance:upload_evidence",
            actor=user,
            target=owner,
            request=request,
            result=AuditEntry.Result.FAILURE,
            details={"owner": spec.field, "original_name": original_name, "reason": reason},
        )
        raise
    evidence = EvidenceFile(
        application_id=owner.application_id,
        original_name=original_name,
        content_type=kind.content_type,
        size=size,
        sha256=application_materials.sha256_of(uploaded_file),
        uploaded_by=user,
        **{spec.field: owner},
    )
    try:
        with transaction.atomic():
            locked = _lock(owner)
            _check_may_change(user=user, owner=locked)
            current = EvidenceFile.objects.filter(**{spec.field: locked, "is_current": True}).count()
            if current >= MAX_EVIDENCE_FILES:
                raise ValidationError(
                    _("佐证材料最多上传%(max_evidence_files)s个文件，请先移除不需要的文件或合并后上传。")
                    % {"max_evidence_files": MAX_EVIDENCE_FILES},
                    code="too_many_files",
                )
            evidence.file.save(f"{uuid.uuid4().hex}.{kind.extension}", uploaded_file, save=False)
            evidence.save()
            record_event(
                event="acceptance:upload_evidence",
                actor=user,
                target=locked,
                request=request,
                details={
                    "owner": spec.field,
                    "evidence": str(evidence.public_id),
                    "original_name": original_name,
                    "content_type": kind.content_type,
                    "size": size,
                    "sha256": evidence.sha256,
                },
            )
    except BaseException:
        if evidence.file.name:
            evidence.file.storage.delete(evidence.file.name)
        raise
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
