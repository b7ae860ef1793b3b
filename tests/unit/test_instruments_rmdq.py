"""RMDQ-24: worked examples of reference 2.2 and the blank-item policy."""

from __future__ import annotations

import pytest

from fbss_eval.checklist.instruments import rmdq
from fbss_eval.checklist.settings import DEFAULT_SETTINGS
from fbss_eval.checklist.settings import ScoringSettings


def answers(ticked: set[int], answered: range | set[int] = range(1, 25)) -> dict[str, str]:
    return {f"rmdq_{i}": "1" if i in ticked else "0" for i in answered}


@pytest.mark.parametrize(
    ("ticked", "score"),
    [({1, 2, 3, 5, 8}, 5), (set(), 0), (set(range(1, 25)), 24)],
)
def test_worked_examples(ticked: set[int], score: int) -> None:
    result = rmdq.score(answers(ticked), DEFAULT_SETTINGS)
    assert result.score == score
    assert result.band is None
    assert result.complete


def test_blank_counts_as_no_by_default() -> None:
    result = rmdq.score(answers({1, 2, 3}, answered={1, 2, 3, 4, 5, 6}), DEFAULT_SETTINGS)
    assert result.score == 3
    assert result.n_answered == 6
    assert result.notes[0] == "18 blank statement(s) counted as No (configurable policy)"


def test_prorate_when_blank_as_no_is_off() -> None:
    settings = ScoringSettings(rmdq_blank_as_no=False)
    result = rmdq.score(answers({1, 2, 3}, answered=set(range(1, 13))), settings)
    assert result.score == 6.0  # 3 ticks of 12 answered x 24
    assert any("prorated" in note for note in result.notes)


def test_nothing_answered_not_scored() -> None:
    result = rmdq.score({}, DEFAULT_SETTINGS)
    assert result.score is None


def test_forged_value_is_blank() -> None:
    data = answers({1, 2, 3, 5, 8})
    data["rmdq_24"] = "yes"
    result = rmdq.score(data, DEFAULT_SETTINGS)
    assert result.score == 5
    assert result.n_answered == 23


def test_floor_ceiling_note() -> None:
    assert any("floor/ceiling" in n for n in rmdq.score(answers({1}), DEFAULT_SETTINGS).notes)
    mid = rmdq.score(answers(set(range(1, 11))), DEFAULT_SETTINGS)
    assert not any("floor/ceiling" in n for n in mid.notes)


def test_optional() -> None:
    assert rmdq.INSTRUMENT.optional
    assert len(rmdq.ITEMS) == 24
