"""Applications (申报): one unit's application for one project type of one call, its versions and materials.

The form content lives in `form_data` (JSON, shaped by the section specs in `sections/`), so both forms,
their completeness rules, the eligibility metrics, the version diff and the generated documents read one
structure. Personal data inside it (身份证号码) is stored encrypted (`shenbao.core.crypto`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from shenbao.calls.models import Call, MaterialRequirement, ProjectType
from shenbao.core.stored_files import StoredFile
from shenbao.core.verification import new_verification_code  # named by the migrations as this module's
from shenbao.organisations.models import Organisation

from .workflow import TRANSITIONS, ApplicationStatus


def _fsm_method(step):
    """A django-fsm transition method for one row of `workflow.TRANSITIONS` (django-fsm-log records it).

    Only `services.fire_transition` calls these, after its own checks; the method itself just moves the state.
    """

    def method(self, by=None, description=None):
        return None

    # django-fsm names the transition after the function, so the name must be set before decorating.
    method.__name__ = method.__qualname__ = step.name
    method.__doc__ = f"{step.label}: {', '.join(step.sources)} → {step.target}"
    method = transition(field="status", source=list(step.sources), target=step.target)(method)
    method = fsm_log_by(fsm_log_description(method))
    return method


class ApplicationNumberCounter(models.Model):
    """Last number handed out per call and project type; locked row by row so numbers never repeat."""

    project_type = models.OneToOneField(ProjectType, on_delete=models.CASCADE, related_name="+")
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("申报编号计数器")
        verbose_name_plural = _("申报编号计数器")

    def __str__(self):
        return f"{self.project_type_id}: {self.last_value}"


class Application(models.Model):
    """申报: created as a draft by an applicant unit, then moved through the workflow."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("申报编号"), max_length=32, unique=True)
    verification_code = models.CharField(
        _("核验码"), max_length=16, unique=True, default=new_verification_code, editable=False
    )
    call = models.ForeignKey(Call, verbose_name=_("申报通知"), on_delete=models.PROTECT, related_name="applications")
    project_type = models.ForeignKey(
        ProjectType, verbose_name=_("项目类别"), on_delete=models.PROTECT, related_name="applications"
    )
    unit = models.ForeignKey(
        Organisation, verbose_name=_("申报单位"), on_delete=models.PROTECT, related_name="applications"
    )
    # 资格初审 body, derived from the unit when the application is created and refreshed on each submission.
    first_review_body = models.ForeignKey(
        Organisation,
        verbose_name=_("资格初审单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications_to_review",
    )
    status = FSMField(
        _("状态"), max_length=32, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, protected=True
    )
    form_data = models.JSONField(_("申报内容"), default=dict, blank=True)
    # Incremented by every save of the form; an autosave carrying an older value is refused (lost update).
    revision = models.PositiveIntegerField(_("修订号"), default=0)
    eligibility = models.JSONField(_("资格条件校验结果"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("最近提交时间"), null=True, blank=True)
    resubmission_due = models.DateField(_("补正截止日期"), null=True, blank=True)
    # 复制往年申报: the earlier application of the same unit this draft was filled from, and what the copy did
    # ({"source": …, "sections": [{key, title, copied, reenter}], "materials": […], "pending": [section keys]});
    # `pending` lists the sections whose notice stays on the section page until the unit saves that section.
    copied_from = models.ForeignKey(
        "self", verbose_name=_("复制自"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    copy_report = models.JSONField(_("复制结果"), default=dict, blank=True)
    # Copied out of form_data by every service that writes it (`search_columns.search_columns_of`), so the staff
    # list searches and filters them through an index instead of scanning every row's JSON.
    leader_name = models.CharField(_("负责人姓名"), max_length=64, blank=True, db_index=True)
    industry = models.CharField(_("所属行业"), max_length=100, blank=True, db_index=True)

    class Meta:
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "project_type", "unit"], name="one_application_per_unit_and_type")
        ]
        indexes = [
            models.Index(fields=["unit", "-created_at"]),
            models.Index(fields=["first_review_body", "status", "-submitted_at"]),
            models.Index(fields=["call", "project_type", "status"]),
            models.Index(fields=["status", "-submitted_at"]),
            # The province's statistics count every call's applications by type and state: an index-only scan.
            models.Index(fields=["project_type", "status"], name="application_type_state"),
        ]

    def __str__(self):
        return f"{self.number} {self.unit}"

    # One django-fsm method per transition of the workflow table, named after it.
    for _step in TRANSITIONS:
        locals()[_step.name] = _fsm_method(_step)
    del _step


class ApplicationVersion(models.Model):
    """An immutable snapshot of what was submitted; every submission adds one (版本)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    sequence = models.PositiveIntegerField(_("版本号"))
    form_data = models.JSONField(_("申报内容"))
    materials = models.JSONField(_("材料清单"), default=list)
    eligibility = models.JSONField(_("资格条件校验结果"), default=list)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("申报版本")
        verbose_name_plural = _("申报版本")
        ordering = ["application", "sequence"]
        constraints = [models.UniqueConstraint(fields=["application", "sequence"], name="unique_version_sequence")]

    def __str__(self):
        return f"{self.application.number} v{self.sequence}"


class ApplicationMaterial(StoredFile):
    """An uploaded file for one material requirement; replaced files stay (superseded), nothing is lost."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    requirement = models.ForeignKey(
        MaterialRequirement, verbose_name=_("材料类别"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("文件"), upload_to="applications/materials/%Y/%m/")
    is_current = models.BooleanField(_("当前有效"), default=True)

    class Meta:
        verbose_name = _("申报材料文件")
        verbose_name_plural = _("申报材料文件")
        ordering = ["application", "requirement__sort_order", "uploaded_at"]
        indexes = [models.Index(fields=["application", "is_current", "requirement"])]


class ReviewComment(models.Model):
    """A comment addressed to the applicant (a return reason, a reviewer's note) shown on the status page."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填写人"), on_delete=models.PROTECT, related_name="+"
    )
    author_organisation = models.ForeignKey(
        Organisation, verbose_name=_("填写单位"), on_delete=models.PROTECT, related_name="+"
    )
    transition = models.CharField(_("环节"), max_length=64, blank=True)
    text = models.TextField(_("意见"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")
        ordering = ["application", "created_at"]
        indexes = [models.Index(fields=["application", "created_at"])]

    def __str__(self):
        return self.text[:40]


class ApplicationPerson(models.Model):
    """A person named by ID number (身份证号码) in the last submitted version of an application, by blind index.

    The form data holds the number encrypted (a fresh token each time), so the database cannot compare it; this
    row keeps `crypto.blind_index(number)` beside the application and its call, so "is this person already in
    another unit's application of the call" is one indexed query (`persons.py`). Rewritten at each submission.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="persons")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    id_index = models.CharField(_("身份证号码索引"), max_length=64)

    class Meta:
        verbose_name = _("申报人员索引")
        verbose_name_plural = _("申报人员索引")
        constraints = [models.UniqueConstraint(fields=["application", "id_index"], name="one_person_row_each")]
        indexes = [models.Index(fields=["call", "id_index"])]

    def __str__(self):
        return f"{self.application_id} {self.id_index[:8]}"


class PaperCopyReceipt(models.Model):
    """四: a delivery of the sealed paper copies (纸质材料), as the 技能办 records it; a later delivery adds a row."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="paper_receipts")
    received_on = models.DateField(_("接收日期"))
    receiver = models.CharField(_("接收人"), max_length=64)
    copies = models.PositiveSmallIntegerField(_("份数"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("纸质材料接收记录")
        verbose_name_plural = _("纸质材料接收记录")
        ordering = ["application", "received_on", "pk"]
        indexes = [models.Index(fields=["application", "received_on"])]

    def __str__(self):
        return f"{self.application_id} {self.received_on} ×{self.copies}"


class SignedScan(StoredFile):
    """The applicant's scan of the signed and sealed 申报书 (签字盖章扫描件, PDF); a newer upload supersedes it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="signed_scans")
    file = models.FileField(_("文件"), upload_to="applications/signed/%Y/%m/")
    is_current = models.BooleanField(_("当前有效"), default=True)

    class Meta:
        verbose_name = _("签字盖章扫描件")
        verbose_name_plural = _("签字盖章扫描件")
        ordering = ["application", "-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["application", "is_current"])]


class SavedListView(models.Model):
    """A person's saved view of the staff applications list (已保存的视图): its filters, sort and columns as the
    list's GET query string, so applying one is opening the list with that query."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_list_views")
    name = models.CharField(_("视图名称"), max_length=60)
    query = models.CharField(_("筛选条件"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已保存的视图")
        verbose_name_plural = _("已保存的视图")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="one_saved_view_name_per_owner")]

    def __str__(self):
        return self.name
