"""The experts' acceptance score sheets (验收评分表): their list and one sheet beside the unit's self-evaluation,
evidence and progress reports. An expert sees only its own sheets, never the other experts' scores."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from shenbao.accounts.roles import Role
from shenbao.core.http import or_404, page_of

from . import evaluations, reviews, selectors
from .forms import ScoreSheetForm
from .models import Rectification
from .views import flash_errors, require_role


@login_required
@require_safe
def expert_reviews(request):
    require_role(request.user, Role.EXPERT)
    page = page_of(request, selectors.list_own_reviews(user=request.user))
    return render(request, "acceptance/expert_reviews.html", {"page_obj": page})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_sheet(request, public_id):
    review = or_404(selectors.get_own_review, user=request.user, public_id=public_id)
    evaluation = review.evaluation
    application = evaluation.application
    project_type = application.project_type
    can_score = request.user.has_perm("acceptance.score_review", review)
    form = ScoreSheetForm(
        request.POST if can_score and request.method == "POST" else None,
        items=evaluations.acceptance_rubric(project_type),
        step=project_type.score_step,
        scores={score.rubric_item_id: score.points for score in review.scores.all()},
        revision=review.revision,
        text_field="opinion",
        text_label=_("专家意见"),
        text_initial=review.opinion,
    )
    if request.method == "POST":
        if not can_score:
            messages.error(request, _("该评分表已提交或已不在评分阶段，不能再修改。"))
            return redirect("acceptance:review_sheet", public_id=review.public_id)
        if form.is_valid():
            try:
                if request.POST.get("action") == "submit":
                    reviews.submit_review(
                        review=review, user=request.user, scores=form.scores(), opinion=form.text(), request=request
                    )
                    messages.success(request, _("评分表已提交。提交后不能再修改。"))
                else:
                    reviews.save_review(
                        review=review,
                        user=request.user,
                        scores=form.scores(),
                        opinion=form.text(),
                        expected_revision=form.cleaned_data["revision"],
                        request=request,
                    )
                    messages.success(request, _("已保存。"))
            except ValidationError as error:
                flash_errors(request, error)
            return redirect("acceptance:review_sheet", public_id=review.public_id)
    context = {
        "review": review,
        "evaluation": evaluation,
        "application": application,
        "form": form,
        "can_score": can_score,
        "self_scores": selectors.list_self_scores(evaluation=evaluation),
        "evidence_files": list(selectors.list_evidence(evaluation=evaluation)),
        "reports": list(selectors.list_reports_for_expert(user=request.user, application=application)),
        "rectification": Rectification.objects.filter(
            application=application, status=Rectification.Status.SUBMITTED
        ).first(),
    }
    return render(request, "acceptance/review_sheet.html", context)
