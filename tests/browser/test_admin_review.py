"""The admin's review in a real browser: from the dashboard to the drafts unsigned for more than
7 days, one of them, what it lacks, and a missing item's link to its field.

The CSV zip download of the same filtered list (issue 12, item 5) continues from
``overdue_drafts_list``: the export work adds its step after the list is shown.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from datetime import timedelta
from typing import Any

import pytest

from fbss_eval.extensions import db
from fbss_eval.models import User
from tests.browser.conftest import ARTIFACTS
from tests.browser.conftest import log_in
from tests.browser.conftest import server_data
from tests.web.conftest import make_patient
from tests.web.review_support import make_visit

pytestmark = pytest.mark.browser


def seed_overdue_and_recent_draft(live_server: Any) -> tuple[int, int]:
    """carl's drafts: one of 20 days ago (overdue: more than 7 days), one of 2 days ago."""
    with server_data(live_server):
        carl = db.session.query(User).filter_by(username="carl").one()
        old_patient = make_patient(carl, mrn="BRW-REV-1", family_name="Overdue", given_name="Olive")
        new_patient = make_patient(carl, mrn="BRW-REV-2", family_name="Recent", given_name="Rita")
        old = make_visit(old_patient, carl, date.today() - timedelta(days=20), "initial",
                         {"red_flags": {"rf_ces_bladder_bowel": "no"}})
        new = make_visit(new_patient, carl, date.today() - timedelta(days=2), "initial", {})
        ids = (old.id, new.id)
        db.session.remove()
    return ids


def overdue_drafts_list(page: Any) -> str:
    """From the admin's home, follow "Drafts unsigned for more than 7 days"; returns the list's URL."""
    log_in(page, "ada")
    assert page.url.endswith("/admin/")
    assert "Drafts unsigned for more than 7 days" in page.locator("#chase-h + table").inner_text()
    page.locator("#fig-unsigned").click()
    page.wait_for_url("**/admin/visits?*")
    assert page.get_by_label("Draft, visit more than N days ago").input_value() == "7"
    return str(page.url)


def test_admin_filters_unsigned_drafts_opens_one_and_follows_a_missing_item_to_its_field(page, live_server):  # type: ignore[no-untyped-def]
    old_id, new_id = seed_overdue_and_recent_draft(live_server)
    list_url = overdue_drafts_list(page)
    assert page.locator(f'tr[data-visit-id="{old_id}"]').is_visible()
    assert page.locator(f'tr[data-visit-id="{new_id}"]').count() == 0

    # open the visit, then what it lacks
    page.locator(f'tr[data-visit-id="{old_id}"] a').first.click()
    page.wait_for_url(f"**/visits/{old_id}")
    page.locator("#completeness-link").click()
    page.wait_for_url(f"**/visits/{old_id}/completeness")
    link = page.get_by_role("link", name="Chief complaint", exact=True)
    assert link.get_attribute("href") == f"/visits/{old_id}/sections/visit#chief_complaint"
    link.click()
    page.wait_for_url(f"**/visits/{old_id}/sections/visit#chief_complaint")
    field = page.locator("#chief_complaint")
    assert field.evaluate("node => node.tagName") == "TEXTAREA"
    box = field.bounding_box()
    assert box is not None
    assert 0 <= box["y"] < page.viewport_size["height"], box  # scrolled to it
    assert page.get_by_label("Chief complaint").input_value() == ""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-missing-item.png"))

    # back to the filtered list: its CSV zip holds the overdue draft and not the recent one
    page.goto(list_url)
    with page.expect_download() as info:
        page.locator("#export-csv").click()
    download = info.value
    assert download.suggested_filename.startswith("fbss-visits-")
    assert download.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(download.path()) as archive:
        assert {"visits.csv", "data_dictionary.csv"} <= set(archive.namelist())
        rows = list(csv.DictReader(io.TextIOWrapper(archive.open("visits.csv"), encoding="utf-8")))
    assert [row["visit_id"] for row in rows] == [str(old_id)]
