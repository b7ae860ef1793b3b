"""Fixtures for the PDF tests.

Rendering is the slow part, so the complete visit's PDF is rendered once per database and
reused by the tests that only read it (``complete``). Requests go through a client whose every
request has its own app context, as in production (the test's own work is committed first).
"""

from __future__ import annotations

import io
import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime

import pytest
import sqlalchemy as sa
from flask import Flask
from pypdf import PdfReader

from fbss_eval.extensions import db
from fbss_eval.models import Visit
from fbss_eval.models import VisitSection
from fbss_eval.reports.build import build_visit_report
from fbss_eval.reports.model import VisitReport
from tests.conftest import Database
from tests.conftest import Users

from .answers import EARLIER_SCORED
from .builders import make_complete_visit
from .builders import make_patient

VISIT_DATE = date(2025, 6, 1)
EARLIER_DATE = date(2024, 11, 5)
# The documents' "generated at" time, frozen so the rendered HTML can be compared with a golden file.
GENERATED_AT = datetime(2025, 6, 1, 14, 30, tzinfo=UTC)
# Values stored for fields whose enable-when does not hold: they must never be printed.
HIDDEN_CRP = 987.6
HIDDEN_DETAIL = "HIDDENDETAILXYZ"


def pdf_text(pdf: bytes) -> str:
    """The text of every page, pages joined by form feeds."""
    return "\f".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def squash(text: str) -> str:
    """Text without any white space: table cells and line breaks cannot split a phrase."""
    return re.sub(r"\s+", "", text)


@dataclass
class Rendered:
    """A rendered visit: its report, PDF bytes and extracted text."""

    visit_id: int
    report: VisitReport
    pdf: bytes
    text: str

    @property
    def flat(self) -> str:
        return squash(self.text)


_RENDERED: dict[tuple[str, bool], Rendered] = {}


def inject_hidden_values(visit: Visit) -> None:
    """Store values the checklist would refuse (their enable-when does not hold), as legacy data
    or a direct database edit could: bloods not done but a CRP; a revision detail on a
    microdiscectomy."""
    query = sa.select(VisitSection).where(VisitSection.visit_id == visit.id)
    rows = {r.section_key: r for r in db.session.scalars(query)}
    imaging = dict(rows["imaging"].answers)
    imaging["crp"] = HIDDEN_CRP
    rows["imaging"].answers = imaging
    history = dict(rows["surgical_history"].answers)
    operations = [dict(op) for op in history["operations"]]
    operations[0]["procedure_details"] = HIDDEN_DETAIL
    history["operations"] = operations
    rows["surgical_history"].answers = history
    db.session.flush()


def _render_complete(app: Flask, users: Users, database: Database, full: bool) -> Rendered:
    """A complete draft visit with one earlier visit, STarT Back not assessed, hidden values
    stored: its summary and its full record, rendered once per database (every test starts from
    empty tables, so both are rendered together, from the same visit)."""
    from fbss_eval.pdf.render import render_visit_pdf

    if (database.kind, full) not in _RENDERED:
        patient = make_patient(users.clinician)
        make_complete_visit(patient, users.clinician, EARLIER_DATE, seed=3, scored=EARLIER_SCORED)
        visit = make_complete_visit(patient, users.clinician, VISIT_DATE, not_assessed={"startback": "declined"})
        inject_hidden_values(visit)
        db.session.commit()
        for document in (False, True):
            report = build_visit_report(visit, GENERATED_AT, full=document)
            pdf = render_visit_pdf(report, app.config["PDF_PAGE_SIZE"])
            _RENDERED[(database.kind, document)] = Rendered(visit.id, report, pdf, pdf_text(pdf))
    return _RENDERED[(database.kind, full)]


@pytest.fixture
def complete(app: Flask, users: Users, database: Database) -> Rendered:
    """The visit summary of the complete visit."""
    return _render_complete(app, users, database, full=False)


@pytest.fixture
def record(app: Flask, users: Users, database: Database) -> Rendered:
    """The full record of the complete visit."""
    return _render_complete(app, users, database, full=True)


@pytest.fixture(params=[False, True], ids=["summary", "record"])
def either(request: pytest.FixtureRequest, app: Flask, users: Users, database: Database) -> Rendered:
    """Each document in turn: what both must do."""
    return _render_complete(app, users, database, full=request.param)


class ConnectionCounter:
    """A TCP server on 127.0.0.1 that counts the connections made to it (and answers none)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[ConnectionCounter]:
    server = ConnectionCounter()
    yield server
    server.close()
