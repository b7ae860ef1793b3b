"""The visit PDFs: the summary (``/pdf``) and the full record (``/record.pdf``). Login is
required by the app's default-deny hook (security.py); every download is audited; the response
is never cached."""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import g

from ..database import write_transaction
from ..extensions import db
from ..models import Visit
from ..services import audit

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
    from ..pdf import pdf_filename
    from ..pdf import render_visit
    from ..pdf import stored_signed_pdf

    visit = db.get_or_404(Visit, visit_id)
    stored = None if full else stored_signed_pdf(visit)
    pdf = stored if stored is not None else render_visit(visit, full=full)
    filename = pdf_filename(visit.patient.mrn, visit.visit_date, full=full)
    user_id, username = g.user.id, g.user.username
    # Reads and the render happen in a read transaction; the audit row in a short write one
    # (on SQLite: BEGIN IMMEDIATE, so no writer waits for a render and no snapshot goes stale).
    db.session.commit()
    write_transaction()
    audit.record("export_pdf", "visit", visit_id,
                 {"via": "web", "document": "record" if full else "summary",
                  "pdf": "stored" if stored is not None else "rendered"},
                 user_id=user_id, username=username)
    db.session.commit()
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
