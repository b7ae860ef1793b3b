"""Exporting visit PDFs to files, one at a time or in bulk on every core.

Bulk export uses a ``ProcessPoolExecutor`` (spawned workers: no database connection is shared
with the parent across a fork). Each worker builds the app once, imports WeasyPrint once, and
then renders the visits it is given; the parent writes one audit row per file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import as_completed
from dataclasses import dataclass
from datetime import date
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from ..extensions import db
from ..models import Visit
from ..models import VisitStatus
from ..services import audit
from ..services.unit_of_work import unit_of_work
from . import pdf_filename
from . import visit_pdf

# The configuration a worker needs to render exactly what the parent would.
WORKER_CONFIG_KEYS = ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "FBSS_SCORING", "FBSS_OPTIONAL_INSTRUMENTS",
                      "PDF_PAGE_SIZE", "SQLALCHEMY_ENGINE_OPTIONS", "SQLITE_BUSY_TIMEOUT_MS")

_worker_app: Flask | None = None


@dataclass(frozen=True)
class Exported:
    """One file written (or why it was not)."""

    visit_id: int
    filename: str | None
    error: str | None = None


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary name, then rename: no reader ever sees half a PDF."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def export_one(visit: Visit, path: Path, *, full: bool = False) -> None:
    """Write one visit's summary PDF (a signed visit's stored PDF when there is one), or its
    full record, and audit it."""
    write_atomically(path, visit_pdf(visit, full=full))
    audit.record("export_pdf", "visit", visit.id,
                 {"via": "cli", "file": path.name, "document": "record" if full else "summary"})


def visits_since(since: date) -> list[int]:
    """Ids of the visits on or after a date, oldest first (voided visits left out)."""
    return list(db.session.scalars(
        sa.select(Visit.id).where(Visit.visit_date >= since, Visit.status != VisitStatus.VOIDED)
        .order_by(Visit.visit_date, Visit.id)
    ))


def _worker_init(overrides: dict[str, Any]) -> None:
    global _worker_app
    from .. import create_app
    from . import render  # noqa: F401 - import WeasyPrint once, at worker start

    _worker_app = create_app(**overrides)


def _worker_render(visit_id: int, directory: str, full: bool) -> Exported:
    if _worker_app is None:
        raise RuntimeError("worker not initialised")
    with _worker_app.app_context():
        try:
            visit = db.session.get(Visit, visit_id)
            if visit is None:
                return Exported(visit_id, None, "no such visit")
            name = pdf_filename(visit.patient.mrn, visit.visit_date, visit.id, full=full)
            write_atomically(Path(directory) / name, visit_pdf(visit, full=full))
            return Exported(visit_id, name)
        except Exception as exc:  # noqa: BLE001 - reported per visit, the batch goes on
            return Exported(visit_id, None, type(exc).__name__)
        finally:
            db.session.remove()


def export_many(
    app: Flask, visit_ids: Iterable[int], directory: Path, jobs: int,
    progress: Callable[[Exported], None] = lambda _: None, *, full: bool = False,
) -> list[Exported]:
    """Render the visits' summaries (full records with ``full``) into ``directory`` on ``jobs``
    worker processes; audit each file written (user None: a command-line export). Returns what
    happened to each visit."""
    ids = list(visit_ids)
    directory.mkdir(parents=True, exist_ok=True)
    overrides = {key: app.config[key] for key in WORKER_CONFIG_KEYS if key in app.config}
    results: list[Exported] = []
    with unit_of_work(), ProcessPoolExecutor(  # the audit rows are committed once, at the end
        max_workers=max(1, min(jobs, len(ids) or 1)), mp_context=get_context("spawn"),
        initializer=_worker_init, initargs=(overrides,),
    ) as pool:
        futures = [pool.submit(_worker_render, visit_id, str(directory), full) for visit_id in ids]
        for future in as_completed(futures):
            result = future.result()
            if result.filename:
                audit.record("export_pdf", "visit", result.visit_id,
                             {"via": "cli", "file": result.filename, "document": "record" if full else "summary"})
            results.append(result)
            progress(result)
    return sorted(results, key=lambda r: r.visit_id)
