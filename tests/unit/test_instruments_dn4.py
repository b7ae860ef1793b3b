"""DN4: worked examples of reference 2.6, examination gating, DN4-interview."""

from __future__ import annotations

import pytest

from fbss_eval.checklist.instruments import dn4
from fbss_eval.checklist.settings import DEFAULT_SETTINGS

Y, N = 1, 0


def answers(interview: str, exam: str | None) -> dict[str, str]:
    """'YNYYNNN' interview + 'YNN' exam (None = examination not done)."""
    data = {f"dn4_{i}": "1" if c == "Y" else "0" for i, c in enumerate(interview, start=1)}
    if exam is None:
        data["dn4_exam_done"] = "no"
    else:
        data["dn4_exam_done"] = "yes"
        data.update({f"dn4_{i}": "1" if c == "Y" else "0" for i, c in enumerate(exam, start=8)})
    return data


@pytest.mark.parametrize(
    ("interview", "exam", "score", "positive", "interview_score"),
    [
        ("YNYYNNN", "YNN", 4, True, 3),
        ("YNNYNYN", "NNN", 3, False, 3),
        ("YYYYYYY", "YYY", 10, True, 7),
        ("NNNNNYN", "YYN", 3, False, 1),
    ],
)
def test_worked_examples_full(interview: str, exam: str, score: int, positive: bool, interview_score: int) -> None:
    result = dn4.score(answers(interview, exam), DEFAULT_SETTINGS)
    assert result.score == score
    assert result.positive is positive
    assert result.band == ("positive" if positive else "negative")
    assert result.subscores["interview"] == interview_score
    assert result.n_items == 10
    assert result.complete


def test_both_results_shown_when_they_disagree() -> None:
    result = dn4.score(answers("YNNYNYN", "NNN"), DEFAULT_SETTINGS)
    assert result.score == 3
    assert result.positive is False
    assert "DN4 3/10 — negative (cut-off >= 4)" in result.notes
    assert "DN4-interview 3/7 — positive (cut-off >= 3)" in result.notes
    assert any("disagree" in note for note in result.notes)


def test_exam_not_done_reports_interview_only() -> None:
    result = dn4.score(answers("YNYYNNN", None), DEFAULT_SETTINGS)
    assert result.score is None
    assert result.subscores["interview"] == 3
    assert result.subscores["examination"] is None
    assert result.positive is True
    assert result.band == "interview_positive"
    assert "DN4-interview 3/7 — positive" in (result.band_label or "")
    assert any("examination not done" in note for note in result.notes)
    assert result.n_items == 7
    assert result.complete


def test_exam_not_done_interview_negative() -> None:
    result = dn4.score(answers("YNNNNYN", None), DEFAULT_SETTINGS)
    assert result.score is None
    assert result.subscores["interview"] == 2
    assert result.positive is False
    assert result.band == "interview_negative"


def test_stale_exam_answers_ignored_when_exam_not_done() -> None:
    data = answers("YNYYNNN", None)
    data.update({"dn4_8": "1", "dn4_9": "1", "dn4_10": "1"})
    result = dn4.score(data, DEFAULT_SETTINGS)
    assert result.score is None
    assert result.subscores["interview"] == 3


def test_exam_done_but_item_missing() -> None:
    data = answers("YNYYNNN", "YNN")
    del data["dn4_10"]
    result = dn4.score(data, DEFAULT_SETTINGS)
    assert result.score is None
    assert result.subscores["interview"] == 3
    assert result.n_answered == 9
    assert result.n_items == 10
    assert any("examination items not answered" in note for note in result.notes)


def test_exam_not_recorded() -> None:
    data = answers("YNYYNNN", None)
    del data["dn4_exam_done"]
    result = dn4.score(data, DEFAULT_SETTINGS)
    assert result.score is None
    assert any("examination not recorded" in note for note in result.notes)


def test_interview_item_missing() -> None:
    data = answers("YNYYNNN", "YNN")
    data["dn4_3"] = "maybe"  # forged
    result = dn4.score(data, DEFAULT_SETTINGS)
    assert result.score is None
    assert result.subscores["interview"] is None
    assert result.positive is None


def test_exam_items_enabled_only_when_exam_done() -> None:
    exam_items = [f for f in dn4.ITEMS if f.key in ("dn4_8", "dn4_9", "dn4_10")]
    assert len(exam_items) == 3
    for field in exam_items:
        assert field.enabled({"dn4_exam_done": "yes"})
        assert not field.enabled({"dn4_exam_done": "no"})
        assert not field.enabled({})
    assert all(f.enabled({}) for f in dn4.ITEMS[:7])


def test_exam_done_field_first() -> None:
    section = dn4.INSTRUMENT.section()
    assert section.items[0].key == "dn4_exam_done"
    assert [o.value for o in section.fields()[0].options] == ["yes", "no"]


def test_labels() -> None:
    assert dn4.ITEMS[0].label == "Burning"
    assert [o.score for o in dn4.ITEMS[0].options] == [Y, N]
