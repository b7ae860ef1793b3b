"""The visit PDFs: the summary (``/pdf``) and the full record (``/record.pdf``). Login is
required by the app's default-deny hook (security.py); every download is audited; the response
is never cached."""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import abort
from flask import g

from ..database import write_after_read
from ..pdf import downloads as visit_pdfs
from ..pdf.limit import RendersBusyError
from ..services import visits
from ..services.unit_of_work import unit_of_work

bp = Blueprint("visit_pdf", __name__)


@bp.get("/visits/<int:visit_id>/pdf")
def download(visit_id: int) -> Response:
    """The visit summary: a signed visit's stored PDF when there is one, else rendered now."""
    return _pdf_response(visit_id, full=False)


@bp.get("/visits/<int:visit_id>/record.pdf")
def record(visit_id: int) -> Response:
    """The full record (every answer), rendered now."""
    return _pdf_response(visit_id, full=True)


def _pdf_response(visit_id: int, *, full: bool) -> Response:
    user_id, username = g.user.id, g.user.username
    # One unit of work: reads and the render, then the audit row. On SQLite the read transaction
    # ends before the write and the write begins its own (BEGIN IMMEDIATE: no writer waits for a
    # render, no snapshot goes stale); on PostgreSQL the row goes into the same transaction, one
    # commit for the download.
    with unit_of_work():
        visit = visits.find_visit(visit_id) or abort(404)
        try:
            pdf = visit_pdfs.visit_pdf(visit, full=full)
        except RendersBusyError:  # other workers are rendering: come back shortly, keep this worker free
            busy = Response("Other PDFs are being prepared; try again in a few seconds.\n", 503, mimetype="text/plain")
            busy.headers["Retry-After"] = "5"
            return busy
        with write_after_read():
            visit_pdfs.record_download(visit_id, pdf, full=full, by_id=user_id, by_username=username)
    response = Response(pdf.content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{pdf.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
