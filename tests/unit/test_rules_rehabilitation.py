"""Inadequate rehabilitation pointer and the conservative-care list."""

from __future__ import annotations

from typing import Any

from fbss_eval.checklist.rules.base import VisitData
from fbss_eval.checklist.rules.rehabilitation import conservative_care_tried
from fbss_eval.checklist.rules.rehabilitation import inadequate_rehab
from fbss_eval.checklist.settings import DEFAULT_SETTINGS


def _rows(*rows: dict[str, Any], **extra: Any) -> VisitData:
    return VisitData({"treatments": {"treatments": list(rows), **extra}})


def _run(data: VisitData) -> list:
    return list(inadequate_rehab(data, DEFAULT_SETTINGS))


PHYSIO_8 = {"category": "physiotherapy", "start_date": "2024-01-08", "weeks": 8,
            "adherence": "good", "response": "minimal", "relief_pct": 10}


def test_adequate_physiotherapy_is_silent() -> None:
    assert _run(_rows(PHYSIO_8)) == []


def test_no_physiotherapy_recorded() -> None:
    (ptr,) = _run(_rows({"category": "medication_nsaid", "weeks": 12, "response": "partial"}))
    assert ptr.suggests == ("inadequate_rehab",)
    assert "No physiotherapy" in ptr.reasons[0]
    assert not ptr.unverified


def test_short_course_is_flagged_as_unverified_threshold() -> None:
    (ptr,) = _run(_rows({"category": "physiotherapy", "weeks": 4, "adherence": "good",
                         "response": "none"}))
    assert "4 weeks (< 6 weeks)" in ptr.reasons[0]
    assert ptr.unverified


def test_two_short_courses_add_up() -> None:
    course = {"category": "physiotherapy", "weeks": 3, "adherence": "partial"}
    assert _run(_rows(course, course)) == []


def test_poor_adherence() -> None:
    (ptr,) = _run(_rows({**PHYSIO_8, "adherence": "poor"}))
    assert ptr.reasons[0].startswith("Poor adherence")
    assert "adherence poor" in ptr.reasons[0]


def test_unknown_duration_is_not_judged() -> None:
    assert _run(_rows({"category": "physiotherapy", "adherence": "good"})) == []


def test_silent_until_the_treatments_page_is_filled() -> None:
    assert _run(VisitData({})) == []
    (ptr,) = _run(_rows(mdt_involvement="none"))
    assert "among 0 treatment(s)" in ptr.reasons[0]


def test_conservative_care_list_describes_rows() -> None:
    data = _rows(PHYSIO_8, {"category": "injection_epidural", "weeks": 1},
                 {"category": "medication_neuropathic", "name": "pregabalin", "weeks": 12,
                  "response": "none"})
    tried = conservative_care_tried(data)
    assert tried == [
        "physiotherapy from 2024-01-08, 8 weeks, adherence good, response minimal (10% relief)",
        "medication neuropathic (pregabalin), 12 weeks, response none",
    ]
