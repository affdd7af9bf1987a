"""The deadline rush's data, inside Django (`python -m bench.rush_data prepare N <dir>` / `check <step> <file>`).

`prepare` makes, through the product's services (units, users, 申报 started, every section saved, every required
material uploaded), N applicant units each with one complete draft on the demo's practice call (「演示」, open
now), spread over the call city's counties whose first-review body has a county reviewer; and one reviewer of
the bench per such body (a county reviewer with a known TOTP key). Nothing names a city or a year: the call is the
open practice call; its city's bodies and a demo unit whose demo content fills one of its forms give the rest.

`check` counts, per application, the state-log rows and audit entries of one step (submission or the
first-review pass): each must be exactly one, and the application must be in the step's target state.
"""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path

# The rush users' names (never a demo user's: those are applicant_/county_/dept_<slug>).
APPLICANT_PREFIX = "rush_applicant_"
REVIEWER_PREFIX = "rush_reviewer_"
# The first-review step the rush times (a pass: every checklist item 符合, the 推荐意见 and the sealed scan).
PASS_STEP = "first_review_pass"
SUBMIT_STEP = "submit"
RECOMMENDATION = "经核查，符合申报条件，材料真实完整，同意推荐。"
# Each person's 身份证号码 is unique per unit: the sequence (its sex digit kept) and the day of birth vary, the day
# from FIRST_DAY on (the demo's own people are born on the 10th to the 15th, and they are in the call too).
SEQUENCE_SLOTS = 450
FIRST_DAY = 20
BIRTH_DAYS = 9


def _open_practice_call():
    from django.utils import timezone

    from shenbao.calls.demo import PRACTICE_SLUG_PREFIX
    from shenbao.calls.models import Call

    call = (
        Call.objects.filter(slug__startswith=PRACTICE_SLUG_PREFIX, submission_deadline__gt=timezone.now())
        .order_by("-submission_deadline")
        .first()
    )
    if call is None:
        raise SystemExit("The rush needs the demo's practice call open for submission (seed_demo makes it).")
    return call


def _template(call):
    """A demo unit of `call`'s city with demo content (`applications.demo.CONTENT`; its applicant is
    applicant_<key>) and the project type of `call` whose form that content fills: (unit, project type, key)."""
    from shenbao.accounts.models import User
    from shenbao.applications.demo import CONTENT
    from shenbao.applications.sections import get_form_spec

    forms = {
        project_type: {section.key for section in get_form_spec(project_type).sections}
        for project_type in call.project_types.order_by("pk")
    }
    applicants = User.objects.filter(username__startswith="applicant_", organisation__region__parent=call.city)
    for user in applicants.select_related("organisation__unit_type").order_by("username"):
        key = user.username.removeprefix("applicant_")
        if key not in CONTENT:
            continue
        sections = set(CONTENT[key]())
        for project_type, keys in forms.items():
            if sections == keys:
                return user.organisation, project_type, key
    raise SystemExit(f"No demo unit of {call.city} has demo content for a project type of {call.slug}.")


def _bodies(call):
    """The first-review bodies of the call city's counties that have an active county reviewer."""
    from django.db.models import Q

    from shenbao.accounts.roles import Role
    from shenbao.organisations.models import Organisation

    return list(
        Organisation.objects.filter(
            kind=Organisation.Kind.GOVERNMENT,
            function=Organisation.Function.COUNTY_HR_BUREAU,
            is_active=True,
            users__is_active=True,
            users__role_grants__role=Role.COUNTY_REVIEWER,
        )
        .filter(Q(region__parent=call.city) | Q(region=call.city))
        .select_related("region")
        .distinct()
        .order_by("region__key", "pk")
    )


def _unique_persons(data, index):
    """`data` with every 身份证号码 (key "id_number") made unique to the unit numbered `index`."""
    from shenbao.applications.demo_forms import make_id_number

    if isinstance(data, list):
        return [_unique_persons(item, index) for item in data]
    if not isinstance(data, dict):
        return data
    result = {key: _unique_persons(value, index) for key, value in data.items()}
    number = result.get("id_number")
    if isinstance(number, str) and len(number) == 18:
        if index >= SEQUENCE_SLOTS * BIRTH_DAYS:
            raise SystemExit(f"The rush makes at most {SEQUENCE_SLOTS * BIRTH_DAYS} distinct units.")
        sex = int(number[16]) % 2
        sequence = 2 * (index % SEQUENCE_SLOTS + 1) + sex
        day = FIRST_DAY + index // SEQUENCE_SLOTS
        result["id_number"] = make_id_number(region=number[:6], birth=f"{number[6:12]}{day:02d}", sequence=sequence)
    return result


def _reviewer(body, index, password_hash):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from shenbao.accounts.roles import Role
    from shenbao.accounts.services import create_user

    user = create_user(
        username=f"{REVIEWER_PREFIX}{index:03d}",
        full_name=f"{body.name}初审员（基准测试）",
        organisation=body,
        password=None,
        password_hash=password_hash,
        roles=[Role.COUNTY_REVIEWER],
    )
    key = secrets.token_hex(20)
    TOTPDevice.objects.create(user=user, name="bench", confirmed=True, key=key)
    return user, key


def _unit(call, body, index, template, password_hash):
    """A unit like `template` (a demo unit) in `body`'s county, and its applicant."""
    from shenbao.accounts.roles import Role
    from shenbao.accounts.services import create_user
    from shenbao.organisations.credit_code import build_credit_code
    from shenbao.organisations.services import create_applicant_unit

    region = body.region
    # A development zone has no division code of its own: its city's, as the demo's units do.
    division = region.division_code or region.parent.division_code
    unit = create_applicant_unit(
        name=f"{region.name}冲刺测试单位{index:05d}",
        credit_code=build_credit_code(
            authority=template.credit_code[:2], division=division, organisation_code=f"R{index:07d}"
        ),
        unit_type=template.unit_type,
        region=region,
        legal_representative="基准测试",
        contact_name="基准测试",
        contact_phone="0000000",
        address=f"{call.city.name}{region.name}",
    )
    user = create_user(
        username=f"{APPLICANT_PREFIX}{index:05d}",
        full_name=f"{unit.name}经办人",
        organisation=unit,
        password=None,
        password_hash=password_hash,
        roles=[Role.APPLICANT],
    )
    return unit, user


def prepare(*, count: int, out_dir: Path, password: str) -> dict:
    """The rush's units, users (signing in with `password`) and complete drafts; returns what the clients need
    (and writes the sealed scan the reviewers upload into `out_dir`)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from shenbao.applications.demo import CONTENT, _fill, _upload_required, minimal_pdf, on_call
    from shenbao.applications.services import start_application

    call = _open_practice_call()
    template_unit, project_type, key = _template(call)
    bodies = _bodies(call)
    if not bodies:
        raise SystemExit(f"No county of {call.city} has a first-review body with a county reviewer.")
    password_hash = make_password(password)
    reviewers = {}
    applications = []
    with transaction.atomic():
        reviewer_of = {}
        for number, body in enumerate(bodies, 1):
            user, totp_key = _reviewer(body, number, password_hash)
            reviewer_of[body.pk] = user.username
            reviewers[user.username] = totp_key
        for index in range(1, count + 1):
            body = bodies[index % len(bodies)]
            unit, user = _unit(call, body, index, template_unit, password_hash)
            application = start_application(call=call, project_type=project_type, unit=unit, user=user)
            sections = _unique_persons(on_call(CONTENT[key](), project_type), index)
            application = _fill(application, user, sections)
            _upload_required(application, user)
            applications.append(
                {"id": str(application.public_id), "applicant": user.username, "reviewer": reviewer_of[body.pk]}
            )
    seal = out_dir / "rush-seal.pdf"
    seal.write_bytes(minimal_pdf("first review seal"))
    return {
        "call": call.slug,
        "counties": len(bodies),
        "applications": applications,
        "reviewers": reviewers,
        "seal": str(seal),
        "recommendation": RECOMMENDATION,
        "submit_step": SUBMIT_STEP,
        "pass_step": PASS_STEP,
    }


def check(*, step: str, public_ids: list[str]) -> dict:
    """Per application: state-log rows and audit entries of `step`, and whether it is in the step's target."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count
    from django_fsm_log.models import StateLog

    from shenbao.applications.models import Application
    from shenbao.applications.workflow import MACHINE
    from shenbao.audit.models import AuditEntry

    transition = MACHINE.transition(step)
    applications = dict(Application.objects.filter(public_id__in=public_ids).values_list("pk", "status"))
    content_type = ContentType.objects.get_for_model(Application)
    logs = dict(
        StateLog.objects.filter(content_type=content_type, object_id__in=applications, transition=step)
        .values_list("object_id")
        .annotate(count=Count("pk"))
    )
    audited = dict(
        AuditEntry.objects.filter(
            content_type=content_type, object_id__in=applications, event=MACHINE.event_of(transition)
        )
        .values_list("object_id")
        .annotate(count=Count("pk"))
    )
    counts = {
        "logged": [logs.get(pk, 0) for pk in applications],
        "audited": [audited.get(pk, 0) for pk in applications],
    }
    return {
        "applications": len(public_ids),
        "found": len(applications),
        "in_target_state": sum(status == transition.target for status in applications.values()),
        "lost": len(public_ids) - len(applications) + sum(1 for count in counts["logged"] if count == 0),
        "doubled": sum(1 for count in counts["logged"] if count > 1),
        "audit_entries": sum(counts["audited"]),
        "audit_mismatch": sum(1 for count in counts["audited"] if count != 1),
    }


if __name__ == "__main__":
    import os

    import django

    django.setup()
    match sys.argv[1:]:
        case ["prepare", count, out_dir]:
            # The bench's password, which `seed_demo` gave the demo users too.
            password = os.environ["SHENBAO_DEMO_PASSWORD"]
            print(json.dumps(prepare(count=int(count), out_dir=Path(out_dir), password=password)))
        case ["check", step, listing]:
            print(json.dumps(check(step=step, public_ids=json.loads(Path(listing).read_text()))))
        case _:
            raise SystemExit("usage: python -m bench.rush_data prepare N DIR | check STEP FILE")
