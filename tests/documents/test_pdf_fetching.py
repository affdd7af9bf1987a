"""A document never reaches the network while it renders: only our own files and data: URLs are read."""

import http.server
import threading

import pytest
from weasyprint import HTML

from shenbao.documents import pdf


@pytest.fixture
def local_server():
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


def test_an_address_in_a_document_is_never_fetched(local_server):
    url, hits = local_server
    html = f'<img src="{url}/img.png"><link rel="stylesheet" href="{url}/x.css"><p>申报书</p>'

    data = HTML(string=html, base_url=str(pdf.STATIC), url_fetcher=pdf._url_fetcher()).write_pdf()

    assert data.startswith(b"%PDF")
    assert hits == []
    with pytest.raises(ValueError, match="disallowed protocol"):
        pdf._url_fetcher().fetch(f"{url}/img.png")


def test_our_own_stylesheets_are_read_once_while_unchanged():
    path = pdf.STYLESHEETS[0]
    first = pdf._stylesheet(path, path.stat().st_mtime)

    assert pdf._stylesheet(path, path.stat().st_mtime) is first
    assert pdf._stylesheet(path, path.stat().st_mtime + 1) is not first
