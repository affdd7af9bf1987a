"""Forms of the calendar, publishing, objection and decision pages; validation beyond types lives in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shenbao.calls.selectors import list_city_calls

from .models import Objection
from .objections import EVIDENCE_RULE, MAX_EVIDENCE_FILES

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
MAX_SCHEDULE_UPLOAD = 64 * 1024


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
            continue
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=DATE_INPUT)
    kind = forms.ChoiceField(label=_("类别"), choices=[("rest", _("休（放假）")), ("work", _("班（调休上班）"))])
    name = forms.CharField(label=_("名称"), max_length=64, required=False, help_text=_("如：春节、调休上班"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    source = forms.CharField(
        label=_("依据"), max_length=200, required=False, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知")
    )
    complete = forms.BooleanField(label=_("已完整录入"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ScheduleImportForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    text = forms.CharField(
        label=_("放假和调休安排"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("每行一个日期或日期范围，如「2027-01-01~2027-01-03 休 元旦」「2027-02-07 班 春节调休」。"),
    )
    upload = forms.FileField(label=_("或上传文本文件（UTF-8或GB18030编码）"), required=False)
    source = forms.CharField(
        label=_("依据"), max_length=200, required=False, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知")
    )
    mark_complete = forms.BooleanField(label=_("导入后将该年度标记为已完整录入"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload:
            if upload.size > MAX_SCHEDULE_UPLOAD:
                raise forms.ValidationError(_("上传的文件过大，请只包含一个年度的安排。"))
            raw = upload.read()
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    data["text"] = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise forms.ValidationError(_("无法识别上传文件的编码，请另存为UTF-8文本后重试。"))
        if not (data.get("text") or "").strip():
            raise forms.ValidationError(_("请粘贴或上传放假和调休安排。"))
        return data


class PublishForm(forms.Form):
    # The queryset is the administrator's calls, given by the view (none until then).
    call = forms.ModelChoiceField(label=_("申报通知"), queryset=list_city_calls(city=None), to_field_name="slug")
    title = forms.CharField(label=_("公示标题"), max_length=200)
    start_date = forms.DateField(label=_("公示开始日期"), widget=DATE_INPUT)
    body = forms.CharField(label=_("公示正文"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    contact_name = forms.CharField(label=_("异议受理联系人"), max_length=64)
    contact_phone = forms.CharField(label=_("异议受理电话"), max_length=32)
    contact_address = forms.CharField(label=_("书面异议送达地址"), max_length=200)

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls
        _style(self)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ObjectionForm(forms.Form):
    entry = forms.ChoiceField(label=_("异议针对的单位"))
    filer_kind = forms.ChoiceField(
        label=_("异议人类别"),
        choices=Objection.FilerKind.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        initial="person",
    )
    filer_name = forms.CharField(label=_("真实姓名"), max_length=64, required=False)
    id_number = forms.CharField(label=_("身份证号码（个人填写）"), max_length=18, required=False)
    unit_name = forms.CharField(label=_("单位名称（单位填写）"), max_length=200, required=False)
    seal_confirmed = forms.BooleanField(
        label=_("本单位承诺另行提交加盖单位公章的书面异议材料（单位填写）"), required=False
    )
    contact_phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    email = forms.EmailField(label=_("电子邮箱（选填，用于接收答复）"), required=False)
    content = forms.CharField(
        label=_("异议内容（具体事实和理由）"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    evidence = MultipleFileField(
        label=_("证明材料（选填）"),
        required=False,
        help_text=_("最多%(count)d个文件，每个不超过%(size)dMB，格式：%(formats)s")
        % {"count": MAX_EVIDENCE_FILES, "size": EVIDENCE_RULE.max_size_mb, "formats": EVIDENCE_RULE.formats},
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [("", _("请选择"))] + [
            (str(entry.public_id), f"{entry.application.unit.name}（{entry.application.project_type.name}）")
            for entry in entries
        ]
        _style(self)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("调查结论"),
        choices=[
            (Objection.Status.UPHELD, _("异议成立（该单位不予授牌）")),
            (Objection.Status.NOT_UPHELD, _("异议不成立")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    investigation_note = forms.CharField(label=_("调查核实情况"), widget=forms.Textarea(attrs={"rows": 4}))
    reply = forms.CharField(label=_("答复意见（告知异议人）"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
