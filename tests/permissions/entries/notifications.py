"""notifications: everyone's own inbox; marking one's own message read (another user's: 404); the outbox (发件队列)
is the system administrator's alone (everyone else: 404), and so is the SMS outbox. Message templates and sending
bulk messages are the call administrator's (技能办; every other role 403); the bulk messages' log is read by the
call administrator and the city reviewers of the sender's city (another city's message: 404, in
tests/notifications/test_bulk_messages.py)."""

from shenbao.accounts.rules import get_city_of_user
from shenbao.notifications.bulk_services import send_bulk_message
from shenbao.notifications.models import MessageTemplate, OutgoingEmail, OutgoingSms
from tests.permissions.dsl import ADMIN, APPLICANT, CITY, LOGGED_IN, OWN, SYSADMIN, allow, get, post

SUBMIT = {"event": "submit"}


def _templates(_obj=None):
    return list(MessageTemplate.objects.order_by("pk").values_list("event", "title", "updated_at"))


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
    get("notifications:sms_outbox", allow(SYSADMIN), denied=404),
    post(
        "notifications:sms_outbox_retry",
        allow(SYSADMIN, status=302),
        denied=404,
        obj="notifications.given_up_sms",
        watch=lambda sms: OutgoingSms.objects.get(pk=sms.pk).status,
    ),
    get("notifications:message_templates", allow(ADMIN)),
    get("notifications:message_template", allow(ADMIN), kwargs=SUBMIT),
    post(
        "notifications:message_template",
        allow(ADMIN, status=302),
        kwargs=SUBMIT,
        data={"title": "矩阵：{申报编号}", "save": "1"},
        watch=_templates,
    ),
    post("notifications:message_template_reset", allow(ADMIN, status=302), kwargs=SUBMIT, watch=_templates),
    get("notifications:bulk_messages", allow(ADMIN, CITY)),
    get("notifications:bulk_message_new", allow(ADMIN)),
    post("notifications:bulk_message_new", allow(ADMIN, status=200), data={"preview": "1"}),
    get("notifications:bulk_message", allow(ADMIN, CITY), obj="notifications.bulk_message"),
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
    sms = OutgoingSms.objects.create(
        purpose="matrix", to="13900000000", text="矩阵测试短信。", status=OutgoingSms.Status.GIVEN_UP, attempts=9
    )
    scenario.add("notifications.given_up_sms", sms)
    admin = scenario.users[ADMIN]
    message = send_bulk_message(
        city=get_city_of_user(admin),
        sender=admin,
        recipients=[scenario.users[APPLICANT]],
        subject="矩阵测试群发",
        body="正文。",
        filters={},
    )
    scenario.add("notifications.bulk_message", message)
