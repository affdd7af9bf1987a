"""Helpers of the review tests (and of the later stages' tests): the complete checklist, and the real 初审 and 复核
steps fired in order."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shenbao.organisations.models import Organisation
from shenbao.review.seals import upload_first_review_seal
from shenbao.review.selectors import list_checklist_codes
from shenbao.review.services import decide_first_review, record_recheck_decision
from tests.applications.builders import IN_TIME
from tests.applications.material_files import pdf_bytes
from tests.exports.jobs import export_through_pages
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
    """A complete checklist: every applicable rule and every material judged 符合."""
    return {code: {"judgement": "met", "note": ""} for code in list_checklist_codes(application=application)}


def upload_seal(application, reviewer, name="初审意见.pdf"):
    """The first-review body's sealed opinion for the version under review, through the real upload pipeline."""
    return upload_first_review_seal(
        application=application, uploaded_file=SimpleUploadedFile(name, pdf_bytes()), user=reviewer
    )


def organisation(name):
    return Organisation.objects.get(name=name)


def staff(name, role):
    return UserFactory(organisation=organisation(name), roles=[role])


def pass_first_review(application, reviewer, at=AFTER):
    upload_seal(application, reviewer)
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


def summary_export(web, capture, call):
    """The page's 导出Excel: an export job for the call shown, built by the worker and downloaded."""
    url = f"{reverse('review:first_review_summary')}?call={call.slug}"
    return export_through_pages(web, capture, kind="review.summary", data={"call": call.slug}, form_url=url)


def queue_queries(client, url):
    """The queries of one page's GET (a 200), for the pins on a page's query count."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)
