"""Who may download a visit PDF, what is recorded, and the response headers."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC
from datetime import datetime
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.models import Visit
from fbss_eval.pdf import pdf_filename
from fbss_eval.services import visits as service
from tests.conftest import login

from .builders import make_patient
from .conftest import VISIT_DATE


def small_visit(users, mrn: str = "MRN-0001") -> Visit:
    patient = make_patient(users.clinician, mrn=mrn)
    visit = service.start_visit(patient, users.clinician, VISIT_DATE, "initial")
    db.session.commit()
    return visit


def pdf_audits(visit_id: int) -> list[AuditEvent]:
    db.session.expire_all()
    rows = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "export_pdf", AuditEvent.entity == "visit", AuditEvent.entity_id == visit_id)).all()
    db.session.rollback()
    return list(rows)


def pdf_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("visit_pdf.")]


def test_every_pdf_route_needs_login(app, users, client):
    visit = small_visit(users)
    rules = pdf_rules(app)
    assert {rule.endpoint for rule in rules} == {"visit_pdf.download", "visit_pdf.record"}
    for rule in rules:
        url = rule.build({"visit_id": visit.id}, append_unknown=False)[1]
        response = client.get(url)
        assert response.status_code == 302, url
        assert urlsplit(response.location).path == "/login"
    assert pdf_audits(visit.id) == []


def test_a_download_is_a_pdf_with_safe_headers_and_an_audit_row(app, users, client):
    visit = small_visit(users)
    login(client, "olga")  # any clinician of the clinic may read (and print) any visit
    response = client.get(f"/visits/{visit.id}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'inline; filename="MRN-0001_{VISIT_DATE.isoformat()}.pdf"'
    assert "no-store" in response.headers["Cache-Control"]
    assert response.data.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(response.data)).pages) >= 1
    client.get(f"/visits/{visit.id}/pdf")
    rows = pdf_audits(visit.id)
    assert len(rows) == 2
    assert {r.user_id for r in rows} == {users.other.id}
    assert rows[0].changes == {"via": "web", "document": "summary", "pdf": "rendered"}


def test_the_full_record_has_its_own_name_and_audit_row(app, users, as_clinician):
    visit = small_visit(users)
    response = as_clinician.get(f"/visits/{visit.id}/record.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'inline; filename="MRN-0001_{VISIT_DATE.isoformat()}_record.pdf"'
    assert "no-store" in response.headers["Cache-Control"]
    from .conftest import pdf_text

    assert "full visit record" in pdf_text(response.data).lower()
    (row,) = pdf_audits(visit.id)
    assert (row.user_id, row.changes) == (users.clinician.id, {"via": "web", "document": "record", "pdf": "rendered"})


def test_an_unknown_visit_is_404_and_not_audited(app, users, as_clinician):
    assert as_clinician.get("/visits/999999/pdf").status_code == 404
    assert pdf_audits(999999) == []


@pytest.mark.parametrize(
    ("mrn", "expected"),
    [
        ("MRN-0001", "MRN-0001_2025-06-01.pdf"),
        ('AB/12 "x";\r\nSet-Cookie: a=b', "AB_12_x_Set-Cookie_a_b_2025-06-01.pdf"),
        ("../../etc/passwd", "etc_passwd_2025-06-01.pdf"),
        ("Ünïcødé", "n_c_d_2025-06-01.pdf"),
        ("///", "patient_2025-06-01.pdf"),
    ],
)
def test_file_names_are_sanitised(mrn, expected):
    assert pdf_filename(mrn, VISIT_DATE) == expected


def test_the_header_file_name_of_an_odd_mrn(app, users, as_clinician):
    visit = small_visit(users, mrn='AB/12 "x"')
    response = as_clinician.get(f"/visits/{visit.id}/pdf")
    assert response.headers["Content-Disposition"] == 'inline; filename="AB_12_x_2025-06-01.pdf"'


def sign_with_stored_pdf(visit: Visit, signer, pdf: bytes, sha: str | None = None) -> None:
    """What the signing issue will do: status signed, the PDF stored with its SHA-256."""
    signer_id = signer.id
    visit.status = "signed"
    visit.revision = 1
    visit.signed_by_id = signer_id
    visit.signed_at = datetime(2025, 6, 1, 15, 30, tzinfo=UTC)
    visit.signed_pdf = pdf
    visit.signed_pdf_sha256 = sha or hashlib.sha256(pdf).hexdigest()
    db.session.commit()


def test_a_signed_visit_serves_its_stored_pdf(app, users, as_clinician):
    visit = small_visit(users)
    stored = b"%PDF-1.7\n% the signed document, stored at signing\n%%EOF\n"
    sign_with_stored_pdf(visit, users.clinician, stored)
    response = as_clinician.get(f"/visits/{visit.id}/pdf")
    assert response.status_code == 200
    assert response.data == stored
    assert pdf_audits(visit.id)[0].changes == {"via": "web", "document": "summary", "pdf": "stored"}
    # The full record is rendered from the stored answers, never the stored summary.
    record = as_clinician.get(f"/visits/{visit.id}/record.pdf")
    assert record.status_code == 200
    assert record.data != stored
    assert record.data.startswith(b"%PDF-")


def test_a_stored_pdf_that_does_not_match_its_hash_is_not_served(app, users, as_clinician):
    visit = small_visit(users)
    sign_with_stored_pdf(visit, users.clinician, b"%PDF-1.7 tampered", sha="0" * 64)
    response = as_clinician.get(f"/visits/{visit.id}/pdf")
    assert response.status_code == 500
    assert b"tampered" not in response.data
    assert pdf_audits(visit.id) == []


def test_a_signed_visit_without_stored_pdf_renders_with_signer_and_no_draft_mark(app, users, as_clinician):
    from .conftest import pdf_text

    visit = small_visit(users)
    signer_id = users.clinician.id
    visit.status, visit.revision = "signed", 2
    visit.signed_by_id, visit.signed_at = signer_id, datetime(2025, 6, 2, 9, 5, tzinfo=UTC)
    db.session.commit()
    text = pdf_text(as_clinician.get(f"/visits/{visit.id}/pdf").data)
    assert "DRAFT" not in text
    assert "Dr Carl Clinician" in text
    assert "2025-06-02 09:05 UTC" in text
    assert "Revision: 2" in text


@pytest.mark.parametrize("app_overrides", [{"PDF_PAGE_SIZE": "Letter"}])
def test_us_letter_pages(app, users, as_clinician, app_overrides):
    visit = small_visit(users)
    page = PdfReader(io.BytesIO(as_clinician.get(f"/visits/{visit.id}/pdf").data)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
