"""The adapter for a commercial SMS gateway's HTTP API
(`SHENBAO_SMS_BACKEND = "shenbao.core.sms_gateway.GatewayBackend"`).

The shape follows the Chinese providers' template-SMS APIs (a registered 短信签名 and 模板, JSON over HTTPS, a
request signed with the account's secret), reduced to what they share, so a provider is wired by settings alone
(`SHENBAO_SMS_GATEWAY`, from the environment, see docs/operations/messages.md):

    POST <URL>
    Content-Type: application/json; charset=utf-8
    X-Sms-Key: <KEY>  X-Sms-Timestamp: <unix seconds>  X-Sms-Nonce: <random hex>
    X-Sms-Signature: hex(HMAC-SHA256(<SECRET>, "<timestamp>\\n<nonce>\\n<body>"))
    {"phone": "13800000000", "sign_name": "<SIGN_NAME>", "template_id": "<TEMPLATE_ID>",
     "template_params": {"content": "<the text>"}}

    200 {"code": "OK", "message": "...", "request_id": "..."}        sent
    any other code, a non-2xx status, a bad body, a timeout           SmsGatewayError: the outbox retries

The template registered with the provider is one variable wide (「${content}」), so the platform's own texts
(workflow templates, bulk messages) need no provider-side template per message.
"""

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request

from django.conf import settings


class SmsGatewayError(Exception):
    """The gateway did not accept the message (its code and message, or the transport failure)."""


def sign(*, secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = f"{timestamp}\n{nonce}\n".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class GatewayBackend:
    def __init__(self) -> None:
        self.config = settings.SHENBAO_SMS_GATEWAY

    def send(self, *, to: str, text: str) -> None:
        config = self.config
        body = json.dumps(
            {
                "phone": to,
                "sign_name": config["SIGN_NAME"],
                "template_id": config["TEMPLATE_ID"],
                "template_params": {"content": text},
            },
            ensure_ascii=False,
        ).encode()
        timestamp, nonce = str(int(time.time())), secrets.token_hex(8)
        request = urllib.request.Request(
            config["URL"],
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "X-Sms-Key": config["KEY"],
                "X-Sms-Timestamp": timestamp,
                "X-Sms-Nonce": nonce,
                "X-Sms-Signature": sign(secret=config["SECRET"], timestamp=timestamp, nonce=nonce, body=body),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=float(config.get("TIMEOUT", 10))) as response:
                answer = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            raise SmsGatewayError(f"HTTP {error.code}") from error
        except (OSError, ValueError) as error:  # timeout, refused connection, TLS, a body that is not JSON
            raise SmsGatewayError(f"{type(error).__name__}: {error}") from error
        if not isinstance(answer, dict) or answer.get("code") != "OK":
            code = answer.get("code") if isinstance(answer, dict) else None
            message = answer.get("message") if isinstance(answer, dict) else None
            raise SmsGatewayError(f"{code}: {message}")
