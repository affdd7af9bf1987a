"""The review rows `grow` adds to a synthetic city, in bulk through the models (imported inside Django).

- the city's expert pool: users with the expert role, each with a profile in a county of the city;
- for every application past 资格初审, the reviewer's checklist and the first-review record of the decision its
  state implies (pass, return or reject), with the checklist snapshot the service would store;
- for every call and project type with applications in 专家评审 or later, a panel drawn from the pool and, for
  each such application, the call's number of experts with a score sheet (submitted, or a partial draft while the
  call is in 专家评审) and one entry per item of the selection rubric;
- the django-fsm-log state log of every application: the steps that lead to its state, as the workflow writes them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_fsm_log.models import StateLog

from shenbao.accounts.models import RoleGrant, User
from shenbao.applications.models import Application
from shenbao.calls.models import RubricItem
from shenbao.core.crypto import blind_index, encrypt_text
from shenbao.experts.models import Assignment, ExpertProfile, Panel, PanelMember
from shenbao.organisations.models import Organisation, Region
from shenbao.review.checklist import checklist_rows
from shenbao.review.models import Decision, FirstReviewChecklist, FirstReviewRecord
from shenbao.scoring.models import ScoreEntry, ScoreSheet

# The steps that lead from a draft to each state (`applications.workflow.TRANSITIONS`), one path per state.
_SCORED = ("submit", "first_review_pass", "recheck_pass")
PATHS: dict[str, tuple[str, ...]] = {
    "draft": (),
    "submitted": ("submit",),
    "withdrawn": ("submit", "withdraw"),
    "returned": ("submit", "return_for_revision"),
    "rejected": ("submit", "first_review_reject"),
    "recheck": ("submit", "first_review_pass"),
    "expert_review": _SCORED,
    "not_selected": (*_SCORED, "not_select"),
    "soliciting": (*_SCORED, "propose"),
    "in_notice": (*_SCORED, "propose", "publish_in_notice"),
    "objection_upheld": (*_SCORED, "propose", "publish_in_notice", "uphold_objection"),
    "awarded": (*_SCORED, "propose", "publish_in_notice", "award"),
    "revoked": (*_SCORED, "propose", "publish_in_notice", "award", "revoke"),
}
FIRST_REVIEW = {"first_review_pass": Decision.PASS, "return_for_revision": Decision.RETURN}
FIRST_REVIEW["first_review_reject"] = Decision.REJECT
# The state each step of a path leads to.
STATE_AFTER = {path: state for state, path in PATHS.items()}
PANEL_SIZE = 30
TITLES = ("高级工程师", "正高级工程师", "高级技师", "教授", "副教授")
SPECIALTIES = (["机械制造"], ["电工", "自动化"], ["焊接"], ["数控加工"], ["化工"], ["餐饮服务"], ["汽车维修"])


def add_expert_pool(*, city: Region, index: int, count: int, rng: random.Random, password: str) -> list[int]:
    """`count` experts of the city (users, role grants, profiles); returns their user ids."""
    counties = list(Region.objects.filter(parent=city, level=Region.Level.COUNTY).order_by("key"))
    units = list(
        Organisation.objects.filter(region__in=counties, kind=Organisation.Kind.APPLICANT_UNIT).order_by("pk")[:2000]
    )
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(
                username=f"bench{index:02d}_expert{number:05d}",
                full_name=f"基准专家{index:02d}{number:05d}",
                organisation=rng.choice(units),
                password=password,
                password_changed_at=now,
                is_active=True,
            )
            for number in range(1, count + 1)
        ],
        batch_size=2000,
    )
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role="expert") for user in users], batch_size=2000)
    profiles = []
    for number, user in enumerate(users, 1):
        phone = f"139{index:02d}{number:06d}"
        profiles.append(
            ExpertProfile(
                user=user,
                work_unit=user.organisation,
                region=rng.choice(counties),
                city=city,
                title=rng.choice(TITLES),
                specialties=rng.choice(SPECIALTIES),
                phone=encrypt_text(phone),
                phone_index=blind_index(phone),
            )
        )
    ExpertProfile.objects.bulk_create(profiles, batch_size=2000)
    return [user.pk for user in users]


def _later(moment: dt.datetime, rng: random.Random, days: tuple[int, int]) -> dt.datetime:
    return min(moment + dt.timedelta(days=rng.randint(*days), minutes=rng.randint(0, 600)), timezone.now())


def _checklists(applications: list[Application]) -> dict[int, tuple[dict, list]]:
    """{project type id: (the reviewer's items, the record's snapshot)}, from one application of each type."""
    templates: dict[int, tuple[dict, list]] = {}
    for application in applications:
        if application.project_type_id not in templates:
            codes = [row["code"] for row in checklist_rows(application=application, items={})]
            items = {code: {"judgement": "met", "note": ""} for code in codes}
            templates[application.project_type_id] = (items, checklist_rows(application=application, items=items))
    return templates


def add_review_rows(*, calls: list, experts: list[int], reviewers: dict[str, int], rng: random.Random, batch: int):
    """Checklists, first-review records, panels, sheets with entries and state logs of the calls' applications.

    `reviewers` holds the city's staff user ids by role (the first reviewer and the administrator act)."""
    counts: dict[str, int] = defaultdict(int)
    application_type = ContentType.objects.get_for_model(Application)
    for call in calls:
        applications = list(
            Application.objects.filter(call=call).exclude(submitted_at=None).select_related("call").order_by("pk")
        )
        templates = _checklists(applications)
        logs, checklists, records, scored = [], [], [], defaultdict(list)
        for application in applications:
            moment, path, source = application.submitted_at, PATHS[application.status], "draft"
            for position, step in enumerate(path):
                if step != "submit":
                    moment = _later(moment, rng, (2, 20))
                actor = application.created_by_id if step in ("submit", "withdraw") else reviewers["call_admin"]
                if step == "recheck_pass":
                    actor = reviewers["city_reviewer"]
                if step in FIRST_REVIEW:
                    actor = reviewers["county_reviewer"]
                    items, snapshot = templates[application.project_type_id]
                    checklists.append(
                        FirstReviewChecklist(
                            application=application, version_sequence=1, items=items, updated_by_id=actor
                        )
                    )
                    records.append(
                        FirstReviewRecord(
                            application=application,
                            version_sequence=1,
                            reviewer_id=actor,
                            organisation_id=application.first_review_body_id,
                            decision=FIRST_REVIEW[step],
                            checklist=snapshot,
                            recommendation="同意推荐。" if FIRST_REVIEW[step] == Decision.PASS else "",
                            comment="" if FIRST_REVIEW[step] == Decision.PASS else "申报材料不符合要求。",
                            at=moment,
                        )
                    )
                if step == "recheck_pass":
                    scored[application.project_type_id].append((application, moment))
                state = STATE_AFTER[path[: position + 1]]
                logs.append(
                    StateLog(
                        timestamp=moment,
                        by_id=actor,
                        source_state=source,
                        state=state,
                        transition=step,
                        content_type=application_type,
                        object_id=application.pk,
                    )
                )
                source = state
        StateLog.objects.bulk_create(logs, batch_size=batch)
        FirstReviewChecklist.objects.bulk_create(checklists, batch_size=batch)
        newest: set[int] = set()
        for record in reversed(records):  # an application's last record is its latest (one per application)
            record.is_latest = record.application_id not in newest
            newest.add(record.application_id)
        FirstReviewRecord.objects.bulk_create(records, batch_size=batch)
        counts["state_logs"] += len(logs)
        counts["first_review_records"] += len(records)
        for project_type_id, rows in scored.items():
            added = _add_scores(
                call=call,
                project_type_id=project_type_id,
                rows=rows,
                experts=experts,
                rng=rng,
                batch=batch,
                admin=reviewers["call_admin"],
            )
            for key, value in added.items():
                counts[key] += value
    return dict(counts)


def _add_scores(
    *, call, project_type_id: int, rows: list, experts: list[int], rng: random.Random, batch: int, admin: int
) -> dict[str, int]:
    """One panel of the pool for the type, the call's number of experts per application, their sheets and entries."""
    members = rng.sample(experts, min(PANEL_SIZE, len(experts)))
    panel = Panel.objects.create(
        call=call,
        project_type_id=project_type_id,
        name=f"基准专家组{call.slug}-{project_type_id}",
        chair_id=members[0],
        created_by_id=admin,
        experts_per_application=call.experts_per_application,
    )
    PanelMember.objects.bulk_create([PanelMember(panel=panel, expert_id=member) for member in members])
    items = list(RubricItem.objects.filter(project_type=project_type_id, rubric=RubricItem.Rubric.SELECTION))
    per_application = min(call.experts_per_application, len(members))
    assignments, sheets, entries = [], [], []
    for application, moment in rows:
        # In 专家评审 the experts are still at work: some sheets are drafts, partly filled.
        waiting = application.status == "expert_review"
        for expert in rng.sample(members, per_application):
            assignment = Assignment(
                panel=panel, application=application, expert_id=expert, assigned_at=moment, assigned_by_id=admin
            )
            assignments.append(assignment)
            submitted = not waiting or rng.random() < 0.6
            points = [_points(item, rng) for item in items] if submitted or rng.random() < 0.5 else []
            sheet = _sheet(assignment, items, points, submitted=submitted, at=_later(moment, rng, (1, 10)))
            sheets.append(sheet)
            entries.extend(
                ScoreEntry(sheet=sheet, rubric_item=item, points=value, comment="")
                for item, value in zip(items, points, strict=False)
            )
    # Each insert returns the keys, which the next one's rows take from the objects they point at.
    Assignment.objects.bulk_create(assignments, batch_size=batch)
    ScoreSheet.objects.bulk_create(sheets, batch_size=batch)
    ScoreEntry.objects.bulk_create(entries, batch_size=batch * 4)
    return {"panels": 1, "score_sheets": len(sheets), "score_entries": len(entries)}


def _points(item: RubricItem, rng: random.Random) -> Decimal:
    # Whole and half points between half and all of the item's maximum.
    halves = int(item.max_points * 2)
    return Decimal(rng.randint(halves // 2, halves)) / 2


def _sheet(assignment: Assignment, items: list, points: list, *, submitted: bool, at: dt.datetime) -> ScoreSheet:
    groups: dict[str, Decimal] = defaultdict(Decimal)
    for item, value in zip(items, points, strict=False):
        groups[item.group] += value
    total: Any = sum(groups.values(), Decimal(0)) if points else None
    return ScoreSheet(
        assignment=assignment,
        status=ScoreSheet.Status.SUBMITTED if submitted else ScoreSheet.Status.DRAFT,
        total=total,
        material_total=groups.get(RubricItem.Group.MATERIAL) if points else None,
        defence_total=groups.get(RubricItem.Group.DEFENCE) if points else None,
        revision=1,
        submitted_at=at if submitted else None,
    )
