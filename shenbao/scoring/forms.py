"""Forms of the scoring pages. They only collect input; the services validate points against the rubric."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shenbao.core.forms import add_service_errors

from .selectors import group_sheet_rows
from .services import COMMENT_MAX, OPINION_MAX, format_points

TEXTAREA = {"rows": 3, "class": "form-control"}
DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def points_field_name(item):
    return f"points-{item.code}"


def comment_field_name(item):
    return f"comment-{item.code}"


class ScoreSheetForm(forms.Form):
    """One points field and one comment per rubric item, the overall opinion and the loaded revision."""

    overall_opinion = forms.CharField(
        label=_("总体评价意见"),
        required=False,
        max_length=OPINION_MAX,
        widget=forms.Textarea(attrs={**TEXTAREA, "rows": 4}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, rows, step, readonly=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            item = row.item
            attrs = {
                "class": "form-control points-input",
                "inputmode": "decimal",
                "type": "number",
                "min": "0",
                "max": format_points(item.max_points),
                "step": format_points(step),
            }
            self.fields[points_field_name(item)] = forms.CharField(
                label=item.name, required=False, max_length=12, widget=forms.TextInput(attrs=attrs)
            )
            self.fields[comment_field_name(item)] = forms.CharField(
                label=_("评语"),
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
            if not self.is_bound:
                self.initial[points_field_name(item)] = format_points(row.points) if row.points is not None else ""
                self.initial[comment_field_name(item)] = row.comment
        if readonly:
            for field in self.fields.values():
                field.disabled = True

    def grouped(self):
        """[{group, fields: [(row, points field, comment field)]}] per 评分环节, for the template's table."""
        return [
            {
                "group": group,
                "fields": [
                    (row, self[points_field_name(row.item)], self[comment_field_name(row.item)]) for row in group.rows
                ],
            }
            for group in group_sheet_rows(self.rows)
        ]

    def scores(self):
        return {
            row.item.code: {
                "points": self.cleaned_data.get(points_field_name(row.item), ""),
                "comment": self.cleaned_data.get(comment_field_name(row.item), ""),
            }
            for row in self.rows
        }

    def add_service_errors(self, error):
        """Put a service's ValidationError on the fields it names (rubric codes, overall_opinion) or on top."""
        field_map = {row.item.code: points_field_name(row.item) for row in self.rows}
        add_service_errors(self, error, field_map=field_map)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("重新打开的原因"), max_length=2000, widget=forms.Textarea(attrs=TEXTAREA))


class TieBreakForm(forms.Form):
    """并列名次: a place (1 = higher) for each application of one tie group, and the reason."""

    group = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("决定理由"), max_length=2000, widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, rows=(), **kwargs):
        rows = list(rows)
        # Several tie groups may be decided on one page: element ids must stay unique there.
        kwargs.setdefault("auto_id", f"tie-{rows[0].key[:8]}-%s" if rows else "id_%s")
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.initial.setdefault("group", ",".join(row.key for row in self.rows))
        places = [(str(n), str(n)) for n in range(1, len(self.rows) + 1)]
        for index, row in enumerate(self.rows, start=1):
            application = row.candidate.item
            self.fields[self.place_name(row)] = forms.TypedChoiceField(
                label=f"{application.number} {application.unit_name}",
                choices=places,
                coerce=int,
                initial=str(index),
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    @staticmethod
    def place_name(row):
        return f"place-{row.key}"

    def place_fields(self):
        return [self[self.place_name(row)] for row in self.rows]

    def clean(self):
        cleaned = super().clean()
        places = [cleaned.get(self.place_name(row)) for row in self.rows]
        if None not in places and len(set(places)) != len(places):
            raise forms.ValidationError(_("每个申报的名次须各不相同。"))
        return cleaned

    def ordered(self):
        """The group's public ids, higher place first."""
        return [row.key for row in sorted(self.rows, key=lambda row: self.cleaned_data[self.place_name(row)])]


class ProposalCountForm(forms.Form):
    count = forms.IntegerField(
        label=_("拟授牌数量"), min_value=0, widget=forms.NumberInput(attrs={"class": "form-control"})
    )
    opinion_due = forms.DateField(label=_("征求意见反馈截止日期"), widget=DATE_INPUT)
    not_selected_reason = forms.CharField(
        label=_("未列入名单的理由（告知申报单位）"),
        required=False,
        max_length=2000,
        initial=_("经专家评审，综合得分未进入拟授牌名额。"),
        widget=forms.Textarea(attrs=TEXTAREA),
    )
