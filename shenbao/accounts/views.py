"""Log-in, password and profile pages, and user administration for the system administrator.

User administration answers 404 (not 403) to everyone else, so its existence is not advertised.
"""

import rules
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shenbao.core.brand import platform_brand
from shenbao.core.forms import add_service_errors
from shenbao.core.http import or_404, page_of, require_permission
from shenbao.organisations.selectors import get_visible_organisation, list_visible_organisations, search_organisations

from . import activation, forms, selectors, services
from . import email_change as email_change_services
from .roles import EXCLUSIVE_ROLES, Role


class PlatformBrandMixin:
    """Django's auth views put `site_name` (the request's host, via get_current_site) into the page and the reset
    mail; the platform is named by configuration instead, so no host ever reads as the brand."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **platform_brand()}

    @property
    def extra_email_context(self):
        return platform_brand()


class LoginView(PlatformBrandMixin, auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = forms.LoginForm
    redirect_authenticated_user = True


class LogoutView(PlatformBrandMixin, auth_views.LogoutView):
    pass


class PasswordChangeView(PlatformBrandMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    form_class = forms.BootstrapPasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_password_change(user=form.user, request=self.request)
        return response


class PasswordChangeDoneView(PlatformBrandMixin, auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(PlatformBrandMixin, auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = forms.BootstrapPasswordResetForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(PlatformBrandMixin, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(PlatformBrandMixin, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = forms.BootstrapSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_user(self, uidb64):
        """The link names the user by public id (`BootstrapPasswordResetForm.send_mail`), never the integer key."""
        return selectors.find_active_user(public_id=uidb64)

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_password_change(user=form.user, request=self.request, via="reset")
        return response


class PasswordResetCompleteView(PlatformBrandMixin, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def profile(request):
    user = request.user
    role_labels = [Role(role).label for role in sorted(user.roles)]
    context = {
        "profile_user": user,
        "role_labels": role_labels,
        "can_invite": rules.has_perm("accounts.invite_colleagues", user),
        "email_form": forms.EmailChangeForm(),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def email_change(request):
    form = forms.EmailChangeForm(request.POST)
    if form.is_valid():
        try:
            sent_to = email_change_services.request_email_change(
                user=request.user, new_email=form.cleaned_data["email"], request=request
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("确认链接已发送到 %(address)s，确认后新邮箱生效。") % {"address": sent_to})
    else:
        messages.error(request, _("请填写有效的电子邮箱。"))
    return redirect("accounts:profile")


@require_http_methods(["GET", "HEAD", "POST"])
def email_change_confirm(request, token):
    try:
        user, old_email, new_email = email_change_services.read_token(token)
    except ValidationError as error:
        return render(request, "accounts/email_change_confirm.html", {"error": error.messages[0]}, status=400)
    if request.method == "POST":
        try:
            email_change_services.confirm_email_change(token=token, request=request)
        except ValidationError as error:
            return render(request, "accounts/email_change_confirm.html", {"error": error.messages[0]}, status=400)
        return render(request, "accounts/email_change_confirm.html", {"done": True, "new_email": new_email})
    context = {"target": user, "old_email": old_email, "new_email": new_email}
    return render(request, "accounts/email_change_confirm.html", context)


@login_required
def user_list(request):
    require_permission(request.user, "accounts.view_user_list", hidden=True)
    form = forms.UserFilterForm(request.GET or None)
    filters = {"user": request.user}
    organisation = None
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "user": request.user,
            "query": data["q"],
            "role": data["role"],
            "organisation_public_id": data["organisation"],
            "not_activated": data["status"] == "not_activated",
        }
        if data["organisation"]:
            organisation = _visible_organisation(request.user, data["organisation"])
    page = page_of(request, selectors.list_users(**filters))
    context = {
        "form": form,
        "page_obj": page,
        "filter_organisation": organisation,
        "can_manage": rules.has_perm("accounts.manage_users", request.user),
    }
    return render(request, "accounts/user_list.html", context)


def _visible_organisation(user, public_id):
    """The organisation `user` may see named by `public_id`, or None (malformed, unknown or outside the scope)."""
    try:
        return get_visible_organisation(user=user, public_id=public_id)
    except (ObjectDoesNotExist, ValidationError):
        return None


def _pick_organisations(user, query):
    """At most 20 organisations `user` may see matching a name or credit-code search (never the whole table)."""
    if not query:
        return []
    found = search_organisations(queryset=list_visible_organisations(user=user), query=query)
    return list(found.select_related("region").order_by("name")[:20])


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request):
    require_permission(request.user, "accounts.manage_users", hidden=True)
    public_id = request.GET.get("organisation")
    organisation = None
    if public_id:
        organisation = _visible_organisation(request.user, public_id)
    if organisation is None:
        pick = forms.OrganisationPickForm(request.GET or None)
        query = pick.cleaned_data["q"].strip() if pick.is_valid() else ""
        context = {"pick_form": pick, "results": _pick_organisations(request.user, query), "query": query}
        return render(request, "accounts/user_create.html", context)

    form = forms.UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "username": data["username"],
            "full_name": data["full_name"],
            "organisation": organisation,
            "roles": [Role(role) for role in data["roles"]],
            "granted_by": request.user,
            "email": data["email"],
            "phone": data["phone"],
        }
        try:
            if data["password1"]:
                user = services.create_user(password=data["password1"], **fields)
            else:
                # No initial password: the person sets one through the activation link (e-mail / SMS).
                user, _activation = activation.create_user_with_activation(request=request, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc, field_map={"password": "password1", "organisation": None})
        else:
            if data["password1"]:
                messages.success(request, _("已创建用户 %(username)s。") % {"username": user.username})
            else:
                messages.success(
                    request, _("已创建用户 %(username)s，并已发送激活链接。") % {"username": user.username}
                )
            return redirect("accounts:user_roles", public_id=user.public_id)
    return render(request, "accounts/user_create.html", {"form": form, "organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def user_roles(request, public_id):
    require_permission(request.user, "accounts.manage_users", hidden=True)
    target = or_404(selectors.get_visible_user, user=request.user, public_id=public_id)
    form = forms.RoleChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        role = Role(form.cleaned_data["role"])
        try:
            if form.cleaned_data["action"] == "grant":
                services.grant_role(user=target, role=role, granted_by=request.user)
                messages.success(request, _("已授予角色：%(role)s。") % {"role": role.label})
            else:
                services.revoke_role(user=target, role=role, revoked_by=request.user)
                messages.success(request, _("已撤销角色：%(role)s。") % {"role": role.label})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(reverse("accounts:user_roles", kwargs={"public_id": target.public_id}))
    grants = selectors.list_role_grants(user=target)
    held = {grant.role for grant in grants}
    # The administrator roles change only through the two-person page (accounts:admin_roles).
    grantable = [(value, label) for value, label in Role.choices if value not in held and value not in EXCLUSIVE_ROLES]
    rows = [(grant, grant.role in EXCLUSIVE_ROLES) for grant in grants]
    context = {"target": target, "grants": rows, "grantable": grantable, "form": form}
    return render(request, "accounts/user_roles.html", context)
