"""TSK-17 / TSK-11: worked examples of reference 2.12, versions, cut-off."""

from __future__ import annotations

import pytest

from fbss_eval.checklist.instruments import tsk
from fbss_eval.checklist.instruments.mcid import tsk_change
from fbss_eval.checklist.settings import DEFAULT_SETTINGS
from fbss_eval.checklist.settings import ScoringSettings

TSK11 = (1, 2, 3, 5, 6, 7, 10, 11, 13, 15, 17)


def answers17(*scores: int) -> dict[str, str]:
    assert len(scores) == 17
    data = {f"tsk_{i}": str(s) for i, s in enumerate(scores, start=1)}
    data["tsk_version"] = "17"
    return data


def answers11(*scores: int) -> dict[str, str]:
    assert len(scores) == 11
    data = {f"tsk_{n}": str(s) for n, s in zip(TSK11, scores, strict=True)}
    data["tsk_version"] = "11"
    return data


BOUNDARY_37 = (3, 2, 2, 3, 2, 2, 2, 3, 2, 2, 2, 3, 2, 2, 3, 3, 3)


@pytest.mark.parametrize(
    ("scores", "total", "high"),
    [
        ((1,) * 17, 29, False),
        ((4,) * 17, 56, True),
        ((2, 2, 3, 2, 2, 3, 2, 3, 2, 3, 2, 3, 2, 2, 3, 2, 3), 41, True),
        (tuple(2 if i in (4, 8, 12, 16) else 3 for i in range(1, 18)), 51, True),
        (BOUNDARY_37, 37, False),
        (BOUNDARY_37[:12] + (3,) + BOUNDARY_37[13:], 38, True),
    ],
)
def test_tsk17_worked_examples(scores: tuple[int, ...], total: int, high: bool) -> None:
    result = tsk.score(answers17(*scores), DEFAULT_SETTINGS)
    assert result.score == total
    assert result.positive is high
    assert result.band == ("high" if high else "not_high")


def test_tsk17_cutoff_from_settings() -> None:
    result = tsk.score(answers17(*BOUNDARY_37), ScoringSettings(tsk17_high_above=36))
    assert result.positive is True


@pytest.mark.parametrize(("value", "total"), [(2, 22), (4, 44), (1, 11)])
def test_tsk11_worked_examples(value: int, total: int) -> None:
    result = tsk.score(answers11(*(value,) * 11), DEFAULT_SETTINGS)
    assert result.score == total
    assert result.band is None
    assert result.positive is None
    assert result.n_items == 11
    assert any("no validated cut-off" in n for n in result.notes)


def test_tsk11_no_reverse_scoring_and_ignores_dropped_items() -> None:
    data = answers11(*(4,) * 11)
    data.update({f"tsk_{n}": "1" for n in (4, 8, 9, 12, 14, 16)})  # stale answers
    assert tsk.score(data, DEFAULT_SETTINGS).score == 44


def test_tsk11_change_important_reduction() -> None:
    change = tsk_change(30, 25)
    assert change.delta == -5
    assert change.meets_points


def test_dropped_items_hidden_for_tsk11() -> None:
    hidden = {f.key for f in tsk.ITEMS if not f.enabled({"tsk_version": "11"})}
    assert hidden == {f"tsk_{n}" for n in (4, 8, 9, 12, 14, 16)}
    assert all(f.enabled({"tsk_version": "17"}) for f in tsk.ITEMS)
    assert all(f.enabled({}) for f in tsk.ITEMS)
    assert tsk.INSTRUMENT.section().items[0].key == "tsk_version"


def test_version_missing_not_scored() -> None:
    data = answers17(*(2,) * 17)
    del data["tsk_version"]
    result = tsk.score(data, DEFAULT_SETTINGS)
    assert result.score is None
    assert "version" in result.notes[0]


def test_missing_item_not_scored() -> None:
    data = answers17(*(2,) * 17)
    del data["tsk_9"]
    result = tsk.score(data, DEFAULT_SETTINGS)
    assert result.score is None
    assert result.n_answered == 16
    assert result.n_items == 17


def test_forged_value() -> None:
    data = answers11(*(2,) * 11)
    data["tsk_1"] = "0"  # scale is 1-4
    assert tsk.score(data, DEFAULT_SETTINGS).score is None
