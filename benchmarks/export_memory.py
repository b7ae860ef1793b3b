"""The CSV zip export's time and peak memory at several sizes (a script, never a timed test).

Seeds a temporary database (SQLite, or ``--database-url`` for PostgreSQL) with copies of one
complete visit (its sections, scores and repeat-group rows) by bulk inserts, then drains
``export_visits_zip`` over all visits and prints the seconds (and milliseconds a visit), the zip's
size and the peak of Python allocations (tracemalloc) for each size. The service, not the route:
``benchmarks/export.py`` measures the route (time and peak RSS) in ``make bench``. Flat memory
shows as a peak that does not grow with the number of visits.

    .venv/bin/python -m benchmarks.export_memory                       # 1,000 and 10,000 visits
    .venv/bin/python -m benchmarks.export_memory --sizes 1000 100000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path
from typing import Any


def _grow(app: Any, template_id: int, total: int) -> None:
    """Copy the template visit until there are ``total`` visits (bulk inserts, 1,000 at a time)."""
    import sqlalchemy as sa

    from fbss_eval.extensions import db
    from fbss_eval.models import InstrumentScore
    from fbss_eval.models import Visit
    from fbss_eval.models import VisitSection

    with app.app_context():
        have = db.session.scalar(sa.select(sa.func.count(Visit.id))) or 0
        visit = db.session.get(Visit, template_id)
        sections = db.session.execute(sa.select(VisitSection.section_key, VisitSection.answers,
                                                VisitSection.status, VisitSection.n_answered,
                                                VisitSection.n_required)
                                      .where(VisitSection.visit_id == template_id)).all()
        scores = db.session.execute(sa.select(InstrumentScore.instrument, InstrumentScore.score,
                                              InstrumentScore.band, InstrumentScore.band_label,
                                              InstrumentScore.positive)
                                    .where(InstrumentScore.visit_id == template_id)).all()
        head = {"patient_id": visit.patient_id, "clinician_id": visit.clinician_id, "visit_date": visit.visit_date,
                "visit_type": visit.visit_type, "status": visit.status, "checklist_version": visit.checklist_version,
                "completeness_pct": visit.completeness_pct}
        while have < total:
            n = min(1000, total - have)
            ids = db.session.scalars(sa.insert(Visit).returning(Visit.id), [head] * n).all()
            db.session.execute(sa.insert(VisitSection), [
                {"visit_id": vid, "section_key": s.section_key, "answers": s.answers, "status": s.status,
                 "n_answered": s.n_answered, "n_required": s.n_required} for vid in ids for s in sections])
            db.session.execute(sa.insert(InstrumentScore), [
                {"visit_id": vid, "instrument": r.instrument, "score": r.score, "band": r.band,
                 "band_label": r.band_label, "positive": r.positive} for vid in ids for r in scores])
            db.session.commit()
            have += n


def _measure(app: Any, traced: bool) -> tuple[float, int, int]:
    """Seconds, zip bytes and (``traced``) peak traced bytes of one export of every visit. Tracing
    slows Python down several times: the seconds printed come from an untraced run."""
    import sqlalchemy as sa

    from fbss_eval.models import Visit
    from fbss_eval.services.visit_export import export_visits_zip

    with app.test_request_context():
        if traced:
            tracemalloc.start()
        start = time.perf_counter()
        size = sum(len(piece) for piece in export_visits_zip(sa.select(Visit.id)))
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
        if traced:
            tracemalloc.stop()
    return seconds, size, peak


def main(argv: list[str] | None = None) -> int:
    """Seed, export, print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="numbers of visits")
    parser.add_argument("--database-url", default="", help="an empty database to use (default: temporary SQLite)")
    parser.add_argument("--no-memory", dest="memory", action="store_false", help="time only (no traced run)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from fbss_eval import create_app
    from fbss_eval.extensions import db
    from fbss_eval.services.users import create_user
    from tests.conftest import migrate_to_head
    from tests.pdf.builders import make_complete_visit
    from tests.pdf.builders import make_patient

    with tempfile.TemporaryDirectory(prefix="fbss-export-bench-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        migrate_to_head(url)
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            clinician = create_user("bench", "Dr Bench Mark", "clinician", "bench password 12345")
            template = make_complete_visit(make_patient(clinician, mrn="BENCH-1"), clinician, date(2025, 6, 1)).id
            db.session.commit()
        print(f"{'visits':>8}  {'seconds':>8}  {'ms/visit':>8}  {'zip MB':>7}  {'peak MB':>8}", flush=True)
        for total in sorted(args.sizes):
            _grow(app, template, total)
            seconds, size, _ = _measure(app, traced=False)
            peak = _measure(app, traced=True)[2] if args.memory else 0
            per_visit = seconds * 1000 / total
            print(f"{total:>8}  {seconds:>8.1f}  {per_visit:>8.2f}  {size / 1e6:>7.1f}  {peak / 1e6:>8.1f}", flush=True)
        with app.app_context():
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
