"""Forms of the construction-period and 评估验收 pages. They parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shenbao.core.money import MoneyField

from . import targets
from .models import AcceptanceEvaluation, ProgressReport

TEXTAREA = {"rows": 3, "class": "form-control"}
DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
# A target's achieved count (人次, 项): not negative, to two places like the targets themselves.
# Spending (元) may be left blank (nothing spent yet) and never negative.
SPENT = {"required": False, "positive": False}
COUNT_FIELD = {"required": False, "min_value": 0, "max_digits": 12, "decimal_places": 2}


def _textarea(rows=3):
    return forms.Textarea(attrs={**TEXTAREA, "rows": rows})


def _number_input(step="0.01"):
    return forms.NumberInput(attrs={"class": "form-control", "step": step, "min": "0", "inputmode": "decimal"})


class ReportForm(forms.Form):
    """The year's progress report: one row per target, one per spending category, and the narrative."""

    narrative = forms.CharField(label=_("年度建设情况综述"), required=False, max_length=10000, widget=_textarea(6))
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, report, fund_uses, **kwargs):
        self.report, self.fund_uses = report, list(fund_uses)
        progress = report.progress or {}
        initial = {"narrative": report.narrative, "revision": report.revision}
        super().__init__(*args, initial=initial, **kwargs)
        statuses = [("", _("请选择")), *targets.PROGRESS_STATUSES]
        for target in report.targets:
            key, entry = target["key"], progress.get(target["key"]) or {}
            if target["category"] == targets.QUANTITY:
                self.fields[f"achieved-{key}"] = forms.DecimalField(
                    label=_("完成数"), widget=_number_input("1"), initial=entry.get("achieved") or None, **COUNT_FIELD
                )
            else:
                self.fields[f"status-{key}"] = forms.ChoiceField(
                    label=_("完成情况"),
                    choices=statuses,
                    required=False,
                    initial=entry.get("status") or "",
                    widget=forms.Select(attrs={"class": "form-select"}),
                )
            self.fields[f"note-{key}"] = forms.CharField(
                label=_("完成情况说明"),
                required=False,
                max_length=2000,
                initial=entry.get("note") or "",
                widget=_textarea(2),
            )
        for line in self.fund_uses:
            self.fields[f"subsidy-{line.category}"] = MoneyField(
                label=_("扶持经费支出（元）"), initial=line.subsidy_spent, widget=_number_input(), **SPENT
            )
            self.fields[f"own-{line.category}"] = MoneyField(
                label=_("自筹资金支出（元）"), initial=line.own_spent, widget=_number_input(), **SPENT
            )

    def target_rows(self):
        for target in self.report.targets:
            key = target["key"]
            value_field = self[f"achieved-{key}"] if f"achieved-{key}" in self.fields else self[f"status-{key}"]
            yield target, value_field, self[f"note-{key}"]

    def fund_rows(self):
        for line in self.fund_uses:
            yield line, self[f"subsidy-{line.category}"], self[f"own-{line.category}"]

    def progress(self):
        data = self.cleaned_data
        return {
            target["key"]: {
                "achieved": data.get(f"achieved-{target['key']}"),
                "status": data.get(f"status-{target['key']}") or "",
                "note": data.get(f"note-{target['key']}") or "",
            }
            for target in self.report.targets
        }

    def funds(self):
        data = self.cleaned_data
        return {
            line.category: (data.get(f"subsidy-{line.category}"), data.get(f"own-{line.category}"))
            for line in self.fund_uses
        }


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("佐证材料"))


class ReportReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[("accept", _("审核通过")), ("return", _("退回修改"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    comment = forms.CharField(
        label=_("审核意见（告知申报单位）"),
        required=False,
        max_length=4000,
        widget=_textarea(),
        help_text=_("退回修改的，须填写审核意见。"),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("退回修改须填写审核意见。"))
        return cleaned


class ScoreSheetForm(forms.Form):
    """Points per acceptance rubric item (自评 or an expert's sheet), bounded by the item and the call's step."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, items, step, scores, revision, text_field, text_label, text_initial, **kwargs):
        super().__init__(*args, initial={"revision": revision, text_field: text_initial}, **kwargs)
        self.items, self.text_field = list(items), text_field
        self.fields[text_field] = forms.CharField(
            label=text_label, required=False, max_length=10000, widget=_textarea(6)
        )
        for item in self.items:
            self.fields[f"score-{item.pk}"] = forms.DecimalField(
                label=item.name,
                required=False,
                min_value=0,
                max_value=item.max_points,
                max_digits=6,
                decimal_places=2,
                step_size=step,
                initial=scores.get(item.pk),
                widget=_number_input(f"{step.normalize():f}"),
            )

    def item_rows(self):
        for item in self.items:
            yield item, self[f"score-{item.pk}"]

    def scores(self):
        return {item.pk: self.cleaned_data.get(f"score-{item.pk}") for item in self.items}

    def text(self):
        return self.cleaned_data.get(self.text_field) or ""


class ExpertChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name or obj.username}（{obj.organisation.name if obj.organisation_id else ''}）"


class AssignExpertsForm(forms.Form):
    experts = ExpertChoiceField(
        label=_("验收专家"), queryset=None, to_field_name="public_id", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, eligible, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = eligible


class RemoveExpertForm(forms.Form):
    reason = forms.CharField(label=_("撤回指派的理由"), max_length=2000, widget=_textarea(2))


class DecisionForm(forms.Form):
    decided_on = forms.DateField(label=_("结论日期"), widget=DATE_INPUT)
    conclusion = forms.CharField(label=_("验收结论意见（告知被验收单位）"), max_length=4000, widget=_textarea(4))


class RectificationForm(forms.Form):
    report = forms.CharField(label=_("整改报告"), required=False, max_length=10000, widget=_textarea(8))
    revision = forms.IntegerField(widget=forms.HiddenInput)


class ReportFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("报告年度"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("状态"), required=False)
    project_type = forms.ChoiceField(label=_("项目类别"), required=False)
    region = forms.ChoiceField(label=_("所在县（市、区）"), required=False)

    def __init__(self, data=None, *, years, project_types, regions):
        super().__init__(data)
        self.fields["year"].choices = [("", _("全部"))] + [(year, str(year)) for year in years]
        self.fields["status"].choices = [("", _("全部"))] + [
            choice for choice in ProgressReport.Status.choices if choice[0] != ProgressReport.Status.DRAFT
        ]
        self.fields["project_type"].choices = [("", _("全部")), *project_types]
        self.fields["region"].choices = [("", _("全部"))] + [(str(region.pk), region.name) for region in regions]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class EvaluationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False)
    band = forms.ChoiceField(label=_("验收等次"), required=False)
    project_type = forms.ChoiceField(label=_("项目类别"), required=False)
    round = forms.TypedChoiceField(
        label=_("轮次"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全部")), (1, _("首次验收")), (2, _("整改后复评"))],
    )

    def __init__(self, data=None, *, project_types):
        super().__init__(data)
        self.fields["status"].choices = [("", _("全部"))] + [
            choice for choice in AcceptanceEvaluation.Status.choices if choice[0] != AcceptanceEvaluation.Status.DRAFT
        ]
        self.fields["band"].choices = [("", _("全部")), *AcceptanceEvaluation.Band.choices]
        self.fields["project_type"].choices = [("", _("全部")), *project_types]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
