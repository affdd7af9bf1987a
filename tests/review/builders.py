"""Helpers of the review tests (and of the later stages' tests): the complete checklist, and the real 初审 and 复核
steps fired in order."""

import datetime

from shenbao.organisations.models import Organisation
from shenbao.review.services import decide_first_review, record_recheck_decision
from tests.applications.builders import IN_TIME
from tests.factories import UserFactory

AFTER = IN_TIME + datetime.timedelta(days=1)
DUE = "2022-12-20"
WORKSTATION_RULES = (
    "base-level",
    "qualified-members",
    "talent-systems",
    "cooperation",
    "operation-support",
    "advanced-facilities",
)


def all_met(application):
    """A complete checklist: every rule judged 符合."""
    return {result["code"]: {"judgement": "met", "note": ""} for result in application.eligibility}


def organisation(name):
    return Organisation.objects.get(name=name)


def staff(name, role):
    return UserFactory(organisation=organisation(name), roles=[role])


def pass_first_review(application, reviewer, at=AFTER):
    return decide_first_review(
        application=application,
        user=reviewer,
        decision="pass",
        items=all_met(application),
        recommendation="同意推荐。",
        at=at,
    )


def pass_recheck(application, *reviewers, at=AFTER):
    for reviewer in reviewers:
        application = record_recheck_decision(
            application=application, user=reviewer, decision="pass", comment="同意。", at=at
        )
    return application
