"""The admin visit list's patient search beyond the start of one name (issue 13): the whole name
in either order, a renamed patient under the new name only, and names outside ASCII in any case.
The search reads the patient's search keys (models/patient.py), which every save keeps."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from fbss_eval.extensions import db
from fbss_eval.services import patients as patient_service
from tests.web.conftest import make_patient
from tests.web.review_support import ReviewVisits
from tests.web.review_support import ago
from tests.web.review_support import make_visit
from tests.web.review_support import review_visits
from tests.web.test_admin_visits import admin  # noqa: F401  # the admin's client fixture
from tests.web.test_admin_visits import listed
from tests.web.test_admin_visits import names


@pytest.fixture
def data(app: Flask, users: Any) -> ReviewVisits:
    return review_visits(users)  # a, d: Jane Doe; b: Adam Smith; c: Zoe Dorian


@pytest.mark.parametrize(("q", "expected"), [
    ("jane doe", {"a", "d"}),      # given then family
    ("doe jane", {"a", "d"}),      # family then given
    ("Doe, Jane", {"a", "d"}),     # as lists print it
    ("  DOE   jane ", {"a", "d"}),  # any case, any spacing
    ("jane d", {"a", "d"}),        # the start of the second name
    ("adam smith", {"b"}),
    ("zoe dor", {"c"}),
    ("smith jane", set()),         # two patients' names are not one patient
    ("doe zoe", set()),
    ("jane doe x", set()),
])
def test_the_whole_name_in_either_order(admin: FlaskClient, data: ReviewVisits,  # noqa: F811
                                        q: str, expected: set[str]) -> None:
    assert names(data, admin, q=q) == expected


def test_a_renamed_patient_is_found_by_the_new_name_only(admin: FlaskClient, users: Any) -> None:  # noqa: F811
    patient = make_patient(users.clinician, mrn="MRN-0100", family_name="Oldham", given_name="Ruth")
    visit = make_visit(patient, users.clinician, ago(2), "initial", {})
    assert listed(admin, q="oldham") == [visit.id]
    data = {**patient_service.snapshot(patient), "family_name": "Newman", "given_name": "Beth"}
    patient_service.update(patient, data, by=users.clinician, version=patient.version_id)
    db.session.commit()
    assert listed(admin, q="newman") == [visit.id]
    assert listed(admin, q="beth newman") == [visit.id]
    assert listed(admin, q="oldham") == []
    assert listed(admin, q="ruth") == []


def test_names_outside_ascii_in_any_case(admin: FlaskClient, users: Any) -> None:  # noqa: F811
    patient = make_patient(users.clinician, mrn="MRN-0200", family_name="Öztürk", given_name="Şebnem")
    visit = make_visit(patient, users.clinician, ago(2), "initial", {})
    for q in ("öz", "ÖZTÜRK", "şebnem ö", "Öztürk, Şebnem"):
        assert listed(admin, q=q) == [visit.id], q
    assert listed(admin, q="oz") == []  # letters are compared as written, accents and all
