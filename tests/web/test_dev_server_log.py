"""The development server's own request log carries no query strings (patient searches), for
every status: werkzeug colours the request line of every status but 200, and the colour codes
hid the query from a redaction done on the formatted line (issue 11, fault 7)."""

from __future__ import annotations

import http.client
import logging
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from fbss_eval.logs import redact_request_line

SECRET = "LeakTestFamily"


class Lines(logging.Handler):
    """Every werkzeug record, formatted the way its default handler would print it."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def server_log(app, monkeypatch) -> Iterator[tuple[int, Lines]]:
    """The app behind a real werkzeug server on 127.0.0.1, with its log captured."""
    import werkzeug.serving

    monkeypatch.setattr(werkzeug.serving, "_log_add_style", True)  # colours on, as in a terminal
    logger = logging.getLogger("werkzeug")
    handler = Lines()
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.port, handler
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()
        logger.removeHandler(handler)
        logger.setLevel(level)


def get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def test_no_query_string_reaches_the_dev_server_log(server_log):
    port, log = server_log
    statuses = {
        get(port, f"/?q={SECRET}302&page=1"): "redirect",                 # not logged in: to the login page
        get(port, f"/no-such-page?q={SECRET}404"): "not found",
        get(port, f"/login?next=/%3Fq%3D{SECRET}200"): "the login page",
    }
    assert set(statuses) == {302, 404, 200}
    request_lines = [line for line in log.lines if "HTTP/1.1" in line]
    assert len(request_lines) == 3, log.lines
    assert any("\x1b[" in line for line in request_lines), "the 302 and 404 lines were expected in colour"
    for line in log.lines:
        assert SECRET not in line, line
    assert any("GET /?[redacted] HTTP/1.1" in line and '" 302 ' in line for line in request_lines), request_lines
    assert any("GET /no-such-page?[redacted] HTTP/1.1" in line and '" 404 ' in line for line in request_lines)


def test_a_coloured_request_line_keeps_its_colours_and_loses_its_query():
    line = f"\x1b[32mGET /?q={SECRET}302 HTTP/1.1\x1b[0m"
    assert redact_request_line(line) == "\x1b[32mGET /?[redacted] HTTP/1.1\x1b[0m"
    bold_red = f"\x1b[31m\x1b[1mPOST /patients/new?mrn={SECRET} HTTP/1.1\x1b[0m"
    assert redact_request_line(bold_red) == "\x1b[31m\x1b[1mPOST /patients/new?[redacted] HTTP/1.1\x1b[0m"
