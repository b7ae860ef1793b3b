"""The admin's visit list (/admin/visits): every filter alone, combinations, search, sort,
pagination, invalid filters (an error beside the field and no visits at all), and the number of
SQL statements per page, which must not grow with the data.

The data set is ``tests.web.review_support.review_visits``: four visits whose expected membership
in each filter is worked out there by hand from their answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from fbss_eval.extensions import db
from tests.conftest import login
from tests.web.conftest import field_error
from tests.web.conftest import make_patient
from tests.web.conftest import soup
from tests.web.review_support import ReviewVisits
from tests.web.review_support import ago
from tests.web.review_support import make_visit
from tests.web.review_support import review_visits


@pytest.fixture
def data(app: Flask, users: Any) -> ReviewVisits:
    return review_visits(users)


@pytest.fixture
def admin(app: Flask, users: Any) -> FlaskClient:
    client = app.test_client()
    login(client, "ada")
    return client


def listed(client: FlaskClient, **args: Any) -> list[int]:
    """The visit ids the list shows, in order (status 200 required)."""
    response = client.get("/admin/visits", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    return [int(str(row["data-visit-id"])) for row in soup(response).select("#visit-list tr[data-visit-id]")]


def names(data: ReviewVisits, client: FlaskClient, **args: Any) -> set[str]:
    return data.names(set(listed(client, **args)))


def test_no_filter_lists_every_visit_newest_first(admin: FlaskClient, data: ReviewVisits) -> None:
    assert listed(admin) == [data.d.id, data.b.id, data.c.id, data.a.id]


@pytest.mark.parametrize(("args", "expected"), [
    ({"status": "draft"}, {"a", "b", "d"}),
    ({"status": "signed"}, {"c"}),
    ({"status": "amending"}, set()),
    ({"visit_type": "follow_up"}, {"b", "d"}),
    ({"visit_type": "initial"}, {"a"}),
    ({"visit_type": "pre_procedure"}, {"c"}),
    ({"unsigned_days": "7"}, {"a"}),
    ({"unsigned_days": "2"}, {"a", "b"}),
    ({"unsigned_days": "30"}, set()),  # more than 30 days: a is exactly 30 days old
    ({"unsigned_days": "29"}, {"a"}),
    ({"red_flag": "y"}, {"a"}),
    ({"alert_unacknowledged": "y"}, {"a", "b"}),
    ({"critical_unacknowledged": "y"}, {"a", "b"}),
    ({"band": "odi:severe"}, {"a", "c"}),
    ({"band": "odi:crippled"}, {"c"}),
    ({"band": "odi:bed_bound"}, {"c"}),
    ({"band": "odi:minimal"}, {"a", "b", "c"}),
    ({"band": "odi:moderate"}, {"a", "c"}),
    ({"band": "phq9:moderate"}, {"b"}),
    ({"band": "phq9:moderately_severe"}, {"b"}),
    ({"band": "phq9:severe"}, set()),
    ({"band": "phq9:minimal"}, {"b", "c"}),
    ({"category": "facet"}, {"b", "c"}),
    ({"category": "sij"}, {"c"}),
    ({"category": "facet", "likelihood": "probable"}, {"b"}),
    ({"category": "facet", "likelihood": "confirmed"}, set()),
    ({"likelihood": "confirmed"}, {"c"}),
    ({"psps_t2": "technical_failure"}, {"b"}),
    ({"psps_t2": "undetermined"}, {"c"}),
    ({"psps_t2": "complications"}, set()),
    ({"plan_option": "psychology_cbt"}, {"b", "c"}),
    ({"plan_option": "conservative_rehab"}, {"c"}),
    ({"plan_option": "medication_review"}, set()),
    ({"missing_section": "odi"}, {"d"}),
    ({"missing_section": "phq9"}, {"a", "d"}),
    ({"missing_section": "red_flags"}, {"a", "b", "c", "d"}),
    ({"carried_forward": "y"}, {"d"}),
])
def test_each_filter(admin: FlaskClient, data: ReviewVisits, args: dict[str, str], expected: set[str]) -> None:
    assert names(data, admin, **args) == expected


def test_clinician_filter(admin: FlaskClient, data: ReviewVisits, users: Any) -> None:
    assert names(data, admin, clinician=str(users.clinician.id)) == {"a", "c"}
    assert names(data, admin, clinician=str(users.other.id)) == {"b", "d"}
    assert names(data, admin, clinician=str(users.admin.id)) == set()


def test_date_range_includes_both_ends(admin: FlaskClient, data: ReviewVisits) -> None:
    assert names(data, admin, date_from=ago(10).isoformat()) == {"b", "c", "d"}
    assert names(data, admin, date_to=ago(10).isoformat()) == {"a", "c"}
    assert names(data, admin, date_from=ago(10).isoformat(), date_to=ago(10).isoformat()) == {"c"}
    assert names(data, admin, date_from=ago(9).isoformat(), date_to=ago(4).isoformat()) == set()


@pytest.mark.parametrize(("q", "expected"), [
    ("doe", {"a", "d"}),           # family name, any case
    ("DO", {"a", "c", "d"}),       # the start of Doe and Dorian
    ("zoe", {"c"}),                # given name
    ("MRN-0002", {"b"}),           # exact MRN
    ("MRN-000", set()),            # an MRN is matched whole
    ("oe", set()),                 # names match from their start
    ("%", set()),                  # a LIKE wildcard is a character like any other
    ("_oe", set()),
])
def test_search_by_name_or_mrn(admin: FlaskClient, data: ReviewVisits, q: str, expected: set[str]) -> None:
    assert names(data, admin, q=q) == expected


@pytest.mark.parametrize(("args", "expected"), [
    ({"status": "draft", "clinician_is": "olga"}, {"b", "d"}),
    ({"status": "draft", "band": "odi:severe"}, {"a"}),
    ({"band": "odi:severe", "plan_option": "psychology_cbt"}, {"c"}),
    ({"critical_unacknowledged": "y", "band": "phq9:moderate"}, {"b"}),
    ({"q": "doe", "carried_forward": "y"}, {"d"}),
    ({"q": "doe", "visit_type": "follow_up", "clinician_is": "carl"}, set()),
    ({"category": "facet", "date_from": "ago:5"}, {"b"}),
    ({"missing_section": "phq9", "unsigned_days": "7", "red_flag": "y"}, {"a"}),
])
def test_combinations(admin: FlaskClient, data: ReviewVisits, users: Any, args: dict[str, str],
                      expected: set[str]) -> None:
    query = dict(args)
    who = query.pop("clinician_is", None)
    if who:
        query["clinician"] = str({"carl": users.clinician, "olga": users.other}[who].id)
    if query.get("date_from", "").startswith("ago:"):
        query["date_from"] = ago(int(query["date_from"][4:])).isoformat()
    assert names(data, admin, **query) == expected


def test_sorts(admin: FlaskClient, data: ReviewVisits) -> None:
    assert listed(admin, sort="oldest") == [data.a.id, data.c.id, data.b.id, data.d.id]
    # DOE (a, 30 days ago, before d, yesterday), DORIAN, SMITH
    assert listed(admin, sort="patient") == [data.a.id, data.d.id, data.c.id, data.b.id]


@pytest.mark.parametrize(("args", "field"), [
    ({"date_from": "2024-02-30"}, "date_from"),
    ({"date_to": "yesterday"}, "date_to"),
    ({"date_from": "2024-03-10", "date_to": "2024-03-09"}, "date_to"),
    ({"status": "lost"}, "status"),
    ({"clinician": "999999"}, "clinician"),
    ({"clinician": "carl"}, "clinician"),
    ({"visit_type": "home"}, "visit_type"),
    ({"unsigned_days": "-1"}, "unsigned_days"),
    ({"unsigned_days": "seven"}, "unsigned_days"),
    ({"band": "odi:awful"}, "band"),
    ({"band": "rmdq:high"}, "band"),
    ({"category": "karma"}, "category"),
    ({"likelihood": "not_assessed"}, "likelihood"),
    ({"psps_t2": "x"}, "psps_t2"),
    ({"plan_option": "surgery_now"}, "plan_option"),
    ({"missing_section": "nothing"}, "missing_section"),
    ({"sort": "random"}, "sort"),
    ({"q": "x" * 101}, "q"),
])
def test_a_bad_filter_is_an_error_beside_its_field_and_lists_nothing(
        admin: FlaskClient, data: ReviewVisits, args: dict[str, str], field: str) -> None:
    # with a valid filter beside it, which alone would list visits
    response = admin.get("/admin/visits", query_string={"status": "draft", **args})
    assert response.status_code == 400
    page = soup(response)
    assert field_error(page, field), f"no error beside {field}"
    assert page.select("#visit-list") == []
    assert page.select("tr[data-visit-id]") == []
    assert page.find(id="no-results") is not None


def test_bad_date_keeps_what_was_typed(admin: FlaskClient, data: ReviewVisits) -> None:
    page = soup(admin.get("/admin/visits", query_string={"date_from": "2024-13-01"}))
    assert page.find("input", attrs={"name": "date_from"})["value"] == "2024-13-01"
    assert "YYYY-MM-DD" in field_error(page, "date_from")


def test_pages(admin: FlaskClient, app: Flask, data: ReviewVisits) -> None:
    app.config["VISITS_PER_PAGE"] = 3
    first = admin.get("/admin/visits", query_string={"sort": "oldest"})
    assert listed(admin, sort="oldest") == [data.a.id, data.c.id, data.b.id]
    nxt = soup(first).find("a", rel="next")
    assert nxt is not None
    assert "sort=oldest" in nxt["href"]
    assert "page=2" in nxt["href"]
    assert listed(admin, sort="oldest", page="2") == [data.d.id]
    second = soup(admin.get("/admin/visits", query_string={"sort": "oldest", "page": "2"}))
    assert second.find("a", rel="next") is None
    assert second.find("a", rel="prev") is not None
    assert admin.get("/admin/visits", query_string={"page": "3"}).status_code == 404
    assert admin.get("/admin/visits", query_string={"page": str(2**40)}).status_code == 404
    assert listed(admin, page="0") == listed(admin, page="1")
    # a filtered list pages the filtered visits
    assert listed(admin, status="draft", sort="oldest") == [data.a.id, data.b.id, data.d.id]


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def _add_visits(users: Any, n: int, start: int) -> None:
    for i in range(n):
        patient = make_patient(users.clinician, mrn=f"BULK-{start + i}", family_name=f"Bulk{start + i}")
        make_visit(patient, users.other, ago(40 + i), "follow_up", {
            "red_flags": {"rf_ces_bladder_bowel": "yes"}, "odi": {f"odi_{k}": "4" for k in range(1, 11)},
        })


def test_statements_per_page_do_not_grow_with_the_data(admin: FlaskClient, app: Flask, users: Any) -> None:
    """5 visits and then 50: the same number of statements for each list and the dashboard."""
    every_filter = {"status": "draft", "band": "odi:severe", "red_flag": "y", "alert_unacknowledged": "y",
                    "category": "facet", "unsigned_days": "7", "q": "bulk", "sort": "patient"}
    views = [("/admin/visits", {}), ("/admin/visits", {"red_flag": "y", "band": "odi:severe"}),
             ("/admin/visits", every_filter), ("/admin/", {})]

    def measure() -> list[int]:
        out = []
        for url, args in views:
            admin.get(url, query_string=args)  # warm (the session's last-seen write, caches)
            with counted(app) as statements:
                response = admin.get(url, query_string=args)
            assert response.status_code == 200
            out.append(len(statements))
        return out

    _add_visits(users, 5, 0)
    assert len(listed(admin, red_flag="y")) == 5
    small = measure()
    _add_visits(users, 45, 5)
    assert len(listed(admin, red_flag="y")) == 25  # a full page
    assert measure() == small
    assert max(small) <= 12, small


def test_the_fuzz_sends_every_filter_key() -> None:
    from fbss_eval.admin.forms import FILTER_KEYS
    from tests.web.test_fuzz import QUERY_KEYS

    assert set(QUERY_KEYS["admin.visits"]) == {*FILTER_KEYS, "page"}


def test_voided_visits_are_left_out_of_the_list_and_the_dashboard_unless_asked_for(
        admin: FlaskClient, data: ReviewVisits, users: Any) -> None:
    from fbss_eval.models import User
    from fbss_eval.models import Visit
    from fbss_eval.services.voiding import void_visit

    visit = db.session.get(Visit, data.b.id)
    void_visit(visit, db.session.get(User, users.admin.id), "Duplicate started in error")
    db.session.commit()
    assert listed(admin) == [data.d.id, data.c.id, data.a.id]
    assert listed(admin, include_voided="y") == [data.d.id, data.b.id, data.c.id, data.a.id]
    assert listed(admin, status="voided") == [data.b.id]
    assert listed(admin, status="draft") == [data.d.id, data.a.id]
    # The dashboard counts it apart from the drafts, and its links lead to lists without it.
    page = soup(admin.get("/admin/"))
    assert page.find(id="fig-status-draft").get_text(strip=True) == "2"
    assert page.find(id="fig-status-voided").get_text(strip=True) == "1"
