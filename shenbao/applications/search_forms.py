"""The staff list's forms: the filters (GET, so a URL is a shareable view), saving a view, and the export's choice
of format and columns. Every choice is a whitelist; an unknown value is a form error, never a query."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .search_selectors import DEFAULT_SORT, FLAGS, SORTS, FilterChoices, SearchFilters
from .search_table import COLUMNS, DEFAULT_COLUMNS
from .workflow import ApplicationStatus

if TYPE_CHECKING:
    from collections.abc import Mapping

# The GET parameters of the list that make up a view (the page number does not).
VIEW_PARAMETERS = (
    "q",
    "call",
    "year",
    "project_type",
    "first_review_body",
    "county",
    "state",
    "unit_type",
    "industry",
    "flags",
    "score_min",
    "score_max",
    "sort",
    "columns",
)
EXPORT_FORMATS = (("xlsx", _("Excel 工作簿（XLSX）")), ("csv", _("CSV（UTF-8）")))
ANY = [("", _("全部"))]


def _int(value: str) -> int | None:
    return int(value) if value else None


class ApplicationSearchForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    call = forms.TypedChoiceField(label=_("申报通知"), required=False, coerce=int, empty_value=None)
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    project_type = forms.ChoiceField(label=_("项目类别"), required=False)
    first_review_body = forms.TypedChoiceField(label=_("资格初审单位"), required=False, coerce=int, empty_value=None)
    county = forms.TypedChoiceField(label=_("所在区域"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=ANY + list(ApplicationStatus.choices))
    unit_type = forms.TypedChoiceField(label=_("单位类型"), required=False, coerce=int, empty_value=None)
    industry = forms.ChoiceField(label=_("所属行业"), required=False)
    flags = forms.MultipleChoiceField(
        label=_("标记"),
        required=False,
        choices=[(key, label) for key, (label, _query) in FLAGS.items()],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    score_min = forms.DecimalField(label=_("最终得分不低于"), required=False, max_digits=6, decimal_places=2)
    score_max = forms.DecimalField(label=_("最终得分不高于"), required=False, max_digits=6, decimal_places=2)
    sort = forms.ChoiceField(
        label=_("排序"), required=False, choices=[(key, label) for key, (label, _order) in SORTS.items()]
    )
    columns = forms.MultipleChoiceField(
        label=_("显示的列"),
        required=False,
        choices=[(key, column.label) for key, column in COLUMNS.items()],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, choices: FilterChoices) -> None:
        super().__init__(data)
        fields = self.fields
        fields["call"].choices = ANY + choices.calls  # type: ignore[attr-defined]
        fields["year"].choices = ANY + [(year, str(year)) for year in choices.years]  # type: ignore[attr-defined]
        fields["project_type"].choices = ANY + choices.project_types  # type: ignore[attr-defined]
        fields["first_review_body"].choices = ANY + choices.bodies  # type: ignore[attr-defined]
        fields["county"].choices = ANY + choices.counties  # type: ignore[attr-defined]
        fields["unit_type"].choices = ANY + choices.unit_types  # type: ignore[attr-defined]
        fields["industry"].choices = ANY + [(name, name) for name in choices.industries]  # type: ignore[attr-defined]
        for form_field in fields.values():
            if isinstance(form_field.widget, forms.Select):
                form_field.widget.attrs["class"] = "form-select"
            elif isinstance(form_field.widget, forms.TextInput | forms.NumberInput):
                form_field.widget.attrs["class"] = "form-control"

    def filters(self) -> SearchFilters:
        """The cleaned filters (call after `is_valid()`)."""
        data = self.cleaned_data
        return SearchFilters(
            text=(data.get("q") or "").strip(),
            call=data.get("call"),
            year=data.get("year"),
            project_type=data.get("project_type") or "",
            first_review_body=data.get("first_review_body"),
            county=data.get("county"),
            state=data.get("state") or "",
            unit_type=data.get("unit_type"),
            industry=data.get("industry") or "",
            flags=tuple(data.get("flags") or ()),
            score_min=data.get("score_min"),
            score_max=data.get("score_max"),
            sort=data.get("sort") or DEFAULT_SORT,
        )

    def chosen_columns(self) -> tuple[str, ...]:
        chosen = set(self.cleaned_data.get("columns") or ())
        return tuple(key for key in COLUMNS if key in chosen) or DEFAULT_COLUMNS


class SaveViewForm(forms.Form):
    name = forms.CharField(label=_("视图名称"), max_length=60, widget=forms.TextInput(attrs={"class": "form-control"}))
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("文件格式"), choices=EXPORT_FORMATS, widget=forms.Select(attrs={"class": "form-select"})
    )
    export_columns = forms.MultipleChoiceField(
        label=_("导出的列"),
        choices=[(key, column.label) for key, column in COLUMNS.items()],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def chosen_columns(self) -> tuple[str, ...]:
        chosen = set(self.cleaned_data["export_columns"])
        return tuple(key for key in COLUMNS if key in chosen)
