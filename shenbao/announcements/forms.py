"""Forms of the announcement pages: the draft, an attachment, a workflow step with its comment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shenbao.core.widgets import bootstrap_widgets

from .models import Announcement
from .services import ATTACHMENT_RULE


class AnnouncementForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=Announcement.Kind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("纯文本，空行分段；不支持 HTML。"),
    )
    call = forms.ModelChoiceField(label=_("相关申报通知"), queryset=None, required=False, empty_label=_("（无）"))

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls
        bootstrap_widgets(self)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件文件"), help_text=ATTACHMENT_RULE.formats)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ATTACHMENT_RULE.accept
        bootstrap_widgets(self)


class StepForm(forms.Form):
    step = forms.ChoiceField(choices=[(name, name) for name in ("submit", "return", "publish", "withdraw")])
    comment = forms.CharField(label=_("意见"), required=False, max_length=2000, widget=forms.Textarea)
