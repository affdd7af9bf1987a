"""Forms of the 技能办's message pages: a workflow notification's template, and a bulk message with its filters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shenbao.applications.workflow import ApplicationStatus
from shenbao.calls.selectors import list_city_calls, list_project_types
from shenbao.core.forms import add_service_errors
from shenbao.core.widgets import bootstrap_widgets
from shenbao.organisations.selectors import list_regions_within

from .template_services import validate_template_texts
from .templating import TemplateEvent

if TYPE_CHECKING:
    from .notice_events import NoticeEvent


class MessageTemplateForm(forms.Form):
    title = forms.CharField(label=_("站内消息标题"), max_length=200, required=False)
    body = forms.CharField(label=_("站内消息内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    email_subject = forms.CharField(label=_("邮件主题"), max_length=200, required=False)
    email_body = forms.CharField(label=_("邮件正文"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    sms_text = forms.CharField(
        label=_("短信内容"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("留空则不发短信。"),
    )

    def __init__(self, *args: Any, event: TemplateEvent | NoticeEvent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        bootstrap_widgets(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            validate_template_texts(event=self.event, texts={key: value or "" for key, value in cleaned.items()})
        except ValidationError as error:
            add_service_errors(self, error)
        return cleaned


class BulkMessageForm(forms.Form):
    call = forms.ModelChoiceField(
        label=_("申报通知"), queryset=None, required=False, to_field_name="slug", empty_label=_("不限")
    )
    project_type = forms.ModelChoiceField(label=_("项目类别"), queryset=None, required=False, empty_label=_("不限"))
    statuses = forms.MultipleChoiceField(
        label=_("申报状态"),
        choices=ApplicationStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("不选则不限状态。"),
    )
    county = forms.ModelChoiceField(
        label=_("县（市、区）"), queryset=None, required=False, to_field_name="key", empty_label=_("不限")
    )
    subject = forms.CharField(label=_("标题"), max_length=200, required=False)
    body = forms.CharField(label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    sms_text = forms.CharField(
        label=_("短信内容"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("可选；留空则不发短信。"),
    )

    def __init__(self, *args: Any, city: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = list_city_calls(city=city)
        self.fields["project_type"].queryset = list_project_types(city=city).select_related("call")
        self.fields["project_type"].label_from_instance = lambda row: f"{row.call.title} — {row.name}"
        self.fields["county"].queryset = list_regions_within(region=city).exclude(pk=city.pk)
        bootstrap_widgets(self)

    def filter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("call", "project_type", "county")]

    def message_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("subject", "body", "sms_text")]

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "call": data.get("call"),
            "project_type": data.get("project_type"),
            "statuses": data.get("statuses") or [],
            "county": data.get("county"),
        }

    def check_message(self) -> bool:
        """Sending needs a title and a content (the preview does not)."""
        for field in ("subject", "body"):
            if not self.cleaned_data.get(field, "").strip():
                self.add_error(field, _("发送前请填写此项。"))
        return not self.errors
