"""Public unit registration (单位注册) and the live credit-code check it uses (URL names in `accounts`)."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from shenbao.audit.network import client_ip
from shenbao.core.forms import add_service_errors

from .credit_code import check_credit_code
from .registration import count_registration_attempt, describe_first_review_body
from .registration_forms import RegistrationForm
from .registration_pending import complete_registration, get_pending, submit_registration

# Service error keys that are named differently on the form.
FIELD_MAP = {"region": "location", "is_city_direct": "location", "password": "password1", "organisation": None}


def _pending_data(form):
    """The form's values as the registration keeps them until the e-mail is confirmed (model choices by key)."""
    data = form.cleaned_data
    department = data["competent_department"]
    return {
        "name": data["name"],
        "credit_code": data["credit_code"],
        "unit_type": data["unit_type"].pk,
        "region": data["location"]["region"].pk if data["location"]["region"] else None,
        "is_city_direct": data["location"]["is_city_direct"],
        "competent_department": department.pk if department else None,
        "legal_representative": data["legal_representative"],
        "contact_name": data["contact_name"],
        "contact_phone": data["contact_phone"],
        "contact_email": data["contact_email"],
        "address": data["address"],
        "username": data["username"],
        "full_name": data["full_name"],
        "email": data["email"],
        "phone": data["phone"],
    }


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        messages.info(request, _("您已登录。如需为另一个单位注册，请先退出登录。"))
        return redirect("core:dashboard")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        try:
            count_registration_attempt(remote_addr=client_ip(request))
        except ValidationError as exc:
            form.is_valid()  # keep what was typed on the page
            form.add_error(None, exc)
            return render(request, "accounts/register.html", {"form": form}, status=429)
        if form.is_valid():
            try:
                submit_registration(
                    data=_pending_data(form), password=form.cleaned_data["password1"], remote_addr=client_ip(request)
                )
            except ValidationError as exc:
                add_service_errors(form, exc, field_map=FIELD_MAP)
            else:
                # The same page whether the user name was free or taken (the address is told which).
                return render(request, "accounts/register_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/register.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def register_confirm(request, token):
    """The link of the confirmation e-mail: a button (a mail scanner's GET creates nothing), then the account."""
    try:
        pending = get_pending(token=token)
    except ValidationError as error:
        return render(request, "accounts/register_confirm.html", {"errors": error.messages}, status=400)
    if request.method != "POST":
        return render(request, "accounts/register_confirm.html", {"pending": pending})
    try:
        unit, user = complete_registration(token=token, remote_addr=client_ip(request))
    except ValidationError as error:
        return render(request, "accounts/register_confirm.html", {"errors": error.messages}, status=409)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    body = describe_first_review_body(unit=unit)
    if body:
        messages.success(request, _("单位注册成功，已为您登录。您的资格初审单位：%(body)s") % {"body": body})
    else:
        messages.warning(request, _("单位注册成功，已为您登录。系统尚未配置您的资格初审单位，请联系市人社局技能办。"))
    warning = check_credit_code(unit.credit_code).warning
    if warning:
        messages.warning(request, warning)
    return redirect("core:dashboard")


@require_safe
def check_credit_code_fragment(request):
    """htmx fragment: the code's error (blocks submission) or GB 11714 warning (does not). Format only: it never
    says whether a code is registered, so it cannot be used to probe the register."""
    raw = request.GET.get("credit_code", "")
    result = check_credit_code(raw) if raw.strip() else None
    return render(request, "accounts/_credit_code_check.html", {"result": result})
