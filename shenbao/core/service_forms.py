"""Forms of the public service hall: the register search (GET) and the status query (POST)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RegisterSearchForm(forms.Form):
    """认定名单 by call (of the calls that designated units), year, project type and text (unit name or plaque
    number)."""

    q = forms.CharField(label=_("单位名称或牌匾编号"), max_length=100, required=False)
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    call = forms.ChoiceField(label=_("申报通知"), required=False)
    type = forms.ChoiceField(label=_("项目类别"), required=False)

    def __init__(self, data=None, *, calls):
        """`calls` with their project types prefetched."""
        super().__init__(data)
        calls = list(calls)
        years = sorted({call.year for call in calls}, reverse=True)
        types = {item.code: item.name for call in calls for item in call.project_types.all()}
        self.fields["year"].choices = [("", _("全部年度"))] + [(year, str(year)) for year in years]
        self.fields["call"].choices = [("", _("全部申报通知"))] + [(call.slug, call.title) for call in calls]
        self.fields["type"].choices = [("", _("全部项目类别")), *sorted(types.items())]

    def criteria(self):
        """(year or None, call slug or "", project type code or "", text): an invalid value narrows nothing, like an
        empty one."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("year"), data.get("call") or "", data.get("type") or "", data.get("q") or ""


class StatusQueryForm(forms.Form):
    number = forms.CharField(label=_("申报编号"), max_length=32)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"), max_length=24, help_text=_("申报单位营业执照上的18位代码。")
    )
