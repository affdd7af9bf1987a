"""`{% service_url "service_guide" portal_city %}`: a service hall page, under the city's portal when the page
belongs to one (the header, the tiles and the breadcrumbs keep a citizen inside the city's portal)."""

from django import template
from django.urls import reverse

register = template.Library()

NOTICES = "notices"  # the 公示 list: the notices app's page, or the portal's own for a city


@register.simple_tag
def service_url(name, portal_city=None):
    slug = getattr(portal_city, "portal_slug", None)
    if name == NOTICES:
        if slug:
            return reverse("core:city_service_notices", kwargs={"slug": slug})
        return reverse("notices:public_list")
    if slug:
        return reverse(f"core:city_{name}", kwargs={"slug": slug})
    return reverse(f"core:{name}")
