"""security: the user's own second-factor pages, and the security administrator's pages (everyone else: 404)."""

from importlib import import_module

from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from shenbao.security.models import UserSession
from tests.permissions.dsl import APPLICANT, LOGGED_IN, SECADMIN, allow, get, post
from tests.permissions.dsl import REDIRECT as ELSEWHERE

ENTRIES = [
    # Every matrix session is already verified (a confirmed device, as in production): both pages send it on.
    get("security:otp_enrol", allow(LOGGED_IN, status=ELSEWHERE), note="a verified session is sent on"),
    post("security:otp_enrol", allow(LOGGED_IN, status=ELSEWHERE), data={"token": "000000"}),
    get("security:otp_verify", allow(LOGGED_IN, status=ELSEWHERE), note="a verified session is sent on"),
    post("security:otp_verify", allow(LOGGED_IN, status=ELSEWHERE), data={"token": "000000"}),
    # 三权分立: the security administrator alone.
    get("security:policy", allow(SECADMIN), denied=404),
    get("security:lockouts", allow(SECADMIN), denied=404),
    post("security:unlock", allow(SECADMIN, status=302), denied=404, data={"username": "matrix_nobody"}),
    get("security:sessions", allow(SECADMIN), denied=404),
    post(
        "security:terminate_session",
        allow(SECADMIN, status=302),
        denied=404,
        obj="security.session",
        watch=lambda tracked: tracked.ended_at,
    ),
    get("security:second_factor_users", allow(SECADMIN), denied=404),
    post(
        "security:reset_second_factor",
        allow(SECADMIN, status=302),
        denied=404,
        obj="security.second_factor_user",
        watch=lambda user: TOTPDevice.objects.filter(user=user).count(),
    ),
]


def build(scenario):
    applicant = scenario.users[APPLICANT]
    # Somebody else's open session (a colleague of the home applicant), so terminating it ends no matrix session.
    colleague = scenario.make_user(APPLICANT, applicant.organisation, username="matrix_session_user")
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["matrix"] = True
    store.create()
    tracked = UserSession.objects.create(user=colleague, session_key=store.session_key, started_at=timezone.now())
    scenario.add("security.session", tracked)
    owner = scenario.make_user(APPLICANT, applicant.organisation, username="matrix_device_user")
    TOTPDevice.objects.create(user=owner, name="TOTP", confirmed=True)
    scenario.add("security.second_factor_user", owner)
