"""Where a notification leads: the page on which its recipient does what it asks (the first review, the recheck,
the department's answer to its own opinion request …); the application's page when nothing is asked."""

from django.urls import reverse
from django.utils.module_loading import import_string

from .recipients import CALL_ADMIN, CITY_REVIEWERS, CONSULTED, FIRST_REVIEWER


def application_url(application):
    return reverse("applications:detail", kwargs={"public_id": application.public_id})


def first_review_url(application):
    return reverse("review:first_review", kwargs={"public_id": application.public_id})


def opinion_answer_url(public_id):
    return reverse("opinions:answer", kwargs={"public_id": public_id})


# The open opinion requests' ids by department (opinions decides), by dotted path and imported on use, so
# notifications does not depend on the stages that notify through it.
OPEN_REQUEST_IDS = "shenbao.opinions.selectors.map_open_request_ids"


def load_opinion_requests(*, application, audiences):
    """The open requests' ids by department, loaded only when a department is told (one query)."""
    if CONSULTED not in audiences:
        return {}
    return import_string(OPEN_REQUEST_IDS)(application=application)


def action_url(*, step, audience, application, user, opinion_requests):
    """The page where `user` (told as `audience` about `step`) acts on `application`."""
    public_id = application.public_id
    if audience == FIRST_REVIEWER and step.name in ("submit", "resubmit"):
        return first_review_url(application)
    if audience == CITY_REVIEWERS and step.name == "first_review_pass":
        return reverse("review:recheck", kwargs={"public_id": public_id})
    if audience == CONSULTED and user.organisation_id in opinion_requests:
        return opinion_answer_url(opinion_requests[user.organisation_id])
    if audience == CALL_ADMIN and step.name == "recheck_pass":
        return reverse("experts:panels")
    if audience == CALL_ADMIN and step.name == "hold_for_opinion":
        return reverse("opinions:progress")
    # The applicant revises a returned application from its status page, like every other step it is told of.
    return application_url(application)
