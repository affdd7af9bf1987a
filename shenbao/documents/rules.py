"""Who may have a failed document of a submitted version rendered again: the staff handling the application (its
first reviewer, the city's reviewers, the call's administrator). Everyone else who sees the application reads
that it failed; seeing it at all is `applications.view_application`, checked by the view first (404 otherwise)."""

import rules

from shenbao.applications.rules import call_admin, city_reviewer, first_reviewer_of_application

rules.add_perm("documents.retry_rendering", first_reviewer_of_application | city_reviewer | call_admin)
