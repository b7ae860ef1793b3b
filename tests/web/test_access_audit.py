"""Record of access (issue 11, fault 9): opening a patient or a visit (its summary or any section
page) writes one ``view`` row per user, record and clock hour; later views in that hour cost one
query and write nothing; edits are audited by what they change, not as views."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.models.base import now_utc
from fbss_eval.services import audit
from fbss_eval.services import visits as visit_service
from tests.conftest import login


@pytest.fixture
def visit(app, users, patient):
    visit = visit_service.start_visit(patient, users.clinician, date.today() - timedelta(days=1), "initial")
    db.session.commit()
    return visit


def views() -> list[tuple[str, str, int]]:
    db.session.rollback()
    return [tuple(row) for row in db.session.execute(
        sa.select(AuditEvent.username, AuditEvent.entity, AuditEvent.entity_id)
        .where(AuditEvent.action == "view").order_by(AuditEvent.id))]


def test_opening_a_patient_records_one_view_an_hour(as_clinician, patient):
    for _ in range(3):
        assert as_clinician.get(f"/patients/{patient.id}").status_code == 200
    assert views() == [("carl", "patient", patient.id)]


def test_each_user_has_their_own_view_row(app, users, patient):
    clients = {name: app.test_client() for name in ("carl", "olga")}
    for name, client in clients.items():
        login(client, name)
    for name in ("carl", "olga", "carl", "olga"):
        assert clients[name].get(f"/patients/{patient.id}").status_code == 200
    assert views() == [("carl", "patient", patient.id), ("olga", "patient", patient.id)]


def test_the_summary_and_the_section_pages_record_one_view_of_the_visit(as_clinician, visit):
    key = visit_service.sections_of(visit)[1].key
    for path in (f"/visits/{visit.id}", f"/visits/{visit.id}/sections/red_flags",
                 f"/visits/{visit.id}/sections/{key}"):
        assert as_clinician.get(path).status_code == 200, path
    assert views() == [("carl", "visit", visit.id)]


def test_a_new_hour_records_a_new_view(as_clinician, patient, monkeypatch):
    as_clinician.get(f"/patients/{patient.id}")
    later = now_utc() + timedelta(hours=1)
    monkeypatch.setattr("fbss_eval.services.access.now_utc", lambda: later)
    monkeypatch.setattr("fbss_eval.models.audit.now_utc", lambda: later)
    as_clinician.get(f"/patients/{patient.id}")
    as_clinician.get(f"/patients/{patient.id}")
    db.session.rollback()
    hours = db.session.scalars(sa.select(AuditEvent.at).where(AuditEvent.action == "view")).all()
    assert len(hours) == 2
    assert hours[1] - hours[0] >= timedelta(minutes=59)


def test_a_missing_record_records_no_view(as_clinician, patient):
    assert as_clinician.get(f"/patients/{patient.id + 1000}").status_code == 404
    assert as_clinician.get("/visits/4242").status_code == 404
    assert views() == []


def test_a_save_is_audited_as_an_update_not_as_a_view(as_clinician, visit):
    page = as_clinician.get(f"/visits/{visit.id}/sections/red_flags")
    assert page.status_code == 200
    before = views()
    response = as_clinician.post(f"/visits/{visit.id}/sections/red_flags", data={"_rev": "0"})
    assert response.status_code in (302, 422)
    assert views() == before


def test_a_repeated_view_costs_one_audit_query_and_no_write(app, as_clinician, patient):
    as_clinician.get(f"/patients/{patient.id}")
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        if "audit_event" in statement:
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert as_clinician.get(f"/patients/{patient.id}").status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", seen)
    assert len(statements) == 1, statements
    assert statements[0].lstrip().upper().startswith("SELECT")


def test_views_keep_the_chain_intact(as_clinician, patient, visit):
    as_clinician.get(f"/patients/{patient.id}")
    as_clinician.get(f"/visits/{visit.id}")
    db.session.rollback()
    check = audit.verify_chain()
    assert check.bad_id is None
    assert check.rows >= 5
