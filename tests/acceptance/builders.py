"""Builders of the acceptance tests (also used by the permission matrix's `entries/acceptance.py`).

`designate` is a shortcut: a complete application written through the application services, put straight into
已授牌 and given its plaque by the award step's own effect (so the funding app can open its record) — many designated
units cheaply, where the real chain (tests/awards) is not the point. The other helpers file and accept the yearly
reports, apply for acceptance and score it, all through the acceptance services.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from shenbao.acceptance import evaluations, results, services
from shenbao.acceptance.evidence import upload_evidence
from shenbao.acceptance.models import AcceptanceEvaluation
from shenbao.acceptance.reviews import assign_experts, submit_review
from shenbao.applications.models import Application
from shenbao.applications.services import start_application
from shenbao.awards.effects import issue_plaque
from shenbao.calls.models import RubricItem
from shenbao.calls.periods import construction_years
from tests.applications.builders import IN_TIME, fill_sections, training_base_sections, workstation_sections

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
# Within the construction period (2023-01-01 … 2024-12-31) and after it, Beijing time.
IN_2023 = datetime.datetime(2023, 6, 1, 10, 0, tzinfo=BEIJING)
AFTER_NOTICE = datetime.datetime(2022, 12, 17, 9, 0, tzinfo=BEIJING)
AFTER_PERIOD = datetime.datetime(2025, 2, 10, 10, 0, tzinfo=BEIJING)
DECIDED_ON = datetime.date(2025, 3, 20)
AFTER_DECISION = datetime.datetime(2025, 3, 20, 15, 0, tzinfo=BEIJING)
YEARS = (2023, 2024)


def pdf_upload(name="佐证材料.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n", "application/pdf")


def reload_evaluation(evaluation):
    return AcceptanceEvaluation.objects.get(pk=evaluation.pk)


def designate(*, call, unit, user, project_type_code="workstation", at=IN_TIME):
    """`unit`'s application of that project type, complete, in 已授牌 with a plaque (see the module docstring)."""
    project_type = call.project_types.get(code=project_type_code)
    application = start_application(call=call, project_type=project_type, unit=unit, user=user, at=at)
    years = construction_years(project_type)
    sections = (
        workstation_sections(years=years) if project_type_code == "workstation" else training_base_sections(years=years)
    )
    fill_sections(application=application, user=user, sections=sections)
    return put_into_awarded(application, user)


def put_into_awarded(application, user, *, at=AFTER_NOTICE):
    """`application` in 已授牌 with its plaque (the shortcut of `designate`, see the module docstring)."""
    Application.objects.filter(pk=application.pk).update(status="awarded")
    application = Application.objects.select_related("project_type", "call", "unit").get(pk=application.pk)
    with transaction.atomic():  # an effect of the award step, which runs it inside its own transaction
        issue_plaque(application=application, actor=user, payload=None, at=at)
    return application


def file_report(application, user, year, *, submit=True):
    """Start, fill (every target met, some spending), attach evidence and (by default) submit `year`'s report."""
    at = datetime.datetime(year, 6, 1, 10, 0, tzinfo=BEIJING)
    report = services.start_report(application=application, year=year, user=user, at=at)
    progress = {
        target["key"]: {"achieved": target.get("planned") or None, "status": "completed", "note": "按计划完成"}
        for target in report.targets
    }
    report = services.save_report(
        report=report,
        user=user,
        progress=progress,
        fund_uses={line.category: (Decimal("10000.00"), Decimal("5000.50")) for line in report.fund_uses.all()},
        narrative=f"{year}年度按申报书确定的目标推进建设。",
        expected_revision=report.revision,
    )
    upload_evidence(owner=report, uploaded_file=pdf_upload(f"{year}年度佐证.pdf"), user=user)
    if submit:
        report = services.submit_report(report=report, user=user, at=at)
    return report


def accept_all_reports(application, user, admin):
    for year in YEARS:
        report = file_report(application, user, year)
        at = datetime.datetime(year, 7, 1, 10, 0, tzinfo=BEIJING)
        services.review_report(report=report, user=admin, decision="accept", at=at)


def rubric(application):
    return list(
        RubricItem.objects.filter(project_type=application.project_type, rubric="acceptance").order_by("sort_order")
    )


def full_marks(application):
    return {item.pk: item.max_points for item in rubric(application)}


def apply_for_acceptance(application, user, *, at=AFTER_PERIOD, scores=None):
    evaluation = evaluations.start_evaluation(application=application, user=user, at=at)
    evaluation = evaluations.save_self_evaluation(
        evaluation=evaluation,
        user=user,
        summary="建设期内完成了申报书确定的各项目标。",
        scores=scores or full_marks(application),
        expected_revision=evaluation.revision,
    )
    upload_evidence(owner=evaluation, uploaded_file=pdf_upload("自评佐证.pdf"), user=user)
    return evaluations.submit_evaluation(evaluation=evaluation, user=user, at=at)


def scores_with_total(application, total):
    """Points per item (each a multiple of 0.5) summing to `total`, taken off the largest items first."""
    items = rubric(application)
    scores = {item.pk: item.max_points for item in items}
    missing = Decimal("100") - Decimal(total)
    for item in sorted(items, key=lambda item: -item.max_points):
        cut = min(missing, item.max_points)
        scores[item.pk] -= cut
        missing -= cut
    return scores


def score_and_decide(
    evaluation, experts, admin, scores, *, decided_on=DECIDED_ON, conclusion="经专家评审，形成验收结论。"
):
    """Assign `experts`, each submits `scores` (one dict for all, or a list per expert), the admin decides."""
    reviews = assign_experts(evaluation=evaluation, experts=experts, actor=admin, at=AFTER_PERIOD)
    per_expert = scores if isinstance(scores, list) else [scores] * len(reviews)
    for review, points in zip(reviews, per_expert, strict=True):
        submit_review(review=review, user=review.expert, scores=points, opinion="同意。", at=AFTER_PERIOD)
    return results.decide_evaluation(
        evaluation=evaluation, actor=admin, decided_on=decided_on, conclusion=conclusion, at=AFTER_DECISION
    )
