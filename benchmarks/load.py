"""Load under gunicorn (gunicorn.conf.py, 2 sync workers): a mixed clinician load for the load
period, then the largest section page and the peer page (``peer.py``) side by side, loaded the
same way by the same Python load generator (threads, one connection per request: sync workers
close each connection), which shares the machine's cores with the servers."""

from __future__ import annotations

import http.client
import os
import re
import subprocess  # nosec B404 - starts our own gunicorn
import sys
import threading
import time
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from .core import Bench
from .core import Measurement
from .core import measurement
from .pages import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
CONCURRENCY = 8
INPUT = re.compile(rb"<(input|select|textarea)\b(?![^>]*type=\"(?:hidden|submit)\")", re.IGNORECASE)
Request = tuple[str, str, bytes | None, int]  # method, path, form body, the status that counts as success


@contextmanager
def gunicorn(app: str, port: int, env: dict[str, str]) -> Iterator[None]:
    """A gunicorn with the project's config serving ``app`` on ``port`` until the block ends."""
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--bind",
               f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning", app]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env},  # nosec B603
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if _send(port, "GET", "/healthz", None, "")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError(f"gunicorn for {app} did not start")
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def _send(port: int, method: str, path: str, body: bytes | None, cookie: str) -> tuple[int, dict[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Cookie": cookie} if cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()


def login(port: int, username: str = "bench") -> str:
    """The session cookie of a fresh login."""
    body = urlencode({"username": username, "password": PASSWORD}).encode()
    status, headers = _send(port, "POST", "/login", body, "")
    if status != 302 or "set-cookie" not in headers:
        raise RuntimeError(f"load login failed: {status}")
    return headers["set-cookie"].split(";", 1)[0]


@dataclass
class LoadResult:
    """Requests, errors and latencies of one load period."""

    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        """Successful requests per second."""
        return len(self.latencies) / self.seconds


Script = Callable[[], Iterator[Request]]


def run_load(port: int, scripts: list[Script], cookies: list[str], seconds: float) -> LoadResult:
    """Each thread walks its script round and round for ``seconds``."""
    result = LoadResult(seconds)
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(index: int) -> None:
        script = scripts[index % len(scripts)]()
        cookie = cookies[index % len(cookies)] if cookies else ""
        while time.monotonic() < stop:
            method, path, body, expected = next(script)
            start = time.perf_counter()
            try:
                status, _headers = _send(port, method, path, body, cookie)
            except OSError as exc:
                status, kind = 0, type(exc).__name__
            else:
                kind = str(status)
            elapsed = time.perf_counter() - start
            with lock:
                if status == expected:
                    result.latencies.append(elapsed)
                else:
                    result.errors += 1
                    result.error_kinds[f"{method} {kind}"] = result.error_kinds.get(f"{method} {kind}", 0) + 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result


OwnVisit = tuple[int, str, dict[str, Any], int]  # visit id, section key, its form data, its rev


def _clinician_scripts(bench: Bench, visits: list[OwnVisit]) -> list[Script]:
    """One script per thread: search, summary, three section pages, one save of its own visit's
    section (the thread keeps the section's ``rev`` as its saves raise it)."""
    search = f"/?q={bench.seeded['search']}"

    def script_of(visit_id: int, key: str, data: dict[str, Any], rev: int) -> Script:
        def script() -> Iterator[Request]:
            nonlocal rev
            while True:
                yield "GET", search, None, 200
                yield "GET", f"/visits/{visit_id}", None, 200
                for page in ("visit", "examination", "odi"):
                    yield "GET", f"/visits/{visit_id}/sections/{page}", None, 200
                body = urlencode({**data, "_rev": rev}, doseq=True).encode()
                yield "POST", f"/visits/{visit_id}/sections/{key}", body, 302
                rev += 1

        return script

    return [script_of(*visit) for visit in visits]


def _own_visits(bench: Bench, n: int) -> list[OwnVisit]:
    """``n`` demo visits of different patients, each with the section a thread saves."""
    import sqlalchemy as sa

    from fbss_eval.extensions import db
    from fbss_eval.forms.builder import formdata_from_answers
    from fbss_eval.models import Visit
    from fbss_eval.services import visits as visit_service

    out = []
    with bench.app.app_context():
        ids = db.session.scalars(sa.select(sa.func.max(Visit.id)).group_by(Visit.patient_id)
                                 .order_by(sa.func.max(Visit.id)).limit(n)).all()
        for visit_id in ids:
            visit = db.session.get(Visit, visit_id)
            section = visit_service.find_section(visit, "odi")
            row = visit_service.section_rows(visit)["odi"]
            data = formdata_from_answers(section, row.answers or {}).to_dict(flat=False)
            out.append((visit_id, "odi", data, row.rev))
    return out


def _largest_section(bench: Bench, cookie: str, port: int) -> tuple[str, int]:
    """The section page with the most inputs, and their number (counted in its HTML)."""
    from fbss_eval.extensions import db
    from fbss_eval.models import Visit
    from fbss_eval.services import visits as visit_service

    with bench.app.app_context():
        keys = [s.key for s in visit_service.sections_of(db.session.get(Visit, bench.seeded["demo_visit"]))]
    client = bench.app.test_client()
    client.post("/login", data={"username": "bench", "password": PASSWORD})
    counts = {key: len(INPUT.findall(client.get(f"/visits/{bench.seeded['demo_visit']}/sections/{key}").data))
              for key in keys}
    key = max(counts, key=lambda k: counts[k])
    return key, counts[key]


def _figure(name: str, result: LoadResult, **kwargs: Any) -> Measurement:
    m = Measurement(name, samples=[result.rate], unit="req/s", judged_on="p50", **kwargs)
    p95 = sorted(result.latencies)[int(0.95 * (len(result.latencies) - 1))] if result.latencies else 0.0
    m.notes.append(f"{len(result.latencies)} ok in {result.seconds:.0f} s, {result.errors} errors"
                   + (f" {result.error_kinds}" if result.errors else "") + f", p95 {p95 * 1000:.0f} ms")
    return m


@measurement("load")
def load(bench: Bench) -> list[Measurement]:
    """Mixed clinician load, then the largest section page beside the peer page."""
    env = {"BENCH_DB_URL": bench.url}
    port, peer_port = 8765, 8766
    postgres = bench.url.startswith("postgresql")
    out = []
    with gunicorn("benchmarks.wsgi:app", port, env):
        cookies = [login(port) for _ in range(CONCURRENCY)]
        scripts = _clinician_scripts(bench, _own_visits(bench, CONCURRENCY))
        mixed = run_load(port, scripts, cookies, bench.load_seconds)
        target = {"target": 300.0, "higher": True, "target_text": ">= 300 req/s, no errors"} if postgres else {}
        figure = _figure("gunicorn mixed clinician load", mixed, **target)
        if mixed.errors and postgres:
            figure.samples = [0.0]  # errors fail the target whatever the rate
        out.append(figure)
        key, inputs = _largest_section(bench, cookies[0], port)
        page = f"/visits/{bench.seeded['demo_visit']}/sections/{key}"
        ours = run_load(port, [lambda: _repeat(page)], cookies, bench.load_seconds / 2)
    with gunicorn("benchmarks.peer:app", peer_port, {**env, "BENCH_PEER_INPUTS": str(inputs)}):
        peer = run_load(peer_port, [lambda: _repeat(f"/peer/{bench.seeded['demo_visit']}")], [],
                        bench.load_seconds / 2)
    out.append(_figure(f"gunicorn section page {key} ({inputs} inputs)", ours))
    out.append(_figure(f"gunicorn peer page ({inputs} inputs, one query)", peer))
    ratio = Measurement("section page / peer page throughput", samples=[ours.rate / max(peer.rate, 1e-9)], unit="x",
                        judged_on="p50", target=2.0, higher=True, target_text=">= 2x the peer's req/s")
    ratio.notes.append(f"{ours.rate:.0f} vs {peer.rate:.0f} req/s (design.md: 1.5x before, ~215 vs ~145)")
    out.append(ratio)
    return out


def _repeat(path: str) -> Iterator[Request]:
    while True:
        yield "GET", path, None, 200
