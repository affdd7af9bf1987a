"""The audit browser's filter (GET); it only validates, `selectors.filter_entries` does the querying."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry
from .selectors import list_tracked_types

FILTER_FIELDS = ("actor", "event", "object_type", "object_id", "date_from", "date_to", "remote_addr", "result")


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("操作人（用户名）"), max_length=150, required=False)
    event = forms.CharField(
        label=_("事件"),
        max_length=64,
        required=False,
        help_text=_("如 login、update、workflow:submit。"),
        widget=forms.TextInput(attrs={"list": "audit-events"}),
    )
    object_type = forms.ChoiceField(label=_("对象类型"), required=False)
    object_id = forms.CharField(label=_("对象ID"), max_length=255, required=False)
    date_from = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    remote_addr = forms.GenericIPAddressField(label=_("来源IP"), required=False)
    result = forms.ChoiceField(
        label=_("结果"), required=False, choices=[("", _("全部")), *list(AuditEntry.Result.choices)]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("全部")), *list_tracked_types()]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return cleaned

    def filters(self):
        """The valid, non-empty filters as keyword arguments for `filter_entries`."""
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
