"""Forms of the review pages. The checklist is rendered row by row in the template; `parse_checklist` reads it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .checklist import NOTE_MAX_LENGTH
from .models import Decision, Judgement
from .selectors import FIRST_REVIEW_FILTER_STATES


def parse_checklist(data, rows):
    """{code: {judgement, note}} from the posted `judgement-<code>` / `note-<code>` fields of the rule rows."""
    return {
        row["code"]: {
            "judgement": data.get(f"judgement-{row['code']}", ""),
            "note": data.get(f"note-{row['code']}", "")[:NOTE_MAX_LENGTH],
        }
        for row in rows
    }


class QueueFilterForm(forms.Form):
    call = forms.ChoiceField(label=_("申报通知"), required=False)
    project_type = forms.ChoiceField(label=_("项目类别"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)

    def __init__(self, data=None, *, calls, project_types, with_status=True):
        super().__init__(data)
        self.fields["call"].choices = [("", _("全部"))] + [(call.slug, call.title) for call in calls]
        self.fields["project_type"].choices = [("", _("全部"))] + [(item.code, item.name) for item in project_types]
        if with_status:
            self.fields["status"].choices = [("all", _("全部"))] + [
                (state.value, state.label) for state in FIRST_REVIEW_FILTER_STATES
            ]
        else:
            del self.fields["status"]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class DecisionFieldsMixin:
    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision in (Decision.RETURN, Decision.REJECT) and not cleaned.get("comment"):
            self.add_error("comment", _("退回修改或不予通过须填写理由。"))
        if decision == Decision.RETURN and not cleaned.get("resubmission_due"):
            self.add_error("resubmission_due", _("退回修改须填写补正截止日期。"))
        return cleaned


def _textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows, "class": "form-control"})


def _date():
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class FirstReviewForm(DecisionFieldsMixin, forms.Form):
    ACTIONS = (("save", _("保存核查表")), *Decision.choices)

    action = forms.ChoiceField(choices=ACTIONS)
    recommendation = forms.CharField(label=_("推荐意见"), required=False, max_length=2000, widget=_textarea())
    comment = forms.CharField(
        label=_("退回或不予通过的理由（将告知申报单位）"), required=False, max_length=2000, widget=_textarea()
    )
    resubmission_due = forms.DateField(label=_("补正截止日期（退回修改时填写）"), required=False, widget=_date())

    def clean(self):
        self.cleaned_data["decision"] = self.cleaned_data.get("action")
        return super().clean()


class BatchForm(DecisionFieldsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("批量决定"),
        choices=[(Decision.PASS, _("通过")), (Decision.RETURN, _("退回修改"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    selected = forms.UUIDField(required=False)  # read with getlist in the view
    recommendation = forms.CharField(
        label=_("统一推荐意见（通过时）"), required=False, max_length=2000, widget=_textarea(2)
    )
    comment = forms.CharField(label=_("统一退回理由（退回时）"), required=False, max_length=2000, widget=_textarea(2))
    resubmission_due = forms.DateField(label=_("补正截止日期（退回时）"), required=False, widget=_date())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == Decision.PASS and not cleaned.get("recommendation"):
            self.add_error("recommendation", _("批量通过须填写统一推荐意见。"))
        return cleaned


class SealForm(forms.Form):
    file = forms.FileField(
        label=_("加盖公章的初审意见扫描件（PDF或图片）"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class RecheckForm(DecisionFieldsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("复核结论"), choices=Decision.choices, widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    comment = forms.CharField(label=_("复核意见"), required=False, max_length=2000, widget=_textarea())
    resubmission_due = forms.DateField(label=_("补正截止日期（退回修改时填写）"), required=False, widget=_date())


JUDGEMENT_CHOICES = Judgement.choices
