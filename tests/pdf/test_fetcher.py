"""The allow-list fetcher on its own: only allow-listed names under the static base are served;
``file:``, ``http(s):``, ``ftp:``, ``data:``, redirects and look-alikes are refused without any
connection being made."""

from __future__ import annotations

import threading
import urllib.request
from http.server import BaseHTTPRequestHandler
from http.server import HTTPServer
from pathlib import Path

import pytest

from fbss_eval.pdf.fetcher import STATIC_BASE
from fbss_eval.pdf.fetcher import AllowListFetcher
from fbss_eval.pdf.fetcher import FetchRefusedError

STATIC = Path(__file__).resolve().parents[2] / "fbss_eval" / "static"


@pytest.fixture
def fetcher() -> AllowListFetcher:
    return AllowListFetcher({"app.css": STATIC / "app.css"})


def test_an_allow_listed_static_file_is_served(fetcher):
    response = fetcher.fetch(STATIC_BASE + "app.css")
    assert response.read() == (STATIC / "app.css").read_bytes()
    assert response.content_type == "text/css"
    assert fetcher.served == ["app.css"]
    assert fetcher.refused == []


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("file:///etc/passwd", "file"),
        ("file://localhost/etc/hostname", "file"),
        ("http://169.254.169.254/latest/meta-data/", "http"),
        ("https://example.org/logo.png", "https"),
        ("ftp://example.org/x", "ftp"),
        ("data:text/css,body%7Bcolor:red%7D", "data"),  # decided: no data: URLs either
        ("javascript:alert(1)", "javascript"),
        ("app.css", "relative"),
        (STATIC_BASE + "checklist.js", "https"),  # a real static file, but not on the list
        (STATIC_BASE + "..%2F..%2Fconfig.py", "https"),
        (STATIC_BASE + "../app.css", "https"),
        (STATIC_BASE + "app.css?v=1", "https"),
        (STATIC_BASE + "app.css#x", "https"),
        ("https://user:pw@fbss-eval.invalid/static/app.css", "https"),
        ("https://fbss-eval.invalid:444/static/app.css", "https"),
    ],
)
def test_everything_else_is_refused_and_recorded(fetcher, url, scheme, caplog):
    with pytest.raises(FetchRefusedError):
        fetcher.fetch(url)
    assert fetcher.refused == [scheme]
    assert fetcher.served == []
    assert url not in caplog.text  # the URL (possibly patient text) is not logged


def test_urllib_entry_point_is_refused_too(fetcher):
    with pytest.raises(FetchRefusedError):
        fetcher.open(urllib.request.Request("file:///etc/passwd"))  # noqa: S310 - refused, the point
    with pytest.raises(FetchRefusedError):
        fetcher("file:///etc/passwd")
    assert fetcher.refused == ["file", "file"]


class _Redirector(BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        type(self).hits += 1
        self.send_response(302)
        self.send_header("Location", "file:///etc/passwd")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return None


def test_a_redirecting_url_is_refused_before_any_request(fetcher):
    server = HTTPServer(("127.0.0.1", 0), _Redirector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/redirect"
        with pytest.raises(FetchRefusedError):
            fetcher.fetch(url)
        assert _Redirector.hits == 0
    finally:
        server.shutdown()
        server.server_close()


def test_a_local_listener_sees_no_connection(fetcher, listener):
    for path in ("x.png", "a.css"):
        with pytest.raises(FetchRefusedError):
            fetcher.fetch(f"http://127.0.0.1:{listener.port}/{path}")
    assert listener.connections == 0
