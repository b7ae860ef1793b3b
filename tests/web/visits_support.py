"""Helpers for the visit-page tests (tests/web/test_visits_*.py).

The tests drive the pages as a browser without JavaScript would: ``page_form`` reads a section
page's form back into the data a browser would post (text inputs, checked radios and boxes,
selected options, text areas, the hidden ``_rev``), so a test can change one value and post the
rest unchanged.
"""

from __future__ import annotations

import re
from datetime import date
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.models import InstrumentScore
from fbss_eval.models import VisitAlert
from fbss_eval.models import VisitSection
from tests.web.conftest import soup

TODAY = date.today()


def days_ago(n: int) -> str:
    """An ISO date ``n`` days before today."""
    return (TODAY - timedelta(days=n)).isoformat()


def start_visit(client: FlaskClient, patient_id: int, when: str | None = None, kind: str = "initial") -> int:
    """Start a visit through the page; returns its id."""
    response = client.post(f"/patients/{patient_id}/visits/new",
                           data={"visit_date": when or days_ago(1), "visit_type": kind})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    found = re.search(r"/visits/(\d+)/sections/", response.headers["Location"])
    assert found, response.headers["Location"]
    return int(found.group(1))


def section_url(visit_id: int, key: str) -> str:
    return f"/visits/{visit_id}/sections/{key}"


def page_form(page: BeautifulSoup | TestResponse) -> MultiDict[str, str]:
    """What a browser would post from the section form (without the submit button)."""
    if isinstance(page, TestResponse):
        page = soup(page)
    form = page.find("form", id="section-form")
    assert form is not None, "no section form on the page"
    data: MultiDict[str, str] = MultiDict()
    for node in form.find_all(["input", "select", "textarea"]):
        name = node.get("name")
        if not name or node.name == "button":
            continue
        if node.name == "textarea":
            text = node.get_text()  # browsers drop the newline that follows <textarea>
            data.add(name, text[2:] if text.startswith("\r\n") else text.removeprefix("\n"))
        elif node.name == "select":
            chosen = node.find("option", selected=True)
            if chosen is not None:
                data.add(name, str(chosen.get("value", "")))
        elif node.get("type") in ("radio", "checkbox"):
            if node.has_attr("checked"):
                data.add(name, str(node.get("value", "on")))
        elif node.get("type") not in ("submit", "button"):
            data.add(name, str(node.get("value", "")))
    return data


def rev_of(page: BeautifulSoup | TestResponse) -> str:
    """The ``_rev`` the page's form would post."""
    return page_form(page)["_rev"]


def post_section(client: FlaskClient, visit_id: int, key: str, data: Any, rev: Any = None,
                 action: str = "save", **kwargs: Any) -> TestResponse:
    """POST a section: ``data`` as fields, ``_rev`` from the saved row unless given."""
    posted = MultiDict(data)
    if "_rev" not in posted:
        posted["_rev"] = str(rev if rev is not None else current_rev(visit_id, key))
    posted.setdefault("_action", action)
    return client.post(section_url(visit_id, key), data=posted, **kwargs)


def section_row(visit_id: int, key: str) -> VisitSection | None:
    return db.session.scalar(
        sa.select(VisitSection).where(VisitSection.visit_id == visit_id, VisitSection.section_key == key)
    )


def current_rev(visit_id: int, key: str) -> int:
    row = section_row(visit_id, key)
    return row.rev if row is not None else 0


def stored(visit_id: int, key: str) -> dict[str, Any]:
    """The stored answers of a section ({} when never saved)."""
    row = section_row(visit_id, key)
    return dict(row.answers or {}) if row is not None else {}


def score_row(visit_id: int, instrument: str) -> InstrumentScore | None:
    return db.session.scalar(
        sa.select(InstrumentScore).where(InstrumentScore.visit_id == visit_id,
                                         InstrumentScore.instrument == instrument)
    )


def alert_row(visit_id: int, kind: str) -> VisitAlert | None:
    return db.session.scalar(sa.select(VisitAlert).where(VisitAlert.visit_id == visit_id, VisitAlert.kind == kind))


def audit_rows(visit_id: int, action: str | None = None) -> list[AuditEvent]:
    stmt = sa.select(AuditEvent).where(AuditEvent.entity == "visit", AuditEvent.entity_id == visit_id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return list(db.session.scalars(stmt.order_by(AuditEvent.id)))


def nav_status(page: BeautifulSoup | TestResponse, key: str) -> str:
    """The status class of a section in the visit navigation (empty, in_progress ...)."""
    if isinstance(page, TestResponse):
        page = soup(page)
    link = page.select_one(f'nav.section-nav a[href$="/sections/{key}"]')
    assert link is not None, f"no navigation link for {key}"
    item = link.find_parent("li")
    classes = [c for c in item.get("class", []) if c.startswith("status-")]
    assert classes, item
    return classes[0].removeprefix("status-")


def nav_text(page: BeautifulSoup | TestResponse, key: str) -> str:
    if isinstance(page, TestResponse):
        page = soup(page)
    link = page.select_one(f'nav.section-nav a[href$="/sections/{key}"]')
    assert link is not None
    return " ".join(link.get_text(" ").split())


def visible_text(page: BeautifulSoup | TestResponse) -> str:
    if isinstance(page, TestResponse):
        page = soup(page)
    return " ".join(page.get_text(" ").split())
