"""Regions, unit types and organisations: who applies, who reviews, who is consulted."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shenbao.core.fields import EncryptedCharField

from .credit_code import validate_credit_code


class Region(models.Model):
    """行政区划 (administrative division) or a first-review zone such as 经济技术开发区.

    A zone has no division code but runs its own first review, so regions are keyed by `key`
    (the division code where one exists) rather than by code.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        COUNTY = "county", _("县（市、区）")
        ZONE = "zone", _("开发区")

    key = models.SlugField(_("标识"), max_length=32, unique=True)
    division_code = models.CharField(_("行政区划代码"), max_length=6, blank=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    # A city's public portal (/c/<portal_slug>/) and its heading, from the reference data; empty below city level.
    portal_slug = models.SlugField(_("门户标识"), max_length=32, unique=True, null=True, blank=True)
    portal_heading = models.CharField(_("门户标题"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        ordering = ["sort_order", "key"]
        indexes = [models.Index(fields=["parent", "sort_order"])]

    def __str__(self):
        return self.name


class UnitType(models.Model):
    """申报单位类型 (企业, 职业院校 …); declared in call files so a new type needs no code."""

    code = models.SlugField(_("代码"), max_length=48, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("单位类型")
        verbose_name_plural = _("单位类型")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    """An applicant unit, a government body, an expert's work unit or the platform operator."""

    class Kind(models.TextChoices):
        APPLICANT_UNIT = "applicant_unit", _("申报单位")
        GOVERNMENT = "government", _("政府部门")
        OTHER = "other", _("其他单位")
        PLATFORM = "platform", _("平台运维单位")

    class Function(models.TextChoices):
        """What a government body does in the call (empty for other kinds)."""

        NONE = "", _("无")
        COUNTY_HR_BUREAU = "county_hr_bureau", _("县级人社局（含开发区）")
        CITY_HR_BUREAU = "city_hr_bureau", _("市人社局")
        CITY_SKILLS_OFFICE = "city_skills_office", _("市人社局技能办")
        CITY_ORG_DEPARTMENT = "city_org_department", _("市委组织部")
        COMPETENT_DEPARTMENT = "competent_department", _("主管部门")
        TAX_BUREAU = "tax_bureau", _("税务部门")
        CONSULTED_DEPARTMENT = "consulted_department", _("其他征求意见部门")
        PROVINCE_HR_DEPARTMENT = "province_hr_department", _("省人社厅")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("单位名称"), max_length=128)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, db_index=True)
    function = models.CharField(_("职能"), max_length=32, choices=Function.choices, blank=True, default="")
    unit_type = models.ForeignKey(UnitType, verbose_name=_("单位类型"), null=True, blank=True, on_delete=models.PROTECT)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, null=True, blank=True, validators=[validate_credit_code]
    )
    region = models.ForeignKey(Region, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+")
    is_city_direct = models.BooleanField(_("市直单位或市属企业"), default=False)
    competent_department = models.ForeignKey(
        "self",
        verbose_name=_("主管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_units",
        limit_choices_to={"function": Function.COMPETENT_DEPARTMENT},
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="sub_units"
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=64, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    # Encrypted at rest; shown in full to the unit's own staff, masked to everyone else (rules.can_see_contact_phone).
    contact_phone = EncryptedCharField(_("联系电话"), max_length=32, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通讯地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["kind", "region", "name"]),
            models.Index(fields=["function", "region"]),
            models.Index(fields=["competent_department", "name"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="applicant_unit") | (Q(credit_code__isnull=False) & Q(unit_type__isnull=False)),
                name="applicant_unit_has_code_and_type",
            ),
            models.CheckConstraint(
                condition=Q(is_city_direct=False) | Q(competent_department__isnull=False) | ~Q(kind="applicant_unit"),
                name="city_direct_unit_has_competent_department",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_applicant_unit(self):
        return self.kind == self.Kind.APPLICANT_UNIT


class PendingRegistration(models.Model):
    """单位注册 waiting for its e-mail to be confirmed (`registration_pending`).

    Nothing is created until the link is opened: the unit and the account are made then, by the same service as
    always, so an unconfirmed registration holds no user name and no credit code. The page answers the same
    whether the user name was free or not (a taken one is told to the e-mail address only).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("电子邮箱"))
    # The registration form's values (model choices by key); the password only as its hash.
    data = models.JSONField(_("注册信息"))
    password_hash = models.CharField(_("密码哈希"), max_length=256)
    remote_addr = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"))
    expires_at = models.DateTimeField(_("确认期限"))
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待确认的单位注册")
        verbose_name_plural = _("待确认的单位注册")

    def __str__(self):
        return f"{self.data.get('name', '')} <{self.email}>"
