"""Who runs the award (授牌) and who may download the designation document and a plaque certificate."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from shenbao.applications.rules import applicant_of_unit, call_admin
from shenbao.calls.rules import administers_call

if TYPE_CHECKING:
    from shenbao.accounts.rules import AnyUser

    from .models import Designation, Plaque


@rules.predicate
def administers_designation_call(user: AnyUser, designation: Designation | None) -> bool:
    return designation is not None and administers_call(user, designation.call)


@rules.predicate
def unit_named_in_designation(user: AnyUser, designation: Designation | None) -> bool:
    """An applicant whose unit holds a plaque of the designation (the document names it)."""
    if designation is None or not user.is_authenticated or not user.organisation_id:
        return False
    plaque = designation.plaques.filter(application__unit=user.organisation_id).select_related("application").first()
    return plaque is not None and bool(applicant_of_unit(user, plaque.application))


@rules.predicate
def may_see_plaque(user: AnyUser, plaque: Plaque | None) -> bool:
    return plaque is not None and bool(
        call_admin(user, plaque.application) or applicant_of_unit(user, plaque.application)
    )


rules.add_perm("awards.view_designation", administers_designation_call | unit_named_in_designation)
rules.add_perm("awards.view_plaque", may_see_plaque)
