"""Fixtures and helpers for the HTTP-level tests.

``route_samples`` feeds the authorization matrix (tests/web/test_authorization.py): it maps each URL
argument name (``patient_id``, ``user_id``...) to a real id. A module that adds a route with a new
argument adds its sample here; the matrix fails loudly until it does. Samples belong to the
clinician ``carl`` (``users.clinician``), so the matrix can expect him to be allowed on every
non-admin route.

Requests run in their own app context (``tests.conftest.IsolatedClient``), as in production.
"""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from fbss_eval.extensions import db
from fbss_eval.models import Patient
from fbss_eval.services import patients as patient_service
from tests.conftest import PASSWORD
from tests.conftest import Users
from tests.web.signing_support import renders  # noqa: F401  # a fixture: the signing tests count PDF renders


def make_patient(
    by: Any,
    mrn: str = "MRN-0001",
    family_name: str = "Doe",
    given_name: str = "Jane",
    birth_date: date = date(1970, 5, 17),
    sex: str = "female",
) -> Patient:
    """Create and commit a patient through the service (as the app does)."""
    patient = patient_service.create(
        {"mrn": mrn, "family_name": family_name, "given_name": given_name,
         "birth_date": birth_date, "sex": sex},
        by=by,
    )
    db.session.commit()
    return patient


def patient_form(**changes: str) -> dict[str, str]:
    """A valid patient form submission, with ``changes`` applied (``version_id`` is that of a
    patient never edited since it was registered; the create form ignores it)."""
    data = {"mrn": "MRN-0001", "family_name": "Doe", "given_name": "Jane",
            "birth_date": "1970-05-17", "sex": "female", "version_id": "1"}
    data.update(changes)
    return data


def soup(response: TestResponse) -> BeautifulSoup:
    """The response body parsed as HTML."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def csrf_token(response: TestResponse) -> str:
    """The CSRF token of the first form on a page."""
    field = soup(response).find("input", attrs={"name": "csrf_token"})
    assert field is not None, "no csrf_token field on the page"
    return str(field["value"])


def field_error(page: BeautifulSoup, field_id: str) -> str:
    """The error text shown beside a field ('' when there is none)."""
    node = page.find(id=f"{field_id}-error")
    return node.get_text(" ", strip=True) if node else ""


def summary_errors(page: BeautifulSoup) -> dict[str, str]:
    """The error summary at the top of a form: ``{field id: its messages}`` (``""`` for
    messages about the whole form)."""
    box = page.find(class_="error-summary")
    if box is None:
        return {}
    out: dict[str, str] = {}
    for item in box.find_all("li"):
        link = item.find("a")
        key = str(link["href"]).lstrip("#") if link else ""
        out[key] = " | ".join(filter(None, [out.get(key), item.get_text(" ", strip=True)]))
    return out


def input_value(page: BeautifulSoup, name: str) -> str | None:
    """The value a re-rendered form shows in an input or select."""
    node = page.find(attrs={"name": name})
    assert node is not None, f"no input named {name}"
    if node.name == "select":
        chosen = node.find("option", selected=True)
        return str(chosen["value"]) if chosen else None
    value = node.get("value")
    return None if value is None else str(value)


def login_response(client: FlaskClient, username: str, password: str = PASSWORD, **kwargs: Any) -> TestResponse:
    """POST the login form and return the response (the caller checks the outcome)."""
    return client.post("/login", data={"username": username, "password": password}, **kwargs)


def page_text(response: TestResponse) -> str:
    """The visible text of a page, white space collapsed."""
    return " ".join(soup(response).get_text(" ").split())


@pytest.fixture
def patient(app: Flask, users: Users) -> Patient:
    """A patient registered by the clinician carl."""
    return make_patient(users.clinician)


@pytest.fixture
def route_samples(app: Flask, users: Users, patient: Patient) -> dict[str, Any]:
    """URL argument name -> a value that names a real record (see the module docstring)."""
    from fbss_eval.models import VisitAlert
    from fbss_eval.services import visits as visit_service

    visit = visit_service.start_visit(patient, users.clinician, date.today() - timedelta(days=1), "initial")
    alert = VisitAlert(visit_id=visit.id, kind="matrix_sample", severity="warning",
                       message="A sample alert for the authorization matrix.", must_acknowledge=True)
    db.session.add(alert)
    from fbss_eval.services import api_tokens

    token, _secret = api_tokens.create_token("matrix sample", "read", users.clinician, users.admin)
    db.session.commit()
    return {
        "token_id": token.id,
        "filename": "app.css",
        "patient_id": patient.id,
        "user_id": users.other.id,
        "visit_id": visit.id,
        "key": visit_service.visit_sections()[1].key,
        "alert_id": alert.id,
        "number": 1,  # a revision number (the sample visit is a draft: 404)
        "document": "summary",
    }
