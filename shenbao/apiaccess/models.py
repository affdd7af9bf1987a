"""服务账号 (service accounts): how another system reads the platform through `/api/v1/`.

A service account is not a person and not a `User`: it names one government body (so one city) and one read-only
staff role, and carries one key. The key itself is shown once at creation; the row keeps its visible prefix (to
tell keys apart in lists and in the audit trail) and the SHA-256 of the whole key. Rotation is a second account
for the same body and role, then revoking the first (docs/operations/api.md).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shenbao.accounts.roles import Role
from shenbao.organisations.models import Organisation


class ServiceAccount(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("有效")
        REVOKED = "revoked", _("已吊销")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("名称"), max_length=100)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="service_accounts"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    key_prefix = models.CharField(_("密钥前缀"), max_length=16, unique=True)
    key_digest = models.CharField(_("密钥摘要"), max_length=64, unique=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    expires_at = models.DateTimeField(_("有效期至"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("吊销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoke_reason = models.TextField(_("吊销原因"), blank=True)

    class Meta:
        verbose_name = _("接口服务账号")
        verbose_name_plural = _("接口服务账号")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name}（{self.key_prefix}）"
