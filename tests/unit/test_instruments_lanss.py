"""LANSS / S-LANSS: worked examples of reference 2.8, cut-offs, versions."""

from __future__ import annotations

import pytest

from fbss_eval.checklist.instruments import lanss
from fbss_eval.checklist.settings import DEFAULT_SETTINGS
from fbss_eval.checklist.settings import ScoringSettings


def answers(*items: int, version: str | None = "lanss") -> dict[str, str]:
    data = {f"lanss_{i}": "yes" if v else "no" for i, v in enumerate(items, start=1)}
    if version is not None:
        data["lanss_version"] = version
    return data


@pytest.mark.parametrize("version", ["lanss", "s_lanss"])
@pytest.mark.parametrize(
    ("items", "total", "likely"),
    [
        ((1, 0, 1, 0, 1, 0, 1), 12, True),
        ((1, 0, 0, 1, 1, 0, 1), 11, False),
        ((0, 0, 1, 1, 1, 1, 0), 11, False),
        ((1, 1, 0, 0, 0, 0, 0), 10, False),
        ((1,) * 7, 24, True),
        ((0,) * 7, 0, False),
    ],
)
def test_worked_examples(items: tuple[int, ...], total: int, likely: bool, version: str) -> None:
    result = lanss.score(answers(*items, version=version), DEFAULT_SETTINGS)
    assert result.score == total
    assert result.positive is likely
    assert result.band == ("likely" if likely else "unlikely")


def test_weights() -> None:
    assert [f.options[0].score for f in lanss.ITEMS] == [5, 5, 3, 2, 1, 5, 3]
    assert all(f.options[0].value == "yes" and f.options[1].score == 0 for f in lanss.ITEMS)


def test_slanss_alternative_cutoff() -> None:
    data = answers(1, 1, 0, 0, 0, 0, 0, version="s_lanss")  # 10
    assert lanss.score(data, ScoringSettings(slanss_cutoff=10)).positive is True
    lanss_data = answers(1, 1, 0, 0, 0, 0, 0, version="lanss")
    assert lanss.score(lanss_data, ScoringSettings(slanss_cutoff=10)).positive is False


def test_version_missing_gives_total_without_cutoff() -> None:
    result = lanss.score(answers(1, 0, 1, 0, 1, 0, 1, version=None), DEFAULT_SETTINGS)
    assert result.score == 12
    assert result.band is None
    assert result.positive is None
    assert "cut-off not applied" in result.notes[0]


def test_missing_item_not_scored() -> None:
    data = answers(1, 0, 1, 0, 1, 0, 1)
    data["lanss_7"] = "1"  # forged: values are yes/no
    result = lanss.score(data, DEFAULT_SETTINGS)
    assert result.score is None
    assert result.n_answered == 6
