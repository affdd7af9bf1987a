"""Demo data of the expert scoring (演示数据): score sheets for the demo assignments made by `experts.demo`, so the
administrator's ranking page shows real numbers. Runs after `seed_experts`; idempotent, like the rest of
`seed_demo`: an assignment that already has a sheet (the demo's own, or one a visitor typed) is left alone.

Every sheet is submitted through the scoring services, except `DRAFT_EXPERT`'s sheet on the `DRAFT_TYPE`
application, which stays a partly filled draft for a visitor logging in as that expert to finish and submit.
Points are fixed fractions of each item's maximum (whole steps of the project type), so reruns and tests see
the same numbers.
"""

from decimal import ROUND_FLOOR, Decimal

from django.db import transaction

from shenbao.applications.workflow import ApplicationStatus
from shenbao.calls.selectors import find_call
from shenbao.experts.selectors import list_active_assignments_of

from .selectors import list_rubric_items
from .services import save_sheet_draft, submit_sheet

DEMO_CALL = "jincheng-2022"
DRAFT_EXPERT = "expert1"
DRAFT_TYPE = "training_base"
# The share of each item's maximum the first expert gives the first application; later ones a little less,
# so the experts differ and the applications rank apart.
BASE_SHARE = Decimal("0.92")
SHARE_PER_APPLICATION = Decimal("0.05")
SHARE_PER_EXPERT = Decimal("0.03")
OPINION = "申报材料齐全，建设基础和培养计划较好，同意推荐。"


def _points(item, share, step):
    return ((item.max_points * share) / step).to_integral_value(rounding=ROUND_FLOOR) * step


def demo_scores(items, share, step):
    return {item.code: {"points": str(_points(item, share, step)), "comment": ""} for item in items}


def _assignments(call):
    return list(
        list_active_assignments_of(call=call)
        .filter(application__status=ApplicationStatus.EXPERT_REVIEW)
        .select_related("application__project_type", "expert", "score_sheet")
        .order_by("application__number", "expert__username", "pk")
    )


@transaction.atomic
def seed_scores():
    """Fill the demo score sheets; returns a Chinese summary line."""
    call = find_call(slug=DEMO_CALL)
    if call is None:
        return "未找到演示申报通知，跳过演示评分。"
    assignments = _assignments(call)
    applications = list(dict.fromkeys(assignment.application_id for assignment in assignments))
    experts = sorted({assignment.expert.username for assignment in assignments})
    rubrics = {}
    submitted = drafts = 0
    for assignment in assignments:
        if getattr(assignment, "score_sheet", None) is not None:
            continue
        project_type = assignment.application.project_type
        if project_type.pk not in rubrics:
            rubrics[project_type.pk] = list(list_rubric_items(project_type=project_type))
        items = rubrics[project_type.pk]
        share = (
            BASE_SHARE
            - SHARE_PER_APPLICATION * applications.index(assignment.application_id)
            - SHARE_PER_EXPERT * experts.index(assignment.expert.username)
        )
        scores = demo_scores(items, share, project_type.score_step)
        if assignment.expert.username == DRAFT_EXPERT and project_type.code == DRAFT_TYPE:
            # Half the items scored: the visitor sees a kept draft and what is still missing.
            half = dict(list(scores.items())[: len(scores) // 2])
            save_sheet_draft(assignment=assignment, expert=assignment.expert, scores=half)
            drafts += 1
        else:
            submit_sheet(assignment=assignment, expert=assignment.expert, scores=scores, overall_opinion=OPINION)
            submitted += 1
    return f"演示评分表：本次提交{submitted}份，保留草稿{drafts}份。"
