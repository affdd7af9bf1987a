"""Inviting colleagues of one's unit (申报单位经办人 only; everyone else gets 404) and accepting an invitation."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from shenbao.audit.network import client_ip
from shenbao.core.forms import add_service_errors
from shenbao.core.http import page_of, require_permission

from . import invitations, invitations_selectors
from .invitations_forms import AcceptInvitationForm, InvitationForm
from .models import Invitation

# The link is shown once, on the page after the invitation was made; it is never stored.
SESSION_KEY = "shenbao:invitation_link"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def invite(request):
    require_permission(request.user, "accounts.invite_colleagues", hidden=True)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, token = invitations.create_invitation(
                invited_by=request.user, email=form.cleaned_data["email"], full_name=form.cleaned_data["full_name"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            link = invitations.invitation_link(token=token)
            invitations.send_invitation_email(invitation=invitation, link=link)
            request.session[SESSION_KEY] = {"link": link, "name": invitation.full_name, "email": invitation.email}
            messages.success(request, _("已向 %(email)s 发送邀请邮件。") % {"email": invitation.email})
            return redirect("accounts:invite")
    pending = invitations_selectors.list_open_invitations(user=request.user)
    page = page_of(request, pending)
    context = {
        "form": form,
        "page_obj": page,
        "new_link": request.session.pop(SESSION_KEY, None),
        "unit": request.user.organisation,
        "now": timezone.now(),
    }
    return render(request, "accounts/invite.html", context)


@login_required
@require_POST
def revoke_invitation(request, public_id):
    require_permission(request.user, "accounts.invite_colleagues", hidden=True)
    try:
        invitation = invitations_selectors.get_open_invitation(user=request.user, public_id=public_id)
    except Invitation.DoesNotExist as exc:
        raise Http404 from exc
    try:
        invitations.revoke_invitation(invitation=invitation, revoked_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已撤销对 %(name)s 的邀请。") % {"name": invitation.full_name})
    return redirect("accounts:invite")


@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    if request.user.is_authenticated:
        context = {"problem": _("您已登录。接受邀请将创建新的账号，请先退出登录后再打开邀请链接。")}
        return render(request, "accounts/accept_invitation.html", context, status=400)
    try:
        invitation = invitations.get_invitation_for_token(token=token)
    except ValidationError as exc:
        return render(request, "accounts/accept_invitation.html", {"problem": " ".join(exc.messages)}, status=400)
    form = AcceptInvitationForm(request.POST or None, initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = invitations.accept_invitation(
                token=token,
                username=data["username"],
                password=data["password1"],
                full_name=data["full_name"],
                phone=data["phone"],
                remote_addr=client_ip(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, field_map={"password": "password1", "roles": None, "organisation": None})
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("欢迎加入「%(unit)s」，账号已创建并登录。") % {"unit": invitation.organisation.name}
            )
            return redirect("core:dashboard")
    return render(request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation})
