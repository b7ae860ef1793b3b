"""Diagnostic-block pointers spelled out (clinical-reference 3.d): the reason line of each positive
block (which block, its result, the criterion applied), the UNVERIFIED flag carried from the
threshold (SNRB and ESI thresholds are unverified; MBB >= 50% and discography criteria are not
flagged), and the outcome of rows that lack what the criterion needs.

Written against the mutation run (tests/MUTATION.md): the block description, the result words and
the unverified flag could change without a failing test.
"""

from __future__ import annotations

from fbss_eval.checklist.rules.base import VisitData
from fbss_eval.checklist.rules.blocks import BlockOutcome
from fbss_eval.checklist.rules.blocks import block_outcome
from fbss_eval.checklist.rules.blocks import positive_blocks
from fbss_eval.checklist.settings import DEFAULT_SETTINGS

MBB = {"type": "mbb", "date": "2024-06-01", "level": ["L4-L5"], "side": "left", "relief_pct": 80,
       "duration_hours": 6.5, "concordant": "yes"}
DISCOGRAPHY = {"type": "discography", "date": "2024-07-01", "level": ["L5-S1"], "pain_score": 7, "pressure_psi": 40,
               "concordant": "yes", "control_disc_painless": "yes"}
SNRB = {"type": "snrb", "relief_pct": 50.5}
DISCOGRAPHY_RULE = ("Discography positive: concordant pain >=7/10 at <50 psi with a painless adjacent control disc "
                    "(and a degenerated nucleogram when recorded)")


def pointers(*rows: dict) -> dict[str, tuple]:
    found = positive_blocks(VisitData({"blocks": {"blocks": list(rows)}}), DEFAULT_SETTINGS)
    return {p.rule: (p.title, p.suggests, p.reasons, p.unverified) for p in found}


def test_each_positive_block_type_gives_one_pointer_with_its_reason() -> None:
    assert pointers(MBB, DISCOGRAPHY, SNRB) == {
        "blocks.mbb": ("Positive medial branch block", ("facet",), (
            "Block 1 (2024-06-01, Lumbar medial branch block, L4-L5, left): 80% relief for 6.5 h; "
            "MBB positive at >=50% relief of the usual pain (ASRA 2020)",), False),
        "blocks.discography": ("Positive provocation discography", ("discogenic",), (
            "Block 2 (2024-07-01, Provocation discography, L5-S1): pain 7/10, 40 psi, concordant, control disc "
            f"painless; {DISCOGRAPHY_RULE}",), False),
        "blocks.snrb": ("Positive selective nerve root block", ("foraminal_stenosis", "neuropathic_root"), (
            "Block 3 (date not recorded, Selective nerve root block (transforaminal)): 50.5% relief; "
            "SNRB positive at >=50% relief of the usual pain (UNVERIFIED threshold; low specificity)",), True),
    }


def test_an_unverified_threshold_flags_the_pointer_even_beside_a_verified_block() -> None:
    (_title, _suggests, reasons, unverified) = pointers({"type": "snrb", "relief_pct": 60}, SNRB)["blocks.snrb"]
    assert len(reasons) == 2
    assert unverified is True


def test_a_negative_block_gives_no_pointer() -> None:
    assert pointers({**MBB, "relief_pct": 49}, {**DISCOGRAPHY, "pain_score": 6}) == {}


def test_outcomes_of_incomplete_rows() -> None:
    assert block_outcome({"type": "esi", "relief_pct": ""}) == BlockOutcome(
        None, "ESI response positive at >=50% relief of the usual pain (therapeutic, not diagnostic; UNVERIFIED); "
              "relief not recorded", True)
    assert block_outcome({"type": "mbb", "concordant": "no", "relief_pct": 90}) == BlockOutcome(
        False, "MBB positive at >=50% relief of the usual pain (ASRA 2020); relieved pain not the usual pain", False)
    assert block_outcome({"type": ""}) == BlockOutcome(None, "Block type not recorded", False)
    assert block_outcome({"type": "discography", "pain_score": 7}) == BlockOutcome(
        None, DISCOGRAPHY_RULE + "; criteria incompletely recorded", False)
    assert block_outcome({**DISCOGRAPHY, "pressure_psi": 50}) == BlockOutcome(False, DISCOGRAPHY_RULE, False)
    assert block_outcome(DISCOGRAPHY) == BlockOutcome(True, DISCOGRAPHY_RULE, False)
    assert block_outcome({**MBB, "relief_pct": True}).positive is None  # a checkbox value is not a number
