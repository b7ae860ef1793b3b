"""The patient page shows the trend chart and its table (issue 10, item 6), in a real browser
under the app's Content Security Policy: the charts are drawn and styled (app.css, no inline
style or script refused), the MCID line is visible, and the table holds the same numbers."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import User
from tests.browser.conftest import ARTIFACTS
from tests.browser.conftest import log_in
from tests.browser.conftest import server_data
from tests.web.conftest import make_patient
from tests.web.test_patient_trend import GAD7_8
from tests.web.test_patient_trend import GAD7_12
from tests.web.test_patient_trend import ODI_38
from tests.web.test_patient_trend import ODI_56
from tests.web.test_patient_trend import PHQ9_9
from tests.web.test_patient_trend import PHQ9_15
from tests.web.test_patient_trend import _scored_visit

pytestmark = pytest.mark.browser


def test_the_patient_page_shows_the_trend_chart_and_its_table(page, live_server):  # type: ignore[no-untyped-def]
    with server_data(live_server):
        carl = db.session.scalar(sa.select(User).where(User.username == "carl"))
        patient = make_patient(carl, mrn="BRW-TREND", family_name="Okafor", given_name="Daniel")
        _scored_visit(patient, carl, date(2025, 1, 14), 7, 6, ODI_56, PHQ9_15, GAD7_12)
        _scored_visit(patient, carl, date(2025, 9, 30), 4, 5, ODI_38, PHQ9_9, GAD7_8)
        patient_id = patient.id
        db.session.remove()
    refused: list[str] = []
    page.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
    log_in(page)
    page.goto(f"/patients/{patient_id}")

    charts = page.locator("div.trend-charts svg")
    assert charts.count() == 5
    odi = page.get_by_role("img", name="ODI (%)")
    box = odi.bounding_box()
    assert box is not None
    assert box["width"] >= 290
    assert box["height"] >= 160
    # Styled by app.css (an inline <style> would be refused by the CSP): the grid (one path of all
    # its lines) has a stroke.
    stroke = odi.locator("path.g").first.evaluate("e => getComputedStyle(e).stroke")
    assert stroke == "rgb(227, 227, 227)"
    mcid = odi.locator("line.mk")
    assert mcid.count() == 1
    line = mcid.bounding_box()  # a horizontal line: no height, so Playwright never calls it "visible"
    assert line is not None
    assert line["width"] >= 250
    assert mcid.evaluate("e => getComputedStyle(e).stroke") == "rgb(90, 61, 138)"
    assert odi.locator("text.mkl").text_content() == "MCID: 46"

    table = page.get_by_role("table", name="Scores by visit (the numbers of the charts)")
    assert table.is_visible()
    assert table.get_by_role("row").nth(1).inner_text().split() == ["2025-01-14", "7", "6", "56", "15", "12"]
    assert table.get_by_role("row").nth(2).inner_text().split() == ["2025-09-30", "4", "5", "38", "9", "8"]
    assert page.get_by_text("ODI 56 → 38: improved by 18 points, more than the MCID of 10").is_visible()
    assert refused == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "patient-trend.png"), full_page=True)
