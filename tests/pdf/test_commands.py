"""``flask export-pdf`` and ``flask export-pdfs``: valid PDFs, file names, audit rows."""

from __future__ import annotations

import io
from datetime import date

import sqlalchemy as sa
from pypdf import PdfReader

from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.services import visits as service

from .builders import make_patient


def export_audits() -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export_pdf")
                                   .order_by(AuditEvent.entity_id)))


def assert_pdf(data: bytes) -> None:
    assert data.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(data)).pages) >= 1


def test_export_pdf_writes_one_file(app, users, runner, tmp_path):
    patient = make_patient(users.clinician)
    visit = service.start_visit(patient, users.clinician, date(2025, 6, 1), "initial")
    db.session.commit()
    output = tmp_path / "out" / "visit.pdf"
    result = runner.invoke(args=["export-pdf", str(visit.id), "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert_pdf(output.read_bytes())
    (row,) = export_audits()
    assert (row.user_id, row.entity, row.entity_id) == (None, "visit", visit.id)
    assert row.changes == {"via": "cli", "file": "visit.pdf", "document": "summary"}


def test_export_pdf_full_writes_the_full_record(app, users, runner, tmp_path):
    from .conftest import pdf_text

    patient = make_patient(users.clinician)
    visit = service.start_visit(patient, users.clinician, date(2025, 6, 1), "initial")
    db.session.commit()
    output = tmp_path / "record.pdf"
    result = runner.invoke(args=["export-pdf", str(visit.id), "--output", str(output), "--full"])
    assert result.exit_code == 0, result.output
    assert "full visit record" in pdf_text(output.read_bytes()).lower()
    (row,) = export_audits()
    assert row.changes == {"via": "cli", "file": "record.pdf", "document": "record"}


def test_export_pdf_of_an_unknown_visit_fails(app, runner, tmp_path):
    result = runner.invoke(args=["export-pdf", "424242", "--output", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0
    assert "No visit 424242" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_export_pdfs_writes_every_visit_since_a_date_on_worker_processes(app, users, runner, tmp_path):
    patients = [make_patient(users.clinician, mrn=f"MRN-{n}", family=f"Fam{n}") for n in range(2)]
    old = service.start_visit(patients[0], users.clinician, date(2024, 12, 31), "initial")
    wanted = [
        service.start_visit(patients[0], users.clinician, date(2025, 2, 3), "follow_up"),
        service.start_visit(patients[1], users.clinician, date(2025, 1, 1), "initial"),
        service.start_visit(patients[1], users.clinician, date(2025, 3, 4), "follow_up"),
    ]
    db.session.commit()
    out = tmp_path / "pdfs"
    result = runner.invoke(args=["export-pdfs", "--since", "2025-01-01", "--dir", str(out), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "Wrote 3 PDFs" in result.output
    expected = {f"{v.patient.mrn}_{v.visit_date.isoformat()}_{v.id}.pdf" for v in wanted}
    assert {p.name for p in out.iterdir()} == expected
    for path in out.iterdir():
        assert_pdf(path.read_bytes())
    rows = export_audits()
    assert [r.entity_id for r in rows] == sorted(v.id for v in wanted)
    assert all(r.user_id is None and r.changes["via"] == "cli" for r in rows)
    assert old.id not in {r.entity_id for r in rows}


def test_export_pdfs_full_names_the_files_as_records(app, users, runner, tmp_path):
    visit = service.start_visit(make_patient(users.clinician), users.clinician, date(2025, 2, 3), "initial")
    db.session.commit()
    out = tmp_path / "records"
    result = runner.invoke(args=["export-pdfs", "--since", "2025-01-01", "--dir", str(out), "--jobs", "1", "--full"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == [f"MRN-0001_2025-02-03_{visit.id}_record.pdf"]
    (row,) = export_audits()
    assert row.changes["document"] == "record"


def test_export_pdfs_with_nothing_to_do(app, runner, tmp_path):
    result = runner.invoke(args=["export-pdfs", "--since", "2030-01-01", "--dir", str(tmp_path)])
    assert result.exit_code == 0
    assert "No visits since 2030-01-01" in result.output
