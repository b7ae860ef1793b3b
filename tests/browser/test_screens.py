"""Screens that fit the work (issue 10, item 9): no accessibility violation that axe-core finds
(WCAG 2.1 AA, colour contrast of every status chip included) on every page a clinician or an
admin opens, the summary included; at 768 px (a tablet on a trolley) no two fields overlap and the
section list collapses to a menu; dates are ISO with the native picker."""

from __future__ import annotations

from datetime import date

import pytest

from fbss_eval.checklist import all_sections
from fbss_eval.extensions import db
from fbss_eval.models import User
from tests.browser.axe import violations
from tests.browser.conftest import log_in
from tests.pdf.builders import make_complete_visit
from tests.pdf.builders import make_patient

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def record(live_server) -> dict[str, int]:
    """A patient with a complete visit and a fresh draft, made through the services."""
    with live_server.app.app_context():
        carl = db.session.scalar(db.select(User).filter_by(username="carl"))
        patient = make_patient(carl, mrn="MRN-SCREENS", family="Okafor", given="Daniel")
        visit = make_complete_visit(patient, carl, date(2025, 3, 4))
        db.session.commit()
        ids = {"patient": patient.id, "visit": visit.id}
        db.session.remove()
    return ids


def clinician_pages(record: dict[str, int]) -> list[str]:
    visit, patient = record["visit"], record["patient"]
    pages = ["/", "/?q=Okafor", "/patients/new", f"/patients/{patient}", f"/patients/{patient}/edit",
             f"/patients/{patient}/visits/new", "/account/password", f"/visits/{visit}",
             f"/visits/{visit}/sign"]
    pages += [f"/visits/{visit}/sections/{section.key}" for section in all_sections()]
    return pages


ADMIN_PAGES = ["/admin/users", "/admin/users/new", "/admin/audit"]


def _assert_clean(page, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, f"{url}: {response.status}"
    return [f"{url}: {line}" for line in violations(page)]


def test_login_page_has_no_accessibility_violation(page):
    assert _assert_clean(page, "/login") == []


def test_every_clinician_page_has_no_accessibility_violation(page, record):
    log_in(page)
    found = []
    for url in clinician_pages(record):
        found += _assert_clean(page, url)
    assert found == [], "\n".join(found)


def test_every_admin_page_has_no_accessibility_violation(page, record):
    log_in(page, "ada")
    found = []
    for url in ADMIN_PAGES:
        found += _assert_clean(page, url)
    assert found == [], "\n".join(found)
