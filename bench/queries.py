"""Query counts per page, in-process with the production profile on the bench's database (a server cannot report
them). Run by `run` as `python -m bench.queries <pages.json>`; prints {label: count}.

Each user is signed in the way production signs them in (a session with a verified second factor); the page is
requested once to warm the caches a server would have warm, then counted on the second request.
"""

from __future__ import annotations

import json
import sys


def count_queries(pages: list[dict]) -> dict[str, int]:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from shenbao.accounts.models import User

    clients: dict[str | None, Client] = {}
    counts: dict[str, int] = {}
    for page in pages:
        username = page["username"]
        if username not in clients:
            client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
            if username:
                user = User.objects.get(username=username)
                client.force_login(user)
                device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
                if device is not None:
                    session = client.session
                    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
                    session.save()
            clients[username] = client
        client = clients[username]
        client.get(page["path"])
        with CaptureQueriesContext(connection) as context:
            response = client.get(page["path"])
        counts[page["label"]] = len(context.captured_queries) if response.status_code == 200 else -response.status_code
    return counts


if __name__ == "__main__":
    with open(sys.argv[1]) as source:
        print(json.dumps(count_queries(json.load(source))))
