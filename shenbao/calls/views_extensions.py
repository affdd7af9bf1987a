"""延期提交 pages of the call administrator (技能办): a call's extensions, granting one, revoking one.

The call is fetched with the administrator's city (`views_editor._call`'s rule): another city's call, and these
pages for any other role, answer 404. The writes are `extension_services`.
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from shenbao.core.forms import add_service_errors
from shenbao.core.http import error_messages, or_404, permission_required
from shenbao.core.widgets import bootstrap_widgets
from shenbao.organisations.selectors import find_organisation_by_credit_code

from . import extension_selectors, selectors
from .extension_services import grant_deadline_extension, revoke_deadline_extension
from .models import ExtensionReason
from .rules import get_admin_city

EDIT = "calls.edit_calls"


class GrantExtensionForm(forms.Form):
    credit_code = forms.CharField(
        label=gettext_lazy("申报单位统一社会信用代码"), max_length=18, min_length=18, strip=True
    )
    day = forms.DateField(label=gettext_lazy("延长至（日期）"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label=gettext_lazy("延长至（时间，北京时间）"),
        initial=dt.time(23, 59, 59),
        widget=forms.TimeInput(attrs={"type": "time", "step": 1}, format="%H:%M:%S"),
        help_text=gettext_lazy("该秒内提交仍视为按时，默认为当天23:59:59。"),
    )
    reason_kind = forms.ChoiceField(label=gettext_lazy("延期原因类别"), choices=ExtensionReason.choices)
    reason = forms.CharField(label=gettext_lazy("延期原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].upper()
        unit = find_organisation_by_credit_code(credit_code=code)
        if unit is None:
            raise forms.ValidationError(_("未找到该统一社会信用代码的单位。"))
        self.unit = unit
        return code

    def deadline(self) -> dt.datetime:
        """The chosen day and second in Beijing time (TIME_ZONE), as an aware instant."""
        chosen = dt.datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"])
        return timezone.make_aware(chosen)


class RevokeExtensionForm(forms.Form):
    comment = forms.CharField(label=gettext_lazy("撤销原因"), max_length=1000)


def _call(request, slug):
    return or_404(selectors.get_city_call, city=get_admin_city(request.user), slug=slug)


@permission_required(EDIT, hidden=True)
@require_http_methods(["GET", "HEAD", "POST"])
def extension_list(request, slug):
    call = _call(request, slug)
    form = GrantExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            extension = grant_deadline_extension(
                call=call,
                unit=form.unit,
                deadline=form.deadline(),
                reason_kind=form.cleaned_data["reason_kind"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
                request=request,
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已批准「%(name)s」延期提交，并已通知该单位。") % {"name": extension.unit.name})
            return redirect("calls:extension_list", slug=call.slug)
    context = {
        "call": call,
        "form": form,
        "extensions": extension_selectors.list_call_extensions(call=call),
    }
    # A refused form is answered 400, like the editor's other forms.
    return render(request, "calls/editor/extensions.html", context, status=400 if request.method == "POST" else 200)


@permission_required(EDIT, hidden=True)
@require_POST
def extension_revoke(request, slug, public_id):
    call = _call(request, slug)
    extension = or_404(extension_selectors.get_call_extension, call=call, public_id=public_id)
    form = RevokeExtensionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤销原因。"))
        return redirect("calls:extension_list", slug=call.slug)
    try:
        revoke_deadline_extension(
            extension=extension, actor=request.user, comment=form.cleaned_data["comment"], request=request
        )
    except (ValidationError, PermissionDenied) as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("已撤销「%(name)s」的延期提交，并已通知该单位。") % {"name": extension.unit.name})
    return redirect("calls:extension_list", slug=call.slug)
