"""Demo data (演示数据) of the practice call (「演示」) after 授牌: the first designated unit reports every construction
year (accepted by the city) and passes 评估验收 with the demo experts; the second reports the first year only, so
the visitor sees a report waiting. Everything through the acceptance services at past times (their `at`), after
`awards.demo`; idempotent: a unit that already has a report is left alone.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from shenbao.accounts.selectors import get_user_by_username, list_users_named
from shenbao.applications.demo import minimal_pdf
from shenbao.applications.selectors import list_applications
from shenbao.applications.workflow import ApplicationStatus
from shenbao.calls.demo import beijing_day
from shenbao.calls.periods import construction_years
from shenbao.experts.demo import DEMO_EXPERTS

from . import evaluations, results, services
from .evidence import upload_evidence
from .models import ProgressReport
from .reviews import assign_experts, submit_review

ADMIN = "skills_admin"
# Shares of each acceptance item's maximum the experts give: a pass (合格 or better).
ACCEPTANCE_SHARE = Decimal("0.85")


def _pdf(name):
    return SimpleUploadedFile(name, minimal_pdf(name.rsplit(".", 1)[0]), "application/pdf")


def _at(day, hour=10):
    return beijing_day(day, hour)


def file_and_accept_report(*, application, user, admin, year, on):
    """`year`'s report, filled (every target met), with evidence, submitted and accepted on `on`."""
    report = services.start_report(application=application, year=year, user=user, at=_at(on, 9))
    progress = {
        target["key"]: {"achieved": target.get("planned") or None, "status": "completed", "note": "按计划完成"}
        for target in report.targets
    }
    report = services.save_report(
        report=report,
        user=user,
        progress=progress,
        fund_uses={line.category: (Decimal("10000.00"), Decimal("5000.00")) for line in report.fund_uses.all()},
        narrative=f"{year}年度按申报书确定的目标推进建设，各项任务按期完成。",
        expected_revision=report.revision,
    )
    upload_evidence(owner=report, uploaded_file=_pdf(f"report-{year}.pdf"), user=user)
    report = services.submit_report(report=report, user=user, at=_at(on, 11))
    return services.review_report(report=report, user=admin, decision="accept", at=_at(on, 15))


def _points(item, share, step):
    return (item.max_points * share / step).to_integral_value(rounding="ROUND_FLOOR") * step


def pass_acceptance(*, application, user, admin, experts, on):
    """Apply for 评估验收 on `on`, the experts score it, the administrator decides the next day (passed)."""
    items = evaluations.acceptance_rubric(application.project_type)
    step = application.project_type.score_step
    scores = {item.pk: _points(item, ACCEPTANCE_SHARE, step) for item in items}
    evaluation = evaluations.start_evaluation(application=application, user=user, at=_at(on, 9))
    evaluation = evaluations.save_self_evaluation(
        evaluation=evaluation,
        user=user,
        summary="建设期内完成了申报书确定的各项目标。",
        scores=scores,
        expected_revision=evaluation.revision,
    )
    upload_evidence(owner=evaluation, uploaded_file=_pdf("self-evaluation.pdf"), user=user)
    evaluation = evaluations.submit_evaluation(evaluation=evaluation, user=user, at=_at(on, 11))
    for review in assign_experts(evaluation=evaluation, experts=experts, actor=admin, at=_at(on, 14)):
        submit_review(review=review, user=review.expert, scores=scores, opinion="同意通过验收。", at=_at(on, 16))
    decided = on + datetime.timedelta(days=1)
    return results.decide_evaluation(
        evaluation=evaluation,
        actor=admin,
        decided_on=decided,
        conclusion="经专家评估，建设任务全部完成，同意通过验收。",
        at=_at(decided),
    )


@transaction.atomic
def seed_practice_acceptance(*, call, today):
    """Reports and acceptance of the practice call's designated units; returns a Chinese summary line."""
    admin = get_user_by_username(username=ADMIN)
    experts = list(list_users_named(usernames=DEMO_EXPERTS))
    designated = list(
        list_applications(call=call, statuses=(ApplicationStatus.AWARDED,))
        .select_related("project_type", "unit")
        .order_by("number")
    )
    if not designated or ProgressReport.objects.filter(application__call=call).exists():
        return "演示通知的建设进展报告已存在或尚无授牌单位，未新建。"
    end = designated[0].project_type.construction_end
    for index, application in enumerate(designated):
        user = application.unit.users.filter(username__startswith="applicant_").order_by("pk").first()
        years = construction_years(application.project_type)
        # The second unit has reported its first year only; the first reported every year and was accepted.
        for offset, year in enumerate(years if index == 0 else years[:1]):
            on = min(datetime.date(year, 12, 20), end) if year < today.year else end - datetime.timedelta(days=1)
            on = max(on, application.plaque.issued_on + datetime.timedelta(days=2 + offset))
            file_and_accept_report(application=application, user=user, admin=admin, year=year, on=on)
        if index == 0:
            pass_acceptance(application=application, user=user, admin=admin, experts=experts, on=end)
    return f"演示通知：{len(designated)}个授牌单位已报送建设进展报告，1个通过评估验收。"
