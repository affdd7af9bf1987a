from django import forms
from django.utils.translation import gettext_lazy as _


class DesignationForm(forms.Form):
    document_number = forms.CharField(
        label=_("文号"),
        required=False,
        max_length=64,
        help_text=_("例如：晋市人社发〔2023〕5号"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    issued_on = forms.DateField(
        label=_("发文日期"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
    )


class AwardForm(forms.Form):
    selected = forms.MultipleChoiceField(label=_("授牌单位"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].choices = [(str(item.public_id), item.number) for item in candidates]
