from django.urls import include, path

from shenbao.api import api

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
    path("api/", api.urls),
    path("", include("shenbao.announcements.urls")),
    path("", include("shenbao.core.urls")),
]
