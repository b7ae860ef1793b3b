"""The trend on the patient page (issue 10, item 6): NRS back and leg, ODI, PHQ-9 and GAD-7 of
each visit in force, as SVG charts (no script, no inline style: CSP) and a table of the same
numbers; the MCID (Ostelo et al., Spine 2008: NRS 2, ODI 10 points) dashed below the first value;
the change since the first visit in words. Expected scores worked out by hand from the item
answers: ODI = sum / (5 x 10 answered) x 100 (Fairbank 2000); PHQ-9 and GAD-7 = sum of items."""

from __future__ import annotations

from datetime import date

from fbss_eval.extensions import db
from fbss_eval.services import visits as visit_service
from fbss_eval.services import voiding
from tests.web.conftest import soup

ODI_56 = (3, 3, 3, 3, 3, 3, 3, 3, 2, 2)  # 28 / 50 = 56%
ODI_38 = (2, 2, 2, 2, 2, 2, 2, 2, 2, 1)  # 19 / 50 = 38%
ODI_90 = (5, 5, 5, 5, 5, 4, 4, 4, 4, 4)  # 45 / 50 = 90%
PHQ9_15 = (2, 2, 2, 2, 2, 2, 1, 1, 1)
PHQ9_9 = (1, 1, 1, 1, 1, 1, 1, 1, 1)
GAD7_12 = (2, 2, 2, 2, 2, 1, 1)
GAD7_8 = (1, 1, 1, 1, 1, 1, 2)


def _scored_visit(patient, by, day: date, back: int, leg: int, odi, phq9, gad7):  # type: ignore[no-untyped-def]
    visit = visit_service.start_visit(patient, by, day, "follow_up")
    sections = {s.key: s for s in visit_service.visit_sections()}
    rows = visit_service.section_rows(visit)
    visit_service.save_section(visit, sections["visit"], {**rows["visit"].answers, "back_nrs_now": back,
                                                          "leg_nrs_now": leg}, rows["visit"].rev, by)
    for key, items in (("odi", odi), ("phq9", phq9), ("gad7", gad7)):
        if items is not None:
            answers = {f"{key}_{n}": str(score) for n, score in enumerate(items, start=1)}
            visit_service.save_section(visit, sections[key], answers, 0, by)
    db.session.commit()
    return visit


def test_the_trend_shows_each_visits_scores_and_the_mcid(as_clinician, patient, users):
    carl = users.clinician
    _scored_visit(patient, carl, date(2025, 1, 14), 7, 6, ODI_56, PHQ9_15, GAD7_12)
    _scored_visit(patient, carl, date(2025, 4, 8), 5, 6, None, None, None)  # pain only
    _scored_visit(patient, carl, date(2025, 9, 30), 4, 5, ODI_38, PHQ9_9, GAD7_8)
    mistake = _scored_visit(patient, carl, date(2025, 10, 1), 10, 10, ODI_90, None, None)
    voiding.void_visit(mistake, carl, "Wrong patient")
    db.session.commit()

    page = soup(as_clinician.get(f"/patients/{patient.id}"))
    table = page.select_one("table.trend-table")
    assert [th.get_text(strip=True) for th in table.select("thead th")] == [
        "Visit date", "Back pain now (NRS 0-10)", "Leg pain now (NRS 0-10)", "ODI (%)", "PHQ-9 (0-27)",
        "GAD-7 (0-21)"]
    rows = [[cell.get_text(strip=True) for cell in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")]
    assert rows == [  # the voided visit (ODI 90) is not among them
        ["2025-01-14", "7", "6", "56", "15", "12"],
        ["2025-04-08", "5", "6", "—", "—", "—"],
        ["2025-09-30", "4", "5", "38", "9", "8"],
    ]
    changes = [li.get_text(strip=True) for li in page.select("ul.trend-changes li")]
    assert changes == [
        "Back pain 7 → 4: improved by 3 points, more than the MCID of 2",
        "Leg pain 6 → 5: improved by 1 point, less than the MCID of 2",
        "ODI 56 → 38: improved by 18 points, more than the MCID of 10",
        "PHQ-9 15 → 9: improved by 6 points (no established minimal important change)",
        "GAD-7 12 → 8: improved by 4 points (no established minimal important change)",
    ]
    charts = page.select("div.trend-charts svg")
    assert [svg["aria-label"] for svg in charts] == [
        "Back pain now (NRS 0-10)", "Leg pain now (NRS 0-10)", "ODI (%)", "PHQ-9 (0-27)", "GAD-7 (0-21)"]
    # The MCID line: the first value less the MCID (7 - 2 = 5, 6 - 2 = 4, 56 - 10 = 46); none for
    # PHQ-9 and GAD-7. ODI axis 0-100 over plot height 122 from y = 26: 46 -> 26 + 122 x 0.54.
    marks = [[(line["data-value"], line["y1"]) for line in svg.select("line.mk")] for svg in charts]
    assert marks == [[("5", "87.0")], [("4", "99.2")], [("46", "91.9")], [], []]
    assert [t.get_text() for t in charts[2].select("text.mkl")] == ["MCID: 46"]
    # The ODI series: one marker per visit with an ODI (two), at 56 and 38.
    odi_markers = charts[2].select_one("path.m")["d"]
    assert odi_markers.count("M") == 2
    assert " 79.7h0" in odi_markers  # 26 + 122 x 0.44
    assert " 101.6h0" in odi_markers  # 26 + 122 x 0.62
    assert not page.select("div.trend-charts svg style, div.trend-charts script")


def test_no_trend_without_scores(as_clinician, patient, users):
    visit_service.start_visit(patient, users.clinician, date(2025, 1, 14), "initial")
    db.session.commit()
    page = soup(as_clinician.get(f"/patients/{patient.id}"))
    assert page.select_one("section.trend") is None
