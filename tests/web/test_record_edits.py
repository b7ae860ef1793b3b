"""Edits of patients and user accounts (issue 11, faults 2 and 3).

Lost updates: every edit form carries the record's version; a save from a stale form is answered
with 409, the other change shown and the input kept, and nothing stored. Identifiers: changing
a patient's MRN is an admin's act with a reason, audited; name and birth-date corrections stay
open to every clinician, audited.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.models import Patient
from fbss_eval.models import User
from tests.conftest import login
from tests.web.conftest import field_error
from tests.web.conftest import input_value
from tests.web.conftest import page_text
from tests.web.conftest import soup


def _form(client: FlaskClient, url: str) -> dict[str, str]:
    """What a browser would post back from the edit form, unchanged."""
    page = soup(client.get(url))
    form = next(f for f in page.find_all("form", method="post") if not f.get("action"))  # not logout
    data: dict[str, str] = {}
    for node in form.find_all(["input", "select", "textarea"]):
        name = node.get("name")
        if not name:
            continue
        if node.name == "select":
            chosen = node.find("option", selected=True)
            data[name] = str(chosen["value"]) if chosen else ""
        elif node.get("type") == "checkbox":
            if node.has_attr("checked"):
                data[name] = str(node.get("value", "y"))
        elif node.name == "textarea":
            data[name] = node.get_text()
        else:
            data[name] = str(node.get("value", ""))
    return data


def _audits(entity: str, entity_id: int) -> list[AuditEvent]:
    return list(db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.id)))


@pytest.fixture
def second_clinician(app, users) -> FlaskClient:
    other = app.test_client()
    login(other, "olga")
    return other


# -- fault 2: lost updates -------------------------------------------------------------------


def test_a_stale_patient_save_is_a_409_that_shows_the_other_change_and_keeps_the_input(
        as_clinician, second_clinician, patient):
    url = f"/patients/{patient.id}/edit"
    form_a, form_b = _form(as_clinician, url), _form(second_clinician, url)
    assert form_a["version_id"] == form_b["version_id"]

    saved = as_clinician.post(url, data={**form_a, "family_name": "Smith"})
    assert saved.status_code == 302
    stale = second_clinician.post(url, data={**form_b, "birth_date": "1971-02-03"})

    assert stale.status_code == 409
    db.session.expire_all()
    row = db.session.get(Patient, patient.id)
    assert (row.family_name, row.birth_date) == ("Smith", date(1970, 5, 17))  # A's change survives
    page = soup(stale)
    box = page.find(class_="conflict").get_text(" ", strip=True)
    assert "Family name" in box  # the other change, shown
    assert "Smith" in box
    assert "Dr Carl Clinician" in box  # and who made it
    assert input_value(page, "birth_date") == "1971-02-03"  # what B typed, kept
    assert input_value(page, "family_name") == "Doe"

    # Saving again from the 409 page is a deliberate choice: it replaces the other change.
    again = second_clinician.post(url, data={**form_b, "birth_date": "1971-02-03",
                                             "version_id": input_value(page, "version_id")})
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Patient, patient.id).birth_date == date(1971, 2, 3)


@pytest.mark.parametrize("version", [None, "", "abc", "-1", "99999999999999999999999", "٣"])
def test_a_missing_or_forged_patient_version_is_refused(as_clinician, patient, version):
    url = f"/patients/{patient.id}/edit"
    data = _form(as_clinician, url)
    data["family_name"] = "Forged"
    if version is None:
        del data["version_id"]
    else:
        data["version_id"] = version
    response = as_clinician.post(url, data=data)
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Patient, patient.id).family_name == "Doe"
    assert [a.action for a in _audits("patient", patient.id)] == ["create"]


def test_a_stale_user_save_is_a_409_and_loses_nothing(app, as_admin, users):
    other_admin = app.test_client()
    login(other_admin, "ada")
    url = f"/admin/users/{users.other.id}"
    form_a, form_b = _form(as_admin, url), _form(other_admin, url)

    assert as_admin.post(url, data={**form_a, "full_name": "Dr Olga Renamed"}).status_code == 302
    stale = other_admin.post(url, data={**form_b, "role": "admin"})

    assert stale.status_code == 409
    db.session.expire_all()
    row = db.session.get(User, users.other.id)
    assert (row.full_name, row.role) == ("Dr Olga Renamed", "clinician")
    page = soup(stale)
    assert "Dr Olga Renamed" in page.find(class_="conflict").get_text(" ", strip=True)
    assert input_value(page, "role") == "admin"


def test_a_login_between_loading_and_saving_a_user_is_not_a_conflict(app, as_admin, users):
    url = f"/admin/users/{users.other.id}"
    form = _form(as_admin, url)
    login(app.test_client(), "olga")  # writes last_login_at on the account
    assert as_admin.post(url, data={**form, "full_name": "Dr Olga O."}).status_code == 302


# -- fault 3: who may change identifiers ---------------------------------------------------------


def test_a_clinician_cannot_change_the_mrn(second_clinician, patient):
    url = f"/patients/{patient.id}/edit"
    data = _form(second_clinician, url)
    page = soup(second_clinician.get(url))
    assert page.find(attrs={"name": "mrn"}).has_attr("readonly")
    assert "Only an administrator can change the MRN." in page_text(second_clinician.get(url))
    response = second_clinician.post(url, data={**data, "mrn": "MRN-9999"})
    assert response.status_code == 403
    assert field_error(soup(response), "mrn") == "Only an administrator can change the MRN."
    db.session.expire_all()
    assert db.session.get(Patient, patient.id).mrn == "MRN-0001"
    assert [a.action for a in _audits("patient", patient.id)] == ["create"]


def test_a_clinician_corrects_another_clinicians_patient_name_and_birth_date_audited(
        second_clinician, users, patient):
    url = f"/patients/{patient.id}/edit"
    data = {**_form(second_clinician, url), "family_name": "Doe-Smith", "birth_date": "1970-05-18"}
    assert second_clinician.post(url, data=data).status_code == 302
    last = _audits("patient", patient.id)[-1]
    assert (last.action, last.username) == ("update", "olga")
    assert last.changes == {"family_name": ["Doe", "Doe-Smith"], "birth_date": ["1970-05-17", "1970-05-18"]}


def test_an_admin_changes_the_mrn_only_with_a_reason(as_admin, patient):
    url = f"/patients/{patient.id}/edit"
    data = {**_form(as_admin, url), "mrn": "MRN-7777"}
    refused = as_admin.post(url, data=data)
    assert refused.status_code == 200
    assert field_error(soup(refused), "mrn_reason") == "Give the reason for changing the MRN."
    db.session.expire_all()
    assert db.session.get(Patient, patient.id).mrn == "MRN-0001"

    saved = as_admin.post(url, data={**data, "mrn_reason": "Duplicate record merged by medical records"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Patient, patient.id).mrn == "MRN-7777"
    last = _audits("patient", patient.id)[-1]
    assert (last.action, last.username) == ("change_mrn", "ada")
    assert last.changes == {"mrn": ["MRN-0001", "MRN-7777"],
                            "reason": [None, "Duplicate record merged by medical records"]}


def test_the_reason_field_is_offered_to_admins_only(as_admin, second_clinician, patient):
    url = f"/patients/{patient.id}/edit"
    assert soup(as_admin.get(url)).find(attrs={"name": "mrn_reason"}) is not None
    assert soup(second_clinician.get(url)).find(attrs={"name": "mrn_reason"}) is None
    assert "Only an administrator can change the MRN" in page_text(second_clinician.get(url))
