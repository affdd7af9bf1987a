"""Forms for log-in, password handling and user administration. Thin: writes go through `services`."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shenbao.audit.network import client_ip
from shenbao.core import ratelimit
from shenbao.core.sms import sms_enabled
from shenbao.core.widgets import bootstrap_widgets
from shenbao.notifications.outbox import absolute_url, queue_email

from . import activation, selectors
from .roles import EXCLUSIVE_ROLES, Role

LOGIN_THROTTLED = _("登录尝试过于频繁，请一分钟后再试。")


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)

    def clean(self):
        """Count the attempt per address and per user name *before* the password is hashed.

        Each check of a password costs a deliberate fraction of a second; random user names slip past the
        lock-out (it counts per name), so without these limits one client could keep the log-in page busy.
        """
        username = (self.cleaned_data.get("username") or "").strip().lower()
        address = client_ip(self.request) if self.request is not None else None
        allowed = ratelimit.allow(scope="login-address", ident=address, limit=login_limit("address"))
        allowed = ratelimit.allow(scope="login-user", ident=username, limit=login_limit("user")) and allowed
        if not allowed:
            raise ValidationError(LOGIN_THROTTLED, code="throttled")
        return super().clean()


def login_limit(kind):
    """Log-in attempts per minute: per address (county offices share addresses: generous) and per user name."""
    if kind == "address":
        return ratelimit.limit_from_settings("SHENBAO_LOGIN_ADDRESS_LIMIT", attempts=60, window=60)
    return ratelimit.limit_from_settings("SHENBAO_LOGIN_USER_LIMIT", attempts=10, window=60)


class BootstrapPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)


class BootstrapPasswordResetForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        """Queue the reset mail in the outbox instead of sending it inside the request (a mail server that is
        down would lose it after the 「已发送」 page); the link is on the platform's configured public address,
        never on the Host header of the request."""
        # The user is named by public id: Django's default base64 of the integer key discloses account numbers.
        uid = context["user"].public_id.hex
        path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": context["token"]})
        context = {**context, "uid": uid, "link": absolute_url(path)}
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        queue_email(to=[to_email], subject=subject, body=body, purpose="accounts:password_reset")

    def save(self, *args, request=None, **kwargs):
        """Django sends nothing to an account without a usable password (while the page says 「已发送」): such an
        account was created for someone who never activated it, so it gets a new activation link instead. The
        page is the same either way, so it never tells whether an address has an account."""
        super().save(*args, request=request, **kwargs)
        email = self.cleaned_data["email"]
        for user in selectors.list_users_to_activate_by_email(email=email):
            activation.issue_activation(user=user, reason="reset", request=request)


class BootstrapSetPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=64, help_text=_("用户名、姓名或单位名称"))
    role = forms.ChoiceField(label=_("角色"), required=False, choices=[("", _("全部角色")), *Role.choices])
    organisation = forms.UUIDField(required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), ("not_activated", _("未激活"))]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)


class OrganisationPickForm(forms.Form):
    q = forms.CharField(label=_("单位名称或统一社会信用代码"), required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, help_text=_("登录用，建议使用字母、数字和下划线。"))
    full_name = forms.CharField(label=_("姓名"), max_length=64)
    email = forms.EmailField(label=_("电子邮箱"), required=False, help_text=_("用于找回密码。"))
    phone = forms.CharField(label=_("手机号码"), max_length=32, required=False)
    password1 = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        required=False,
        help_text=_("建议不填：系统将向该用户的电子邮箱（及手机，如已配置短信）发送激活链接，由本人设置密码。"),
    )
    password2 = forms.CharField(
        label=_("确认密码"), widget=forms.PasswordInput(render_value=False), strip=False, required=False
    )
    # The administrator roles are never given at creation: they need a second administrator (admin_roles).
    roles = forms.MultipleChoiceField(
        label=_("角色"),
        required=False,
        choices=[(value, label) for value, label in Role.choices if value not in EXCLUSIVE_ROLES],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("password1") or cleaned.get("password2")) and cleaned.get("password1") != cleaned.get(
            "password2"
        ):
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif not cleaned.get("password1") and not cleaned.get("email") and not (sms_enabled() and cleaned.get("phone")):
            self.add_error("email", _("不设置初始密码时，须填写电子邮箱，用于发送激活链接。"))
        return cleaned


class RoleChangeForm(forms.Form):
    action = forms.ChoiceField(choices=[("grant", _("授予")), ("revoke", _("撤销"))], widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)


class AdminRoleRequestForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    role = forms.ChoiceField(
        label=_("管理员角色"), choices=[(value, label) for value, label in Role.choices if value in EXCLUSIVE_ROLES]
    )
    action = forms.ChoiceField(label=_("操作"), choices=[("grant", _("授予")), ("revoke", _("撤销"))])
    reason = forms.CharField(label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)


class AdminRoleDecisionForm(forms.Form):
    note = forms.CharField(label=_("意见"), required=False, max_length=1000)


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("新的登录邮箱"), help_text=_("确认链接将发送到原登录邮箱（没有原邮箱时发送到新邮箱）。")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)
