"""``make bench``: performance figures against the targets of design.md section 6. A script, never a
timed test.

It seeds (or reuses, by seed, counts and schema head: ``seeding.py``) 20,000 patients and 100,000
demo visits on SQLite, and on PostgreSQL when ``BENCH_DATABASE_URL`` is set, then measures p50 / p95
/ max and SQL statements per request of every page design.md names (``pages.py``, ``pdfs.py``,
``export.py``) and the load under gunicorn beside the peer page (``load.py``, driven by wrk). It
prints one table per database (each figure, its target, met or not, its ratio to the /healthz floor
of the same run) and ``bench: K of N targets met``, and writes ``benchmarks/results/latest.json``.

    make bench
    make bench BENCH_ARGS="--visits 5000 --patients 1000"   # a smaller database (quicker seeding)
    make bench BENCH_ARGS="--only sections --samples 20"
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/fbss_bench make bench
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def _fmt(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value * 1000:.1f} ms"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:.0f} {unit}"


def table(results: list[Any], title: str) -> tuple[str, int, int]:
    """The printed table, targets met and targets in all."""
    header = (f"{'figure':<52} {'p50':>10} {'p95':>10} {'max':>10} {'SQL':>7}  {'target':<26} {'verdict':<8} "
              f"{'x floor':>7}")
    lines = [title, header, "-" * len(header)]
    met = total = 0
    for m in results:
        if m.target is not None:
            total += 1
            met += bool(m.met)
        verdict = "" if m.target is None else ("met" if m.met else "NOT MET")
        target = m.target_text or ("" if m.target is None else _fmt(m.target, m.unit))
        if m.missing or not m.samples:
            lines.append(f"{m.name:<52} {m.missing or 'no samples':<41}  {target:<26} {verdict:<8}")
        else:
            sql = "" if not m.statements else (str(m.statements[0]) if min(m.statements) == max(m.statements)
                                               else f"{min(m.statements)}-{max(m.statements)}")
            ratio = "" if m.floor_ratio is None else f"{m.floor_ratio:.1f}"
            lines.append(f"{m.name:<52} {_fmt(m.p50, m.unit):>10} {_fmt(m.quantile(0.95), m.unit):>10} "
                         f"{_fmt(max(m.samples), m.unit):>10} {sql:>7}  {target:<26} {verdict:<8} {ratio:>7}")
        lines += [f"{'':<4}{note}" for note in m.notes]
    lines.append(f"bench: {met} of {total} targets met ({title})")
    return "\n".join(lines), met, total


def statements_figure(results: list[Any]) -> Any:
    """design.md: SQL statements per request a small constant that does not grow with the data."""
    from .core import Measurement

    counted = [m for m in results if m.statements]
    varying = [name for m in counted for name in (
        m.varying if m.varying is not None else ([m.name] if min(m.statements) != max(m.statements) else []))]
    by_name = {m.name: m for m in counted}
    first = by_name.get("GET /admin/visits first page")
    deep = next((m for name, m in by_name.items() if name.startswith("GET /admin/visits page ")), None)
    if first and deep and max(first.statements) != max(deep.statements):
        varying.append(f"admin list page 1 vs {deep.name.removeprefix('GET /admin/visits ')}")
    worst = max((max(m.statements) for m in counted if m.unit in ("ms", "s")), default=0)
    m = Measurement("SQL statements per request constant", samples=[float(len(varying))], unit="pages",
                    judged_on="p50", target=0.0, target_text="no page varies")
    m.notes.append(f"most statements in one request: {worst}" + (f"; varying: {', '.join(varying)}" if varying else ""))
    return m


def run_database(url: str, args: argparse.Namespace, chosen: list[Any]) -> tuple[list[Any], dict[str, Any]]:
    """Seed or reuse ``url``, prepare and measure; the figures and the seeding facts."""
    from fbss_eval import create_app
    from fbss_eval.extensions import db

    from .core import Bench
    from .pages import prepare
    from .seeding import SeedKey
    from .seeding import ensure_seeded

    key = SeedKey(args.seed, args.patients, args.visits)
    seeded = ensure_seeded(url, key)
    # The session's last-seen time is written at most every 30 s (2 statements, ~1 ms): a cost of the
    # clock, not of the page, which would make a page's statement count look as if it varied.
    # Written never here (and never idle-expired), so each figure counts the page's own statements.
    day = timedelta(days=1)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, SESSION_TOUCH_INTERVAL=day, SESSION_IDLE_TIMEOUT=day)
    import fbss_eval.pdf.render  # noqa: F401 - WeasyPrint imported once, as a worker does at start
    from fbss_eval.heap import settle

    settle()  # and the start-up heap frozen, as a worker does (gunicorn.conf.py)

    bench = Bench(app, url, max(1, args.samples), load_seconds=args.load_seconds)
    prepare(bench)
    for name, fn in chosen:
        print(f"  measuring {name} ...", flush=True)
        with app.app_context():
            try:
                bench.results += fn(bench)
            except Exception as exc:  # noqa: BLE001 - one figure failing must not hide the others
                from .core import Measurement

                bench.results.append(Measurement(name, missing=f"failed: {type(exc).__name__}: {exc}"[:200]))
            db.session.remove()
    for m in bench.results:
        if bench.floor and m.samples and m.unit in ("ms", "s") and not m.name.startswith("GET /healthz"):
            m.floor_ratio = m.judged / bench.floor
    bench.results.append(statements_figure(bench.results))
    with app.app_context():
        db.engine.dispose()
    facts = {"url": url.split("@")[-1], "patients": key.patients, "visits": key.visits, "seed": key.seed,
             "seeding_seconds": seeded, "visits_per_second": key.visits / seeded if seeded else None}
    return bench.results, facts


def main(argv: list[str] | None = None) -> int:
    """Seed, measure, print, write latest.json."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=10, help="samples per figure (fast pages: more)")
    parser.add_argument("--only", default="", help="run the figure groups whose name contains this")
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--patients", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--load-seconds", type=float, default=30.0, help="the mixed load's length")
    parser.add_argument("--sqlite", default=None, help="a SQLite URL instead of the cache file")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from . import export  # noqa: F401 - registers its figures
    from . import load  # noqa: F401
    from . import pages  # noqa: F401
    from . import pdfs  # noqa: F401
    from .core import MEASUREMENTS
    from .seeding import SeedKey
    from .seeding import sqlite_url

    order = ["pages", "sections", "admin list", "sign", "pdf", "export", "load"]
    chosen = sorted(((n, f) for n, f in MEASUREMENTS if args.only.lower() in n.lower()),
                    key=lambda item: order.index(item[0]))
    key = SeedKey(args.seed, args.patients, args.visits)
    databases = [] if args.no_sqlite else [("SQLite", args.sqlite or sqlite_url(key))]
    if os.environ.get("BENCH_DATABASE_URL"):
        from config import normalise_database_url

        databases.append(("PostgreSQL", normalise_database_url(os.environ["BENCH_DATABASE_URL"])))
    report: dict[str, Any] = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "databases": {}}
    printed, met_all, total_all = [], 0, 0
    for label, url in databases:
        print(f"{label}: {url}", flush=True)
        results, facts = run_database(url, args, chosen)
        text, met, total = table(results, f"{label}, {facts['visits']:,} visits, {facts['patients']:,} patients")
        print("\n" + text + "\n", flush=True)
        printed.append(text)
        met_all, total_all = met_all + met, total_all + total
        report["databases"][label] = {**facts, "met": met, "targets": total,
                                      "figures": [m.as_json() for m in results]}
    report.update(met=met_all, targets=total_all)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"bench: {met_all} of {total_all} targets met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
