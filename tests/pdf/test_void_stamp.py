"""A visit voided while signed (issue 10: voided visits are "marked VOID on screen and on their
PDFs"): its downloads, summary and full record, are the PDFs stored at signing with VOID and the
void note laid over every page, so they still carry the signature lines; the stored bytes stay
as signed (``verify-visit`` still finds them intact). Text read with poppler's pdftotext, not
with the library that stamps."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from datetime import UTC
from datetime import datetime

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from fbss_eval.extensions import db
from fbss_eval.models import User
from fbss_eval.models import Visit
from fbss_eval.models import VisitRevision
from fbss_eval.services import signing
from fbss_eval.services import voiding
from tests.conftest import PASSWORD
from tests.conftest import login
from tests.web.signing_support import ready_visit

SIGNED_AT = datetime(2026, 11, 30, 14, 32, 5, tzinfo=UTC)
VOIDED_AT = datetime(2026, 12, 1, 9, 5, tzinfo=UTC)
REASON = "Wrong patient: belongs to another record"
# Written out from SIGNED_AT (14:32 UTC in November is 14:32 GMT in London) and the signer.
SIGNATURE = ("Signed by Dr Carl Clinician · 2026-11-30 14:32:05 UTC (2026-11-30 14:32:05 GMT (Europe/London))"
             " · Authored · revision 1")
VOID_NOTE = f"VOID · Voided by Ada Admin at 2026-12-01 09:05 UTC: {REASON}"


def pdftotext(pdf: bytes, tmp_path) -> list[str]:  # type: ignore[no-untyped-def]
    """The pages' text, white space collapsed, as poppler extracts it (the big rotated mark
    comes out as single letters; the note above the running header as a line)."""
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is needed (apt-get install poppler-utils)"
    source = tmp_path / "in.pdf"
    source.write_bytes(pdf)
    out = subprocess.run([tool, str(source), "-"], check=True, capture_output=True, timeout=60).stdout.decode()
    return [" ".join(page.split()) for page in out.split("\f") if page.strip()]


@pytest.fixture
def voided(app, users):  # type: ignore[no-untyped-def]
    """A visit signed by Carl, then voided by Ada (an admin); its revision."""
    visit = ready_visit(users.clinician)
    with freeze_time(SIGNED_AT):
        outcome = signing.sign(visit, db.session.get(User, users.clinician.id), PASSWORD, "authored")
    db.session.commit()
    assert outcome.revision is not None
    with freeze_time(VOIDED_AT):
        voiding.void_visit(db.session.get(Visit, visit.id), db.session.get(User, users.admin.id), REASON)
    db.session.commit()
    return db.session.get(VisitRevision, outcome.revision.id)


@pytest.mark.parametrize(("url", "document"), [("pdf", "summary"), ("record.pdf", "record")])
def test_a_voided_signed_visit_downloads_its_signed_pdf_marked_void(app, voided, url, document, tmp_path):  # type: ignore[no-untyped-def]
    stored = bytes(voided.summary_pdf if document == "summary" else voided.record_pdf)
    client = app.test_client()
    login(client, "ada")
    response = client.get(f"/visits/{voided.visit_id}/{url}")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert response.data != stored  # a marked copy, not the evidence itself
    served, signed = pdftotext(response.data, tmp_path), pdftotext(stored, tmp_path)
    assert len(served) == len(signed) >= 2
    for number, (page, original) in enumerate(zip(served, signed, strict=True), 1):
        assert VOID_NOTE in page, f"page {number}: no void note"
        assert all(letter in page.replace(VOID_NOTE, "") for letter in "VOID"), f"page {number}: no VOID mark"
        assert SIGNATURE in page, f"page {number}: the signature line is gone"
        assert f"Answers SHA-256 {voided.answers_sha256}" in page, f"page {number}: no answers hash"
        assert "VOID" not in original, f"page {number}: the stored PDF itself says VOID"


def test_the_stored_pdfs_stay_as_signed_and_verify_visit_passes(app, voided):  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, "ada")
    for url in ("pdf", "record.pdf"):
        assert client.get(f"/visits/{voided.visit_id}/{url}").status_code == 200
    db.session.expire_all()
    row = db.session.execute(sa.select(Visit.signed_pdf, Visit.signed_pdf_sha256, Visit.status)
                             .where(Visit.id == voided.visit_id)).one()
    revision = db.session.get(VisitRevision, voided.id)
    assert row.status == "voided"
    assert hashlib.sha256(bytes(row.signed_pdf)).hexdigest() == row.signed_pdf_sha256 == revision.summary_pdf_sha256
    assert hashlib.sha256(bytes(revision.record_pdf)).hexdigest() == revision.record_pdf_sha256
    result = app.test_cli_runner().invoke(args=["verify-visit", str(voided.visit_id)])
    assert result.exit_code == 0, result.output
    assert f"visit {voided.visit_id}: intact" in result.output


@pytest.mark.parametrize("document", ["summary", "record"])
def test_a_voided_visits_revision_downloads_are_marked_void_too(app, voided, document, tmp_path):  # type: ignore[no-untyped-def]
    """The revisions page offers each signed revision's stored PDFs: for a voided visit, they are
    its PDFs too, so they carry the mark and the note; the signature lines stay."""
    stored = bytes(voided.summary_pdf if document == "summary" else voided.record_pdf)
    client = app.test_client()
    login(client, "ada")
    response = client.get(f"/visits/{voided.visit_id}/revisions/1/{document}.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('_rev1.pdf"')
    assert response.data != stored
    served, signed = pdftotext(response.data, tmp_path), pdftotext(stored, tmp_path)
    assert len(served) == len(signed) >= 2
    for number, page in enumerate(served, 1):
        assert VOID_NOTE in page, f"page {number}: no void note"
        assert SIGNATURE in page, f"page {number}: the signature line is gone"
    db.session.expire_all()
    revision = db.session.get(VisitRevision, voided.id)
    digest = revision.summary_pdf_sha256 if document == "summary" else revision.record_pdf_sha256
    assert hashlib.sha256(stored).hexdigest() == digest  # the evidence itself is unchanged
