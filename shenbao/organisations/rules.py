"""Permissions on organisations, declared once on top of the scoping rule in `selectors`."""

import rules

from .selectors import list_visible_organisations


@rules.predicate
def can_see_organisation(user, organisation):
    if organisation is None:
        return False
    return list_visible_organisations(user=user).filter(pk=organisation.pk).exists()


rules.add_perm("organisations.view_organisation", can_see_organisation)
