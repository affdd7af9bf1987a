"""Checks on the data (issue 13): 四 paper copies recorded by the 技能办, the unit's signed scan of the 申报书, and the
first-review body's sealed opinion (its upload and its download)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from shenbao.applications.paper import upload_signed_scan
from shenbao.review.models import FirstReviewSeal
from tests.applications.material_files import pdf_bytes
from tests.permissions.common import COUNTY_SCOPE, sees, visible_but
from tests.permissions.dsl import ADMIN, APPLICANT, CITY_DIRECT, COUNTY, DEPARTMENT, OWN, allow, get, post


def _count_receipts(application):
    return application.paper_receipts.count()


def _count_scans(application):
    return application.signed_scans.count()


def _count_seals(application):
    return application.first_review_seals.count()


def build(scenario):
    submitted = scenario.kinds["application.submitted"]
    scans = {
        relation: upload_signed_scan(
            application=application,
            uploaded_file=SimpleUploadedFile("申报书签字盖章.pdf", pdf_bytes()),
            user=application.applicant,
        )
        for relation, application in submitted.objects.items()
    }
    scenario.add("signed_scan", users={APPLICANT: submitted.users[APPLICANT]}, **scans)
    recheck = scenario.kinds["application.recheck"]
    seals = {  # uploaded by the first reviewer before the pass that brought each one to 资格复核
        relation: FirstReviewSeal.objects.filter(application=application).first()
        for relation, application in recheck.objects.items()
    }
    scenario.add("first_review_seal", users={APPLICANT: recheck.users[APPLICANT]}, **seals)


ENTRIES = [
    # The 技能办 records deliveries of an application it sees and that is receiving; every other viewer: 403.
    post(
        "applications:paper_receipt",
        *visible_but("application.submitted", 403, allow(ADMIN, status=302)),
        obj="application.submitted",
        watch=_count_receipts,
        note="the administrator: an empty form, back to the status page with the errors, nothing recorded",
    ),
    post("applications:paper_receipt", *visible_but("application.draft", 403), obj="application.draft"),
    post(
        "applications:paper_receipt",
        *visible_but("application.awarded", 403),
        obj="application.awarded",
        watch=_count_receipts,
        note="after the proposed list the administrator records no more deliveries (applications.paper)",
    ),
    # The unit's applicant uploads the signed scan from the draft until the first review decides.
    post(
        "applications:signed_scan_upload",
        *visible_but("application.draft", 403, allow(APPLICANT, on=OWN, status=302)),
        obj="application.draft",
        watch=_count_scans,
        note="the applicant: no file chosen, back to the status page with the message",
    ),
    post(
        "applications:signed_scan_upload",
        *visible_but("application.submitted", 403, allow(APPLICANT, on=OWN, status=302)),
        obj="application.submitted",
        watch=_count_scans,
    ),
    post(
        "applications:signed_scan_upload",
        *visible_but("application.recheck", 403),
        obj="application.recheck",
        watch=_count_scans,
        note="after 资格初审 passed the judged scan is not replaced",
    ),
    get(
        "applications:signed_scan_download",
        *sees("application.submitted"),
        obj="signed_scan",
        kwargs=lambda scan: {"scan_public_id": scan.public_id},
    ),
    # The first-review body's sealed opinion: only that body, only while the application waits for 资格初审.
    post(
        "review:first_review_seal",
        allow(COUNTY, on=COUNTY_SCOPE, status=302),
        allow(DEPARTMENT, on=CITY_DIRECT, status=302),
        obj="application.submitted",
        watch=_count_seals,
        note="no file chosen: back to the checklist with the message",
    ),
    post(
        "review:first_review_seal",
        allow(COUNTY, on=COUNTY_SCOPE, status=403),
        obj="application.recheck",
        watch=_count_seals,
        note="decided: the page is the body's, the upload is refused",
    ),
    get(
        "review:seal_download",
        *sees("application.recheck"),
        obj="first_review_seal",
        kwargs=lambda seal: {"seal_public_id": seal.public_id},
    ),
]
