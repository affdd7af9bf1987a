from django import forms
from django.utils.translation import gettext_lazy as _


class VerificationForm(forms.Form):
    code = forms.CharField(
        label=_("核验码"),
        max_length=32,
        help_text=_("文书封面上的12位核验码，不区分大小写。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
