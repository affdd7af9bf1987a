"""Users belong to exactly one organisation and hold one or more roles."""

import uuid
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from shenbao.core.fields import EncryptedCharField
from shenbao.organisations.models import Organisation

from .roles import Role


class User(AbstractUser):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    # Encrypted at rest (personal data); shown in full only on the user's own profile.
    phone = EncryptedCharField(_("手机号码"), max_length=32, blank=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    # Who created the account through the platform (None: self-registration, invitation, command line). 三权分立:
    # nobody takes part in giving an administrator role to an account they created.
    created_by = models.ForeignKey(
        "self", verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        indexes = [models.Index(fields=["organisation", "username"])]

    def __str__(self):
        return self.full_name or self.username

    @cached_property
    def roles(self):
        """The user's roles, read once per request."""
        if not self.is_authenticated or not self.is_active:
            return frozenset()
        return frozenset(Role(role) for role in self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles):
        return any(role in self.roles for role in roles)


class RoleGrant(models.Model):
    """One role held by one user; granted through `shenbao.accounts.services.grant_role`."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("授予人")
    )
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授予")
        verbose_name_plural = _("角色授予")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user")]
        indexes = [models.Index(fields=["role", "user"])]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"


# How long an invitation link stays valid.
INVITATION_VALIDITY = timedelta(days=7)


class Invitation(models.Model):
    """邀请: an applicant asks a colleague of the same unit to join; accepted once through a signed link.

    The link carries only the signed `public_id`; the unit comes from this row, so a link cannot be bent to
    join another unit. Written through `shenbao.accounts.invitations`.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("所属单位"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("电子邮箱"))
    full_name = models.CharField(_("姓名"), max_length=64)
    invited_by = models.ForeignKey(
        User, verbose_name=_("邀请人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set by the service (not auto_now_add) so expiry can be tested at a chosen instant.
    created_at = models.DateTimeField(_("邀请时间"))
    accepted_at = models.DateTimeField(_("接受时间"), null=True, blank=True)
    accepted_user = models.OneToOneField(
        User, verbose_name=_("接受邀请的用户"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("人员邀请")
        verbose_name_plural = _("人员邀请")
        indexes = [models.Index(fields=["organisation", "accepted_at", "revoked_at", "created_at"])]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    @property
    def expires_at(self):
        return self.created_at + INVITATION_VALIDITY


class AdminRoleChange(models.Model):
    """A change to one of the three administrator roles (三权分立), requested by one administrator and confirmed by
    another (`shenbao.accounts.admin_roles`); only a confirmed change touches the role grants."""

    class Action(models.TextChoices):
        GRANT = "grant", _("授予")
        REVOKE = "revoke", _("撤销")

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        APPLIED = "applied", _("已确认并生效")
        REJECTED = "rejected", _("已拒绝")
        CANCELLED = "cancelled", _("已撤回")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    target = models.ForeignKey(User, verbose_name=_("对象用户"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    action = models.CharField(_("操作"), max_length=8, choices=Action.choices)
    reason = models.TextField(_("理由"))
    requested_by = models.ForeignKey(User, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User, verbose_name=_("确认人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decision_note = models.TextField(_("确认意见"), blank=True)

    class Meta:
        verbose_name = _("管理员角色变更")
        verbose_name_plural = _("管理员角色变更")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One open request per account and role: a second one would be confirmed by mistake.
            models.UniqueConstraint(
                fields=["target", "role"], condition=models.Q(status="pending"), name="one_pending_admin_change"
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()}{self.get_role_display()}：{self.target}"


class Activation(models.Model):
    """激活链接: a one-time link for an account the platform created for someone (no usable password yet).

    Written through `shenbao.accounts.activation`. The link carries only the signed `public_id`; expiry is this
    row's `expires_at`, single use is `used_at` (set under a row lock), and a newer link for the same account
    sets `superseded_at` on the older ones.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="activations")
    created_by = models.ForeignKey(
        User, verbose_name=_("发送人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set by the service (not auto_now_add) so expiry can be tested at a chosen instant.
    created_at = models.DateTimeField(_("发送时间"))
    expires_at = models.DateTimeField(_("有效期至"))
    used_at = models.DateTimeField(_("激活时间"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("激活链接")
        verbose_name_plural = _("激活链接")
        indexes = [models.Index(fields=["user", "used_at", "superseded_at"])]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"
