"""The public unit-registration form (单位注册). Thin: checks are in `registration.register_applicant_unit`."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from shenbao.core.widgets import bootstrap_widgets

from .models import Region, UnitType
from .registration import list_competent_departments, list_registration_regions

# A location value for a city-direct unit: "city-direct:<city key>"; anything else is a county/zone key.
CITY_DIRECT_PREFIX = "city-direct:"


class CompetentDepartmentField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.region.name}）"


def location_choices():
    """Counties and zones grouped under their city, each city followed by its 市直单位/市属企业 option."""
    regions = list(list_registration_regions())
    cities = [region for region in regions if region.level == Region.Level.CITY]
    choices = [("", _("请选择所在县（市、区）或市直单位"))]
    for city in cities:
        options = [
            (region.key, region.name)
            for region in regions
            if region.parent_id == city.pk and region.level in (Region.Level.COUNTY, Region.Level.ZONE)
        ]
        options.append((f"{CITY_DIRECT_PREFIX}{city.key}", _("市直单位/市属企业（由主管部门初审）")))
        choices.append((city.name, options))
    return choices


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=128, help_text=_("与营业执照或法人证书上的名称一致。"))
    credit_code = forms.CharField(
        label=_("统一社会信用代码"), max_length=24, help_text=_("18位，见营业执照或法人证书。")
    )
    unit_type = forms.ModelChoiceField(
        label=_("单位类型"), queryset=UnitType.objects.all(), to_field_name="code", empty_label=_("请选择单位类型")
    )
    location = forms.ChoiceField(
        label=_("所在区域"),
        choices=(),
        help_text=_("县（市、区）及开发区的单位由当地人社部门初审；市直单位和市属企业由主管部门初审。"),
    )
    competent_department = CompetentDepartmentField(
        label=_("主管部门"),
        queryset=None,
        required=False,
        to_field_name="public_id",
        empty_label=_("（非市直单位无需选择）"),
        help_text=_("仅市直单位和市属企业填写。"),
    )
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=64)
    contact_name = forms.CharField(label=_("单位联系人"), max_length=64)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=32)
    contact_email = forms.EmailField(label=_("单位电子邮箱"))
    address = forms.CharField(label=_("通讯地址"), max_length=200)

    username = forms.CharField(label=_("用户名"), max_length=150, help_text=_("登录用，建议使用字母、数字和下划线。"))
    full_name = forms.CharField(label=_("经办人姓名"), max_length=64)
    email = forms.EmailField(label=_("经办人电子邮箱"), help_text=_("用于找回密码和接收通知。"))
    phone = forms.CharField(label=_("经办人手机号码"), max_length=32)
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput(render_value=False), strip=False)
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput(render_value=False), strip=False)

    UNIT_FIELDS = (
        "name",
        "credit_code",
        "unit_type",
        "location",
        "competent_department",
        "legal_representative",
        "contact_name",
        "contact_phone",
        "contact_email",
        "address",
    )
    ACCOUNT_FIELDS = ("username", "full_name", "email", "phone", "password1", "password2")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = location_choices()
        self.fields["competent_department"].queryset = list_competent_departments()
        bootstrap_widgets(self)
        credit_code = self.fields["credit_code"].widget.attrs
        # Live check (htmx): the server answers with the same Chinese message the submit would give.
        credit_code.update(
            {
                "hx-get": reverse_lazy("accounts:check_credit_code"),
                "hx-trigger": "input changed delay:400ms, change",
                "hx-target": "#credit-code-check",
                "hx-swap": "innerHTML",
                "autocomplete": "off",
                "aria-describedby": "id_credit_code_helptext credit-code-check",
            }
        )
        self.fields["password1"].widget.attrs["autocomplete"] = "new-password"
        self.fields["password2"].widget.attrs["autocomplete"] = "new-password"

    def unit_fields(self):
        return [self[name] for name in self.UNIT_FIELDS]

    def account_fields(self):
        return [self[name] for name in self.ACCOUNT_FIELDS]

    def clean_location(self):
        value = self.cleaned_data["location"]
        key = value.removeprefix(CITY_DIRECT_PREFIX)
        region = Region.objects.filter(key=key).first()
        if region is None:
            raise forms.ValidationError(_("请选择所在区域。"))
        return {"region": region, "is_city_direct": value.startswith(CITY_DIRECT_PREFIX)}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return cleaned
