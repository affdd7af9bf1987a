"""Form widgets in the house style, for every app's forms."""

from django import forms


def bootstrap_widgets(form: forms.BaseForm) -> None:
    """Give every widget Bootstrap's classes (no inline styles: the CSP forbids them)."""
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            continue
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
