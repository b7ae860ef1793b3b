"""Psychosocial questionnaire flags and yellow flags spelled out (clinical-reference 2.4-2.12, 3.f):
the exact words, the UNVERIFIED flag (PCS at exactly its threshold, FABQ-W > 34) and the flags
implied by other answers.

Written against the mutation run (tests/MUTATION.md).
"""

from __future__ import annotations

from fbss_eval.checklist.rules.base import VisitData
from fbss_eval.checklist.rules.psychosocial import questionnaire_flags
from fbss_eval.checklist.rules.psychosocial import recorded_yellow_flags
from fbss_eval.checklist.schema import Result
from fbss_eval.checklist.settings import DEFAULT_SETTINGS


def flags(**results: Result) -> tuple[list[str], bool]:
    return questionnaire_flags(VisitData({}, results), DEFAULT_SETTINGS)


def test_a_verified_cut_off_is_not_flagged_unverified() -> None:
    assert flags(phq9=Result("phq9", 10)) == (["PHQ-9 10 (>= 10: depression likely)"], False)
    assert flags(phq9=Result("phq9", 9)) == ([], False)
    assert flags(gad7=Result("gad7", 10)) == (["GAD-7 10 (>= 10: probable anxiety disorder)"], False)


def test_pcs_without_its_own_flag_uses_the_threshold_and_its_boundary_is_unverified() -> None:
    assert flags(pcs=Result("pcs", 30)) == (["PCS 30 (catastrophising, threshold 30)"], True)
    assert flags(pcs=Result("pcs", 31)) == (["PCS 31 (catastrophising, threshold 30)"], False)
    assert flags(pcs=Result("pcs", 29)) == ([], False)
    # the instrument's own flag wins over the threshold
    assert flags(pcs=Result("pcs", 31, positive=False)) == ([], False)
    assert flags(pcs=Result("pcs", 20, positive=True)) == (["PCS 20 (catastrophising, threshold 30)"], False)


def test_fabq_and_tsk() -> None:
    assert flags(fabq=Result("fabq", 15, subscores={"pa": 15, "w": 35})) == (
        ["FABQ-PA 15 (> 14)", "FABQ-W 35 (> 34)"], True)
    assert flags(fabq=Result("fabq", 14, subscores={"pa": 14, "w": 34})) == ([], False)
    assert flags(tsk=Result("tsk", 40, band="high")) == (["TSK 40 (high kinesiophobia)"], False)
    assert flags(tsk=Result("tsk", 40, positive=True)) == (["TSK 40 (high kinesiophobia)"], False)
    assert flags(tsk=Result("tsk", 37, band="not_high", positive=False)) == ([], False)
    assert flags(startback=Result("startback", 6, band="high")) == (
        ["STarT Back high risk (psychosocial subscale >= 4)"], False)


def test_yellow_flags_implied_by_other_answers() -> None:
    assert recorded_yellow_flags(VisitData({
        "surgical_history": {"compensation_litigation": "litigation"},
        "psychosocial": {"occupational_stress": "severe", "yellow_flags": ["none"]},
    })) == ["Compensation / claim problems", "Work problems / low job satisfaction"]
    # a flag both ticked and implied is listed once
    assert recorded_yellow_flags(VisitData({"psychosocial": {
        "yellow_flags": ["work_problems"], "occupational_stress": "severe", "family_support": "unsupportive",
        "expectations": "passive_fix"}})) == [
        "Work problems / low job satisfaction", "Over-protective or unsupportive family",
        "Passive treatment expectations"]
    assert recorded_yellow_flags(VisitData({"psychosocial": {"occupational_stress": "moderate"}})) == []
