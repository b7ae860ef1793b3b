"""A clinician completes a whole visit in the browser: every section, a repeat group, an
enable-when question, a red flag and a PHQ-9 item-9 alert, each acknowledged."""

from __future__ import annotations

import re

import pytest

from fbss_eval.checklist import all_sections
from tests.browser.conftest import ARTIFACTS
from tests.browser.conftest import log_in
from tests.browser.conftest import register_patient
from tests.pdf.conftest import pdf_text

pytestmark = pytest.mark.browser

SAMPLE_DATE = "2023-03-01"


# Answers every visible, unanswered required question in the page, as a clinician tabbing
# through would, firing the same change events; repeated while answers reveal new questions.
FILL_REQUIRED_JS = """
(sampleDate) => {
  let filled = 0;
  for (let pass = 0; pass < 6; pass++) {
    const pending = Array.from(document.querySelectorAll('.cl-item.required'))
      .filter((item) => item.offsetParent !== null && !answered(item));
    if (!pending.length) break;
    for (const item of pending) { if (item.offsetParent !== null) { answer(item); filled++; } }
  }
  return filled;

  function answered(item) {
    const choices = item.querySelectorAll('input[type=radio], input[type=checkbox]');
    if (choices.length) return Array.from(choices).some((c) => c.checked);
    const select = item.querySelector('select');
    if (select) return select.value !== '';
    const box = item.querySelector('input:not([type=hidden]), textarea');
    return !box || box.value !== '';
  }
  function answer(item) {
    const select = item.querySelector('select');
    const choice = item.querySelector('input[type=radio], input[type=checkbox]');
    const box = item.querySelector('input:not([type=hidden]):not([type=radio]):not([type=checkbox]), textarea');
    let target = null;
    if (select) { select.selectedIndex = 1; target = select; }
    else if (choice) { choice.checked = true; target = choice; }
    else if (box && item.classList.contains('type-date')) { box.value = sampleDate; target = box; }
    else if (box && (item.classList.contains('type-integer') || item.classList.contains('type-decimal'))) {
      const low = parseFloat(box.min || '0'); const high = parseFloat(box.max || String(low + 10));
      box.value = String(Math.floor(low + Math.min(high - low, 60) / 2)); target = box;
    } else if (box) { box.value = 'Recorded in clinic'; target = box; }
    if (target) target.dispatchEvent(new Event('change', { bubbles: true }));
  }
}
"""


def _fill_required(page) -> None:  # type: ignore[no-untyped-def]
    """Answer every visible required question, again as answers reveal new ones."""
    page.evaluate(FILL_REQUIRED_JS, SAMPLE_DATE)


def _add_rows(page) -> None:  # type: ignore[no-untyped-def]
    """Repeat groups that need a row and have none get one (a form round-trip, no JS needed)."""
    empty_groups = page.evaluate(
        "() => Array.from(document.querySelectorAll('fieldset.cl-group'))"
        ".filter((g) => g.offsetParent !== null && !g.querySelector('fieldset.cl-row'))"
        ".map((g) => g.id)"
    )
    for group in empty_groups:
        page.locator(f"button[value='add:{group}']").click()
        page.wait_for_load_state()


def _save(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 0, page.locator(".error-summary").inner_text()


def _nav_state(page, title: str) -> str:  # type: ignore[no-untyped-def]
    text = page.locator(".section-nav a", has_text=title).first.locator(".nav-state").inner_text()
    return " ".join(text.replace("(", " ").replace(")", " ").split())


def _acknowledge(page, action: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="Acknowledge with action taken").first.click()
    page.get_by_label("Action taken").fill(action)
    page.get_by_role("button", name="Acknowledge").click()
    page.wait_for_load_state()


def test_complete_a_whole_visit(page, live_server):  # type: ignore[no-untyped-def]
    log_in(page)
    register_patient(page, "BRW-VISIT", "Moreau", "Claire", "1968-09-30", "female")
    page.get_by_role("link", name="Start a visit").click()
    page.get_by_role("button", name="Start visit").click()
    page.wait_for_url(re.compile(r"/visits/\d+/sections/red_flags$"))
    visit_url = page.url.rsplit("/sections/", 1)[0]

    # Red flags: one positive answer raises a banner on every page until acknowledged.
    # "No to all" records every item still blank as "no" and keeps the "yes" (no script needed).
    page.locator("input[name=rf_ces_saddle][value=yes]").check()
    page.get_by_role("button", name="No to all unanswered items").click()
    page.wait_for_load_state()
    assert page.locator("input[name=rf_ces_saddle][value=yes]").is_checked()
    assert page.locator(".cl-item input[type=radio][value=no]:checked").count() == 28  # 29 asked; 1 yes
    assert "1 'yes' answer kept as given" in page.locator(".flashes").inner_text()
    banner = page.locator(".alert-banner")
    assert "cauda equina" in banner.inner_text().lower()
    page.goto(f"{visit_url}/sections/examination")
    assert page.locator(".alert-banner").is_visible()  # on every visit page
    _acknowledge(page, "Same-day referral to the on-call spinal team; emergency MRI requested.")
    assert page.locator(".alert-banner").count() == 0  # no longer red once acknowledged
    chip = page.locator(".alert-record details.alert-chip summary").inner_text()
    assert chip.startswith("Red flag acknowledged: suspected cauda equina syndrome — Dr Carl Clinician ")
    assert "Same-day referral" not in page.locator(".alert-record").inner_text()  # folded away
    page.locator(".alert-record details.alert-chip summary").click()
    assert "Same-day referral" in page.locator(".alert-record").inner_text()  # one click away

    # Surgical history: a repeat group and an enable-when question.
    page.goto(f"{visit_url}/sections/surgical_history")
    page.get_by_role("button", name="Add operation").click()
    row = page.locator("fieldset#operations-0")
    row.locator("input[name='operations-0-date']").fill("2022-05-10")
    fusion_question = row.locator("[name='operations-0-fusion_to_sacrum']").first
    assert not fusion_question.is_visible()  # only asked for fusions
    row.locator("select[name='operations-0-procedure']").select_option("fusion_tlif")
    assert fusion_question.is_visible()
    row.locator("input[name='operations-0-fusion_to_sacrum'][value=yes]").check()
    row.locator("input[name='operations-0-immediate_outcome'][value=unchanged]").check()
    _fill_required(page)
    _save(page)
    assert page.locator("input[name='operations-0-fusion_to_sacrum'][value=yes]").is_checked()
    assert _nav_state(page, "Surgical history").startswith("Complete")

    # PHQ-9 item 9 = 1 raises an alert that must be acknowledged, whatever the total.
    page.goto(f"{visit_url}/sections/phq9")
    for n in range(1, 9):
        page.locator(f"input[name=phq9_{n}][value='0']").check()
    page.locator("input[name=phq9_9][value='1']").check()
    _save(page)
    assert "item 9" in page.locator(".alert-banner").inner_text()
    assert page.locator(".computed .score").first.inner_text().strip() == "1"  # 0 x 8 + 1
    _acknowledge(page, "Risk assessment done in clinic per local protocol; no immediate risk; GP informed.")

    # Every other section, in order, answered until complete.
    for section in all_sections():
        page.goto(f"{visit_url}/sections/{section.key}")
        if _nav_state(page, section.title).startswith(("Complete", "Not assessed")):
            continue
        _add_rows(page)
        _fill_required(page)
        _save(page)
        if not _nav_state(page, section.title).startswith("Complete"):
            _add_rows(page)  # a row may only be needed once an answer made its group apply
            _fill_required(page)
            _save(page)
        assert _nav_state(page, section.title).startswith("Complete"), section.key

    page.goto(visit_url)
    progress = page.locator(".progress-line").inner_text()
    total = len(all_sections())
    assert f"{total} of {total} sections done" in progress
    assert page.locator(".alert-banner a", has_text="Acknowledge").count() == 0
    pointers = page.locator(".pointers").first.inner_text()
    assert "No relief" in pointers or "no relief" in pointers  # immediate outcome 'unchanged'
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "visit-summary.png"), full_page=True)

    # Both PDFs, from the visit's own buttons, with the browser's session: the summary and the
    # full record of the visit just completed, the acknowledged red flag among the first lines.
    for name, kind in (("PDF summary", "visit summary"), ("PDF full record", "full visit record")):
        href = page.get_by_role("link", name=name).get_attribute("href")
        assert href
        response = page.request.get(href)
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        text = pdf_text(response.body())
        assert kind in text.lower()
        assert "MOREAU, Claire" in text
        assert text.lower().index("cauda equina") < text.index("Summary")
