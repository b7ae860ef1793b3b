"""painDETECT: worked examples of reference 2.7, bands, missing items."""

from __future__ import annotations

import pytest

from fbss_eval.checklist.instruments import paindetect
from fbss_eval.checklist.settings import DEFAULT_SETTINGS


def answers(symptoms: tuple[int, ...], course: str, radiating: bool) -> dict[str, str]:
    data = {f"pd_{i}": str(s) for i, s in enumerate(symptoms, start=1)}
    data["pd_course"] = course
    data["pd_radiating"] = "yes" if radiating else "no"
    return data


@pytest.mark.parametrize(
    ("symptoms", "course", "radiating", "total", "band", "positive"),
    [
        ((0, 1, 0, 0, 0, 1, 0), "persistent", False, 2, "negative", False),
        ((2, 2, 2, 2, 2, 1, 1), "persistent", False, 12, "negative", False),
        ((2, 2, 2, 2, 2, 2, 1), "persistent", False, 13, "unclear", None),
        ((3, 3, 2, 2, 1, 3, 2), "persistent_attacks", True, 17, "unclear", None),
        ((3, 3, 3, 2, 2, 2, 2), "persistent", True, 19, "positive", True),
        ((4, 4, 3, 4, 2, 3, 3), "attacks_between", True, 26, "positive", True),
        ((0,) * 7, "persistent_attacks", False, -1, "negative", False),
        ((5,) * 7, "attacks_only", True, 38, "positive", True),
    ],
)
def test_worked_examples(
    symptoms: tuple[int, ...],
    course: str,
    radiating: bool,
    total: int,
    band: str,
    positive: bool | None,
) -> None:
    result = paindetect.score(answers(symptoms, course, radiating), DEFAULT_SETTINGS)
    assert result.score == total
    assert result.band == band
    assert result.positive is positive
    assert result.complete


def test_boundary_18_unclear() -> None:
    result = paindetect.score(answers((3, 3, 3, 2, 2, 2, 1), "persistent", True), DEFAULT_SETTINGS)
    assert result.score == 18
    assert result.band == "unclear"


def test_course_scores() -> None:
    course = next(f for f in paindetect.ITEMS if f.key == "pd_course")
    assert [o.score for o in course.options] == [0, -1, 1, 1]
    radiating = next(f for f in paindetect.ITEMS if f.key == "pd_radiating")
    yes = radiating.option("yes")
    assert yes is not None
    assert yes.score == 2


@pytest.mark.parametrize("missing", ["pd_1", "pd_7", "pd_course", "pd_radiating"])
def test_any_missing_item_no_score(missing: str) -> None:
    data = answers((3,) * 7, "persistent", True)
    del data[missing]
    result = paindetect.score(data, DEFAULT_SETTINGS)
    assert result.score is None
    assert result.n_answered == 8
    assert result.n_items == 9
    assert result.notes[0] == "1 item missing; all items are needed for a score"


def test_forged_course_value() -> None:
    data = answers((3,) * 7, "persistent", True)
    data["pd_course"] = "-5"
    assert paindetect.score(data, DEFAULT_SETTINGS).score is None


def test_item_keys() -> None:
    keys = [f.key for f in paindetect.ITEMS]
    assert keys == [f"pd_{i}" for i in range(1, 8)] + ["pd_course", "pd_radiating"]
    assert paindetect.ITEMS[1].label == "Tingling/prickling"
    labels = [o.label for o in paindetect.ITEMS[0].options]
    assert labels[0] == "0 never"
    assert labels[-1] == "5 very strongly"
