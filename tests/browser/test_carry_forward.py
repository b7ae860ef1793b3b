"""A follow-up visit confirms its carried-forward sections and is blocked from signing until it
does: the sign page lists each one with its link, "Confirm unchanged" (or an edit) clears it, and
then the visit signs."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import User
from fbss_eval.services import visits as visit_service
from tests.browser.conftest import ARTIFACTS
from tests.browser.conftest import log_in
from tests.browser.conftest import server_data
from tests.conftest import PASSWORD
from tests.pdf.builders import make_complete_visit
from tests.pdf.builders import make_patient

pytestmark = pytest.mark.browser

CARRIED = ("surgical_history", "imaging", "electrodiagnostics", "blocks", "treatments")
FIRST_DATE = date(2025, 1, 10)


def _follow_up(by: User) -> int:
    """A first visit, then a follow-up with everything but the carried sections filled in."""
    patient = make_patient(by, mrn="BRW-CARRY", family="Okafor", given="Daniel", birth_date=date(1967, 4, 2))
    make_complete_visit(patient, by, FIRST_DATE, not_assessed={"differential": "not_applicable"})
    second = make_complete_visit(patient, by, date(2025, 7, 10), skip=CARRIED,
                                 not_assessed={"differential": "not_applicable"})
    for alert in visit_service.active_alerts(second.id):
        if alert.pending:
            visit_service.acknowledge_alert(second, alert, "Discussed; same-week review booked", by)
    db.session.commit()
    return second.id


def _blockers(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [text.strip() for text in page.locator(".sign-blockers a").all_inner_texts()]


def test_a_follow_up_confirms_carried_sections_and_is_blocked_from_signing_until_it_does(  # type: ignore[no-untyped-def]
        page, live_server):
    with server_data(live_server):
        carl = db.session.scalar(sa.select(User).where(User.username == "carl"))
        visit_id = _follow_up(carl)
        titles = {s.key: s.title for s in visit_service.visit_sections()}
        db.session.remove()
    log_in(page)

    page.goto(f"/visits/{visit_id}/sign")
    blockers = _blockers(page)
    carried = [b for b in blockers if "carried forward from the visit of 2025-01-10" in b]
    assert len(carried) == len(CARRIED) == len(blockers), blockers
    assert page.get_by_label("Your password").count() == 0  # no signing while blocked

    for number, key in enumerate(CARRIED):
        page.goto(f"/visits/{visit_id}/sign")
        page.locator(".sign-blockers a", has_text=titles[key]).first.click()
        page.wait_for_url(re.compile(rf"/visits/{visit_id}/sections/{key}$"))
        nav = page.locator(f'nav.section-nav a[href$="/sections/{key}"]')
        assert "To confirm" in nav.inner_text()
        box = page.locator("#carried-forward")
        assert "Carried forward from the visit of 2025-01-10" in box.inner_text()
        if number == 0:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "carried-forward-to-confirm.png"), full_page=True)
        if key == "treatments":  # an edit confirms too
            page.get_by_role("button", name="Save", exact=True).click()
        else:
            box.get_by_role("button", name="Confirm unchanged").click()
        page.wait_for_load_state()
        assert page.locator("#carried-forward").count() == 0
        assert "To confirm" not in page.locator(f'nav.section-nav a[href$="/sections/{key}"]').inner_text()
        page.goto(f"/visits/{visit_id}/sign")
        left = [b for b in _blockers(page) if "carried forward" in b]
        assert len(left) == len(CARRIED) - number - 1, left

    assert _blockers(page) == []
    page.get_by_label("Authored: I wrote this record").check()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Sign visit").click(timeout=120_000)  # renders both PDFs
    page.wait_for_load_state()
    assert "Signed · revision 1" in page.locator(".signature-block").inner_text()
