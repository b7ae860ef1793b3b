"""What every benchmark figure shares: the measurement record, the registry, timing, the SQL
statement counter and the verdict against design.md section 6."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from typing import Any

import sqlalchemy as sa
from flask import Flask

MISSING = "not measured: route missing"


@dataclass
class Measurement:
    """One figure: samples (seconds, or a rate), the target it is held against, statements per
    request, notes. ``judged_on``: the statistic design.md states the target for; ``higher``: the
    target is a floor (requests/s), not a ceiling; ``unit``: "ms", "s", "req/s", "MB" or "x"."""

    name: str
    samples: list[float] = field(default_factory=list)
    target: float | None = None
    unit: str = "ms"
    judged_on: str = "p95"
    higher: bool = False
    statements: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missing: str | None = None  # why it was not measured
    target_text: str | None = None
    floor_ratio: float | None = None  # judged value / the /healthz floor of the same run
    # Pages whose statement count changed between requests of the same URL (None: min != max of
    # ``statements``; a figure over several URLs sets it from each URL's own counts).
    varying: list[str] | None = None

    def quantile(self, q: float) -> float:
        """The q-quantile of the samples (nearest rank)."""
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]

    @property
    def p50(self) -> float:
        """Median."""
        return statistics.median(self.samples)

    @property
    def judged(self) -> float:
        """The statistic held against the target."""
        if self.judged_on == "p95":
            return self.quantile(0.95)
        if self.judged_on == "max":
            return max(self.samples)
        return self.p50

    @property
    def met(self) -> bool | None:
        """True / False against the target; None without a target."""
        if self.target is None:
            return None
        if self.missing or not self.samples:
            return False
        return self.judged >= self.target if self.higher else self.judged <= self.target

    def as_json(self) -> dict[str, Any]:
        """The figure for results/latest.json."""
        out: dict[str, Any] = {"name": self.name, "unit": self.unit, "target": self.target,
                               "target_text": self.target_text, "judged_on": self.judged_on,
                               "met": self.met, "missing": self.missing, "notes": self.notes,
                               "floor_ratio": self.floor_ratio, "n": len(self.samples)}
        if self.samples:
            out.update(p50=self.p50, p95=self.quantile(0.95), max=max(self.samples), judged=self.judged)
        if self.statements:
            out.update(statements_min=min(self.statements), statements_max=max(self.statements))
        return out


@dataclass
class Bench:
    """What the measurements share: the app, the database, the seeded records, the sample count."""

    app: Flask
    url: str
    samples: int
    seeded: dict[str, Any] = field(default_factory=dict)
    load_seconds: float = 30.0
    floor: float | None = None  # /healthz p50 (seconds) of this run
    results: list[Measurement] = field(default_factory=list)


Measure = Callable[[Bench], list[Measurement]]
MEASUREMENTS: list[tuple[str, Measure]] = []


def measurement(name: str) -> Callable[[Measure], Measure]:
    """Register a group of figures under a name (``--only`` filters on it)."""

    def register(fn: Measure) -> Measure:
        MEASUREMENTS.append((name, fn))
        return fn

    return register


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Wall-clock seconds of one call, and its result."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


class StatementCounter:
    """Counts the SQL statements the app's engine sends (``before_cursor_execute``)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.count = 0
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args: Any, **kwargs: Any) -> None:
        self.count += 1

    @contextmanager
    def counting(self) -> Iterator[list[int]]:
        """Within the block: ``[n]`` holds the statements sent so far in the block, at its end."""
        start = self.count
        holder = [0]
        try:
            yield holder
        finally:
            holder[0] = self.count - start


def requests_of(bench: Bench, counter: StatementCounter, name: str, send: Callable[[], Any],
                ok: Callable[[Any], bool], n: int, warm: int = 1, **kwargs: Any) -> Measurement:
    """``n`` timed requests (after ``warm`` untimed ones); a request that is not ``ok`` raises."""
    for _ in range(warm):
        send()
    m = Measurement(name, **kwargs)
    for _ in range(n):
        with counter.counting() as statements:
            seconds, response = timed(send)
        if not ok(response):
            raise RuntimeError(f"{name}: unexpected response {getattr(response, 'status_code', response)}")
        m.samples.append(seconds)
        m.statements.append(statements[0])
    return m


def route_missing(name: str, **kwargs: Any) -> Measurement:
    """A figure whose route does not answer (yet)."""
    return Measurement(name, missing=MISSING, **kwargs)
