"""The SMS outbox against a local fake of a commercial gateway's HTTP API (the only outside service here): a
signed JSON request, an error code or a timeout retried with back-off, given up after the last attempt and shown
on the system administrator's page with the number masked; logs never hold the whole number."""

import datetime
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from shenbao.accounts.roles import Role
from shenbao.audit.models import AuditEntry
from shenbao.notifications.models import OutgoingSms
from shenbao.notifications.outbox import MAX_ATTEMPTS
from shenbao.notifications.texting import queue_sms, send_due_texts
from tests.factories import PlatformFactory, UserFactory
from tests.web import WebUser

pytestmark = pytest.mark.django_db
PHONE = "13935612345"
SECRET = "gateway-test-secret"


class FakeGateway(BaseHTTPRequestHandler):
    """Answers each POST with the next scripted reply: "OK", an error code, or "timeout" (answers too late)."""

    replies: list[str] = []
    received: list[dict] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        expected = hmac.new(
            SECRET.encode(),
            f"{self.headers['X-Sms-Timestamp']}\n{self.headers['X-Sms-Nonce']}\n".encode() + body,
            hashlib.sha256,
        ).hexdigest()
        self.received.append(
            {
                "json": json.loads(body),
                "key": self.headers["X-Sms-Key"],
                "signed": expected == self.headers["X-Sms-Signature"],
            }
        )
        reply = self.replies.pop(0) if self.replies else "OK"
        if reply == "timeout":
            time.sleep(1.5)
        answer = {"code": reply, "message": "" if reply == "OK" else "触发业务流控", "request_id": "r1"}
        data = json.dumps(answer).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client gave up waiting
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGateway)
    FakeGateway.replies, FakeGateway.received = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SHENBAO_SMS_BACKEND = "shenbao.core.sms_gateway.GatewayBackend"
    settings.SHENBAO_SMS_GATEWAY = {
        "URL": f"http://127.0.0.1:{server.server_address[1]}/sms/send",
        "KEY": "platform-key",
        "SECRET": SECRET,
        "SIGN_NAME": "申报评审平台",
        "TEMPLATE_ID": "SMS_0001",
        "TIMEOUT": 0.5,
    }
    yield FakeGateway
    server.shutdown()
    server.server_close()


def test_an_error_code_and_a_timeout_are_retried_with_back_off_until_the_gateway_takes_it(
    gateway, django_capture_on_commit_callbacks, caplog
):
    gateway.replies = ["isv.BUSINESS_LIMIT_CONTROL", "timeout", "OK"]
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_sms(to=PHONE, text="您的申报已退回修改。", purpose="test")
    sms = OutgoingSms.objects.get()
    assert sms.status == OutgoingSms.Status.PENDING and sms.attempts == 1
    assert "isv.BUSINESS_LIMIT_CONTROL" in sms.last_error and sms.next_attempt_at > now

    assert send_due_texts(at=sms.next_attempt_at - datetime.timedelta(seconds=1)) == 0  # not due yet
    assert send_due_texts(at=sms.next_attempt_at) == 0  # the gateway answers too late
    sms.refresh_from_db()
    assert sms.status == OutgoingSms.Status.PENDING and sms.attempts == 2 and "SmsGatewayError" in sms.last_error
    assert send_due_texts(at=sms.next_attempt_at) == 1
    sms.refresh_from_db()
    assert sms.status == OutgoingSms.Status.SENT and sms.attempts == 3 and sms.last_error == ""

    assert len(gateway.received) == 3 and all(request["signed"] for request in gateway.received)
    assert gateway.received[-1]["json"] == {
        "phone": PHONE,
        "sign_name": "申报评审平台",
        "template_id": "SMS_0001",
        "template_params": {"content": "您的申报已退回修改。"},
    }
    assert gateway.received[-1]["key"] == "platform-key"
    assert PHONE not in caplog.text and "139****2345" in caplog.text


def test_after_the_last_attempt_the_sms_is_given_up_and_shown_masked(gateway, password, caplog):
    gateway.replies = ["isp.SYSTEM_ERROR"] * MAX_ATTEMPTS
    assert queue_sms(to=PHONE, text="测试短信。", purpose="test")  # never committed: the periodic send finds it
    at = timezone.now()
    for _attempt in range(MAX_ATTEMPTS):
        at += datetime.timedelta(days=1)
        send_due_texts(at=at)
    sms = OutgoingSms.objects.get()
    assert sms.status == OutgoingSms.Status.GIVEN_UP and sms.attempts == MAX_ATTEMPTS
    assert send_due_texts(at=at + datetime.timedelta(days=30)) == 0
    assert len(gateway.received) == MAX_ATTEMPTS
    assert PHONE not in caplog.text

    admin = UserFactory(organisation=PlatformFactory(), roles=[Role.SYSTEM_ADMIN])
    web = WebUser()
    web.log_in(admin.username, password)
    page = web.get(reverse("notifications:sms_outbox") + "?status=given_up").content.decode()
    assert "139****2345" in page and PHONE not in page and "isp.SYSTEM_ERROR" in page and "测试短信" not in page

    gateway.replies = ["OK"]
    retried = web.post(
        reverse("notifications:sms_outbox_retry", kwargs={"public_id": sms.public_id}),
        form_url=reverse("notifications:sms_outbox") + "?status=given_up",
    )
    assert retried.status_code == 302
    sms.refresh_from_db()
    assert sms.status == OutgoingSms.Status.PENDING and sms.attempts == 0
    assert AuditEntry.objects.filter(event="notifications:sms_retry", additional_data__to="139****2345").exists()
    assert send_due_texts(at=timezone.now() + datetime.timedelta(seconds=1)) == 1


def test_without_a_backend_or_a_number_nothing_is_queued(settings):
    settings.SHENBAO_SMS_BACKEND = ""
    assert not queue_sms(to=PHONE, text="x")
    settings.SHENBAO_SMS_BACKEND = "shenbao.core.sms.LocmemBackend"
    assert not queue_sms(to=" ", text="x")
    assert not OutgoingSms.objects.exists()
