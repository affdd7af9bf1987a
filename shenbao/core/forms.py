"""Forms shared by every app: the archive search of the home page and the city portals (a GET form; nothing is
written), and the one way a service's refusal is shown on a form (`add_service_errors`)."""

from collections.abc import Mapping

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from .http import error_messages


class ArchiveSearchForm(forms.Form):
    """往期申报通知 by year, city (home page only) and text (title or designated unit's name)."""

    q = forms.CharField(label=_("标题或授牌单位名称"), max_length=100, required=False)
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    city = forms.ChoiceField(label=_("城市"), required=False)

    def __init__(self, data=None, *, years, cities=None):
        super().__init__(data)
        self.fields["year"].choices = [("", _("全部年度"))] + [(year, str(year)) for year in years]
        self.cities = {city.portal_slug: city for city in cities or ()}
        if cities is None:
            del self.fields["city"]
        else:
            self.fields["city"].choices = [("", _("全部城市"))] + [(slug, c.name) for slug, c in self.cities.items()]

    def criteria(self):
        """(city or None, year or None, text): an invalid value narrows nothing, like an empty one."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return self.cities.get(data.get("city") or ""), data.get("year"), data.get("q") or ""


def add_service_errors(
    form: forms.BaseForm,
    error: ValidationError | PermissionDenied,
    *,
    field_map: Mapping[str, str | None] | None = None,
) -> None:
    """A service's refusal on `form`: the one way every view shows it.

    A ValidationError keyed by field puts each message on that field (`field_map` renames a service's key to the
    form's field; a key the form does not have, or mapped to None, goes to the form's own errors); any other
    refusal (a plain ValidationError, a PermissionDenied for a refused action) goes to the form's own errors.
    """
    field_map = field_map or {}
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            target = field_map.get(name, name)
            for message in messages:
                form.add_error(target if target in form.fields else None, message)
        return
    for message in error_messages(error):
        form.add_error(None, message)
