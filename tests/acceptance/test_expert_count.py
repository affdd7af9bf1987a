"""评估验收 takes the call file's acceptance_experts_per_application, through the pages (logged in through the
log-in page, CSRF on): with m−1 experts the page says 「已指派 m−1 / 需 m 名」 and the result is refused; with m it is
confirmed."""

import pytest
from django.contrib.messages import get_messages

from shenbao.acceptance.models import AcceptanceEvaluation, ExpertReview
from shenbao.acceptance.reviews import submit_review
from tests.web import WebUser

from .builders import DECIDED_ON, accept_all_reports, apply_for_acceptance, full_marks

pytestmark = pytest.mark.django_db


@pytest.fixture
def station(make_designated):
    return make_designated()


@pytest.fixture
def applied(station, call_admin_user):
    application, user = station
    accept_all_reports(application, user, call_admin_user)
    return apply_for_acceptance(application, user)


def _submit_all(application, evaluation):
    for review in ExpertReview.objects.filter(evaluation=evaluation, submitted_at__isnull=True):
        submit_review(review=review, user=review.expert, scores=full_marks(application), opinion="同意")


def test_fewer_experts_than_the_call_asks_cannot_give_the_result(applied, station, experts, call_admin_user, password):
    application, _user = station
    needed = application.call.acceptance_experts_per_application
    assert len(experts) == needed == 5
    web = WebUser()
    web.log_in(call_admin_user.username, password)
    detail = f"/acceptance/evaluations/{applied.public_id}/"
    assert "已指派 0 / 需 5 名" in web.get(detail).content.decode()

    response = web.post(
        f"{detail}assign/", {"experts": [str(expert.public_id) for expert in experts[:-1]]}, form_url=detail
    )
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("已指派 4 / 需 5 名：还需指派 1 名专家" in text for text in texts)
    _submit_all(application, applied)
    page = web.get(detail).content.decode()
    assert "已指派 4 / 需 5 名" in page and "专家不足" in page
    decision = {"decided_on": DECIDED_ON.isoformat(), "conclusion": "验收合格。"}
    response = web.post(f"{detail}decide/", decision, form_url=detail)
    assert any("不少于5名" in str(message) for message in get_messages(response.wsgi_request))
    assert AcceptanceEvaluation.objects.get(pk=applied.pk).band == ""

    web.post(f"{detail}assign/", {"experts": [str(experts[-1].public_id)]}, form_url=detail)
    _submit_all(application, applied)
    page = web.get(detail).content.decode()
    assert "已指派 5 / 需 5 名" in page and "专家不足" not in page
    web.post(f"{detail}decide/", decision, form_url=detail)
    assert AcceptanceEvaluation.objects.get(pk=applied.pk).band == "excellent"
