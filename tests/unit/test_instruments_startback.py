"""STarT Back: worked examples of reference 2.9, recoding, missing items, licence."""

from __future__ import annotations

import pytest

from fbss_eval.checklist.instruments import startback
from fbss_eval.checklist.settings import DEFAULT_SETTINGS


def answers(items: tuple[int, ...], item9: str) -> dict[str, str]:
    data = {f"sbst_{i}": str(v) for i, v in enumerate(items, start=1)}
    data["sbst_9"] = item9
    return data


@pytest.mark.parametrize(
    ("items", "item9", "total", "psych", "risk"),
    [
        ((1, 1, 0, 0, 0, 0, 0, 0), "moderately", 2, 0, "low"),
        ((0, 0, 0, 0, 1, 1, 1, 0), "slightly", 3, 3, "low"),
        ((1, 0, 1, 1, 0, 1, 0, 0), "very_much", 5, 2, "medium"),
        ((1, 1, 1, 1, 0, 0, 0, 1), "not_at_all", 5, 1, "medium"),
        ((0, 0, 0, 0, 1, 1, 1, 0), "very_much", 4, 4, "high"),
        ((1, 1, 1, 0, 1, 1, 1, 0), "extremely", 7, 4, "high"),
    ],
)
def test_worked_examples(items: tuple[int, ...], item9: str, total: int, psych: int, risk: str) -> None:
    result = startback.score(answers(items, item9), DEFAULT_SETTINGS)
    assert result.score == total
    assert result.subscores["psychosocial"] == psych
    assert result.band == risk


def test_medium_boundary_psych_3() -> None:
    result = startback.score(answers((1, 1, 1, 0, 1, 1, 1, 0), "moderately"), DEFAULT_SETTINGS)
    assert (result.score, result.subscores["psychosocial"], result.band) == (6, 3, "medium")


@pytest.mark.parametrize(
    ("value", "score"),
    [("not_at_all", 0), ("slightly", 0), ("moderately", 0), ("very_much", 1), ("extremely", 1)],
)
def test_item9_recode(value: str, score: int) -> None:
    option = startback.ITEMS[8].option(value)
    assert option is not None
    assert option.score == score


def test_no_classification_unless_all_answered() -> None:
    data = answers((0, 0, 0, 0, 1, 1, 1, 1), "extremely")
    del data["sbst_2"]
    result = startback.score(data, DEFAULT_SETTINGS)
    assert result.score is None
    assert result.band is None
    assert result.n_answered == 8
    assert "missing" in result.notes[0]


def test_forged_item9() -> None:
    data = answers((0, 0, 0, 0, 1, 1, 1, 1), "1")
    assert startback.score(data, DEFAULT_SETTINGS).score is None


def test_keele_copyright_kept() -> None:
    licence = startback.INSTRUMENT.licence
    assert "©2007" in licence
    assert "Keele University" in licence
    assert "No license is required for non-commercial use" in licence
