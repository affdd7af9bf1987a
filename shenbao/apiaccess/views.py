"""The system administrator's pages for service accounts (list, create, revoke) and the API documentation page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from shenbao.core.forms import add_service_errors
from shenbao.core.http import or_404, page_of, permission_required

from . import selectors, services
from .forms import RevokeForm, ServiceAccountForm

MANAGE = "apiaccess.manage_service_accounts"


@require_safe
@permission_required(MANAGE, hidden=True)
def account_list(request):
    page = page_of(request, selectors.list_service_accounts())
    return render(request, "apiaccess/account_list.html", {"page_obj": page, "now": timezone.now()})


@never_cache  # the answer to a successful POST holds the key, shown this once
@require_http_methods(["GET", "POST"])
@permission_required(MANAGE, hidden=True)
def account_create(request):
    form = ServiceAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account, key = services.create_service_account(**form.cleaned_data, actor=request.user, request=request)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            return render(request, "apiaccess/account_created.html", {"account": account, "key": key})
    return render(request, "apiaccess/account_create.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE, hidden=True)
def account_revoke(request, public_id):
    account = or_404(selectors.get_service_account, public_id=public_id)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_service_account(
                account=account, actor=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已吊销服务账号：%(name)s") % {"name": account.name})
            return redirect("apiaccess:list")
    return render(request, "apiaccess/account_revoke.html", {"account": account, "form": form})


@require_safe
@permission_required("apiaccess.read_api_docs", hidden=True)
def api_docs(request):
    """Swagger UI from `static/vendor/swagger-ui/`, started by `static/js/api-docs.js` (no inline script: CSP)."""
    return render(request, "apiaccess/api_docs.html")
