"""The audit viewer beyond the filters of test_audit_filters.py: the patient filter, each row's link
to its visit, user or patient, old and new values in labels, the CSV export of the same filter
(formula-escaped, audited), and the action choices covering every action the app writes."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import sqlalchemy as sa

import fbss_eval
from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.services import audit
from fbss_eval.services import visits as visit_service
from fbss_eval.services.audit_view import ACTIONS
from tests.conftest import login
from tests.web.conftest import make_patient
from tests.web.conftest import soup


def rows_of(response) -> list[list[str]]:
    return [[td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in soup(response).select("table.audit tbody tr")]


def red_flags() -> object:
    return next(s for s in visit_service.visit_sections() if s.key == "red_flags")


def test_the_patient_filter_shows_the_patient_and_all_their_visits(client, users, patient):
    other = make_patient(users.clinician, mrn="MRN-0002", family_name="Roe")
    mine = visit_service.start_visit(patient, users.clinician, date(2026, 1, 5), "initial")
    theirs = visit_service.start_visit(other, users.clinician, date(2026, 1, 6), "initial")
    db.session.commit()
    login(client, "ada")
    found = rows_of(client.get("/admin/audit", query_string={"patient": " MRN-0001 "}))
    records = [row[4] for row in found]
    assert records == [f"visit {mine.id}", f"patient {patient.id}"]
    assert f"visit {theirs.id}" not in records
    both = rows_of(client.get("/admin/audit", query_string={"patient": "MRN-0001", "entity": "visit"}))
    assert [row[4] for row in both] == [f"visit {mine.id}"]


def test_each_row_links_to_its_visit_user_or_patient(client, users, patient):
    visit = visit_service.start_visit(patient, users.clinician, date(2026, 1, 5), "initial")
    db.session.commit()
    login(client, "ada")
    links = {a.get_text(" ", strip=True): a["href"] for a in soup(client.get("/admin/audit")).select("table.audit a")}
    assert links[f"visit {visit.id}"] == f"/visits/{visit.id}"
    assert links[f"patient {patient.id}"] == f"/patients/{patient.id}"
    assert links[f"user {users.admin.id}"] == f"/admin/users/{users.admin.id}"
    for href in links.values():
        assert client.get(href).status_code == 200, href


def test_old_and_new_values_are_shown_in_labels(client, users, patient):
    visit = visit_service.start_visit(patient, users.clinician, date(2026, 1, 5), "initial")
    db.session.commit()
    visit_service.save_section(visit, red_flags(), {"rf_inf_diabetes": "yes"}, 0, users.clinician)
    audit.record("update", "user", users.other.id, {"active": [True, False], "full_name": ["Olga", "Dr Olga"]},
                 user=users.admin)
    db.session.commit()
    login(client, "ada")
    page = soup(client.get("/admin/audit", query_string={"action": "update"}))
    pairs = [(dt.get_text(" ", strip=True), dd.get_text(" ", strip=True)) for dt, dd in
             zip(page.select("dl.changes dt"), page.select("dl.changes dd"), strict=True)]
    assert ("Active", "Yes → No") in pairs
    assert ("Full name", "Olga → Dr Olga") in pairs
    diabetes = [pair for pair in pairs if "diabetes" in pair[0].lower()]
    assert diabetes, pairs
    label, values = diabetes[0]
    assert label.startswith("Red flags")  # the section's title, then the field's label
    assert "rf_inf_diabetes" not in label
    assert values.endswith("Yes")  # the option's label, not its code


def test_the_csv_export_has_the_filtered_events_escaped_and_is_audited(client, users, patient):
    audit.record("update", "patient", patient.id, {"family_name": ["Doe", "=HYPERLINK(1)"]}, user=users.clinician)
    audit.record("update", "patient", patient.id, {"given_name": ["Jane", "Janet"]}, user=users.other)
    db.session.commit()
    login(client, "ada")
    response = client.get("/admin/audit/export.csv", query_string={"user": "carl", "action": "update"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.is_streamed
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["user"], r["action"], r["entity"], r["entity_id"], r["field"], r["old"], r["new"]) for r in rows] == [
        ("carl", "update", "patient", str(patient.id), "Family name", "Doe", "'=HYPERLINK(1)")]
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "audit_export")).one()
    assert event.username == "ada"
    assert event.changes == {"filter": [None, {"user": "carl", "action": "update"}]}


def test_an_event_without_changes_is_one_csv_row(client, users):
    login(client, "ada")
    rows = list(csv.DictReader(io.StringIO(
        client.get("/admin/audit/export.csv", query_string={"action": "login"}).get_data(as_text=True))))
    assert [(r["user"], r["action"], r["field"], r["old"], r["new"]) for r in rows] == [("ada", "login", "", "", "")]


def test_a_look_at_the_trail_is_audited_with_its_filter_and_page(client, users):
    login(client, "ada")
    client.get("/admin/audit", query_string={"user": "carl", "since": "2026-01-01"})
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "audit_view")).one()
    assert event.changes == {"filter": [None, {"user": "carl", "since": "2026-01-01"}], "page": [None, 1]}
    assert event.username == "ada"


def test_a_clinician_can_neither_read_nor_export_the_trail(client, users):
    login(client, "carl")
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit/export.csv").status_code == 403
    looks = sa.select(AuditEvent).where(AuditEvent.action.in_(["audit_view", "audit_export"]))
    assert not db.session.scalars(looks).all()


def test_the_action_choices_name_every_action_the_app_writes():
    source = "\n".join(path.read_text() for path in Path(fbss_eval.__file__).parent.rglob("*.py"))
    written = set(re.findall(r"audit\.record\(\s*\"(\w+)\"", source))
    written |= set(re.findall(r"action=\"(\w+)\"", source)) - {"ignore"}
    written.add("view")  # services.access writes its VIEW constant
    assert written
    assert written <= set(ACTIONS), sorted(written - set(ACTIONS))
