"""applications: list, start, detail, sections, submit, withdraw, versions, materials (申报书 pages of the unit),
复制往年申报 (the list of earlier applications, the copy report) and the Excel import of a table."""

from tests.permissions.common import sees, visible_but
from tests.permissions.dsl import APPLICANT, LOGGED_IN, OWN, allow, get, post

APPLICATION_KINDS = (
    "application.draft",
    "application.submitted",
    "application.recheck",
    "application.expert_review",
    "application.soliciting",
    "application.in_notice",
    "application.awarded",
)
FIRST_SECTION = "unit_profile"


def _section(application):
    return {"public_id": application.public_id, "key": FIRST_SECTION}


def _members_table(application):
    return {"public_id": application.public_id, "key": "members", "table": "members"}


def _status(application):
    return application.status


ENTRIES = [
    # Everyone logged in gets the list, scoped to what they may see (an expert or administrator: empty).
    get("applications:list", allow(LOGGED_IN)),
    get("applications:start", allow(APPLICANT), obj="call", kwargs=lambda call: {"call_slug": call.slug}),
    post(
        "applications:start",
        allow(APPLICANT),  # the form again: the unit already has its workstation application
        obj="call",
        kwargs=lambda call: {"call_slug": call.slug},
        data={"project_type": "workstation"},
    ),
    *[get("applications:detail", *sees(kind), obj=kind) for kind in APPLICATION_KINDS],
    # 复制往年申报: the unit's applicant only (its own earlier applications; the scenario's units have none).
    get("applications:copy", allow(APPLICANT), obj="call", kwargs=lambda call: {"call_slug": call.slug}),
    post(
        "applications:copy",
        allow(APPLICANT),
        obj="call",
        kwargs=lambda call: {"call_slug": call.slug},
        data={"project_type": "workstation"},
        note="allowed: the list again with the form's error (no earlier application chosen)",
    ),
    get("applications:copy_report", *sees("application.draft"), obj="application.draft"),
    get("applications:copy_report", *sees("application.submitted"), obj="application.submitted"),
    # The Excel template of a table (with its current rows, numbers masked): whoever sees the application.
    get("applications:table_xlsx", *sees("application.draft"), obj="application.draft", kwargs=_members_table),
    get("applications:table_xlsx", *sees("application.submitted"), obj="application.submitted", kwargs=_members_table),
    post(
        "applications:table_import",
        *sees("application.draft"),
        obj="application.draft",
        kwargs=_members_table,
        note="allowed: no file sent, the section page again with the error",
    ),
    post(
        "applications:table_import",
        *visible_but("application.submitted", 403),
        obj="application.submitted",
        kwargs=_members_table,
        note="seen but no longer editable: 403; not seen: 404",
    ),
    # A section: the unit edits its draft; everyone who sees a submitted application reads it.
    get("applications:section", *sees("application.draft"), obj="application.draft", kwargs=_section),
    get("applications:section", *sees("application.submitted"), obj="application.submitted", kwargs=_section),
    post(
        "applications:section",
        *sees("application.draft"),
        obj="application.draft",
        kwargs=_section,
        data=lambda application: {"expected_revision": application.revision},
        note="allowed: the section form shown again with its errors",
    ),
    post(
        "applications:section",
        *visible_but("application.submitted", 403),
        obj="application.submitted",
        kwargs=_section,
        data=lambda application: {"expected_revision": application.revision},
        note="seen but no longer editable: 403; not seen: 404",
    ),
    # Submit: the unit's applicant on its draft; on a submitted application everybody who sees it is sent back to
    # the status page ("nothing to submit").
    get("applications:submit", *sees("application.draft"), obj="application.draft"),
    get(
        "applications:submit",
        *visible_but("application.submitted", 302),
        obj="application.submitted",
    ),
    post("applications:submit", *sees("application.draft"), obj="application.draft", watch=_status),
    # Withdraw (撤回) from the status page: the unit's applicant only; the others who see it get 403.
    post(
        "applications:transition",
        *visible_but("application.submitted", 403),
        allow(APPLICANT, on=OWN, status=302),
        obj="application.submitted",
        kwargs=lambda application: {"public_id": application.public_id, "name": "withdraw"},
        variant="withdraw",
        watch=_status,
    ),
    post(
        "applications:transition",
        *visible_but("application.submitted", 404),
        obj="application.submitted",
        kwargs=lambda application: {"public_id": application.public_id, "name": "first_review_pass"},
        variant="first_review_pass",
        note="a transition that has no status-page form: 404 for everybody",
    ),
    get(
        "applications:version",
        *sees("application.submitted"),
        obj="application.submitted",
        kwargs=lambda application: {"public_id": application.public_id, "sequence": 1},
    ),
    get("applications:materials", *sees("application.draft"), obj="application.draft"),
    get("applications:materials", *sees("application.submitted"), obj="application.submitted"),
    post(
        "applications:materials",
        *sees("application.draft"),
        obj="application.draft",
        note="allowed: an upload without a file, shown again with its error",
    ),
    post(
        "applications:materials",
        *visible_but("application.submitted", 302),
        obj="application.submitted",
        data={"action": "remove"},
        note="seen but not editable: back to the page with a message, nothing removed",
    ),
    get(
        "applications:material_download",
        *sees("application.submitted"),
        obj="material",
        kwargs=lambda material: {"material_public_id": material.public_id},
    ),
    get(
        "applications:material_download",
        *sees("application.draft"),
        obj="material.draft",
        kwargs=lambda material: {"material_public_id": material.public_id},
    ),
]
