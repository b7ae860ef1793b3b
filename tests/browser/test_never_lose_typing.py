"""Never lose typing, in Chromium: autosave without a click, a warning before leaving with edits
autosave could not store, a stale autosave that meets the conflict page with the typing kept, and
a follow-up answer that survives switching its question away and back."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import log_in
from tests.browser.conftest import register_patient

pytestmark = pytest.mark.browser

SAVED = re.compile(r"Saved \d{1,2}:\d{2}")


def _new_visit(page, mrn: str) -> str:  # type: ignore[no-untyped-def]
    """Register a patient and start a visit through the pages; the visit's URL."""
    register_patient(page, mrn, "Lindqvist", "Maja", "1975-04-12", "female")
    page.get_by_role("link", name="Start a visit").click()
    page.get_by_role("button", name="Start visit").click()
    page.wait_for_url(re.compile(r"/visits/\d+/sections/red_flags$"))
    return page.url.rsplit("/sections/", 1)[0]


def _record_dialogs(page) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def on_dialog(dialog) -> None:  # type: ignore[no-untyped-def]
        seen.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", on_dialog)
    return seen


def _status(page):  # type: ignore[no-untyped-def]
    return page.locator("#autosave-status")


def test_autosave_stores_typing_without_a_click_and_the_page_survives_a_reload(page, live_server):  # type: ignore[no-untyped-def]
    log_in(page)
    visit_url = _new_visit(page, "BRW-AUTO-1")
    page.goto(f"{visit_url}/sections/visit")
    dialogs = _record_dialogs(page)
    assert _status(page).get_attribute("aria-live") == "polite"
    page.get_by_label("Chief complaint").fill("Burning left leg pain since the fusion")
    page.locator("input[name=back_nrs_now]").fill("6")
    page.wait_for_function("() => /Saved \\d{1,2}:\\d{2}/.test(document.getElementById('autosave-status').textContent)")
    assert SAVED.search(_status(page).inner_text())
    page.reload()
    page.wait_for_load_state()
    assert dialogs == []  # everything was stored: leaving does not warn
    assert page.get_by_label("Chief complaint").input_value() == "Burning left leg pain since the fusion"
    assert page.locator("input[name=back_nrs_now]").input_value() == "6"


def test_leaving_with_edits_autosave_could_not_store_warns_and_marks_the_field(page, live_server):  # type: ignore[no-untyped-def]
    log_in(page)
    visit_url = _new_visit(page, "BRW-AUTO-2")
    page.goto(f"{visit_url}/sections/visit")
    dialogs = _record_dialogs(page)
    page.get_by_label("Chief complaint").fill("Kept while the NRS box is wrong")
    page.locator("input[name=back_nrs_now]").fill("5e")
    page.wait_for_function("() => document.getElementById('autosave-status').textContent.includes('Not saved')")
    assert "fix the marked fields" in _status(page).inner_text()
    assert page.locator("#back_nrs_now-error").inner_text() == \
        "Back pain now (NRS 0-10): Enter a whole number, using the digits 0-9 only."
    page.get_by_role("link", name="Next section").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith("/sections/visit")  # the warning was heeded: still here ...
    assert page.locator("input[name=back_nrs_now]").input_value() == "5e"  # ... with the typing
    assert page.get_by_label("Chief complaint").input_value() == "Kept while the NRS box is wrong"


def test_a_stale_autosave_meets_the_conflict_page_and_keeps_the_typing(page, browser, live_server):  # type: ignore[no-untyped-def]
    log_in(page)
    visit_url = _new_visit(page, "BRW-AUTO-3")
    page.goto(f"{visit_url}/sections/visit")

    other = browser.new_context(base_url=live_server.url).new_page()
    log_in(other, "ada")
    other.goto(f"{visit_url}/sections/visit")
    other.get_by_label("Chief complaint").fill("Ada's words")
    other.get_by_role("button", name="Save", exact=True).click()
    other.wait_for_load_state()
    other.context.close()

    page.get_by_label("Chief complaint").fill("Carl's words, typed on the older page")
    page.wait_for_function("() => document.getElementById('autosave-status').textContent.includes('Not saved')")
    assert "Ada Admin saved this section" in _status(page).inner_text()
    page.get_by_role("button", name="Review and merge").click()
    page.wait_for_load_state()
    assert "Someone saved this section after you opened it" in page.locator(".conflict").inner_text()
    row = page.locator("#conflict-chief_complaint")
    assert "Ada's words" in row.inner_text()
    assert "Carl's words, typed on the older page" in row.inner_text()
    assert page.get_by_label("Chief complaint").input_value() == "Carl's words, typed on the older page"
    row.get_by_label("Keep mine").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".conflict").count() == 0
    assert page.get_by_label("Chief complaint").input_value() == "Carl's words, typed on the older page"


def test_a_follow_up_answer_survives_switching_away_and_back(page, live_server):  # type: ignore[no-untyped-def]
    log_in(page)
    visit_url = _new_visit(page, "BRW-AUTO-4")
    page.goto(f"{visit_url}/sections/surgical_history")
    details = page.locator("input[name=compensation_details]")
    page.locator("input[name=compensation_litigation][value=workers_comp]").check()
    details.fill("Claim WC-2291, open since 2021")
    page.locator("input[name=compensation_litigation][value=none]").check()
    assert not details.is_visible()
    page.locator("input[name=compensation_litigation][value=workers_comp]").check()
    assert details.is_visible()
    assert details.input_value() == "Claim WC-2291, open since 2021"

    # Saved while hidden, the answer is dropped (it does not apply), without an error.
    page.locator("input[name=compensation_litigation][value=none]").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 0
    page.locator("input[name=compensation_litigation][value=workers_comp]").check()
    assert details.input_value() == ""
