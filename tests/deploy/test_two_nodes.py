"""Two web nodes share the work behind the nginx site from deploy/ (issue 16, "More than one web node").

One cluster (tests/deploy/cluster.py: PostgreSQL, Redis, an S3 server, two gunicorn nodes in the production
profile with SHENBAO_MULTI_NODE=1, the task worker, nginx) serves every case here, each pinning its requests to
node A or B. PostgreSQL only: it is the production database, and the nodes share it with the worker. About a minute
(most of it `migrate` and `collectstatic` of a fresh installation), so it runs in `make test`'s PostgreSQL pass.
"""

import hashlib
import json
import re
import time

import pytest
import redis
from django.db import connection
from django_otp.oath import totp

from shenbao.applications.demo import minimal_pdf
from tests.deploy.cluster import BUCKET, Browser, Cluster, running_cluster

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: the nodes and the worker share one database"
    ),
]
# SHENBAO_VERIFY_RATE_LIMIT's default: 30 look-ups a minute per address.
VERIFY_LIMIT = 30


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    import os

    with running_cluster(tmp_path_factory.mktemp("two-nodes"), database_server_url=os.environ["DATABASE_URL"]) as up:
        yield up


def served_by(cluster: Cluster, response) -> str:
    """Which node answered (the test overlay's routers name the address they passed the request to)."""
    address = response.getheader("X-Shenbao-Test-Node", "")
    return next(name for name, node in cluster.nodes.items() if address.endswith(node))


def assert_served_from_the_object_store(cluster: Cluster, path: str, *, node: str, key: str) -> None:
    """The web node answered headers only (0 bytes) and nginx then fetched the file from the object store with a
    GET signed for it: the site's access-log line names a router and then the S3 server, the router's names `node`."""
    s3_address = cluster.env["SHENBAO_S3_ENDPOINT_URL"].removeprefix("http://")
    site_line = cluster.access_log_line(path, containing=f" : {s3_address} sent=")
    assert site_line.startswith(f"{path} 200 upstream=127.0.0.1:"), site_line
    node_line = cluster.access_log_line(path, containing=f" upstream={cluster.nodes[node]} sent=")
    assert node_line.startswith(f"{path} 200 ") and node_line.endswith(" sent=0"), node_line
    assert re.search(rf'"GET /{BUCKET}/{key}\?\S*X-Amz-Signature=\S+ HTTP/1\.[01]" 200', cluster.log("s3"))


def log_in(browser: Browser, cluster: Cluster, username: str, *, node: str) -> None:
    _response, page = browser.get("/accounts/login/", node=node)
    fields = {
        "csrfmiddlewaretoken": browser.csrf_token(page),
        "username": username,
        "password": cluster.seed["password"],
    }
    response, _body = browser.post_form("/accounts/login/", fields, node=node)
    assert response.status == 302, _body[:2000]
    assert served_by(cluster, response) == node


def test_a_log_in_on_node_a_continues_signed_in_on_node_b(cluster):
    browser = cluster.client()
    log_in(browser, cluster, cluster.seed["applicant"], node="A")

    response, page = browser.get(f"/applications/{cluster.seed['application']}/materials/", node="B")

    assert response.status == 200 and served_by(cluster, response) == "B"
    assert cluster.seed["requirement"].encode() in page
    # Signed out on B ends the session on A as well: one session store.
    _response, dashboard = browser.get("/", node="B")
    fields = {"csrfmiddlewaretoken": browser.csrf_token(dashboard)}
    assert browser.post_form("/accounts/logout/", fields, node="B")[0].status == 302
    response, _page = browser.get(f"/applications/{cluster.seed['application']}/materials/", node="A")
    assert response.status == 302 and "/accounts/login/" in response.getheader("Location", "")


def test_a_file_uploaded_through_node_a_downloads_through_node_b_from_the_object_store(cluster):
    browser = cluster.client()
    log_in(browser, cluster, cluster.seed["applicant"], node="A")
    materials = f"/applications/{cluster.seed['application']}/materials/"
    content = minimal_pdf("两节点测试材料")
    # The CSRF token of a page node B served is good on node A: one SECRET_KEY, one session.
    _response, page = browser.get(materials, node="B")
    fields = {"csrfmiddlewaretoken": browser.csrf_token(page), "requirement": cluster.seed["requirement"]}

    response, body = browser.post_file(
        materials, fields, filename="证明材料.pdf", content=content, content_type="application/pdf", node="A"
    )

    assert response.status == 200 and json.loads(body)["ok"] is True, body
    assert served_by(cluster, response) == "A"
    _response, page = browser.get(materials, node="B")
    link = re.search(rb'href="(/applications/materials/[0-9a-f-]+/download/)"', page)
    assert link, "the materials page links the uploaded file"
    download = link.group(1).decode()
    response, downloaded = browser.get(download, node="B")
    assert response.status == 200
    assert hashlib.sha256(downloaded).hexdigest() == hashlib.sha256(content).hexdigest()
    assert response.getheader("Content-Type") == "application/pdf"
    assert response.getheader("Content-Disposition", "").startswith("attachment;")
    assert len(response.headers.get_all("Content-Disposition")) == 1
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert "sandbox" in response.getheader("Content-Security-Policy", "")
    assert "no-cache" in response.getheader("Cache-Control", "")
    assert response.getheader("X-Accel-Redirect") is None
    assert_served_from_the_object_store(cluster, download, node="B", key=r"applications/materials/\S+\.pdf")
    # Nothing reaches the internal locations from outside.
    assert browser.get(f"/_protected/s3/{BUCKET}/", node="A")[0].status == 404


def test_a_rate_limit_counts_the_hits_of_both_nodes(cluster):
    browser = cluster.client()
    if time.time() % 60 > 50:  # the limit's window is a calendar minute: start the count at the top of one
        time.sleep(61 - time.time() % 60)
    answers = []
    for index in range(VERIFY_LIMIT + 1):
        node = "AB"[index % 2]
        response, _page = browser.get(f"/verify/?code=TN{index:08d}", node=node)
        answers.append((served_by(cluster, response), response.status))

    assert {node for node, _status in answers} == {"A", "B"}
    assert [status for _node, status in answers[:VERIFY_LIMIT]] == [200] * VERIFY_LIMIT
    # The 31st look-up is refused although each node saw only 15 or 16.
    assert answers[VERIFY_LIMIT][1] == 429
    # Counted in Redis, under this installation's key prefix (SHENBAO_CACHE_KEY_PREFIX).
    prefix = cluster.env["SHENBAO_CACHE_KEY_PREFIX"]
    counters = redis.Redis.from_url(cluster.env["REDIS_URL"]).keys(f"{prefix}:*shenbao:rl:verify:*")
    assert counters, "the verification limit's counter is in Redis under the installation's prefix"


def test_an_export_queued_on_node_a_is_run_by_the_worker_and_downloads_through_node_b(cluster):
    browser = cluster.client()
    log_in(browser, cluster, cluster.seed["auditor"], node="A")
    # Production asks the audit administrator for the second factor after the password.
    response, page = browser.get("/security/otp/verify/", node="A")
    token = f"{totp(bytes.fromhex(cluster.seed['totp_key'])):06d}"
    fields = {"csrfmiddlewaretoken": browser.csrf_token(page), "token": token}
    assert browser.post_form("/security/otp/verify/", fields, node="A")[0].status == 302
    _response, audit_page = browser.get("/audit/", node="A")

    response, _body = browser.post_form(
        "/exports/new/audit.entries/", {"csrfmiddlewaretoken": browser.csrf_token(audit_page)}, node="A"
    )

    assert response.status == 302 and served_by(cluster, response) == "A"
    job = response.getheader("Location").rstrip("/").rsplit("/", 1)[-1]
    deadline = time.monotonic() + 60
    while True:
        _response, progress = browser.get(f"/exports/{job}/progress/", node="B")
        if f"/exports/{job}/download/".encode() in progress or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    response, csv = browser.get(f"/exports/{job}/download/", node="B")
    assert response.status == 200, csv[:500]
    assert response.getheader("Content-Disposition", "").startswith("attachment;")
    assert len(csv.decode("utf-8-sig").splitlines()) > 1  # the header and the entries so far
    assert_served_from_the_object_store(cluster, f"/exports/{job}/download/", node="B", key=rf"exports/{job}/\S+\.csv")
    # The job ran in the worker process, not in a web node (tasks run through the database queue).
    assert "run_export_job" in cluster.log("worker")
