"""A section save runs a small, constant number of SQL statements (design.md section 6: "SQL
statements per request a small constant that does not grow with the data").

The saves go through the real section form (``page_form``), as a browser without JavaScript
posts it: one saved unchanged, and saves that change a score, the differential's findings and a
red flag's alert (raised, then retired), each writing its audit row. The same saves are counted
on a patient with one earlier visit and few other records, and again after the database has
gained many other patients' visits and the patient four more earlier visits with acknowledged
alerts: the counts must be the same.
"""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from fbss_eval.extensions import db
from fbss_eval.models import Patient
from fbss_eval.models import VisitAlert
from fbss_eval.services import visits as visit_service
from tests.web.conftest import make_patient
from tests.web.review_support import make_visit
from tests.web.test_admin_visits import counted
from tests.web.visits_support import audit_rows
from tests.web.visits_support import page_form
from tests.web.visits_support import section_url
from tests.web.visits_support import start_visit

TODAY = date.today()
RED_FLAG = "rf_ces_bladder_bowel"  # a "yes" raises a critical alert that must be acknowledged
CES_ALERT = f"red_flag.{RED_FLAG}"


def _save(app: Flask, client: FlaskClient, visit_id: int, key: str, changes: dict[str, str]) -> int:
    """Post the section's own form with ``changes``; the statements the POST ran."""
    form = page_form(client.get(section_url(visit_id, key)))  # also refreshes the session's last-seen
    for name, value in changes.items():
        form.setlist(name, [value])
    with counted(app) as statements:
        response = client.post(section_url(visit_id, key), data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return len(statements)


def _saves(app: Flask, client: FlaskClient, visit_id: int, phq9_1: str, facet: str) -> dict[str, int]:
    """Each kind of save once; the statements of each."""
    return {
        "unchanged": _save(app, client, visit_id, "phq9", {}),
        "score changed": _save(app, client, visit_id, "phq9", {"phq9_1": phq9_1}),
        "finding changed": _save(app, client, visit_id, "differential", {"lh_facet": facet}),
        "alert raised": _save(app, client, visit_id, "red_flags", {RED_FLAG: "yes"}),
        "alert retired": _save(app, client, visit_id, "red_flags", {RED_FLAG: "no"}),
    }


def _earlier_visit(patient: Patient, clinician: Any, days: int) -> None:
    """A visit ``days`` ago with the red flag raised and acknowledged, a PHQ-9 and a differential."""
    visit = make_visit(patient, clinician, TODAY - timedelta(days=days), "follow_up", {
        "red_flags": {RED_FLAG: "yes"}, "phq9": {f"phq9_{n}": "1" for n in range(1, 10)},
        "differential": {"lh_facet": "possible", "lh_sij": "unlikely"},
    })
    for alert in visit_service.active_alerts(visit.id):
        if alert.pending:
            visit_service.acknowledge_alert(visit, alert, "Same-day referral to the spinal team.", clinician)
    db.session.commit()


def test_a_section_save_runs_the_same_few_statements_whatever_the_data(
        app: Flask, as_clinician: FlaskClient, patient: Patient, users: Any) -> None:
    _earlier_visit(patient, users.clinician, 200)
    visit_id = start_visit(as_clinician, patient.id, (TODAY - timedelta(days=1)).isoformat(), "follow_up")
    _save(app, as_clinician, visit_id, "phq9", {f"phq9_{n}": "2" for n in range(1, 10)})
    _saves(app, as_clinician, visit_id, "3", "probable")  # the first of each: rows created
    small = _saves(app, as_clinician, visit_id, "1", "unlikely")

    for i in range(30):  # other patients' visits
        other = make_patient(users.other, mrn=f"MORE-{i}", family_name=f"More{i}")
        _earlier_visit(other, users.other, 10 + i)
    for days in (150, 120, 90, 60):  # and the patient's own earlier visits
        _earlier_visit(patient, users.clinician, days)
    large = _saves(app, as_clinician, visit_id, "2", "confirmed")

    assert large == small
    assert max(small.values()) <= 18, small
    assert small["unchanged"] <= 12, small
    # each save did what it says: an audit row for every save that changed something
    actions = [row.action for row in audit_rows(visit_id) if row.action == "update"]
    assert len(actions) == 2 * 4 + 4 + 1  # two counted rounds of four changes, the warm-up's, the first PHQ-9


def test_a_raised_alert_acknowledged_at_the_previous_visit_is_shown_so_with_many_alerts_waiting(
        app: Flask, as_clinician: FlaskClient, patient: Patient, users: Any) -> None:
    """The previous visit's acknowledgements are looked up for every waiting alert at once: each
    of several alerts raised again unchanged carries its own earlier acknowledgement."""
    flags = {RED_FLAG: "yes", "rf_neuro_progressive_weakness": "yes", "rf_inf_fever": "yes", "rf_inf_wound": "yes",
             "rf_mal_cancer_history": "yes", "rf_mal_weight_loss": "yes"}
    earlier = make_visit(patient, users.clinician, TODAY - timedelta(days=30), "follow_up", {"red_flags": flags})
    raised = [a for a in visit_service.active_alerts(earlier.id) if a.pending]
    assert len(raised) >= 3, [a.kind for a in raised]
    for number, alert in enumerate(raised):
        visit_service.acknowledge_alert(earlier, alert, f"Action {number}", users.clinician)
    db.session.commit()
    expected = {a.kind: f"Action {number}" for number, a in enumerate(raised)}

    visit_id = start_visit(as_clinician, patient.id, (TODAY - timedelta(days=1)).isoformat(), "follow_up")
    _save(app, as_clinician, visit_id, "red_flags", flags)
    db.session.expire_all()
    shown = {a.kind: a for a in db.session.query(VisitAlert).filter_by(visit_id=visit_id, active=True)}
    assert {kind: (shown[kind].earlier_acknowledgement or {}).get("action") for kind in expected} == expected
    assert all(shown[kind].earlier_acknowledgement["visit_id"] == earlier.id for kind in expected)
    assert not any(shown[kind].pending for kind in expected)
