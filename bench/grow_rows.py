"""The rows `grow` adds, written in bulk through the models (imported inside Django; see `bench.grow`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from shenbao.accounts.models import RoleGrant, User
from shenbao.applications.models import Application, ApplicationVersion
from shenbao.applications.search_columns import search_columns_of
from shenbao.audit import chain
from shenbao.audit.events import Event
from shenbao.audit.models import AuditEntry
from shenbao.calls.services import save_call_document, validate_call_document
from shenbao.organisations.credit_code import build_credit_code
from shenbao.organisations.models import Organisation, Region, UnitType
from shenbao.organisations.reference import load_reference_data

from . import grow_review

Kind = Organisation.Kind
BEIJING = dt.timezone(dt.timedelta(hours=8))


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _template_form_data() -> dict[str, dict]:
    """The demo's complete form data per project type code (its ID numbers are encrypted already)."""
    data: dict[str, dict] = {}
    for application in Application.objects.exclude(form_data={}).order_by("pk").select_related("project_type"):
        data.setdefault(application.project_type.code, application.form_data)
    return data


def _add_units(*, city: Region, index: int, count: int, rng: random.Random, password: str) -> list[User]:
    counties = list(Region.objects.filter(parent=city, level=Region.Level.COUNTY).order_by("key"))
    unit_types = list(UnitType.objects.order_by("code"))
    units = [
        Organisation(
            kind=Kind.APPLICANT_UNIT,
            name=f"{city.name}{county.name}基准测试单位{number:05d}",
            unit_type=rng.choice(unit_types),
            region=county,
            credit_code=build_credit_code(
                authority="91", division=county.division_code, organisation_code=f"{index:02d}{number:06d}"
            ),
            contact_name="基准联系人",
            contact_phone="0000000",
        )
        for number in range(1, count + 1)
        for county in [counties[number % len(counties)]]
    ]
    Organisation.objects.bulk_create(units, batch_size=2000)
    now = timezone.now()
    users = [
        User(
            username=f"bench{index:02d}_{number:05d}",
            full_name=f"{unit.name}经办人",
            organisation=unit,
            password=password,
            password_changed_at=now,
            is_active=True,
        )
        for number, unit in enumerate(units, 1)
    ]
    User.objects.bulk_create(users, batch_size=2000)
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role="applicant") for user in users], batch_size=2000)
    return users


# The city's staff the bench signs in as at scale: role → the function of the body that holds it.
STAFF = {
    "call_admin": Organisation.Function.CITY_SKILLS_OFFICE,
    "city_reviewer": Organisation.Function.CITY_HR_BUREAU,
    "county_reviewer": Organisation.Function.COUNTY_HR_BUREAU,
}


def _add_staff(*, city: Region, index: int, password: str) -> dict[str, int]:
    """One user per staff role in the synthetic city's bodies (user names sort before the demo's): their ids."""
    now = timezone.now()
    staff = {}
    for role, function in STAFF.items():
        body = (
            Organisation.objects.filter(kind=Kind.GOVERNMENT, function=function)
            .filter(models.Q(region=city) | models.Q(region__parent=city))
            .order_by("region__key", "name")
            .first()
        )
        user = User.objects.create(
            username=f"bench{index:02d}_{role}",
            full_name=f"{body.name}基准测试人员",
            organisation=body,
            password=password,
            password_changed_at=now,
        )
        RoleGrant.objects.create(user=user, role=role)
        staff[role] = user.pk
    return staff


def _bureaus(city: Region) -> dict[int, Organisation]:
    """Each county's first-review body (its HR bureau), by region id."""
    bureaus = Organisation.objects.filter(
        kind=Kind.GOVERNMENT, function=Organisation.Function.COUNTY_HR_BUREAU, region__parent=city
    )
    return {bureau.region_id: bureau for bureau in bureaus}


def _add_applications(
    *, calls: list, users: list[User], per_type: int, large: int, rng: random.Random, states: dict, batch: int
) -> int:
    """Applications of every call and type; with `large`, the newest call has that many of each type."""
    template = _template_form_data()
    bureaus = _bureaus(calls[0].city)
    added = 0
    newest = max(calls, key=lambda call: call.year)
    now = timezone.now()
    for call in calls:
        weights = states["current"] if call.submission_deadline > timezone.now() else states["closed"]
        count = per_type
        if large and call == newest:
            weights, count = states["large"], large
        for type_index, project_type in enumerate(call.project_types.order_by("code"), 1):
            allowed = set(project_type.allowed_unit_types.values_list("pk", flat=True))
            candidates = [user for user in users if user.organisation.unit_type_id in allowed]
            chosen = rng.sample(candidates, min(count, len(candidates)))
            applications = []
            for number, user in enumerate(chosen, 1):
                status = _weighted(rng, weights)
                # Before the deadline, and never in the future (an open call's submissions came in until now).
                before = dt.timedelta(hours=rng.randint(1, 400))
                submitted = None if status == "draft" else min(call.submission_deadline, now) - before
                applications.append(
                    Application(
                        number=f"{call.application_number_prefix}-{type_index}{number:04d}",
                        call=call,
                        project_type=project_type,
                        unit=user.organisation,
                        first_review_body=bureaus.get(user.organisation.region_id),
                        status=status,
                        form_data=template.get(project_type.code, {}),
                        **search_columns_of(template.get(project_type.code)),  # as the services keep them
                        created_by=user,
                        submitted_at=submitted,
                    )
                )
            Application.objects.bulk_create(applications, batch_size=batch)
            ApplicationVersion.objects.bulk_create(
                [
                    ApplicationVersion(
                        application=application,
                        sequence=1,
                        form_data=application.form_data,
                        submitted_by=application.created_by,
                        submitted_at=application.submitted_at,
                    )
                    for application in applications
                    if application.submitted_at is not None
                ],
                batch_size=batch,
            )
            added += len(applications)
    return added


def add_city(
    *,
    reference_text: str,
    calls: list[dict],
    growth: Any,
    rng: random.Random,
    states: dict[str, dict[str, int]],
    batch: int,
) -> dict[str, int]:
    """One synthetic city: its reference data, its calls, units with applicants, their applications and the
    review rows (`grow_review`). The first city holds the large call (`Growth.large_call_applications_per_type`)."""
    with transaction.atomic():
        load_reference_data(text=reference_text)
        saved = []
        for document in calls:
            source = f"bench:{document['slug']}"
            raw = json.dumps(document, default=str, sort_keys=True).encode()
            saved.append(
                save_call_document(
                    spec=validate_call_document(data=document, source=source),
                    source=source,
                    sha256=hashlib.sha256(raw).hexdigest(),
                    read_attachment=lambda _spec: None,
                )
            )
        index = int(calls[0]["slug"].removeprefix("bench").split("-")[0])
        # The run's demo password (random per bench database), hashed once: the bench signs in as grown users too.
        password = make_password(settings.SHENBAO_DEMO_PASSWORD)
        first = index == 1
        units = max(growth.units_per_city, growth.large_city_units if first else 0)
        users = _add_units(city=saved[0].city, index=index, count=units, rng=rng, password=password)
        staff = _add_staff(city=saved[0].city, index=index, password=password)
        applications = _add_applications(
            calls=saved,
            users=users,
            per_type=growth.applications_per_call_type,
            large=growth.large_call_applications_per_type if first else 0,
            rng=rng,
            states=states,
            batch=batch,
        )
        experts = grow_review.add_expert_pool(
            city=saved[0].city, index=index, count=growth.experts_per_city, rng=rng, password=password
        )
        review = grow_review.add_review_rows(calls=saved, experts=experts, reviewers=staff, rng=rng, batch=batch)
    return {"calls": len(saved), "units": len(users), "applications": applications, "experts": len(experts), **review}


def add_audit_entries(*, count: int, rng: random.Random, batch: int) -> int:
    """Log-ins and submissions spread over the years before now, chained onto the head as the writer would."""
    users = list(User.objects.values_list("pk", "email"))
    application_type = ContentType.objects.get_for_model(Application)
    applications = list(Application.objects.exclude(submitted_at=None).values_list("pk", "number")[:50_000])
    start = timezone.now() - dt.timedelta(days=365 * 5)
    step = dt.timedelta(days=365 * 5) / max(count, 1)
    written = 0
    with transaction.atomic():
        chain.lock_chain("default")
        head = AuditEntry._base_manager.order_by("-sequence").values_list("sequence", "entry_hash").first()
        while written < count:
            entries = []
            for offset in range(min(batch, count - written)):
                actor, email = rng.choice(users)
                moment = start + step * (written + offset)
                fields: dict[str, Any] = {
                    "timestamp": moment,
                    "actor_id": actor,
                    "actor_email": email or None,
                    "remote_addr": f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                    "cid": "",
                    "result": AuditEntry.Result.SUCCESS,
                }
                if applications and rng.random() < 0.3:
                    pk, number = rng.choice(applications)
                    fields.update(
                        action=AuditEntry.Action.UPDATE,
                        event="workflow:submit",
                        content_type_id=application_type.pk,
                        object_pk=str(pk),
                        object_id=pk,
                        object_repr=number,
                        changes={"status": ["draft", "submitted"]},
                    )
                else:
                    fields.update(action=AuditEntry.Action.ACCESS, event=Event.LOGIN, object_pk="", object_repr="")
                entry = chain.link(AuditEntry(**fields), head=head)
                head = (entry.sequence, entry.entry_hash)
                entries.append(entry)
            # The chaining queryset refuses bulk inserts so that nothing skips `link`; these are linked above.
            models.QuerySet(AuditEntry).bulk_create(entries)
            written += len(entries)
    return written
