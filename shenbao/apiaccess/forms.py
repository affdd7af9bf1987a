"""The system administrator's forms: a new service account, and the reason of a revocation."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shenbao.accounts.roles import Role
from shenbao.core.widgets import bootstrap_widgets

from .rules import SERVICE_ACCOUNT_ROLES
from .selectors import list_service_account_bodies

# What the form proposes: a quarter, well within the longest validity (SHENBAO_API_KEY_MAX_DAYS).
PROPOSED_DAYS = 90


class BodyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.get_function_display()}）"


class ServiceAccountForm(forms.Form):
    name = forms.CharField(
        label=_("名称"), max_length=100, help_text=_("使用该密钥的系统，如「市人社信息系统数据交换」。")
    )
    organisation = BodyChoiceField(
        label=_("所属单位"),
        queryset=list_service_account_bodies(),
        help_text=_("服务账号按该单位所在的市读取数据。"),
    )
    role = forms.ChoiceField(
        label=_("角色"),
        choices=[(role.value, role.label) for role in SERVICE_ACCOUNT_ROLES],
        help_text=_("只读：服务账号看到的数据与该角色在页面上看到的相同。"),
    )
    expires_on = forms.DateField(
        label=_("有效期至"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("密钥在该日结束时失效。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = timezone.localdate() + datetime.timedelta(days=PROPOSED_DAYS)
        self.fields["role"].initial = Role.CITY_REVIEWER
        bootstrap_widgets(self)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("吊销原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)
