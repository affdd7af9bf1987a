"""Forms of the expert pages; they only parse input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ExpertRelation

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _control(widget, css="form-control"):
    widget.attrs.setdefault("class", css)
    return widget


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                _control(widget, "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                _control(widget, "form-select")
            else:
                _control(widget)


class ExpertFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("姓名、单位、职称或专业"), required=False, max_length=64)
    region = forms.ModelChoiceField(label=_("所在县（市、区）"), queryset=None, required=False, empty_label=_("全部"))
    active = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), ("1", _("在库")), ("0", _("停用"))]
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions

    def filters(self):
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        active = {"1": True, "0": False}.get(data["active"])
        return {"query": data["q"].strip(), "region": data["region"], "active": active}


class ExpertForm(BootstrapMixin, forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=64)
    work_unit_name = forms.CharField(
        label=_("工作单位"),
        max_length=128,
        help_text=_("与平台中的单位名称完全一致时直接关联；否则新建为其他单位。"),
    )
    region = forms.ModelChoiceField(label=_("所在县（市、区）"), queryset=None)
    title = forms.CharField(label=_("职称"), max_length=64, required=False)
    specialties = forms.CharField(
        label=_("职业（工种）/专业"), max_length=500, required=False, help_text=_("多项用顿号（、）分隔。")
    )
    phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    email = forms.EmailField(
        label=_("联系邮箱"),
        required=False,
        help_text=_("用于联系专家；不改变专家登录账号的邮箱，登录邮箱只能由专家本人修改。"),
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class ExpertCreateForm(ExpertForm):
    username = forms.CharField(label=_("用户名"), max_length=150, required=False, help_text=_("可不填，系统自动生成。"))
    link_existing = forms.BooleanField(
        label=_("关联已有账号"),
        required=False,
        help_text=_("该专家已有本市单位的账号（如系统管理员已创建）时勾选，并在上方填写其用户名。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("电子邮箱")
        self.fields["email"].help_text = _("新账号的登录邮箱（激活链接发送到这里），同时作为联系邮箱。")


class RelationForm(BootstrapMixin, forms.Form):
    organisation_name = forms.CharField(label=_("关联单位名称"), max_length=128)
    kind = forms.ChoiceField(label=_("关系类型"), choices=ExpertRelation.Kind.choices)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("专家信息表（.xlsx）"), help_text=_("请使用下载的导入模板填写。"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件不能超过5MB。"))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传.xlsx格式的Excel文件。"))
        return upload


def show_call_minimum(field, call):
    """The call file's number is the floor of the field (the service refuses fewer too) and is said beside it."""
    field.widget.attrs["min"] = call.experts_per_application
    field.help_text = _("申报通知规定每项申报不少于%(count)s名专家。") % {"count": call.experts_per_application}


class PanelCreateForm(BootstrapMixin, forms.Form):
    project_type = forms.ModelChoiceField(label=_("项目类别"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("专家组名称"), max_length=100, required=False, help_text=_("可不填，自动命名。"))
    experts_per_application = forms.IntegerField(label=_("每项申报评审专家数"), min_value=1, max_value=50)
    exclude_same_county = forms.BooleanField(label=_("回避同县（市、区）专家"), required=False, initial=True)

    def __init__(self, *args, project_types, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project_type"].queryset = project_types
        show_call_minimum(self.fields["experts_per_application"], call)


class PanelForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("专家组名称"), max_length=100)
    experts_per_application = forms.IntegerField(label=_("每项申报评审专家数"), min_value=1, max_value=50)
    exclude_same_county = forms.BooleanField(label=_("回避同县（市、区）专家"), required=False)
    chair = forms.ModelChoiceField(label=_("组长"), queryset=None, required=False, empty_label=_("未指定"))

    def __init__(self, *args, members, call, **kwargs):
        super().__init__(*args, **kwargs)
        show_call_minimum(self.fields["experts_per_application"], call)
        self.fields["chair"].queryset = members
        self.fields["chair"].label_from_instance = lambda user: user.full_name or user.username


class AddMembersForm(BootstrapMixin, forms.Form):
    experts = forms.ModelMultipleChoiceField(label=_("选择专家"), queryset=None)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = candidates
        self.fields["experts"].widget.attrs["size"] = 8
        self.fields["experts"].label_from_instance = lambda profile: (
            f"{profile.user.full_name}（{profile.work_unit.name}，{profile.region.name}）"
        )


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class SwapForm(ReasonForm):
    # Experts are named by their public id: integer keys would disclose how many accounts exist (and invite probing).
    replacement = forms.ChoiceField(label=_("替换专家"), required=False, help_text=_("不选择时由系统按负载自动选定。"))

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("系统自动选择"))]
        for user, load, reason in options:
            label = f"{user.full_name or user.username}（已分配{load}项）"
            if reason:
                label += f" — {_('须回避')}：{reason}"
            choices.append((str(user.public_id), label))
        self.fields["replacement"].choices = choices
        self.eligible = {str(user.public_id): user for user, _load, reason in options if not reason}
        self.all_options = {str(user.public_id): user for user, _load, _reason in options}

    def clean_replacement(self):
        value = self.cleaned_data["replacement"]
        if not value:
            return None
        return self.all_options.get(value)


class SessionForm(BootstrapMixin, forms.Form):
    date = forms.DateField(label=_("答辩日期"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label=_("答辩地点"), max_length=200)
    presentation_minutes = forms.IntegerField(label=_("陈述时长（分钟）"), min_value=1, max_value=240, initial=10)
    questions_minutes = forms.IntegerField(label=_("问答时长（分钟）"), min_value=0, max_value=240, initial=5)
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SlotForm(BootstrapMixin, forms.Form):
    starts_at = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    presentation_minutes = forms.IntegerField(label=_("陈述时长（分钟）"), min_value=1, max_value=240)
    questions_minutes = forms.IntegerField(label=_("问答时长（分钟）"), min_value=0, max_value=240)
