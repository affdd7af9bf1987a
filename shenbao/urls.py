from django.urls import include, path

from shenbao.api import api, api_v1
from shenbao.apiaccess.views import api_docs

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("shenbao.accounts.urls")),
    path("organisations/", include("shenbao.organisations.urls")),
    path("calls/", include("shenbao.calls.urls")),
    path("audit/", include("shenbao.audit.urls")),
    path("security/", include("shenbao.security.urls")),
    path("applications/", include("shenbao.applications.urls")),
    path("documents/", include("shenbao.documents.urls")),
    path("verify/", include("shenbao.documents.verify_urls")),
    path("review/", include("shenbao.review.urls")),
    path("opinions/", include("shenbao.opinions.urls")),
    path("notices/", include("shenbao.notices.urls")),
    path("awards/", include("shenbao.awards.urls")),
    path("funding/", include("shenbao.funding.urls")),
    path("acceptance/", include("shenbao.acceptance.urls")),
    path("notifications/", include("shenbao.notifications.urls")),
    path("exports/", include("shenbao.exports.urls")),
    path("experts/", include("shenbao.experts.urls")),
    path("scoring/", include("shenbao.scoring.urls")),
    path("api-access/", include("shenbao.apiaccess.urls")),
    path("api/v1/docs/", api_docs, name="api_docs"),
    path("api/v1/", api_v1.urls),
    path("api/", api.urls),
    # /healthz and /readyz (answered by shenbao.observability.middleware.ProbeMiddleware before the rest).
    path("", include("shenbao.observability.urls")),
    path("", include("shenbao.announcements.urls")),
    path("", include("shenbao.core.urls")),
]
