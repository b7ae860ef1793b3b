"""The load generator of the load figures: wrk (C, an event loop a thread) driven by ``load.lua``.

A Python generator (threads, http.client) took about a core of the two itself: it capped every rate
it measured and, as its cost per request is the same for a fast page and a slow one, pulled the
section page / peer page ratio towards 1. design.md's figures were measured with wrk.

Each wrk thread has one connection and is one client (``Client``): its own cookie and its own round
of steps. Sync gunicorn workers close each connection; wrk opens the next one itself, and socket
errors (connect, read, write, timeout) are counted as errors beside the unexpected statuses."""

from __future__ import annotations

import json
import os
import shutil
import subprocess  # nosec B404 - runs wrk, a fixed local program
import tempfile
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "load.lua"
MARK = "FBSS_WRK "  # the line load.lua's done() prints
MISSING = "wrk not found: install it with `apt-get install wrk` (make bench runs scripts/system-deps.sh bench)"


@dataclass(frozen=True)
class Step:
    """One request of a client's round and the status that counts as success. ``rev``: the body is
    sent with ``_rev`` (starting here), raised after each success."""

    method: str
    path: str
    expect: int = 200
    body: str | None = None
    rev: int | None = None


@dataclass(frozen=True)
class Client:
    """A simulated user: a session cookie ("" for none) and the round it walks again and again."""

    steps: tuple[Step, ...]
    cookie: str = ""


@dataclass
class LoadResult:
    """What one wrk run reports: successes, errors by kind, latency quantiles of every answer."""

    seconds: float
    ok: int
    requests: int
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    p50: float = 0.0  # seconds
    p95: float = 0.0
    max: float = 0.0
    threads: int = 0

    @property
    def rate(self) -> float:
        """Successful requests per second."""
        return self.ok / self.seconds if self.seconds else 0.0


def _lua(value: str) -> str:
    """A Lua string literal; the values are cookies, paths and url-encoded bodies (printable ASCII)."""
    if not (value.isascii() and value.isprintable()):
        raise ValueError("wrk parameters must be printable ASCII")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _step_lua(step: Step) -> str:
    fields = [f"method = {_lua(step.method)}", f"path = {_lua(step.path)}", f"expect = {step.expect}"]
    if step.body is not None:
        fields.append(f"body = {_lua(step.body)}")
    if step.rev is not None:
        fields.append(f"rev = {step.rev}")
    return "{ " + ", ".join(fields) + " }"


def params_lua(clients: list[Client]) -> str:
    """The parameters file load.lua reads: one table per client."""
    rows = [f"  {{ cookie = {_lua(c.cookie)}, steps = {{ {', '.join(_step_lua(s) for s in c.steps)} }} }},"
            for c in clients]
    return "return {\n" + "\n".join(rows) + "\n}\n"


def parse(output: str) -> LoadResult:
    """The result line of load.lua's done() in wrk's output."""
    line = next((ln for ln in reversed(output.splitlines()) if ln.startswith(MARK)), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result line: {output[-500:]!r}")
    data = json.loads(line.removeprefix(MARK))
    return LoadResult(seconds=data["duration_us"] / 1e6, ok=data["ok"], requests=data["requests"],
                      errors=data["errors"], error_kinds=dict(sorted(data["kinds"].items())),
                      p50=data["p50_us"] / 1e6, p95=data["p95_us"] / 1e6, max=data["max_us"] / 1e6,
                      threads=data["threads"])


def run(port: int, clients: list[Client], seconds: float, connections: int) -> LoadResult:
    """wrk against 127.0.0.1:``port`` for ``seconds`` (whole seconds: wrk reads no fraction):
    ``connections`` threads of one connection each, the clients dealt to them in turn. The timeout
    is the old generator's 30 s: a slow answer is a slow answer, not an error."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError(MISSING)
    with tempfile.TemporaryDirectory(prefix="fbss-wrk-") as tmp:
        params = Path(tmp) / "params.lua"
        params.write_text(params_lua(clients))
        command = [wrk, "-t", str(connections), "-c", str(connections), "-d", f"{max(1, round(seconds))}s",
                   "--timeout", "30s", "--latency", "-s", str(SCRIPT), f"http://127.0.0.1:{port}"]
        done = subprocess.run(command, env={**os.environ, "FBSS_WRK_PARAMS": str(params)},  # nosec B603
                              capture_output=True, text=True, check=False, timeout=seconds + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk exited with {done.returncode}: {done.stderr[-500:]}")
    return parse(done.stdout)
