"""Permissions on organisations, declared once on top of the scoping rule in `selectors`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from .selectors import list_visible_organisations

if TYPE_CHECKING:
    from shenbao.accounts.rules import AnyUser

    from .models import Organisation


@rules.predicate
def can_see_organisation(user: AnyUser, organisation: Organisation | None) -> bool:
    if organisation is None:
        return False
    return list_visible_organisations(user=user).filter(pk=organisation.pk).exists()


rules.add_perm("organisations.view_organisation", can_see_organisation)


@rules.predicate
def can_see_contact_phone(user: AnyUser, organisation: Organisation | None) -> bool:
    """The unit's own staff see its contact phone in full; everyone else sees it masked (138****5678)."""
    return organisation is not None and user.is_authenticated and user.organisation_id == organisation.pk


rules.add_perm("organisations.view_contact_phone", can_see_contact_phone)
