"""Users belong to exactly one organisation and hold one or more roles."""

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

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
    phone = models.CharField(_("手机号码"), max_length=32, blank=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

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
