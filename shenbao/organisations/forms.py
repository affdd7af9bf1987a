"""Filter form for the organisation list; the region choices are scoped to what the user may see."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organisation
from .selectors import list_filter_regions


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=64, help_text=_("单位名称或统一社会信用代码"))
    region = forms.ModelChoiceField(
        label=_("区域"), required=False, queryset=None, to_field_name="key", empty_label=_("全部区域")
    )
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别")), *Organisation.Kind.choices])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = list_filter_regions(user=user)
        self.fields["q"].widget.attrs["class"] = "form-control"
        self.fields["region"].widget.attrs["class"] = "form-select"
        self.fields["kind"].widget.attrs["class"] = "form-select"
