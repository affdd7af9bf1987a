"""Organisation list and detail, both scoped by `selectors.visible_organisations_q` (another unit: 404)."""

import rules
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from shenbao.core.http import page_of

from .forms import OrganisationFilterForm
from .models import Organisation
from .selectors import get_first_review_body, get_visible_organisation, list_visible_organisations, search_organisations


@login_required
def organisation_list(request):
    form = OrganisationFilterForm(request.GET or None, user=request.user)
    organisations = list_visible_organisations(user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        organisations = search_organisations(
            queryset=organisations, query=data["q"], region=data["region"], kind=data["kind"]
        )
    organisations = organisations.select_related("region", "unit_type", "competent_department").order_by("name", "pk")
    page = page_of(request, organisations)
    return render(request, "organisations/organisation_list.html", {"form": form, "page_obj": page})


@login_required
def organisation_detail(request, public_id):
    try:
        organisation = get_visible_organisation(user=request.user, public_id=public_id)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    context = {
        "organisation": organisation,
        "first_review_body": get_first_review_body(unit=organisation) if organisation.is_applicant_unit else None,
        "can_manage_users": rules.has_perm("accounts.manage_users", request.user),
        "can_view_users": rules.has_perm("accounts.view_user_list", request.user),
        "show_contact_phone": rules.has_perm("organisations.view_contact_phone", request.user, organisation),
    }
    return render(request, "organisations/organisation_detail.html", context)
