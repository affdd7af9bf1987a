from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OpinionRequest

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 3, "class": "form-control"})


class ProposalForm(forms.Form):
    """拟授牌名单 of one project type: the units proposed, the departments' reply date, why the others are not."""

    selected = forms.MultipleChoiceField(
        label=_("列入拟授牌名单的单位"), required=False, widget=forms.CheckboxSelectMultiple
    )
    opinion_due = forms.DateField(label=_("征求意见反馈截止日期"), required=False, widget=DATE_INPUT)
    not_selected_reason = forms.CharField(
        label=_("未列入名单的理由（告知申报单位）"), required=False, max_length=2000, widget=TEXTAREA
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].choices = [
            (str(application.public_id), f"{application.number} {application.unit.name}") for application in candidates
        ]


class AnswerForm(forms.Form):
    response = forms.ChoiceField(
        label=_("意见"),
        choices=[
            (OpinionRequest.Response.NO_OBJECTION, _("无异议")),
            (OpinionRequest.Response.OBJECTION, _("有异议")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    reason = forms.CharField(
        label=_("理由"), required=False, max_length=4000, widget=TEXTAREA, help_text=_("有异议的，须填写理由。")
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("response") == OpinionRequest.Response.OBJECTION and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("有异议的，须填写理由。"))
        return cleaned


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理结果"),
        choices=[("overrule", _("异议不影响授牌，继续办理")), ("exclude", _("因异议不予授牌"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    reason = forms.CharField(label=_("理由"), max_length=4000, widget=TEXTAREA)
