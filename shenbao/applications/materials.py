"""Application materials (申报材料): uploading, replacing, removing and reading the files a unit attaches.

Every upload is checked by content (`filetypes`), size and the requirement's accepted formats, stored under a
generated name (never the user's), and kept: a newer upload for the same requirement only marks the earlier ones
as superseded (`is_current=False`), so nothing is ever lost. Files are visible exactly when their application is.
"""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from shenbao.audit.models import AuditEntry
from shenbao.audit.services import record_event
from shenbao.calls.models import MaterialRequirement

from .filetypes import accept_attribute, check_file_type, format_list
from .models import Application, ApplicationMaterial
from .rules import visible_applications_q

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.accounts.rules import AnyUser

MAX_ORIGINAL_NAME_LENGTH = 120
# Characters Windows refuses in file names; replaced so the name still works when a reviewer saves the download.
UNSAFE_NAME_CHARACTERS = str.maketrans({character: "_" for character in '<>:"/\\|?*'})

# A bound on files per multi-file requirement keeps pages and archives reasonable.
MAX_FILES_PER_REQUIREMENT = 30


def sanitise_original_name(name: str | None) -> str:
    """The user's file name without folders, control/format characters (e.g. U+202E) or excessive length."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(character for character in name if unicodedata.category(character)[0] != "C")
    name = name.translate(UNSAFE_NAME_CHARACTERS).strip().strip(".").strip()
    suffix = PurePosixPath(name).suffix if "." in name else ""
    if len(suffix) > 10:  # not a real extension; treat the whole thing as the stem
        suffix = ""
    stem = name[: len(name) - len(suffix)] if suffix else name
    stem = stem[: MAX_ORIGINAL_NAME_LENGTH - len(suffix)].strip() or _("材料")
    return f"{stem}{suffix}"


def format_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.2f}MB"
    if size >= 1024:
        return f"{size / 1024:.1f}KB"
    return _("%(size)d字节") % {"size": size}


def may_edit_materials(*, user: AnyUser, application: Application) -> bool:
    """The unit's applicant while the application is editable (the core rule `applications.edit_application`)."""
    return rules.has_perm("applications.edit_application", user, application)


def _check_may_edit(*, user: AnyUser, application: Application) -> None:
    if not may_edit_materials(user=user, application=application):
        raise PermissionDenied(_("只有申报单位的经办人可以在草稿或退回修改状态下更改申报材料"))


def _check_requirement(*, application: Application, requirement: MaterialRequirement) -> None:
    if requirement.project_type_id != application.project_type_id:
        raise ValidationError(_("该材料不属于本申报的项目类别"), code="wrong_requirement")
    if requirement.generated:
        message = _("“%(name)s”由系统根据填报内容生成，无需上传") % {"name": requirement.name}
        raise ValidationError(message, code="generated")


def check_size(*, size: int, max_size_mb: int) -> None:
    """Refuse an empty file or one over `max_size_mb` (ValidationError with the Chinese reason); shared with the
    acceptance evidence uploads so both say the same thing."""
    if not size:
        raise ValidationError(_("文件为空（0字节），已拒绝"), code="empty")
    limit = max_size_mb * 1024 * 1024
    if size > limit:
        raise ValidationError(
            _("文件大小为%(size)s（%(bytes)d字节），超过本项材料的上限%(limit)dMB（%(limit_bytes)d字节），已拒绝")
            % {"size": format_size(size), "bytes": size, "limit": max_size_mb, "limit_bytes": limit},
            code="too_large",
        )


def sha256_of(uploaded_file: UploadedFile) -> str:
    """Hex SHA-256 of an uploaded file, read in chunks; the file is rewound for whoever stores it next."""
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


def upload_material(
    *, application: Application, requirement: MaterialRequirement, uploaded_file: UploadedFile, user: User
) -> ApplicationMaterial:
    """Store `uploaded_file` as a current file for `requirement`.

    A single-file requirement keeps one current file: earlier ones become superseded (kept, not deleted). A
    requirement that allows several files (`allow_multiple`) adds the file beside the others, up to
    MAX_FILES_PER_REQUIREMENT.

    Raises PermissionDenied (not the unit's applicant, or not editable) or ValidationError with the Chinese reason
    (empty, too large, content not an accepted format, extension not matching the content). Refusals are audited.
    """
    original_name = sanitise_original_name(getattr(uploaded_file, "name", ""))
    try:
        _check_may_edit(user=user, application=application)
        _check_requirement(application=application, requirement=requirement)
        size = uploaded_file.size or 0
        check_size(size=size, max_size_mb=requirement.max_size_mb)
        kind = check_file_type(file=uploaded_file, name=original_name, accepted_formats=requirement.accepted_formats)
    except (PermissionDenied, ValidationError) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        record_event(
            event="application:upload_material",
            actor=user,
            target=application,
            result=AuditEntry.Result.FAILURE,
            details={"requirement": requirement.code, "original_name": original_name, "reason": reason},
        )
        raise
    material = ApplicationMaterial(
        application=application,
        requirement=requirement,
        original_name=original_name,
        content_type=kind.content_type,
        size=size,
        sha256=sha256_of(uploaded_file),
        uploaded_by=user,
    )
    try:
        with transaction.atomic():
            # The row lock serialises uploads and submission, so the current files per requirement stay consistent.
            locked = Application.objects.select_for_update().get(pk=application.pk)
            _check_may_edit(user=user, application=locked)
            earlier = ApplicationMaterial.objects.filter(application=locked, requirement=requirement, is_current=True)
            if requirement.allow_multiple:
                if earlier.count() >= MAX_FILES_PER_REQUIREMENT:
                    raise ValidationError(
                        _("“%(name)s”最多上传%(limit)s个文件，请先移除不需要的文件或合并后上传。")
                        % {"name": requirement.name, "limit": MAX_FILES_PER_REQUIREMENT},
                        code="too_many_files",
                    )
                superseded = []
            else:
                superseded = [str(public_id) for public_id in earlier.values_list("public_id", flat=True)]
                earlier.update(is_current=False)
            material.file.save(f"{uuid.uuid4().hex}.{kind.extension}", uploaded_file, save=False)
            material.save()
            record_event(
                event="application:upload_material",
                actor=user,
                target=application,
                details={
                    "requirement": requirement.code,
                    "material": str(material.public_id),
                    "original_name": original_name,
                    "content_type": kind.content_type,
                    "size": size,
                    "sha256": material.sha256,
                    "superseded": superseded,
                },
            )
    except BaseException:
        if material.file.name:
            material.file.storage.delete(material.file.name)
        raise
    return material


@dataclass
class UploadResult:
    """What became of one file of a multi-file upload: the stored material, or the reasons it was refused."""

    name: str
    material: ApplicationMaterial | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.material is not None


def upload_materials(
    *,
    application: Application,
    requirement: MaterialRequirement,
    uploaded_files: Sequence[UploadedFile],
    user: User,
) -> list[UploadResult]:
    """Store several files for one requirement, each through `upload_material` (same checks, same audit), so one
    refused file does not stop the others. More than one file only where the requirement allows several.

    Returns an UploadResult per file, in order; raises PermissionDenied as `upload_material` does.
    """
    if len(uploaded_files) > 1 and not requirement.allow_multiple:
        raise ValidationError(
            _("“%(name)s”只能上传一个文件，请选择一个文件。") % {"name": requirement.name}, code="single_file"
        )
    results: list[UploadResult] = []
    for uploaded_file in uploaded_files:
        try:
            material = upload_material(
                application=application, requirement=requirement, uploaded_file=uploaded_file, user=user
            )
        except ValidationError as exc:
            name = sanitise_original_name(getattr(uploaded_file, "name", ""))
            results.append(UploadResult(name=name, errors=list(exc.messages)))
        else:
            results.append(UploadResult(name=material.original_name, material=material))
    return results


def remove_material(*, material: ApplicationMaterial, user: User) -> ApplicationMaterial:
    """Withdraw the current file of a requirement (it stays in the history as superseded)."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=material.application_id)
        _check_may_edit(user=user, application=application)
        updated = ApplicationMaterial.objects.filter(pk=material.pk, is_current=True).update(is_current=False)
        if not updated:
            raise ValidationError(_("该文件已被替换或移除"), code="not_current")
        material.is_current = False
        record_event(
            event="application:remove_material",
            actor=user,
            target=application,
            details={
                "requirement": material.requirement.code,
                "material": str(material.public_id),
                "original_name": material.original_name,
            },
        )
    return material


def list_current_materials(*, application: Application) -> QuerySet[ApplicationMaterial]:
    return (
        ApplicationMaterial.objects.filter(application=application, is_current=True)
        .select_related("requirement", "uploaded_by")
        .order_by("requirement__sort_order", "-uploaded_at", "-pk")
    )


def list_material_requirements(*, application: Application) -> QuerySet[MaterialRequirement]:
    return MaterialRequirement.objects.filter(project_type=application.project_type_id).order_by("sort_order", "pk")


def missing_required_materials(*, application: Application) -> list[MaterialRequirement]:
    """Required, uploadable requirements (not generated by the system) that have no current file."""
    current = ApplicationMaterial.objects.filter(application=application, is_current=True).values("requirement")
    return list(
        list_material_requirements(application=application)
        .filter(required=True, generated=False)
        .exclude(pk__in=current)
    )


@dataclass
class MaterialRow:
    """One requirement on the materials page with its current files and the superseded ones (newest first)."""

    requirement: MaterialRequirement
    current_files: list[ApplicationMaterial] = field(default_factory=list)
    history: list[ApplicationMaterial] = field(default_factory=list)

    @property
    def current(self) -> ApplicationMaterial | None:
        """The newest current file (the only one, unless the requirement allows several)."""
        return self.current_files[0] if self.current_files else None

    @property
    def formats(self) -> str:
        return format_list(self.requirement.accepted_formats)

    @property
    def accept(self) -> str:
        """The file input's `accept` hint (the server decides by content anyway)."""
        return accept_attribute(self.requirement.accepted_formats)


def list_material_rows(*, application: Application) -> list[MaterialRow]:
    """Every requirement of the project type with its files, in two queries whatever the number of files."""
    requirements = list_material_requirements(application=application)
    rows = {requirement.pk: MaterialRow(requirement) for requirement in requirements}
    files = (
        ApplicationMaterial.objects.filter(application=application)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-pk")
    )
    for material in files:
        row = rows.get(material.requirement_id)
        if row is None:
            continue
        material.requirement = row.requirement
        if material.is_current and (row.requirement.allow_multiple or not row.current_files):
            row.current_files.append(material)
        else:
            row.history.append(material)
    return list(rows.values())


def get_visible_material(*, user: AnyUser, public_id: uuid.UUID | str) -> ApplicationMaterial:
    """The material `public_id` if `user` may see its application; else ApplicationMaterial.DoesNotExist (→ 404)."""
    visible = Application.objects.filter(visible_applications_q(user)).values("pk")
    return ApplicationMaterial.objects.select_related("application", "requirement").get(
        public_id=public_id, application__in=visible
    )
