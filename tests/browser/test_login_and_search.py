import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.conftest import log_in
from tests.browser.conftest import register_patient

pytestmark = pytest.mark.browser


def test_log_in_register_and_search_a_patient(page):
    log_in(page)
    page.get_by_role("link", name="New patient").click()
    page.wait_for_url("**/patients/new")
    register_patient(page, "BRW-0001", "Lindqvist", "Astrid", "1961-04-12", "female")
    assert page.get_by_role("heading", name="LINDQVIST, Astrid").is_visible()

    page.get_by_role("link", name="Patients").first.click()
    page.get_by_label("Search by name or MRN").fill("lindq")
    page.get_by_role("button", name="Search").click()
    row = page.get_by_role("row", name="LINDQVIST, Astrid")
    assert row.is_visible()
    assert "BRW-0001" in row.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "patient-search.png"), full_page=True)


def test_validation_keeps_what_was_typed(page):
    log_in(page)
    page.goto("/patients/new")
    page.get_by_label("MRN").fill("BRW-0002")
    page.get_by_label("Family name").fill("Okafor")
    page.get_by_label("Date of birth").fill("2999-01-01")
    page.get_by_role("button", name="Register patient").click()
    summary = page.get_by_role("alert")
    assert "There are 3 problems" in summary.inner_text()
    assert page.get_by_label("MRN").input_value() == "BRW-0002"
    assert page.get_by_label("Family name").input_value() == "Okafor"
    assert "cannot be in the future" in page.locator("#birth_date-error").inner_text()
