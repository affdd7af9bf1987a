"""Forms for inviting colleagues and accepting an invitation. Thin: writes go through `invitations`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shenbao.core.widgets import bootstrap_widgets


class InvitationForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=64)
    email = forms.EmailField(label=_("电子邮箱"), help_text=_("邀请链接将发送到该邮箱，7天内有效，只能使用一次。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, help_text=_("登录用，建议使用字母、数字和下划线。"))
    full_name = forms.CharField(label=_("姓名"), max_length=64)
    phone = forms.CharField(label=_("手机号码"), max_length=32, required=False)
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput(render_value=False), strip=False)
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput(render_value=False), strip=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)
        self.fields["password1"].widget.attrs["autocomplete"] = "new-password"
        self.fields["password2"].widget.attrs["autocomplete"] = "new-password"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return cleaned
