"""Friendly error pages: a title and a plain message; no stack trace, no exception text."""

from __future__ import annotations

from flask import abort

from tests.conftest import login
from tests.web.conftest import page_text
from tests.web.conftest import soup

LEAKS = ("Traceback", "File \"", "Werkzeug", "werkzeug", "Exception", "Error:", "sqlalchemy")


def assert_friendly(response, code: int, title: str) -> str:
    assert response.status_code == code
    assert response.mimetype == "text/html"
    page = soup(response)
    assert title in page.title.get_text()
    assert page.find("h1").get_text(strip=True) == title
    text = page_text(response)
    for leak in LEAKS:
        assert leak not in response.get_data(as_text=True), leak
    return text


def test_404_page(as_clinician):
    assert_friendly(as_clinician.get("/no/such/page"), 404, "Not found")


def test_404_for_anonymous_visitors_too(client):
    assert_friendly(client.get("/no/such/page"), 404, "Not found")


def test_403_page(as_clinician):
    text = assert_friendly(as_clinician.get("/admin/users"), 403, "Not allowed")
    assert "does not have access" in text


def test_405_page(as_clinician):
    assert_friendly(as_clinician.delete("/"), 405, "Not allowed")


def test_400_and_500_pages_show_no_exception_text(app, client, users):
    def bad_request():
        abort(400)

    def crash():
        raise RuntimeError("secret internal detail 0xDEADBEEF")

    app.add_url_rule("/_test/bad-request", "test_bad_request", bad_request)
    app.add_url_rule("/_test/crash", "test_crash", crash)
    login(client, "carl")

    text = assert_friendly(client.get("/_test/bad-request"), 400, "Bad request")
    assert "could not be understood" in text

    response = client.get("/_test/crash")
    text = assert_friendly(response, 500, "Something went wrong")
    assert "secret internal detail" not in response.get_data(as_text=True)
    assert "RuntimeError" not in response.get_data(as_text=True)
    assert "0xDEADBEEF" not in response.get_data(as_text=True)
    # The app still works after the failure (the session was rolled back).
    assert client.get("/").status_code == 200


def test_error_pages_and_logs_show_no_patient_data(app, client, users, caplog):
    from tests.web.conftest import make_patient

    patient = make_patient(users.clinician, family_name="Confidential")

    def crash_after_loading():
        from fbss_eval.extensions import db
        from fbss_eval.models import Patient

        db.session.get(Patient, patient.id)
        raise ValueError(f"failed for {patient.family_name}")

    app.add_url_rule("/_test/crash-patient", "test_crash_patient", crash_after_loading)
    login(client, "carl")
    response = client.get("/_test/crash-patient")
    assert response.status_code == 500
    assert "Confidential" not in response.get_data(as_text=True)
    assert "ValueError" in caplog.text
    assert "crash_after_loading" in caplog.text
    assert "Confidential" not in caplog.text  # the exception's message is not logged
