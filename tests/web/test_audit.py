"""The audit trail as the app writes it, and the admin's audit page."""

from __future__ import annotations

import json
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from freezegun import freeze_time

from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.models import Patient
from fbss_eval.models.base import now_utc
from tests.conftest import PASSWORD
from tests.conftest import login
from tests.web.conftest import login_response
from tests.web.conftest import patient_form
from tests.web.conftest import soup


def events(action: str | None = None) -> list[AuditEvent]:
    stmt = sa.select(AuditEvent).order_by(AuditEvent.id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return list(db.session.scalars(stmt))


def assert_recent_utc(moment: datetime) -> None:
    assert moment.tzinfo is not None
    assert moment.utcoffset() == timedelta(0)
    assert abs(now_utc() - moment) < timedelta(minutes=1)


def test_login_is_audited(client, users):
    login(client, "carl")
    (row,) = events("login")
    assert (row.user_id, row.username, row.entity, row.entity_id) == (users.clinician.id, "carl", "user",
                                                                      users.clinician.id)
    assert_recent_utc(row.at)
    assert row.remote_addr == "127.0.0.1"


def test_failed_logins_are_audited_known_or_unknown(client, users):
    login_response(client, "carl", "wrong password here")
    login_response(client, "Nobody", "wrong password here")
    rows = events("login_failed")
    assert [(r.username, r.entity_id) for r in rows] == [("carl", users.clinician.id), ("nobody", None)]
    assert all(r.user_id is None for r in rows)  # nobody was authenticated
    for row in rows:
        assert_recent_utc(row.at)
        assert "wrong password here" not in json.dumps(row.changes)


def test_logout_is_audited(client, users):
    login(client, "carl")
    client.post("/logout")
    (row,) = events("logout")
    assert (row.user_id, row.username, row.entity, row.entity_id) == (users.clinician.id, "carl", "user",
                                                                      users.clinician.id)
    assert_recent_utc(row.at)


def test_patient_create_is_audited_with_every_field(as_clinician, users):
    as_clinician.post("/patients/new", data=patient_form(mrn="AUD-1"))
    patient = db.session.scalar(sa.select(Patient))
    (row,) = [r for r in events("create") if r.entity == "patient"]
    assert (row.user_id, row.username, row.entity, row.entity_id) == (users.clinician.id, "carl", "patient",
                                                                      patient.id)
    assert row.changes == {
        "birth_date": [None, "1970-05-17"],
        "family_name": [None, "Doe"],
        "given_name": [None, "Jane"],
        "mrn": [None, "AUD-1"],
        "sex": [None, "female"],
    }
    assert_recent_utc(row.at)


def test_patient_update_records_exactly_the_changed_field(as_clinician, users, patient):
    as_clinician.post(f"/patients/{patient.id}/edit", data=patient_form(family_name="Roe"))
    (row,) = events("update")
    assert (row.user_id, row.entity, row.entity_id) == (users.clinician.id, "patient", patient.id)
    assert row.changes == {"family_name": ["Doe", "Roe"]}
    assert_recent_utc(row.at)


def test_a_save_without_changes_writes_no_update_row(as_clinician, patient):
    as_clinician.post(f"/patients/{patient.id}/edit", data=patient_form())
    assert events("update") == []


def test_a_refused_save_writes_no_row(as_clinician, patient):
    before = len(events())
    as_clinician.post(f"/patients/{patient.id}/edit", data=patient_form(family_name=""))
    assert len(events()) == before


def test_the_password_never_reaches_the_audit_trail(app, users):
    admin = app.test_client()
    login(admin, "ada")
    first = "first secret for the new account"
    admin.post("/admin/users/new", data={"username": "newbie", "full_name": "New Bie", "role": "clinician",
                                         "active": "y", "password": first})
    newbie = db.session.scalar(sa.text("SELECT id FROM \"user\" WHERE username = 'newbie'"))
    assert newbie is not None
    second = "second secret for the new account"
    admin.post(f"/admin/users/{newbie}", data={"username": "newbie", "full_name": "New Bie", "role": "clinician",
                                               "active": "y", "password": second, "version_id": "1"})
    carl = app.test_client()
    login(carl, "carl")
    third = "a brand new passphrase 42"
    carl.post("/account/password", data={"current": PASSWORD, "new": third, "confirm": third})
    login_response(app.test_client(), "olga", "olga typed a wrong one")

    actions = {row.action for row in events()}
    assert {"create", "password_reset", "password_change", "login_failed"} <= actions
    dumped = json.dumps([[r.action, r.username, r.changes] for r in events()])
    for secret in (PASSWORD, first, second, third, "olga typed a wrong one", "$argon2"):
        assert secret not in dumped
    assert "password" not in {key for r in events() if r.changes for key in r.changes}
    (created,) = [r for r in events("create") if r.entity == "user" and r.entity_id == newbie]
    assert created.username == "ada"
    assert created.changes == {"username": [None, "newbie"], "full_name": [None, "New Bie"],
                               "role": [None, "clinician"], "active": [None, True]}


# --- the admin's audit page -------------------------------------------------------------------------


def table_rows(response) -> list[dict[str, str]]:
    rows = []
    for tr in soup(response).select("table.audit tbody tr"):
        cells = [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        if len(cells) == 7:
            rows.append({"id": cells[0], "at": cells[1], "user": cells[2], "action": cells[3], "record": cells[4],
                         "changes": cells[5]})
    return rows


def test_a_clinician_cannot_see_the_audit_trail(as_clinician):
    assert as_clinician.get("/admin/audit").status_code == 403
    assert as_clinician.get("/admin/audit?user=carl").status_code == 403


def test_the_admin_filters_the_audit_trail(app, users, patient):
    carl, olga = app.test_client(), app.test_client()
    login(carl, "carl")
    login(olga, "olga")
    carl.post(f"/patients/{patient.id}/edit", data=patient_form(family_name="Roe"))
    admin = app.test_client()
    login(admin, "ada")

    everything = table_rows(admin.get("/admin/audit"))
    assert {r["user"] for r in everything} >= {"carl", "olga", "ada"}
    assert [int(r["id"]) for r in everything] == sorted((int(r["id"]) for r in everything), reverse=True)

    by_user = table_rows(admin.get("/admin/audit", query_string={"user": "CARL"}))
    assert by_user
    assert {r["user"] for r in by_user} == {"carl"}
    assert {r["action"] for r in by_user} == {"create", "login", "update"}  # the patient fixture was carl's

    by_action = table_rows(admin.get("/admin/audit", query_string={"action": "update"}))
    assert len(by_action) == 1
    assert "Doe" in by_action[0]["changes"]
    assert "Roe" in by_action[0]["changes"]

    by_entity = table_rows(admin.get("/admin/audit", query_string={"entity": "patient"}))
    assert {r["action"] for r in by_entity} == {"create", "update"}
    by_record = table_rows(admin.get("/admin/audit", query_string={"entity": "patient", "entity_id": patient.id}))
    assert len(by_record) == 2
    nothing = table_rows(admin.get("/admin/audit", query_string={"entity": "patient", "entity_id": 999}))
    assert nothing == []


def test_the_admin_filters_by_date(app, users):
    day = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    if day > now_utc():  # keep the days in the past, whatever today is
        day = now_utc() - timedelta(days=30)
    with freeze_time(day):
        login(app.test_client(), "carl")
    with freeze_time(day + timedelta(days=2)):
        login(app.test_client(), "olga")
    admin = app.test_client()
    login(admin, "ada")
    first, third = day.date().isoformat(), (day + timedelta(days=2)).date().isoformat()
    middle = (day + timedelta(days=1)).date().isoformat()

    def users_on(**query):
        return {r["user"] for r in table_rows(admin.get("/admin/audit", query_string={"action": "login", **query}))}

    assert users_on(since=first, until=first) == {"carl"}
    assert users_on(since=third, until=third) == {"olga"}
    assert users_on(since=middle, until=middle) == set()
    assert users_on(since=middle) == {"olga", "ada"}
    assert users_on(until=middle) == {"carl"}


# Odd filter values (bad page numbers, ids, dates, over-long text) have exact expectations in
# tests/web/test_audit_filters.py.
