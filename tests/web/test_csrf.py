"""CSRF with Flask-WTF's protection switched on (it is off in the rest of the suite)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from fbss_eval.extensions import db
from fbss_eval.models import Patient
from fbss_eval.models.base import now_utc
from tests.conftest import PASSWORD
from tests.web.conftest import csrf_token
from tests.web.conftest import page_text
from tests.web.conftest import patient_form


@pytest.fixture
def app_overrides():
    # A long idle limit, so that only the CSRF token's own lifetime is under test.
    return {"WTF_CSRF_ENABLED": True, "SESSION_IDLE_TIMEOUT": timedelta(days=1)}


def login_with_token(client, username="carl"):
    token = csrf_token(client.get("/login"))
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, page_text(response)[:300]
    return response


def assert_friendly_csrf_page(response):
    assert response.status_code == 400
    text = page_text(response)
    assert "security token" in text
    assert "Traceback" not in text
    assert "CSRFError" not in text


def test_login_without_token_is_refused_with_a_friendly_page(client, users):
    response = client.post("/login", data={"username": "carl", "password": PASSWORD})
    assert_friendly_csrf_page(response)
    assert client.get("/").status_code == 302  # not logged in


def test_login_with_a_wrong_token_is_refused(client, users):
    client.get("/login")
    response = client.post("/login", data={"username": "carl", "password": PASSWORD, "csrf_token": "forged"})
    assert_friendly_csrf_page(response)


def test_login_with_the_token_from_the_page_works(client, users):
    login_with_token(client)
    assert client.get("/").status_code == 200


def test_patient_create_without_token_is_refused(client, users):
    login_with_token(client)
    response = client.post("/patients/new", data=patient_form())
    assert_friendly_csrf_page(response)
    assert db.session.scalar(sa.select(sa.func.count(Patient.id))) == 0


def test_patient_create_with_the_token_from_the_form_works(client, users):
    login_with_token(client)
    token = csrf_token(client.get("/patients/new"))
    response = client.post("/patients/new", data={**patient_form(), "csrf_token": token})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Patient.mrn)) == "MRN-0001"


def test_the_token_header_is_accepted(client, users):
    login_with_token(client)
    token = csrf_token(client.get("/patients/new"))
    response = client.post("/patients/new", data=patient_form(), headers={"X-CSRFToken": token})
    assert response.status_code == 302


def test_logout_and_admin_actions_need_the_token(client, users):
    login_with_token(client, "ada")
    assert_friendly_csrf_page(client.post(f"/admin/users/{users.clinician.id}/unlock"))
    assert_friendly_csrf_page(client.post("/logout"))
    assert client.get("/").status_code == 200  # still logged in


def test_a_token_still_works_after_two_hours_of_a_live_session(client, users):
    with freeze_time(now_utc()) as clock:
        login_with_token(client)
        token = csrf_token(client.get("/patients/new"))
        clock.tick(timedelta(hours=2, minutes=5))
        response = client.post("/patients/new", data={**patient_form(), "csrf_token": token})
    assert response.status_code == 302, page_text(response)[:300]
    assert db.session.scalar(sa.select(Patient.mrn)) == "MRN-0001"


def test_confirming_a_carried_forward_section_needs_the_token(client, users):
    from datetime import date

    from fbss_eval.services import visits as visit_service
    from tests.web.conftest import make_patient
    from tests.web.conftest import soup

    patient = make_patient(users.clinician)
    first = visit_service.start_visit(patient, users.clinician, date(2026, 1, 15), "initial")
    treatments = visit_service.find_section(first, "treatments")
    visit_service.save_section(first, treatments, {"mdt_involvement": "none"}, 0, users.clinician)
    second = visit_service.start_visit(patient, users.clinician, date(2026, 7, 15), "follow_up")
    db.session.commit()
    vid = second.id
    login_with_token(client)
    url = f"/visits/{vid}/sections/treatments/confirm"
    page = client.get(f"/visits/{vid}/sections/treatments")
    form = soup(page).find("form", attrs={"action": url})
    assert form is not None
    token = str(form.find("input", attrs={"name": "csrf_token"})["value"])
    rev = str(form.find("input", attrs={"name": "rev"})["value"])
    assert_friendly_csrf_page(client.post(url, data={"rev": rev}))
    assert_friendly_csrf_page(client.post(url, data={"rev": rev, "csrf_token": "forged"}))
    db.session.expire_all()
    assert visit_service.section_rows(db.session.get(type(second), vid))["treatments"].carried_forward_from == first.id
    assert client.post(url, data={"rev": rev, "csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert visit_service.section_rows(db.session.get(type(second), vid))["treatments"].carried_forward_from is None
