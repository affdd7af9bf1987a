"""Who may use the review pages. Declared once; views and services both ask these.

- `review.first_review` (user, application): the application's 资格初审 body's reviewer (same predicate as the
  workflow's first-review steps).
- `review.upload_seal` (user, application): that reviewer while the application waits for 资格初审 (the sealed
  opinion belongs to the decision still to be taken).
- `review.recheck` (user, application): a 市级复核人员 of the call's city whose organisation is one of the call's
  `recheck_bodies` (市委组织部 / 市人社局).
- `review.use_first_review` / `review.use_recheck` / `review.view_summary` (user): the pages themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from shenbao.accounts.roles import Role
from shenbao.accounts.rules import is_active_member
from shenbao.applications.rules import CITY_ROLES, FIRST_REVIEW_ROLES, city_reviewer, first_reviewer_of_application
from shenbao.applications.workflow import get_state_view

if TYPE_CHECKING:
    from shenbao.accounts.rules import AnyUser
    from shenbao.applications.models import Application


@rules.predicate
def is_first_reviewer(user: AnyUser) -> bool:
    return is_active_member(user) and bool(user.has_role(*FIRST_REVIEW_ROLES))


@rules.predicate
def is_city_reviewer(user: AnyUser) -> bool:
    return is_active_member(user) and bool(user.has_role(Role.CITY_REVIEWER))


@rules.predicate
def is_city_staff(user: AnyUser) -> bool:
    return is_active_member(user) and bool(user.has_role(*CITY_ROLES))


@rules.predicate
def waiting_for_first_review(user: AnyUser, application: Application | None) -> bool:
    return application is not None and get_state_view(application.status).in_first_review


@rules.predicate
def recheck_body_of_application(user: AnyUser, application: Application | None) -> bool:
    """The user's organisation is one of the bodies the call names for 资格复核."""
    if application is None or not user.is_authenticated or user.organisation is None:
        return False
    return user.organisation.function in application.call.recheck_bodies


rules.add_perm("review.use_first_review", is_first_reviewer)
rules.add_perm("review.use_recheck", is_city_reviewer)
rules.add_perm("review.view_summary", is_first_reviewer | is_city_staff)
rules.add_perm("review.first_review", first_reviewer_of_application)
rules.add_perm("review.upload_seal", first_reviewer_of_application & waiting_for_first_review)
rules.add_perm("review.recheck", city_reviewer & recheck_body_of_application)
