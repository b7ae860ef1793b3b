"""Imaging, SIJ-after-fusion and EMG/NCS pointers."""

from __future__ import annotations

from typing import Any

import pytest

from fbss_eval.checklist.rules.base import Pointer
from fbss_eval.checklist.rules.base import VisitData
from fbss_eval.checklist.rules.electrodiagnostics import active_denervation
from fbss_eval.checklist.rules.electrodiagnostics import neuropathy_or_entrapment
from fbss_eval.checklist.rules.imaging import imaging_findings
from fbss_eval.checklist.rules.imaging import sij_after_fusion
from fbss_eval.checklist.settings import DEFAULT_SETTINGS


def _run(fn: Any, answers: dict[str, Any]) -> list[Pointer]:
    return list(fn(VisitData(answers), DEFAULT_SETTINGS))


def _imaging(
    *findings: str,
    modality: str = "mri_gd",
    date: str = "2024-09-01",
    ops: list[dict[str, Any]] | None = None,
) -> list[Pointer]:
    answers: dict[str, Any] = {
        "imaging": {"studies": [{"modality": modality, "date": date, "findings": list(findings)}]}
    }
    if ops is not None:
        answers["surgical_history"] = {"operations": ops}
    return _run(imaging_findings, answers)


@pytest.mark.parametrize(
    ("finding", "rule", "category"),
    [
        ("enhancing_scar", "imaging.epidural_fibrosis", "epidural_fibrosis"),
        ("arachnoiditis", "imaging.epidural_fibrosis", "epidural_fibrosis"),
        ("recurrent_herniation", "imaging.recurrent_herniation", "recurrent_herniation"),
        ("central_stenosis", "imaging.central_stenosis", "central_stenosis"),
        ("foraminal_stenosis", "imaging.foraminal_stenosis", "foraminal_stenosis"),
        ("adjacent_degeneration", "imaging.adjacent_segment", "adjacent_segment"),
        ("annular_tear", "imaging.discogenic", "discogenic"),
        ("modic", "imaging.discogenic", "discogenic"),
        ("disc_degeneration", "imaging.discogenic", "discogenic"),
        ("pseudarthrosis", "imaging.pseudarthrosis_hardware", "pseudarthrosis_hardware"),
        ("hardware_loosening", "imaging.pseudarthrosis_hardware", "pseudarthrosis_hardware"),
        ("hardware_breakage", "imaging.pseudarthrosis_hardware", "pseudarthrosis_hardware"),
        ("hardware_malposition", "imaging.hardware_malposition", "hardware_malposition"),
        ("instability", "imaging.instability", "instability"),
        ("infection", "imaging.infection", "infection"),
        ("sagittal_imbalance", "imaging.sagittal_imbalance", "sagittal_imbalance"),
    ],
)
def test_each_finding_points_to_its_category(finding: str, rule: str, category: str) -> None:
    (pointer,) = _imaging(finding)
    assert pointer.rule == rule
    assert category in pointer.suggests
    assert pointer.reasons[0].startswith("Study 1 (2024-09-01, MRI with and without gadolinium)")


def test_adjacent_segment_names_the_fusion_and_its_levels() -> None:
    ops = [{"date": "2020-01-01", "procedure": "fusion_tlif", "n_levels": 2}]
    (pointer,) = _imaging("adjacent_degeneration", ops=ops)
    assert "Operation 1 (2020-01-01, Fusion, TLIF): fusion of 2 level(s)" in pointer.reasons[1]
    (pointer,) = _imaging("adjacent_degeneration", ops=[{"procedure": "microdiscectomy"}])
    assert len(pointer.reasons) == 1


def test_normal_or_no_findings_point_nowhere() -> None:
    assert _imaging("normal_postop") == []
    assert _imaging() == []
    assert _run(imaging_findings, {}) == []


def test_studies_reporting_the_same_group_are_listed_together() -> None:
    answers = {
        "imaging": {
            "studies": [
                {"modality": "mri", "date": "2024-01-01", "findings": ["modic"]},
                {"modality": "mri_gd", "date": "2024-06-01", "findings": ["annular_tear", "modic"]},
            ]
        }
    }
    (pointer,) = _run(imaging_findings, answers)
    assert pointer.rule == "imaging.discogenic"
    assert pointer.reasons[0] == "Study 1 (2024-01-01, MRI without contrast): modic endplate change"
    assert "annular tear" in pointer.reasons[1]
    assert "modic" in pointer.reasons[1]


def test_scar_without_gadolinium_is_caveated() -> None:
    (pointer,) = _imaging("enhancing_scar", modality="mri")
    assert any("Not a gadolinium MRI" in r for r in pointer.reasons)
    (pointer,) = _imaging("enhancing_scar")
    assert not any("Not a gadolinium MRI" in r for r in pointer.reasons)


def test_imaging_in_first_weeks_after_surgery_is_caveated() -> None:
    ops = [{"date": "2024-08-20", "procedure": "microdiscectomy"}]
    (pointer,) = _imaging("recurrent_herniation", date="2024-09-01", ops=ops)
    assert any("12 days after Operation 1" in r for r in pointer.reasons)
    (pointer,) = _imaging("recurrent_herniation", date="2024-12-01", ops=ops)
    assert not any("days after" in r for r in pointer.reasons)


def _sij(fused: bool, positive: int, procedure: str = "fusion_tlif") -> list[Pointer]:
    return _run(
        sij_after_fusion,
        {
            "surgical_history": {
                "operations": [
                    {"date": "2022-01-01", "procedure": procedure, "fusion_to_sacrum": fused}
                ]
            },
            "examination": {"sij_provocation_positive": positive},
        },
    )


def test_sij_after_fusion_to_sacrum_with_three_positive_tests() -> None:
    (pointer,) = _sij(True, 3)
    assert pointer.suggests == ("sij",)
    assert (
        "Operation 1 (2022-01-01, Fusion, TLIF): fusion to the sacrum / pelvis" in pointer.reasons
    )
    assert any("3 of 5" in r for r in pointer.reasons)
    assert "Katz" in pointer.source


def test_sij_after_fusion_negative_cases() -> None:
    assert _sij(True, 2) == []
    assert _sij(False, 5) == []
    assert _sij(True, 4, procedure="microdiscectomy") == []  # stale answer, field not enabled
    assert _run(sij_after_fusion, {"examination": {"sij_provocation_positive": 5}}) == []


def _emg(**row: Any) -> dict[str, Any]:
    return {"electrodiagnostics": {"studies": [{"date": "2024-05-01", "roots": ["L5"], **row}]}}


def test_active_denervation_in_limb_muscles() -> None:
    answers = _emg(findings=["active_denervation"], denervation_site="limb_myotomal")
    (pointer,) = _run(active_denervation, answers)
    assert pointer.suggests == ("neuropathic_root",)
    assert (
        "EMG/NCS 1 (2024-05-01, L5): active denervation in >= 2 limb muscles"
        in (pointer.reasons[0])
    )


def test_paraspinal_only_denervation_is_ignored() -> None:
    answers = _emg(findings=["active_denervation"], denervation_site="paraspinal_only")
    assert _run(active_denervation, answers) == []
    assert _run(active_denervation, _emg(findings=["chronic_changes"])) == []
    assert _run(active_denervation, _emg(findings=["normal"])) == []


def test_denervation_in_first_two_weeks_is_caveated() -> None:
    answers = _emg(findings=["active_denervation"], denervation_site="limb_myotomal")
    answers["surgical_history"] = {"operations": [{"date": "2024-04-25"}]}
    (pointer,) = _run(active_denervation, answers)
    assert any("pre-existing" in r for r in pointer.reasons)


def test_neuropathy_or_entrapment_points_to_non_spinal() -> None:
    answers = _emg(
        findings=["peripheral_neuropathy", "entrapment"], entrapment_nerve="common peroneal"
    )
    (pointer,) = _run(neuropathy_or_entrapment, answers)
    assert pointer.suggests == ("non_spinal",)
    assert any("peripheral neuropathy" in r for r in pointer.reasons)
    assert any("entrapment (common peroneal)" in r for r in pointer.reasons)
    assert _run(neuropathy_or_entrapment, _emg(findings=["active_denervation"])) == []
