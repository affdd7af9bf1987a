"""The project's URLs plus views that fail on purpose, for the error-page tests (tests/operations/test_hardening.py)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.http import Http404
from django.urls import path

from shenbao.urls import urlpatterns as project_urlpatterns

SECRET = "internal-detail-7f3a SELECT password FROM accounts_user"


def crash(request):
    raise RuntimeError(SECRET)


def crash_in_sql(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT no_such_column_7f3a FROM accounts_user")


def forbidden(request):
    raise PermissionDenied(SECRET)


def suspicious(request):
    raise SuspiciousOperation(SECRET)


def missing(request):
    raise Http404(SECRET)


urlpatterns = [
    path("boom/", crash),
    path("boom-sql/", crash_in_sql),
    path("boom-403/", forbidden),
    path("boom-400/", suspicious),
    path("boom-404/", missing),
    *project_urlpatterns,
]
