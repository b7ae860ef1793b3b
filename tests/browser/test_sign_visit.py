"""A clinician signs a visit in the browser, sees the signature block, amends it with a reason,
signs revision 2 and opens the diff of revisions 1 and 2."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import User
from tests.browser.conftest import ARTIFACTS
from tests.browser.conftest import log_in
from tests.browser.conftest import server_data
from tests.conftest import PASSWORD
from tests.web.signing_support import ready_visit

pytestmark = pytest.mark.browser


def _sign(page, meaning: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="Sign visit").click()
    page.get_by_label(meaning).check()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Sign visit").click()
    page.wait_for_load_state()


def test_sign_amend_sign_again_and_compare(page, live_server):  # type: ignore[no-untyped-def]
    with server_data(live_server):
        carl = db.session.scalar(sa.select(User).where(User.username == "carl"))
        visit_id = ready_visit(carl, mrn="BRW-SIGN").id
        db.session.remove()
    log_in(page)
    page.goto(f"/visits/{visit_id}")

    _sign(page, "Authored: I wrote this record")
    assert re.search(rf"/visits/{visit_id}$", page.url)
    block = page.locator(".signature-block")
    text = block.inner_text()
    assert "Signed · revision 1" in text
    assert "Dr Carl Clinician" in text
    assert "UTC" in text
    assert "Europe/London" in text
    assert "Authored" in text
    assert re.search(r"\b[0-9a-f]{64}\b", text)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "visit-signed.png"), full_page=True)

    page.get_by_role("link", name="Amend").click()
    page.get_by_label("Reason for the amendment").fill("Chief complaint recorded in the patient's words")
    page.get_by_role("button", name="Amend visit").click()
    page.wait_for_load_state()
    assert "Amendment in progress" in page.locator(".visit-main").inner_text()

    page.goto(f"/visits/{visit_id}/sections/visit")
    page.get_by_label("Chief complaint").fill("My left leg burns since the second operation")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 0

    page.goto(f"/visits/{visit_id}")
    _sign(page, "Reviewed: I reviewed this record")
    assert "Signed · revision 2" in page.locator(".signature-block").inner_text()
    assert "Reviewed" in page.locator(".signature-block").inner_text()

    page.get_by_role("link", name="Revisions").click()
    listing = page.locator(".revisions").inner_text()
    assert re.search(r"Revision 1, signed \d{4}-\d\d-\d\d by Dr Carl Clinician", listing)
    assert "Chief complaint recorded in the patient's words" in listing
    page.get_by_role("link", name="Changes from revision 1").click()
    page.wait_for_url(re.compile(r"/revisions/diff\?a=1&b=2$"))
    row = page.locator("table.diff tr", has_text="Chief complaint")
    assert "My left leg burns since the second operation" in row.locator("td.after").inner_text()
    assert row.locator("td.before").inner_text().strip() != ""
    page.screenshot(path=str(ARTIFACTS / "visit-revision-diff.png"), full_page=True)
