"""专家评审 (notice 三3): the expert pool, panels per call and project type, assignments and the 答辩 schedule.

Writes go through `shenbao.experts.services`; nothing here decides anything.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shenbao.applications.models import Application
from shenbao.calls.models import Call, ProjectType
from shenbao.organisations.models import Organisation, Region


class ExpertProfile(models.Model):
    """专家库条目: one expert, their log-in (`user`, role expert) and what conflict checks need."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT, related_name="expert_profile"
    )
    # Always the user's organisation; kept here so conflict checks and the pool list need no join through users.
    work_unit = models.ForeignKey(
        Organisation, verbose_name=_("工作单位"), on_delete=models.PROTECT, related_name="expert_profiles"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所在县（市、区）"), on_delete=models.PROTECT, related_name="expert_profiles"
    )
    # The city whose administrator manages this expert (scoping); derived from `region` by the service.
    city = models.ForeignKey(Region, verbose_name=_("所属城市"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("职称"), max_length=64, blank=True)
    specialties = models.JSONField(_("职业（工种）/专业领域"), default=list, blank=True)
    # Encrypted with shenbao.core.crypto; shown masked to everyone but the call administrator.
    phone = models.TextField(_("联系电话"), blank=True)
    phone_index = models.CharField(_("联系电话索引"), max_length=64, blank=True, editable=False)
    # For contacting the expert; the log-in e-mail (password resets) belongs to the account and only its owner
    # changes it (accounts.email_change), so the pool's administrator cannot redirect an expert's log-in.
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    active = models.BooleanField(_("在库"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        ordering = ["city", "region", "user__full_name", "id"]
        indexes = [
            models.Index(fields=["city", "active", "region"]),
            models.Index(fields=["work_unit"]),
        ]

    def __str__(self):
        return str(self.user)


class ExpertRelation(models.Model):
    """A relation an expert declared with a unit (兼职, 顾问, 亲属任职 …): never assigned to its applications."""

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", _("曾任职或兼职")
        ADVISORY = "advisory", _("顾问或合作关系")
        RELATIVE = "relative", _("近亲属任职")
        OTHER = "other", _("其他利害关系")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="relations")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("关联单位"), on_delete=models.CASCADE, related_name="expert_relations"
    )
    kind = models.CharField(_("关系类型"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    declared_at = models.DateTimeField(_("申报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家利害关系")
        verbose_name_plural = _("专家利害关系")
        constraints = [
            models.UniqueConstraint(fields=["expert", "organisation"], name="unique_expert_relation"),
        ]

    def __str__(self):
        return f"{self.expert} · {self.organisation}"


class Panel(models.Model):
    """评审专家组: the experts who review one project type of one call."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call = models.ForeignKey(Call, verbose_name=_("申报通知"), on_delete=models.PROTECT, related_name="panels")
    project_type = models.ForeignKey(
        ProjectType, verbose_name=_("项目类别"), on_delete=models.PROTECT, related_name="panels"
    )
    name = models.CharField(_("专家组名称"), max_length=100)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组长"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chaired_panels",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("成员"),
        through="PanelMember",
        through_fields=("panel", "expert"),
        related_name="panels",
    )
    experts_per_application = models.PositiveSmallIntegerField(_("每项申报评审专家数"), default=5)
    exclude_same_county = models.BooleanField(_("回避同县（市、区）专家"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("评审专家组")
        verbose_name_plural = _("评审专家组")
        ordering = ["call", "project_type__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "project_type"], name="one_panel_per_call_and_type"),
            models.CheckConstraint(condition=Q(experts_per_application__gte=1), name="panel_needs_experts"),
        ]

    def __str__(self):
        return self.name

    @property
    def experts_needed(self):
        """Experts each application gets: the panel's number, never fewer than the call file's (one rule per call;
        a call file raised after the panel was formed raises it too)."""
        return max(self.experts_per_application, self.call.experts_per_application)


class PanelMember(models.Model):
    """One expert in one panel."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="memberships")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="panel_memberships"
    )
    added_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家组成员")
        verbose_name_plural = _("专家组成员")
        ordering = ["panel", "id"]
        constraints = [models.UniqueConstraint(fields=["panel", "expert"], name="unique_panel_member")]

    def __str__(self):
        return f"{self.panel} · {self.expert}"


class Assignment(models.Model):
    """分配: one expert reviews one application for one panel; ended by 回避 or by the administrator's swap."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("评审中")
        RECUSED = "recused", _("已回避")
        SWAPPED = "swapped", _("已更换")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    panel = models.ForeignKey(Panel, verbose_name=_("专家组"), on_delete=models.PROTECT, related_name="assignments")
    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.PROTECT, related_name="expert_assignments"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="expert_assignments"
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    # Why the assignment ended (回避 declaration or the administrator's reason for the swap).
    reason = models.TextField(_("原因"), blank=True)
    assigned_at = models.DateTimeField(_("分配时间"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分配人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结束操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    replaced_by = models.OneToOneField(
        "self",
        verbose_name=_("替换为"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )

    class Meta:
        verbose_name = _("专家分配")
        verbose_name_plural = _("专家分配")
        ordering = ["application", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert"],
                condition=Q(status="active"),
                name="one_active_assignment_per_expert_and_application",
            ),
            models.CheckConstraint(
                condition=Q(status="active", ended_at__isnull=True) | (~Q(status="active") & Q(ended_at__isnull=False)),
                name="assignment_ended_iff_not_active",
            ),
        ]
        indexes = [
            models.Index(fields=["expert", "status", "assigned_at"]),
            models.Index(fields=["panel", "status"]),
            models.Index(fields=["application", "status"]),
        ]

    def __str__(self):
        return f"{self.application} · {self.expert}"

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE


class DefenceSession(models.Model):
    """答辩场次: one sitting of a panel on one day at one place."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    panel = models.ForeignKey(Panel, verbose_name=_("专家组"), on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField(_("答辩日期"))
    start_time = models.TimeField(_("开始时间"))
    place = models.CharField(_("答辩地点"), max_length=200)
    presentation_minutes = models.PositiveSmallIntegerField(_("陈述时长（分钟）"), default=10)
    questions_minutes = models.PositiveSmallIntegerField(_("问答时长（分钟）"), default=5)
    note = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # Set when the applicants were told their slots; a later change of a slot notifies again.
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("答辩场次")
        verbose_name_plural = _("答辩场次")
        ordering = ["date", "start_time", "id"]
        indexes = [models.Index(fields=["panel", "date", "start_time"])]
        constraints = [
            models.CheckConstraint(condition=Q(presentation_minutes__gte=1), name="session_presentation_positive"),
        ]

    def __str__(self):
        return f"{self.panel} {self.date} {self.place}"


class DefenceSlot(models.Model):
    """答辩时段: when one applicant presents (陈述) and answers questions (问答)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(DefenceSession, on_delete=models.CASCADE, related_name="slots")
    # An application defends once; moving it to another session moves this row.
    application = models.OneToOneField(
        Application, verbose_name=_("申报"), on_delete=models.PROTECT, related_name="defence_slot"
    )
    sequence = models.PositiveSmallIntegerField(_("顺序"))
    starts_at = models.TimeField(_("开始时间"))
    presentation_minutes = models.PositiveSmallIntegerField(_("陈述时长（分钟）"))
    questions_minutes = models.PositiveSmallIntegerField(_("问答时长（分钟）"))
    ends_at = models.TimeField(_("结束时间"))
    # Set when the applicant was told this slot; an edit clears it so the next notice goes out again.
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("答辩时段")
        verbose_name_plural = _("答辩时段")
        ordering = ["session", "sequence", "id"]
        indexes = [models.Index(fields=["session", "sequence"])]

    def __str__(self):
        return f"{self.session} #{self.sequence} {self.application}"
