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
from tests.browser.conftest import server_data
from tests.pdf.builders import make_complete_visit
from tests.pdf.builders import make_patient

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def record(live_server) -> dict[str, int]:
    """A patient with a complete visit and a fresh draft, made through the services."""
    with server_data(live_server):
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
             f"/visits/{visit}/sign", f"/visits/{visit}/completeness", f"/visits/{visit}/void",
             f"/visits/{visit}/history"]
    pages += [f"/visits/{visit}/sections/{section.key}" for section in all_sections()]
    return pages


ADMIN_PAGES = ["/admin/", "/admin/visits", "/admin/visits?status=draft&sort=least_complete", "/admin/users",
               "/admin/users/new", "/admin/audit", "/admin/tokens"]


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


# Every visible form item's box, and any pair of boxes (neither inside the other) that overlap by
# more than a pixel; and whether the page is wider than the window (a horizontal scroll).
OVERLAPS_JS = """
() => {
  const boxes = Array.from(document.querySelectorAll(
    '.visit-main .cl-item, .visit-main .cl-row, .visit-main .cl-group'))
    .filter((el) => el.offsetParent !== null)
    .map((el) => ({el, r: el.getBoundingClientRect()}));
  const found = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (w > 1 && h > 1) found.push((a.el.id || a.el.className) + ' / ' + (b.el.id || b.el.className));
    }
  }
  const outside = boxes.filter((x) => x.r.right > window.innerWidth + 1).map((x) => x.el.id || x.el.className);
  return {overlaps: found.slice(0, 10), outside: outside.slice(0, 10),
          scroll: document.documentElement.scrollWidth > window.innerWidth + 1};
}
"""


@pytest.fixture
def tablet(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, viewport={"width": 768, "height": 1024})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_at_768_px_no_fields_overlap_and_the_section_list_is_a_menu(tablet, record):
    log_in(tablet)
    problems = []
    for section in all_sections():
        tablet.goto(f"/visits/{record['visit']}/sections/{section.key}")
        found = tablet.evaluate(OVERLAPS_JS)
        if found["overlaps"] or found["outside"] or found["scroll"]:
            problems.append(f"{section.key}: {found}")
    assert problems == [], "\n".join(problems)

    # The section list is collapsed to a menu above the form; opening it shows every section.
    menu = tablet.locator("details.section-menu")
    assert menu.get_attribute("open") is None
    assert not tablet.get_by_role("link", name="Surgical history").first.is_visible()
    menu.locator("summary").click()
    assert tablet.get_by_role("link", name="Surgical history").first.is_visible()
    nav_box, main_box = tablet.locator(".section-nav").bounding_box(), tablet.locator(".visit-main").bounding_box()
    assert nav_box["y"] + nav_box["height"] <= main_box["y"] + 1  # above the form, not beside it


def test_on_a_laptop_the_section_list_stays_open_beside_the_form(page, record):
    log_in(page)
    page.goto(f"/visits/{record['visit']}/sections/red_flags")
    assert page.locator("details.section-menu").get_attribute("open") is not None
    assert page.get_by_role("link", name="Surgical history").first.is_visible()
    nav_box, main_box = page.locator(".section-nav").bounding_box(), page.locator(".visit-main").bounding_box()
    assert nav_box["x"] + nav_box["width"] <= main_box["x"]


def test_dates_are_iso_with_the_native_picker_and_no_contradicting_hint(page, record):
    log_in(page)
    page.goto("/patients/new")
    birth = page.get_by_label("Date of birth")
    assert birth.get_attribute("type") == "date"
    assert "YYYY" not in page.locator("main").inner_text()
    page.goto(f"/patients/{record['patient']}")
    assert "2025-03-04" in page.locator("main").inner_text()  # the visit date, ISO
