"""Psychosocial pointers: questionnaires, yellow flags, compensation, smoking, obesity."""

from __future__ import annotations

from typing import Any

from fbss_eval.checklist.instruments import INSTRUMENTS
from fbss_eval.checklist.rules.base import Pointer
from fbss_eval.checklist.rules.base import VisitData
from fbss_eval.checklist.rules.psychosocial import compensation
from fbss_eval.checklist.rules.psychosocial import obesity
from fbss_eval.checklist.rules.psychosocial import questionnaires
from fbss_eval.checklist.rules.psychosocial import recorded_yellow_flags
from fbss_eval.checklist.rules.psychosocial import smoking
from fbss_eval.checklist.rules.psychosocial import yellow_flags
from fbss_eval.checklist.schema import Result
from fbss_eval.checklist.settings import DEFAULT_SETTINGS

S = DEFAULT_SETTINGS


def _psy(**answers: Any) -> VisitData:
    return VisitData({"psychosocial": answers})


def _one(pointers: Any) -> Pointer:
    found = list(pointers)
    assert len(found) == 1, found
    return found[0]


def _text(ptr: Pointer) -> str:
    return " | ".join(ptr.reasons)


def test_phq9_and_gad7_at_ten() -> None:
    data = VisitData({}, {"phq9": Result("phq9", 10), "gad7": Result("gad7", 10)})
    ptr = _one(questionnaires(data, S))
    assert ptr.suggests == ("nociplastic_psychosocial",)
    assert "PHQ-9 10" in _text(ptr)
    assert "GAD-7 10" in _text(ptr)
    below = VisitData({}, {"phq9": Result("phq9", 9), "gad7": Result("gad7", 9)})
    assert list(questionnaires(below, S)) == []


def test_pcs_startback_fabq_tsk_flags() -> None:
    data = VisitData({}, {
        "pcs": Result("pcs", 33, positive=True),
        "startback": Result("startback", 7, band="high"),
        "fabq": Result("fabq", None, subscores={"pa": 20, "w": 37}, positive=True),
        "tsk": Result("tsk", 41, band="high", positive=True),
    })
    ptr = _one(questionnaires(data, S))
    text = _text(ptr)
    for finding in ("PCS 33", "STarT Back high", "FABQ-PA 20", "FABQ-W 37", "TSK 41"):
        assert finding in text
    assert ptr.unverified  # FABQ-W > 34 is an unverified cut-off


def test_questionnaires_below_thresholds_are_silent() -> None:
    data = VisitData({}, {
        "pcs": Result("pcs", 26, positive=False),
        "startback": Result("startback", 5, band="medium"),
        "fabq": Result("fabq", None, subscores={"pa": 14, "w": 34}),
        "tsk": Result("tsk", 37, band="not_high", positive=False),
        "phq9": Result("phq9", None),
    })
    assert list(questionnaires(data, S)) == []


def test_pcs_boundary_follows_settings_when_result_has_no_flag() -> None:
    at_30 = VisitData({}, {"pcs": Result("pcs", 30)})
    ptr = _one(questionnaires(at_30, S))
    assert ptr.unverified  # the >= / > boundary is unverified
    exclusive = S.with_overrides({"pcs_inclusive": False})
    assert list(questionnaires(at_30, exclusive)) == []


def test_fabq_from_real_scorer() -> None:
    fabq = INSTRUMENTS["fabq"]
    answers = {f.key: max(f.options, key=lambda o: o.score or 0).value for f in fabq.items}
    data = VisitData({}, {"fabq": fabq.score(answers)})
    text = _text(_one(questionnaires(data, S)))
    assert "FABQ-PA 24" in text
    assert "FABQ-W 42" in text


def test_yellow_flags_counted_with_implied_flags() -> None:
    data = _psy(yellow_flags=["catastrophising", "fear_avoidance"], family_support="unsupportive",
                expectations="passive_fix")
    ptr = _one(yellow_flags(data, S))
    assert ptr.title.startswith("4 psychosocial yellow flags")
    assert "Catastrophising" in _text(ptr)
    assert "Over-protective or unsupportive family" in _text(ptr)
    # "none" is not a flag; a supportive family adds none
    assert list(yellow_flags(_psy(yellow_flags=["none"], family_support="supportive"), S)) == []


def test_yellow_flags_not_duplicated() -> None:
    data = VisitData({"psychosocial": {"yellow_flags": ["compensation_problems"]},
                      "surgical_history": {"compensation_litigation": "litigation"}})
    assert recorded_yellow_flags(data) == ["Compensation / claim problems"]


def test_compensation_from_surgical_history() -> None:
    comp = VisitData({"surgical_history": {"compensation_litigation": "workers_comp"}})
    ptr = _one(compensation(comp, S))
    assert "workers' compensation" in _text(ptr)
    assert "2.12" in _text(ptr)
    assert "Spine J 2015" in ptr.source
    history = VisitData({"surgical_history": {"compensation_litigation": "litigation"}})
    assert "litigation" in _text(_one(compensation(history, S)))
    none_history = VisitData({"surgical_history": {"compensation_litigation": "none"}})
    assert list(compensation(none_history, S)) == []


def test_smoking_current_only_with_pseudarthrosis_note_after_fusion() -> None:
    ptr = _one(smoking(_psy(smoking="current", pack_years=20), S))
    assert "Current smoker (20 pack-years)" in _text(ptr)
    assert "pseudarthrosis" in _text(ptr)
    assert ptr.suggests == ("nociplastic_psychosocial",)
    fused = VisitData({"psychosocial": {"smoking": "current"},
                       "surgical_history": {"operations": [{"procedure": "fusion_tlif"}]}})
    assert "pseudarthrosis_hardware" in _one(smoking(fused, S)).suggests
    assert list(smoking(_psy(smoking="former", pack_years=20), S)) == []
    assert list(smoking(_psy(), S)) == []


def test_obesity_at_bmi_30() -> None:
    ptr = _one(obesity(_psy(height_cm=160, weight_kg=77), S))  # BMI 30.1
    assert "BMI 30.1" in _text(ptr)
    assert list(obesity(_psy(height_cm=180, weight_kg=80), S)) == []  # 24.7
    assert list(obesity(_psy(weight_kg=120), S)) == []  # no height: no BMI
