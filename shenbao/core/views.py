"""Home page (首页, public) and the signed-in user's work overview (工作台)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from shenbao.calls.selectors import list_closed_calls, list_open_calls

from .selectors import build_dashboard

# Past calls grow by one a year per city; the home page shows the latest, the calls list has the rest.
HOME_CLOSED_CALLS = 5


@require_safe
def home(request):
    now = timezone.now()
    return render(
        request,
        "core/home.html",
        {
            "open_calls": list_open_calls(at=now),
            "closed_calls": list_closed_calls(at=now)[:HOME_CLOSED_CALLS],
        },
    )


@require_safe
@login_required
def dashboard(request):
    return render(request, "core/dashboard.html", {"dashboard": build_dashboard(user=request.user)})
