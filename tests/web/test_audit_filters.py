"""The admin's audit page: each filter (user, action, entity, record id, dates, page) shows exactly
the rows it should, from a trail of literal events at fixed times; an invalid filter gives its
message beside the field and shows no rows (never the unfiltered trail). Each look at the page
is itself audited (``audit_view``), after the search: a page never shows its own look.

The trail, oldest id first (the ``users`` fixture creates ada, carl and olga first: ids 1-3, no
actor; then the five literal events below, ids 4-8; then ada's login to read the page, id 9).
Pages hold four rows here (``AUDIT_PER_PAGE``), so paging is exercised too.
"""

from __future__ import annotations

import getpass
from datetime import UTC
from datetime import datetime

import pytest
from freezegun import freeze_time

from fbss_eval.extensions import db
from fbss_eval.services import audit
from tests.conftest import login
from tests.web.conftest import field_error
from tests.web.conftest import input_value
from tests.web.conftest import soup

# (when, actor, action, entity, entity_id, changes)
EVENTS = (
    (datetime(2026, 3, 1, 9, 0, tzinfo=UTC), "carl", "create", "patient", 11, {"mrn": [None, "A-1"]}),
    (datetime(2026, 3, 2, 10, 0, tzinfo=UTC), "carl", "update", "patient", 11, {"family_name": ["Doe", "Roe"]}),
    (datetime(2026, 3, 2, 23, 59, 59, tzinfo=UTC), "olga", "update", "patient", 12, {"given_name": ["Ann", "Anna"]}),
    (datetime(2026, 3, 3, 0, 0, tzinfo=UTC), "olga", "create", "visit", 5, {"visit_type": [None, "initial"]}),
    (datetime(2026, 3, 4, 8, 30, tzinfo=UTC), "carl", "export_pdf", "visit", 5, None),
)

# What the page shows of each row: (id, time, user, action, record).
CARL_CREATE = ("4", "2026-03-01 09:00:00", "carl", "create", "patient 11")
CARL_UPDATE = ("5", "2026-03-02 10:00:00", "carl", "update", "patient 11")
OLGA_UPDATE = ("6", "2026-03-02 23:59:59", "olga", "update", "patient 12")
OLGA_VISIT = ("7", "2026-03-03 00:00:00", "olga", "create", "visit 5")
CARL_EXPORT = ("8", "2026-03-04 08:30:00", "carl", "export_pdf", "visit 5")
# Rows written at test time (their time is "now"): (id, user, action, record).
ADA_LOGIN = ("9", "ada", "login", "user 1")
# Accounts made outside a request are recorded with the operator: the OS user running the tests.
OPERATOR = f"command, {getpass.getuser()}"
CREATED = [("3", OPERATOR, "create", "user 3"), ("2", OPERATOR, "create", "user 2"),
           ("1", OPERATOR, "create", "user 1")]


@pytest.fixture
def app_overrides() -> dict[str, object]:
    return {"AUDIT_PER_PAGE": 4}


@pytest.fixture
def admin(app, client, users):
    actors = {"carl": users.clinician, "olga": users.other}
    for when, actor, action, entity, entity_id, changes in EVENTS:
        with freeze_time(when):
            audit.record(action, entity, entity_id, changes, user=actors[actor])
            db.session.commit()
    login(client, "ada")
    return client


def shown(response) -> list[tuple[str, ...]]:
    """The rows of the audit table: (id, time, user, action, record) for the literal events,
    (id, user, action, record) for rows written at test time."""
    out = []
    for tr in soup(response).select("table.audit tbody tr"):
        cells = [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        if len(cells) == 1:
            assert cells in (["No events match."], ["Nothing is shown until the filter is corrected."])
            continue
        ident, at, user, action, record = cells[:5]
        out.append((ident, at, user, action, record) if at.startswith("2026-03-") else (ident, user, action, record))
    return out


def get(client, **query):
    response = client.get("/admin/audit", query_string=query)
    assert response.status_code == 200, (query, response.status_code)
    return response


@pytest.mark.parametrize(("query", "expected"), [
    ({"user": "carl"}, [CARL_EXPORT, CARL_UPDATE, CARL_CREATE]),
    ({"user": "CARL"}, [CARL_EXPORT, CARL_UPDATE, CARL_CREATE]),  # case does not matter
    ({"user": "olga"}, [OLGA_VISIT, OLGA_UPDATE]),
    ({"user": "car"}, []),  # a whole user name, not a prefix
    ({"user": "ada"}, [ADA_LOGIN]),
    ({"action": "update"}, [OLGA_UPDATE, CARL_UPDATE]),
    ({"action": "export_pdf"}, [CARL_EXPORT]),
    ({"action": "login"}, [ADA_LOGIN]),
    ({"entity": "visit"}, [CARL_EXPORT, OLGA_VISIT]),
    ({"entity": "patient"}, [OLGA_UPDATE, CARL_UPDATE, CARL_CREATE]),
    ({"entity": "patient", "entity_id": "11"}, [CARL_UPDATE, CARL_CREATE]),
    ({"entity": "visit", "entity_id": "11"}, []),
    ({"entity_id": "12"}, [OLGA_UPDATE]),
    ({"entity_id": "5"}, [CARL_EXPORT, OLGA_VISIT]),
    ({"entity_id": "999999999999"}, []),  # beyond any id: matches nothing, no error
    ({"user": "olga", "action": "update"}, [OLGA_UPDATE]),
    ({"user": "carl", "entity": "visit"}, [CARL_EXPORT]),
    # Dates are UTC days, both ends included.
    ({"since": "2026-03-02", "until": "2026-03-02"}, [OLGA_UPDATE, CARL_UPDATE]),
    ({"since": "2026-03-03", "until": "2026-03-03"}, [OLGA_VISIT]),
    ({"until": "2026-03-01"}, [CARL_CREATE]),
    ({"until": "2026-02-28"}, []),
    ({"since": "2026-03-02", "until": "2026-03-31"}, [CARL_EXPORT, OLGA_VISIT, OLGA_UPDATE, CARL_UPDATE]),
    ({"since": "2026-03-04", "user": "carl"}, [CARL_EXPORT]),
])
def test_each_filter_shows_exactly_its_rows(admin, query, expected):
    page = get(admin, **query)
    assert shown(page) == expected
    assert ("No events match." in page.get_data(as_text=True)) == (not expected)
    html = soup(page)
    for name in ("user", "action", "entity", "entity_id", "patient", "since", "until"):
        assert field_error(html, name) == "", name
        assert (input_value(html, name) or "") == query.get(name, ""), name  # the filter is shown back


def viewed(n: int) -> tuple[str, ...]:
    """The audit row of the n-th look at the page in a test (ids after ada's login, 9)."""
    return (str(9 + n), "ada", "audit_view", "")


def test_pages_hold_four_rows_newest_first(admin):
    first = get(admin)
    assert shown(first) == [ADA_LOGIN, CARL_EXPORT, OLGA_VISIT, OLGA_UPDATE]
    # Each look adds its own row on top: the pages move down by one each time.
    assert shown(get(admin, page="2")) == [OLGA_UPDATE, CARL_UPDATE, CARL_CREATE, CREATED[0]]
    assert shown(get(admin, page="3")) == CREATED
    assert admin.get("/admin/audit", query_string={"page": "4"}).status_code == 404
    assert shown(get(admin, action="audit_view")) == [viewed(3), viewed(2), viewed(1)]
    # Filters carry over to the next page.
    carl = get(admin, user="carl", page="1")
    assert shown(carl) == [CARL_EXPORT, CARL_UPDATE, CARL_CREATE]
    assert soup(carl).select_one("nav.pagination").get_text(" ", strip=True) == "Page 1"
    patients = get(admin, entity="patient", since="2026-03-01")
    assert shown(patients) == [OLGA_UPDATE, CARL_UPDATE, CARL_CREATE]
    links = [a["href"] for a in soup(get(admin)).select("nav.pagination a")]
    assert links == ["/admin/audit?page=2"]


@pytest.mark.parametrize("page", ["abc", "-3", "0", "", "1.5"])
def test_a_page_that_is_not_a_positive_number_shows_the_first_page(admin, page):
    response = get(admin, page=page)
    assert shown(response) == [ADA_LOGIN, CARL_EXPORT, OLGA_VISIT, OLGA_UPDATE]
    assert "Page 1" in soup(response).select_one("nav.pagination").get_text(" ", strip=True)


@pytest.mark.parametrize("page", ["4", "99", "9" * 25])
def test_a_page_beyond_the_trail_is_not_found(admin, page):
    assert admin.get("/admin/audit", query_string={"page": page}).status_code == 404


# An invalid filter is shown with its message and the value as typed; nothing is shown then (not
# the unfiltered trail) and the look is not recorded as a search.
DATE_MESSAGE = "Enter a real date as YYYY-MM-DD (for example 2024-03-31)."
CHOICE = "Not a valid choice."
SELECTS = {"action", "entity"}


@pytest.mark.parametrize(("query", "field", "message"), [
    ({"entity_id": "x"}, "entity_id", "A number."),
    ({"entity_id": "-1"}, "entity_id", "A number."),
    ({"entity_id": "9" * 13}, "entity_id", "A number."),
    ({"entity_id": "x", "user": "carl"}, "entity_id", "A number."),
    ({"since": "31/02/2020"}, "since", DATE_MESSAGE),
    ({"until": "2020-02-31"}, "until", DATE_MESSAGE),
    ({"since": "yesterday", "user": "olga"}, "since", DATE_MESSAGE),
    ({"since": "2026-03-05", "until": "2026-03-01"}, "until", "The end date is before the start date."),
    ({"user": "x" * 500}, "user", "Field cannot be longer than 80 characters."),
    ({"action": "UPDATE"}, "action", CHOICE),  # actions are a list, matched exactly
    ({"action": "🙂"}, "action", CHOICE),
    ({"action": "a" * 41}, "action", CHOICE),
    ({"entity": "e" * 41}, "entity", CHOICE),
    ({"entity": "alert"}, "entity", CHOICE),
    ({"patient": "NO-SUCH-MRN"}, "patient", "No patient has this MRN."),
    ({"patient": "p" * 41}, "patient", "Field cannot be longer than 40 characters."),
])
def test_an_invalid_filter_says_why_and_shows_nothing(admin, query, field, message):
    page = get(admin, **query)
    html = soup(page)
    assert field_error(html, field) == message
    if field not in SELECTS:
        assert input_value(html, field) == query[field]
    for other in {"user", "action", "entity", "entity_id", "patient", "since", "until"} - {field}:
        assert field_error(html, other) == "", other
    assert shown(page) == []
    assert "Nothing is shown until the filter is corrected." in page.get_data(as_text=True)
    assert admin.get("/admin/audit/export.csv", query_string=query).status_code == 400
    assert shown(get(admin, action="audit_view")) == []  # neither look was recorded as a search
