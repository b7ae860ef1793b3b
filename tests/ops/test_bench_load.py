"""The bench's load generator (benchmarks/wrk.py, benchmarks/load.lua) against a tiny live server:
what it reports must be what the server saw. Not a timed test: no rate is asserted, only counts.

The server (werkzeug, one request at a time, HTTP/1.0) closes each connection as gunicorn's sync
workers do, so every request after a connection's first proves wrk reconnects. It counts its hits,
answers 302 to a save only from the visit's own cookie with the next ``_rev`` it expects (409
otherwise), and keeps the refused revs."""

from __future__ import annotations

import socket
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs

import pytest
from werkzeug.serving import make_server

from benchmarks import wrk
from benchmarks.wrk import Client
from benchmarks.wrk import Step
from tests.servers import free_port

BODY = "pain=7&note=ca%C3%A9+%26+%3D"  # url-encoded by the bench; must arrive as sent


class Clinic:
    """A WSGI app with visits to save: ``owners`` maps a save path to its cookie, ``revs`` to the
    next rev it accepts. GET /missing is a 404; any other GET a 200."""

    def __init__(self, owners: dict[str, str], revs: dict[str, int]) -> None:
        self.owners, self.revs = owners, dict(revs)
        self.hits = 0
        self.saved: Counter[str] = Counter()
        self.refused: list[tuple[str, str]] = []  # (path, the rev sent)
        self.bodies: set[str] = set()
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        with self.lock:
            self.hits += 1
            status = self._answer(environ)
        start_response(status, [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]

    def _answer(self, environ: dict[str, Any]) -> str:
        path = environ["PATH_INFO"]
        if environ["REQUEST_METHOD"] == "GET":
            return "404 Not Found" if path == "/missing" else "200 OK"
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)).decode()
        form = parse_qs(body)
        sent = form.pop("_rev", ["none"])[0]
        self.bodies.add(body.removesuffix(f"_rev={sent}").removesuffix("&"))
        if environ.get("HTTP_COOKIE") == self.owners[path] and sent == str(self.revs[path]):
            self.revs[path] += 1
            self.saved[path] += 1
            return "302 Found"
        self.refused.append((path, sent))
        return "409 Conflict"


@contextmanager
def serving(app: Clinic) -> Iterator[int]:
    """``app`` on a free loopback port in a thread; yields the port."""
    port = free_port()
    server = make_server("127.0.0.1", port, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        server.shutdown()
        thread.join(timeout=10)


def clinician(n: int, rev: int, body: str | None = BODY) -> Client:
    return Client((Step("GET", f"/visits/{n}"), Step("POST", f"/save/{n}", 302, body, rev)), f"session=s{n}")


def test_counts_match_the_server_and_each_save_carries_the_next_rev():
    clinic = Clinic({"/save/1": "session=s1", "/save/2": "session=s2"}, {"/save/1": 5, "/save/2": 40})
    with serving(clinic) as port:
        result = wrk.run(port, [clinician(1, 5), clinician(2, 40, body=None)], seconds=2, connections=2)
    assert result.errors == 0, result.error_kinds
    assert result.threads == 2
    # A request in flight when wrk stops reached the server but is not in wrk's count.
    assert clinic.hits - 2 <= result.requests <= clinic.hits
    assert result.requests == result.ok > 2
    assert clinic.refused == []
    assert clinic.saved["/save/1"] > 1
    assert clinic.saved["/save/2"] > 1
    assert clinic.revs == {"/save/1": 5 + clinic.saved["/save/1"], "/save/2": 40 + clinic.saved["/save/2"]}
    assert clinic.bodies == {BODY, ""}  # the second sends _rev alone
    assert 0 < result.p50 <= result.p95 <= result.max
    assert result.seconds == pytest.approx(2, abs=0.5)


def test_a_refused_save_and_a_wrong_status_are_errors_by_method_and_status():
    clinic = Clinic({"/save/1": "session=s1"}, {"/save/1": 4})  # the client starts one behind
    stale = Client((Step("GET", "/missing"), Step("POST", "/save/1", 302, BODY, 3)), "session=s1")
    with serving(clinic) as port:
        result = wrk.run(port, [stale], seconds=1, connections=1)
    assert result.ok == 0
    assert set(result.error_kinds) == {"GET 404", "POST 409"}
    assert result.errors == result.requests == sum(result.error_kinds.values())
    assert clinic.hits - 1 <= result.requests <= clinic.hits
    assert {rev for _path, rev in clinic.refused} == {"3"}  # a refused save does not raise the rev


@contextmanager
def hanging_up() -> Iterator[int]:
    """A listener that closes each connection it accepts without a word; yields its port."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                listener.accept()[0].close()
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=10)
        listener.close()


def test_socket_errors_are_counted_not_hidden():
    with hanging_up() as port:
        result = wrk.run(port, [Client((Step("GET", "/"),))], seconds=1, connections=1)
    assert result.ok == 0
    assert result.error_kinds.get("read", 0) > 0
    assert result.errors == sum(result.error_kinds.values())


def test_wrk_refused_at_the_start_says_so():
    with pytest.raises(RuntimeError, match="wrk exited with 1: unable to connect"):
        wrk.run(free_port(), [Client((Step("GET", "/"),))], seconds=1, connections=1)


def test_missing_wrk_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="apt-get install wrk"):
        wrk.run(1, [Client((Step("GET", "/"),))], seconds=1, connections=1)


def test_parameters_outside_printable_ascii_are_refused():
    with pytest.raises(ValueError, match="printable ASCII"):
        wrk.params_lua([Client((Step("GET", "/é"),))])
