"""Real servers for tests: a Redis of the test's own and gunicorn app servers on free loopback
ports, with a small HTTP client (stdlib urllib, a cookie jar, the CSRF token read off each page)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from http.cookiejar import CookieJar
from pathlib import Path

from bs4 import BeautifulSoup

REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"{what} exited with {process.returncode} before listening") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not listen on port {port} within {seconds} s") from None
            time.sleep(0.05)


@contextmanager
def redis_server(directory: Path) -> Iterator[str]:
    """A Redis server on a free loopback port that writes nothing to disk; yields its URL."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603  # a fixed local binary and arguments
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(directory)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process, "redis-server", seconds=10)
        yield f"redis://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def gunicorn_server(env: dict[str, str], log: Path, workers: int = 1) -> Iterator[str]:
    """The app under gunicorn (the production server, its config file) on a free port; yields
    the base URL. ``env`` is added to this process's environment."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    config = ROOT / "gunicorn.conf.py"
    if config.exists():
        command += ["--config", str(config)]
    command.append("fbss_eval:create_app()")
    with open(log, "ab") as output:
        process = subprocess.Popen(  # noqa: S603  # our own interpreter and arguments
            command, cwd=ROOT, env={**os.environ, **env}, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process, f"gunicorn (log: {log})")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


@dataclass
class Response:
    status: int
    text: str
    location: str | None

    def page(self) -> BeautifulSoup:
        return BeautifulSoup(self.text, "html.parser")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@dataclass
class Browser:
    """One user agent: its cookies are sent to whichever server it talks to, as behind a load
    balancer with no stickiness."""

    jar: CookieJar = field(default_factory=CookieJar)

    def __post_init__(self) -> None:
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, url: str, data: dict[str, str] | None = None) -> Response:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body)  # noqa: S310  # loopback test servers
        try:
            with self._opener.open(request, timeout=60) as reply:
                return Response(reply.status, reply.read().decode(), reply.headers.get("Location"))
        except urllib.error.HTTPError as error:
            return Response(error.code, error.read().decode(errors="replace"), error.headers.get("Location"))

    def get(self, url: str) -> Response:
        return self.request(url)

    def post(self, url: str, data: dict[str, str]) -> Response:
        return self.request(url, data)

    def csrf(self, url: str) -> str:
        """The CSRF token of the page at ``url`` (the session's token)."""
        found = self.get(url).page().find("input", attrs={"name": "csrf_token"})
        if found is None:
            raise AssertionError(f"no csrf_token on {url}")
        return str(found["value"])

    def login(self, base: str, username: str, password: str) -> Response:
        token = self.csrf(f"{base}/login")
        return self.post(f"{base}/login", {"csrf_token": token, "username": username, "password": password})
