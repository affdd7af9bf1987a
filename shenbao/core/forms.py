"""The archive search on the home page and the city portals (a GET form; nothing is written)."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
