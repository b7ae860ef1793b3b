"""The admin's review dashboard (/admin/, the admin's home) and a visit's completeness page
(/visits/<id>/completeness): the figures, that each figure links to a list of exactly the visits it
counts, who may open what, and that each missing item links to its input on the section page.

Data: ``tests.web.review_support.review_visits`` (expected figures worked out there by hand).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORD
from tests.conftest import login
from tests.web.conftest import soup
from tests.web.review_support import ReviewVisits
from tests.web.review_support import ago
from tests.web.review_support import make_visit
from tests.web.review_support import review_visits


@pytest.fixture
def data(app: Flask, users: Any) -> ReviewVisits:
    return review_visits(users)


def client_for(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    login(client, username)
    return client


def figure(page: Any, fig_id: str) -> tuple[int, str]:
    node = page.find(id=fig_id)
    assert node is not None, f"no figure {fig_id}"
    return int(node.get_text(strip=True)), str(node["href"])


def listed_ids(client: FlaskClient, href: str) -> set[int]:
    response = client.get(href)
    assert response.status_code == 200
    return {int(str(row["data-visit-id"])) for row in soup(response).select("#visit-list tr[data-visit-id]")}


def test_dashboard_figures_and_their_lists(app: Flask, data: ReviewVisits) -> None:
    admin = client_for(app, "ada")
    page = soup(admin.get("/admin/"))
    expected = {
        "fig-status-draft": {data.a.id, data.b.id, data.d.id},
        "fig-status-signed": {data.c.id},
        "fig-unsigned": {data.a.id},                       # a draft of 30 days ago; b 3, d 1
        "fig-critical": {data.a.id, data.b.id},            # red flag; PHQ-9 item 9
        "fig-carried": {data.d.id},
        "fig-missing-odi": {data.d.id},
        "fig-missing-phq9": {data.a.id, data.d.id},
        "fig-missing-red_flags": {data.a.id, data.b.id, data.c.id, data.d.id},
        "fig-missing-plan": {data.a.id, data.b.id, data.c.id, data.d.id},  # no summary anywhere
    }
    for fig_id, visits in expected.items():
        count, href = figure(page, fig_id)
        assert count == len(visits), fig_id
        assert urlsplit(href).path == "/admin/visits"
        assert listed_ids(admin, href) == visits, fig_id
    assert "more than 7 days" in page.get_text(" ")


def test_unsigned_days_is_a_setting(app: Flask, data: ReviewVisits) -> None:
    app.config["FBSS_UNSIGNED_DAYS"] = 2
    admin = client_for(app, "ada")
    page = soup(admin.get("/admin/"))
    count, href = figure(page, "fig-unsigned")
    assert count == 2
    assert listed_ids(admin, href) == {data.a.id, data.b.id}
    assert "more than 2 days" in page.get_text(" ")


def test_admin_lands_on_the_dashboard_and_a_clinician_on_the_patients(app: Flask, users: Any) -> None:
    for username, home in (("ada", "/admin/"), ("carl", "/")):
        response = app.test_client().post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, username
        assert urlsplit(response.location).path == home, username


def test_only_admins_see_the_review(app: Flask, data: ReviewVisits) -> None:
    carl = client_for(app, "carl")
    assert carl.get("/admin/").status_code == 403
    assert carl.get("/admin/visits").status_code == 403
    anonymous = app.test_client()
    for url in ("/admin/", "/admin/visits"):
        response = anonymous.get(url)
        assert response.status_code == 302
        assert urlsplit(response.location).path == "/login"


def test_completeness_is_for_the_admin_and_the_visit_clinician(app: Flask, data: ReviewVisits) -> None:
    url = f"/visits/{data.a.id}/completeness"  # carl's visit
    assert client_for(app, "ada").get(url).status_code == 200
    assert client_for(app, "carl").get(url).status_code == 200
    assert client_for(app, "olga").get(url).status_code == 403
    assert app.test_client().get(url).status_code == 302
    assert client_for(app, "ada").get("/visits/999999/completeness").status_code == 404


def missing_links(client: FlaskClient, visit_id: int) -> dict[str, str]:
    page = soup(client.get(f"/visits/{visit_id}/completeness"))
    return {str(a["href"]): a.get_text(" ", strip=True) for a in page.select("a.missing-item")}


def test_missing_items_link_to_their_inputs(app: Flask, data: ReviewVisits, users: Any) -> None:
    admin = client_for(app, "ada")
    links = missing_links(admin, data.a.id)
    base = f"/visits/{data.a.id}/sections"
    # the surgical history: records reviewed answered, no operation yet
    assert links[f"{base}/surgical_history#operations"] == "Operations: at least 1 operation"
    # the red-flag screen: one item answered, the other CES items still blank
    assert f"{base}/red_flags#rf_ces_saddle" in links
    assert f"{base}/red_flags#rf_ces_bladder_bowel" not in links
    # ODI: sections 1-7, 9, 10 answered, section 8 not required: nothing of the ODI is missing
    assert not [href for href in links if "/odi#" in href]
    # PHQ-9 not started: every item
    assert {f"{base}/phq9#phq9_{n}" for n in range(1, 10)} <= set(links)
    # each anchor is the id of an input (or its fieldset) on the section page it points to
    for href in links:
        path, anchor = href.split("#")
        page = soup(admin.get(path))
        assert page.find(id=anchor) is not None, href


def test_a_row_field_links_to_that_row(app: Flask, users: Any) -> None:
    from tests.web.conftest import make_patient

    patient = make_patient(users.clinician)
    visit = make_visit(patient, users.clinician, ago(2), "initial", {
        "surgical_history": {"records_reviewed": "none", "operations": [
            {"date": "2020-01-01", "procedure": "microdiscectomy", "levels": ["L4"], "side": "left",
             "approach": "posterior"},
            {"procedure": "open_discectomy"},
        ]},
    })
    carl = client_for(app, "carl")
    links = missing_links(carl, visit.id)
    base = f"/visits/{visit.id}/sections/surgical_history"
    assert f"{base}#operations-1-date" in links
    assert links[f"{base}#operations-1-date"] == "Operation 2 — Date of operation"
    assert not [h for h in links if h.startswith(f"{base}#operations-0-date")]
    page = soup(carl.get(base))
    assert page.find(id="operations-1-date") is not None


def test_nothing_missing_and_not_assessed(app: Flask, data: ReviewVisits) -> None:
    admin = client_for(app, "ada")
    page = soup(admin.get(f"/visits/{data.d.id}/completeness"))
    gap = page.find(id="gap-surgical_history")
    assert gap is not None
    assert "carried forward" in gap.get_text(" ")
