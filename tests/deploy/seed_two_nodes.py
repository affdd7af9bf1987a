"""The data of the two-node test (tests/deploy/test_two_nodes.py), written through the project's own services.

Run as `python -m tests.deploy.seed_two_nodes` with the cluster's environment and the dev profile (the production
profile refuses demo log-ins), after `migrate`, `load_reference_data` and `load_call`: the demo units and log-ins
(`accounts.demo.seed_demo`), a call open today (the loaded call copied by the call editor and published, not marked
as practice, so the production nodes list it), one unit's draft in it, and the audit administrator's enrolled
second factor (production asks every role but the applicant for one). Prints what the test needs as JSON.
"""

import json
import secrets

import django

django.setup()

from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from shenbao.accounts.demo import seed_demo  # noqa: E402
from shenbao.accounts.models import User  # noqa: E402
from shenbao.applications.services import start_application  # noqa: E402
from shenbao.calls.editing import copy_call, publish_call, save_call_changes  # noqa: E402
from shenbao.calls.exports import export_call_document  # noqa: E402
from shenbao.calls.models import Call  # noqa: E402

SOURCE_CALL = "jincheng-2022"
APPLICANT = "applicant_qinshui"
AUDITOR = "auditadmin"
CALL_ADMIN = "skills_admin"


def open_call(*, actor: User) -> Call:
    """The loaded call copied for today by the call editor (dates relative to today), then made a real call."""
    source = Call.objects.get(slug=SOURCE_CALL)
    today = timezone.localdate()
    call = copy_call(
        source=source,
        slug=f"two-nodes-{today.year}",
        year=today.year,
        application_number_prefix=f"TN{today.year}",
        actor=actor,
        practice_on=today,
    )
    document = export_call_document(call)
    document.update(practice=False, title=source.title)
    call, _summary = save_call_changes(call=call, document=document, actor=actor)
    return publish_call(call=call, actor=actor)


def main() -> None:
    password = secrets.token_urlsafe(12) + "#Aa1"
    seed_demo(password=password)
    call = open_call(actor=User.objects.get(username=CALL_ADMIN))
    applicant = User.objects.select_related("organisation").get(username=APPLICANT)
    unit = applicant.organisation
    project_type = next(
        pt for pt in call.project_types.order_by("id") if pt.allowed_unit_types.filter(pk=unit.unit_type_id).exists()
    )
    application = start_application(call=call, project_type=project_type, unit=unit, user=applicant)
    requirement = (
        project_type.materials.filter(generated=False, accepted_formats__contains=["pdf"]).order_by("id").first()
    )
    key = secrets.token_hex(20)
    TOTPDevice.objects.create(user=User.objects.get(username=AUDITOR), name="two-nodes", key=key, confirmed=True)
    print(
        json.dumps(
            {
                "password": password,
                "applicant": APPLICANT,
                "auditor": AUDITOR,
                "totp_key": key,
                "application": str(application.public_id),
                "requirement": requirement.code,
            }
        )
    )


if __name__ == "__main__":
    main()
