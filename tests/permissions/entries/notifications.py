"""notifications: everyone's own inbox; marking one's own message read (another user's: 404); the outbox (发件队列)
is the system administrator's alone (everyone else: 404)."""

from shenbao.notifications.models import OutgoingEmail
from tests.permissions.dsl import LOGGED_IN, OWN, SYSADMIN, allow, get, post

ENTRIES = [
    get("notifications:inbox", allow(LOGGED_IN)),
    post("notifications:mark_all_read", allow(LOGGED_IN, status=302)),
    post(
        "notifications:mark_read",
        allow(LOGGED_IN, on=OWN, status=302),
        obj="notification",
        watch=lambda notification: notification.read_at,
    ),
    get("notifications:outbox", allow(SYSADMIN), denied=404),
    post(
        "notifications:outbox_retry",
        allow(SYSADMIN, status=302),
        denied=404,
        obj="notifications.given_up_email",
        watch=lambda email: OutgoingEmail.objects.get(pk=email.pk).status,
    ),
]


def build(scenario):
    email = OutgoingEmail.objects.create(
        purpose="matrix",
        to=["matrix@example.cn"],
        subject="矩阵测试邮件",
        body="正文。",
        status=OutgoingEmail.Status.GIVEN_UP,
        attempts=9,
    )
    scenario.add("notifications.given_up_email", email)
