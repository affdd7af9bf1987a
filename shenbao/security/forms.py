"""Forms of the second-factor pages and the security administrator's pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("动态口令"),
        max_length=16,
        help_text=_("打开手机上的身份验证器应用，输入其中显示的 6 位数字。"),
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit() or len(token) not in (6, 8):
            raise forms.ValidationError(_("请输入身份验证器显示的 6 位数字。"))
        return token


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=64,
        help_text=_("用户名、姓名或单位名称"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class UnlockForm(forms.Form):
    username = forms.CharField(max_length=255, widget=forms.HiddenInput)
