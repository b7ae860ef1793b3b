"""The visit PDF: build the plain-data report, render it with WeasyPrint through an allow-list
fetcher, or serve a signed visit's stored PDF.

This module does not import WeasyPrint; ``render`` does, on first use.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import date

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import Visit
from ..models import VisitRevision
from ..models import VisitStatus
from ..reports.model import VisitReport
from ..services.signing import StoredPdfMismatchError
from ..services.signing import revision_pdf
from ..services.signing import stored_revision_pdf
from ..services.signing import voided_signed_pdf
from ..services.voiding import void_note

log = logging.getLogger("fbss_eval.pdf")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def pdf_filename(mrn: str, visit_date: date, visit_id: int | None = None, *, full: bool = False) -> str:
    """``<MRN>_<date>[_<visit id>][_record].pdf`` with anything but letters, digits, ``.``, ``_``
    and ``-`` replaced, so the name is safe in a header and on any file system."""
    safe_mrn = _UNSAFE.sub("_", mrn).strip("._") or "patient"
    parts = [safe_mrn[:40], visit_date.isoformat()] + ([str(visit_id)] if visit_id is not None else [])
    return "_".join(parts + (["record"] if full else [])) + ".pdf"


def stored_signed_pdf(visit: Visit) -> bytes | None:
    """A signed visit's stored PDF (checked against its SHA-256), or None when there is none."""
    if visit.status != VisitStatus.SIGNED:
        return None
    row = db.session.execute(
        sa.select(Visit.signed_pdf, Visit.signed_pdf_sha256).where(Visit.id == visit.id)
    ).one_or_none()
    if row is None or row.signed_pdf is None:
        return None
    pdf = bytes(row.signed_pdf)
    if row.signed_pdf_sha256 and hashlib.sha256(pdf).hexdigest() != row.signed_pdf_sha256:
        log.error("stored PDF of visit %s does not match its SHA-256", visit.id)
        raise StoredPdfMismatchError(visit.id)
    return pdf


def render_visit(visit: Visit, *, full: bool = False) -> bytes:
    """Render a visit's summary PDF, or its full record with ``full``, now (whatever its status)."""
    from ..reports.build import build_visit_report

    return render_report(build_visit_report(visit, full=full))


def render_report(report: VisitReport) -> bytes:
    """The PDF of a built visit report, at the configured page size (a pure function of the two)."""
    from .render import render_visit_pdf

    return render_visit_pdf(report, current_app.config.get("PDF_PAGE_SIZE", "A4"))


def stored_pdf(visit: Visit, *, full: bool = False) -> bytes | None:
    """A signed visit's PDF as stored at signing, summary or (``full``) full record, checked
    against its SHA-256; for a visit voided while signed, a copy of it marked VOID on every page
    (``stamp.py``: the stored bytes stay as they were); None for any other visit."""
    if visit.status == VisitStatus.VOIDED:
        signed = voided_signed_pdf(visit, full=full)
        return None if signed is None else _marked_void(visit, signed)
    return stored_revision_pdf(visit, full=True) if full else stored_signed_pdf(visit)


def revision_download(visit: Visit, revision: VisitRevision, *, full: bool = False) -> bytes:
    """A signed revision's stored summary (or full record) as handed out: the bytes stored at
    signing, checked against their SHA-256; for a voided visit, a copy marked VOID on every page,
    as its other PDFs are (the stored bytes stay as signed)."""
    pdf = revision_pdf(revision, full=full)
    return _marked_void(visit, pdf) if visit.status == VisitStatus.VOIDED else pdf


def _marked_void(visit: Visit, signed: bytes) -> bytes:
    from .stamp import stamp_void

    return stamp_void(signed, void_note(visit) or "VOID")


def visit_pdf(visit: Visit, *, full: bool = False) -> bytes:
    """The PDF to hand out: a signed visit's stored PDF, else one rendered now."""
    stored = stored_pdf(visit, full=full)
    return stored if stored is not None else render_visit(visit, full=full)
