"""Edit forms built from the section specs (`sections/spec.py`): a Form for a section's single fields and a
formset per table.

These forms render inputs and collect what was posted; they do not validate. Validation belongs to the domain
(`formdata.clean_section`, called by `services.save_section`), whose errors the forms then show beside the inputs.
Required fields are only marked: drafts may be partial, the submission checklist enforces required-ness.
身份证号码 are never sent back to the browser in clear: the input shows the masked number, and the domain keeps
the stored number when the mask comes back unchanged.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from shenbao.core.crypto import mask_id_number

from .formdata import display_value
from .sections.spec import Table, translate_spec

# Rows offered without JavaScript; with it, the "add row" button clones the formset's empty form instead.
BLANK_ROWS = 3


class MaskedIdNumberInput(forms.TextInput):
    """Never writes a clear 身份证号码 into the page, not even one just typed and sent back with an error."""

    def format_value(self, value):
        value = super().format_value(value)
        if value and "*" not in value and len(value) > 10:
            return mask_id_number(value.strip())
        return value


def _widget(field):
    kind = field.kind
    if kind == "textarea":
        return forms.Textarea(attrs={"rows": 4, "class": "form-control"})
    if kind in ("integer", "decimal"):
        step = "1" if kind == "integer" else f"{Decimal(1).scaleb(-field.decimal_places):f}"
        attrs = {"class": "form-control", "step": step, "inputmode": "decimal"}
        if kind == "integer":
            attrs["inputmode"] = "numeric"
        if field.min_value is not None:
            attrs["min"] = field.min_value
        return forms.NumberInput(attrs=attrs)
    if kind == "date":
        return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
    if kind == "month":
        return forms.TextInput(attrs={"type": "month", "class": "form-control", "placeholder": "1985-06"})
    if kind == "choice":
        choices = [(value, translate_spec(label)) for value, label in field.choices]
        return forms.Select(choices=[("", _("请选择")), *choices], attrs={"class": "form-select"})
    if kind == "boolean":
        return forms.CheckboxInput(attrs={"class": "form-check-input"})
    if kind == "id_number":
        return MaskedIdNumberInput(
            attrs={"class": "form-control", "autocomplete": "off", "spellcheck": "false", "maxlength": 18}
        )
    if kind == "phone":
        return forms.TextInput(attrs={"type": "tel", "class": "form-control", "autocomplete": "tel"})
    attrs = {"class": "form-control"}
    if field.max_length:
        attrs["maxlength"] = field.max_length
    return forms.TextInput(attrs=attrs)


def _form_field(field):
    form_field_class = forms.BooleanField if field.kind == "boolean" else forms.CharField
    form_field = form_field_class(
        # The spec keeps Chinese (gettext_noop); the form is built per request, in the reader's language.
        label=translate_spec(field.label),
        help_text=translate_spec(field.help_text),
        required=False,
        widget=_widget(field),
    )
    # Shown as a marker only; see the module docstring.
    form_field.spec_required = field.required or field.must_be_true
    form_field.kind = field.kind
    return form_field


class SpecForm(forms.Form):
    """A form whose errors come from the domain (`set_domain_errors`) instead of Django field validation."""

    use_required_attribute = False
    spec_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.domain_errors = {}

    def full_clean(self):
        self._errors = forms.utils.ErrorDict()
        self.cleaned_data = {}
        for name, messages in self.domain_errors.items():
            if name in self.fields:
                self._errors[name] = self.error_class(messages, renderer=self.renderer)
                css = self.fields[name].widget.attrs.get("class", "")
                self.fields[name].widget.attrs["class"] = f"{css} is-invalid".strip()
            else:
                self._errors.setdefault(forms.forms.NON_FIELD_ERRORS, self.error_class(renderer=self.renderer))
                self._errors[forms.forms.NON_FIELD_ERRORS].extend(messages)

    def set_domain_errors(self, errors):
        self.domain_errors = {name: _as_list(messages) for name, messages in (errors or {}).items()}
        self._errors = None

    def raw_values(self):
        """What was posted for each spec field (checkboxes as booleans, a missing input as "")."""
        values = {}
        for field in self.spec_fields:
            value = self[field.name].data
            values[field.name] = bool(value) if field.kind == "boolean" else ("" if value is None else value)
        return values

    def is_blank(self):
        """Nothing typed or ticked: a spare row of the formset, not a row of the table."""
        return all(value is False or not str(value).strip() for value in self.raw_values().values())


def _as_list(messages):
    if isinstance(messages, (list, tuple)):
        return [str(message) for message in messages]
    return [str(messages)]


def build_form_class(fields, *, name="SectionForm"):
    attrs = {field.name: _form_field(field) for field in fields}
    attrs["spec_fields"] = tuple(fields)
    return type(name, (SpecForm,), attrs)


def mask_for_display(field, value):
    """The value as the input shows it: 身份证号码 masked (posting the mask back keeps the stored number)."""
    if field.kind != "id_number" or not value:
        return value
    return display_value(field=field, value=value)


def _initial(fields, stored):
    return {field.name: mask_for_display(field, stored.get(field.name)) for field in fields if field.name in stored}


class SectionForms:
    """The single-field form and the table formsets of one section, bound or unbound."""

    def __init__(self, *, section, stored=None, data=None):
        self.section = section
        self.stored = stored or {}
        self.form = build_form_class(section.fields)(data=data, initial=_initial(section.fields, self.stored))
        self.tables = []
        for table in section.tables:
            rows = [row for row in self.stored.get(table.name) or [] if isinstance(row, dict)]
            formset_class = forms.formset_factory(
                build_form_class(table.columns, name="RowForm"),
                extra=BLANK_ROWS,
                can_delete=True,
                max_num=table.max_rows,
                absolute_max=table.max_rows + BLANK_ROWS,
            )
            formset = formset_class(
                data=data, prefix=table.name, initial=[_initial(table.columns, row) for row in rows]
            )
            self.tables.append(TableForms(table=table, formset=formset))

    @property
    def blocks(self):
        """("field", bound field) and ("table", TableForms) in the spec's display order."""
        tables = {table_forms.table.name: table_forms for table_forms in self.tables}
        return [
            ("table", tables[item.name]) if isinstance(item, Table) else ("field", self.form[item.name])
            for item in self.section.items
        ]

    def raw_data(self):
        """The section as `formdata.clean_section` takes it: raw values, tables as lists of row dicts."""
        data = self.form.raw_values()
        for table_forms in self.tables:
            data[table_forms.table.name] = table_forms.raw_rows()
        return data

    def set_domain_errors(self, errors):
        """Spread `clean_section`'s errors ("field", "table", "table.<row>.column") over the forms."""
        tables = {table_forms.table.name: table_forms for table_forms in self.tables}
        field_errors, table_errors = {}, {name: {} for name in tables}
        for key, message in (errors or {}).items():
            name, _dot, cell = str(key).partition(".")
            if name in tables:
                table_errors[name][cell] = message
            else:
                field_errors[key] = message
        self.form.set_domain_errors(field_errors)
        for name, table_forms in tables.items():
            table_forms.set_domain_errors(table_errors[name])

    @property
    def has_errors(self):
        return bool(self.form.errors) or any(table_forms.has_errors for table_forms in self.tables)

    def error_summary(self):
        """[(where, message)] for the autosave status, which cannot point at the inputs themselves."""
        summary = [
            (self.form.fields[name].label if name in self.form.fields else "", message)
            for name, messages in self.form.errors.items()
            for message in messages
        ]
        for table_forms in self.tables:
            summary.extend((translate_spec(table_forms.table.label), message) for message in table_forms.errors)
            for form in table_forms._sent_forms:
                row = table_forms.formset.forms.index(form) + 1
                for name, messages in form.errors.items():
                    where = _("%(table)s第%(row)s行 %(column)s") % {
                        "table": translate_spec(table_forms.table.label),
                        "row": row,
                        "column": form.fields[name].label if name in form.fields else "",
                    }
                    summary.extend((where, message) for message in messages)
        return summary


class TableForms:
    """One table's formset; rows sent to the domain are the non-deleted, non-blank forms, in page order."""

    def __init__(self, *, table, formset):
        self.table = table
        self.formset = formset
        self.errors = []  # messages about the table as a whole (too many rows …)
        self._sent_forms = []

    @property
    def columns(self):
        return self.table.columns

    def raw_rows(self):
        rows, self._sent_forms = [], []
        for form in self.formset.forms:
            if form["DELETE"].data or form.is_blank():
                continue
            rows.append(form.raw_values())
            self._sent_forms.append(form)
        return rows

    def set_domain_errors(self, errors):
        """`errors`: {"": table message, "<row>.<column>": cell message}, rows numbered as sent to the domain."""
        self.errors = []
        by_form = {}
        for cell, message in errors.items():
            row, _dot, column = cell.partition(".")
            if row.isdigit() and int(row) < len(self._sent_forms):
                by_form.setdefault(int(row), {})[column] = message
            else:
                self.errors.extend(_as_list(message))
        for index, form in enumerate(self._sent_forms):
            form.set_domain_errors(by_form.get(index, {}))

    @property
    def has_errors(self):
        return bool(self.errors) or any(form.errors for form in self._sent_forms)


class WithdrawForm(forms.Form):
    comment = forms.CharField(
        label=_("撤回原因（选填）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class StartApplicationForm(forms.Form):
    """Which project type to start; offered only those `list_startable_project_types` returns."""

    project_type = forms.ChoiceField(label=_("项目类别"), widget=forms.RadioSelect(attrs={"class": "form-check-input"}))

    def __init__(self, *args, project_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.project_types = {str(project_type.code): project_type for project_type in project_types}
        self.fields["project_type"].choices = [(code, pt.name) for code, pt in self.project_types.items()]

    def clean_project_type(self):
        return self.project_types[self.cleaned_data["project_type"]]


class CopyApplicationForm(forms.Form):
    """复制往年申报: which earlier application, into which project type of this call, and whether to overwrite."""

    source = forms.UUIDField()
    project_type = forms.CharField(max_length=48)
    overwrite = forms.BooleanField(required=False)


class TableImportForm(forms.Form):
    file = forms.FileField(label=_("Excel文件（.xlsx）"), help_text=_("请使用下载的模板填写。"))


class PaperReceiptForm(forms.Form):
    """四: a delivery of the paper copies as the 技能办 records it (`paper.record_paper_receipt` checks the values)."""

    received_on = forms.DateField(
        label=_("接收日期"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
    )
    receiver = forms.CharField(
        label=_("接收人"), max_length=64, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    copies = forms.IntegerField(
        label=_("份数"), min_value=1, max_value=20, widget=forms.NumberInput(attrs={"class": "form-control"})
    )
    note = forms.CharField(
        label=_("备注"), max_length=200, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class SignedScanForm(forms.Form):
    file = forms.FileField(
        label=_("签字盖章的申报书扫描件（PDF）"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".pdf,application/pdf"}),
    )
