"""A visit's PDF for download from the web: the summary (a signed visit's stored PDF when there
is one, else rendered now) or the full record, and the audit row of the download."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from ..extensions import db
from ..models import Visit
from ..services import audit
from . import pdf_filename
from . import render_visit
from . import stored_pdf
from .limit import render_slot


@dataclass(frozen=True)
class VisitPdf:
    """The bytes of one PDF, the file name to offer, and whether they were stored at signing."""

    content: bytes
    filename: str
    stored: bool


def visit_pdf(visit: Visit, *, full: bool) -> VisitPdf:
    """The summary or, with ``full``, the full record: as stored at signing, else rendered now."""
    stored = stored_pdf(visit, full=full)
    if stored is not None:
        content = stored
    else:  # a render holds a worker for a while: at most FBSS_PDF_CONCURRENCY at once (limit.py)
        config = current_app.config
        folder = config.get("FBSS_PDF_SLOTS_DIR")
        with render_slot(int(config.get("FBSS_PDF_CONCURRENCY", 1)), Path(folder) if folder else None,
                         float(config.get("FBSS_PDF_WAIT", 0.5))):
            content = render_visit(visit, full=full)
    return VisitPdf(content, pdf_filename(visit.patient.mrn, visit.visit_date, full=full), stored is not None)


def record_download(visit_id: int, pdf: VisitPdf, *, full: bool, by_id: int, by_username: str) -> None:
    """Audit one web download of a visit's PDF, written now (within the caller's transaction, so
    within ``write_after_read``'s write lock on SQLite)."""
    audit.record("export_pdf", "visit", visit_id,
                 {"via": "web", "document": "record" if full else "summary",
                  "pdf": "stored" if pdf.stored else "rendered"},
                 user_id=by_id, username=by_username)
    db.session.flush()


