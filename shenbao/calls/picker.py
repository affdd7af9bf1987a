"""The one call / project-type picker of the call administrator's pages (panels, ranking, proposed list, 授牌).

A page about "one of my city's calls, and one of its project types" reads `?call=<slug>&type=<code>` (a POST's
fields first) through `pick_call`, and shows the choice with `CallPickerForm` (calls/_call_picker.html). The
rule is the platform's (docs/SECURITY.md): a user without the page's permission is refused (403); a call that is
not one of the user's city's published calls, or a type that is not one of the call's, answers 404 like any
object outside the user's scope. Without `call` the city's latest published call is meant, without `type` the
call's first project type.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from shenbao.accounts.roles import Role
from shenbao.accounts.rules import AnyUser, get_city_of_user
from shenbao.core.http import require_permission

from .models import Call, ProjectType
from .selectors import list_published_calls_of_city


def list_administered_calls(*, user: AnyUser) -> QuerySet[Call]:
    """The published calls of the city `user` administers (as call administrator), newest first."""
    return list_published_calls_of_city(city=get_city_of_user(user, role=Role.CALL_ADMIN))


def get_administered_call(*, user: AnyUser, slug: str | None = None) -> Call:
    """The call by slug, or the latest, of the city `user` administers; Call.DoesNotExist (→ 404) otherwise."""
    calls = list_administered_calls(user=user).select_related("city")
    if slug:
        calls = calls.filter(slug=slug)
    call = calls.first()
    if call is None:
        raise Call.DoesNotExist
    return call


def list_call_project_types(call: Call) -> QuerySet[ProjectType]:
    return call.project_types.order_by("sort_order", "pk")


@dataclass(frozen=True)
class CallPick:
    """What the picker chose, with the lists the page offers."""

    call: Call
    calls: QuerySet[Call]  # read only where a page offers the choice of call (CallPickerForm)
    project_types: list[ProjectType]
    project_type: ProjectType | None

    @property
    def query(self) -> str:
        """`call=…&type=…` for the page's links and exports."""
        params = {"call": self.call.slug}
        if self.project_type is not None:
            params["type"] = self.project_type.code
        return urlencode(params)


class CallPickerForm(forms.Form):
    """The choice of call (and project type) as a GET form; it only shows the choice, `pick_call` decides."""

    def __init__(self, pick: CallPick) -> None:
        initial = {"call": pick.call.slug, "type": pick.project_type.code if pick.project_type else ""}
        super().__init__(initial=initial)
        self.fields["call"] = forms.ChoiceField(
            label=_("申报通知"),
            required=False,
            choices=[(call.slug, call.title) for call in pick.calls],
            widget=forms.Select(attrs={"class": "form-select"}),
        )
        if pick.project_type is not None:
            self.fields["type"] = forms.ChoiceField(
                label=_("项目类别"),
                required=False,
                choices=[(item.code, item.name) for item in pick.project_types],
                widget=forms.Select(attrs={"class": "form-select"}),
            )


def pick_call(
    request: HttpRequest,
    *,
    permission: str = "calls.edit_calls",
    with_type: bool = False,
    list_types: Callable[[Call], Iterable[ProjectType]] = list_call_project_types,
) -> CallPick:
    """The call (and, `with_type`, the project type) the request is about; see the module's rule.

    `permission` is the page's (403 without it); `list_types` lists the call's types (an annotated queryset where
    the page shows counts).
    """
    require_permission(request.user, permission)

    def param(name: str) -> str | None:
        # A form posts its choice as fields, or to the page's own URL, which carries it in the query string.
        return request.POST.get(name) or request.GET.get(name)

    try:
        call = get_administered_call(user=request.user, slug=param("call"))
    except Call.DoesNotExist:
        raise Http404 from None
    calls = list_administered_calls(user=request.user)
    if not with_type:
        return CallPick(call=call, calls=calls, project_types=[], project_type=None)
    project_types = list(list_types(call))
    code = param("type")
    project_type = next((item for item in project_types if item.code == code), None) if code else None
    if (code and project_type is None) or not project_types:
        raise Http404
    return CallPick(call=call, calls=calls, project_types=project_types, project_type=project_type or project_types[0])
