"""Candidacy reports: SCS (NICE TA159), biologic disc repair, revision surgery."""

from __future__ import annotations

from datetime import date
from typing import Any

from fbss_eval.checklist.rules.base import VisitData
from fbss_eval.checklist.rules.candidacy import CandidacyReport
from fbss_eval.checklist.rules.candidacy import biologic_disc_repair_candidacy
from fbss_eval.checklist.rules.candidacy import revision_surgery_considerations
from fbss_eval.checklist.rules.candidacy import scs_candidacy
from fbss_eval.checklist.schema import Result
from fbss_eval.checklist.sections.red_flags import SCREEN_KEYS
from fbss_eval.checklist.settings import DEFAULT_SETTINGS

S = DEFAULT_SETTINGS
TODAY = date(2025, 6, 1)


# Every red-flag item answered no: nothing left unaddressed.
NEGATIVE = {key: "no" for key in SCREEN_KEYS}


def _status(report: CandidacyReport) -> dict[str, str]:
    return {c.criterion: c.status for c in report.criteria}


def _find(report: CandidacyReport, word: str) -> Any:
    (crit,) = [c for c in report.criteria if word in c.criterion]
    return crit


SCS_PLAN = {
    "options": ["scs_evaluation"],
    "scs_neuropathic_predominance": "yes",
    "scs_duration_6_months": "yes",
    "scs_pain_measure": "vas_mm",
    "scs_vas_mm": 70,
    "scs_tried_drugs": "yes",
    "scs_tried_physio": "yes",
    "scs_tried_psychology": "yes",
    "scs_mdt_review_date": "2025-03-01",
    "scs_psych_eval": "suitable",
    "scs_relative_ci": ["none"],
    "scs_absolute_ci": ["none"],
    "scs_trial_relief_pct": 60,
}


def test_scs_all_criteria_met() -> None:
    report = scs_candidacy(VisitData({"plan": SCS_PLAN, "red_flags": NEGATIVE}), S, today=TODAY)
    assert set(_status(report).values()) == {"met"}
    assert report.status == "met"
    assert len(report.criteria) == 12
    assert not report.unverified
    assert report.blocked_by == ()
    crit = report.criteria[1]
    criterion, status, evidence, _ = crit  # (criterion, status, evidence) tuple shape
    assert status == "met"
    assert "clinician: yes" in evidence
    assert criterion == crit.criterion


def test_scs_unmet_and_unknown() -> None:
    plan = {**SCS_PLAN, "scs_vas_mm": 40, "scs_trial_relief_pct": None,
            "scs_absolute_ci": ["cannot_control_device"], "scs_psych_eval": "pending",
            "scs_mdt_review_date": "2025-09-01"}
    report = scs_candidacy(VisitData({"plan": plan}), S, today=TODAY)
    assert _find(report, "VAS").status == "unmet"
    assert _find(report, "trial").status == "unknown"
    assert _find(report, "absolute").status == "unmet"
    assert "cannot control device" in _find(report, "absolute").evidence
    assert _find(report, "Psychological").status == "unknown"
    mdt = _find(report, "multidisciplinary")
    assert mdt.status == "unknown"
    assert "scheduled" in mdt.evidence
    assert report.status == "unmet"
    assert {c.criterion for c in report.by_status("unmet")} == {
        _find(report, "VAS").criterion, _find(report, "absolute").criterion}


def test_scs_nrs_proxy_is_labelled() -> None:
    plan = {**SCS_PLAN, "scs_pain_measure": "nrs_proxy", "scs_vas_mm": 60}
    crit = _find(scs_candidacy(VisitData({"plan": plan}), S, today=TODAY), "VAS")
    assert crit.status == "met"
    assert crit.unverified
    assert "not formally equivalent" in crit.evidence


def test_scs_falls_back_to_other_sections() -> None:
    data = VisitData(
        {
            "visit": {"pain_duration_months": 18, "back_nrs_avg": 4, "leg_nrs_avg": 8},
            "treatments": {
                "treatments": [
                    {"category": "physiotherapy", "weeks": 12, "response": "minimal"},
                    {"category": "medication_neuropathic", "weeks": 20, "response": "none"},
                ],
                "mdt_involvement": "reviewed",
                "mdt_date": "2025-02-01",
            },
        },
        {"dn4": Result("dn4", 6, subscores={"interview": 5}, positive=True)},
    )
    report = scs_candidacy(data, S, today=TODAY)
    neuro = _find(report, "neuropathic")
    assert neuro.status == "unknown"
    assert "DN4 6/10" in neuro.evidence
    assert _find(report, "months").status == "met"
    vas = _find(report, "VAS")
    assert vas.status == "unknown"
    assert "leg NRS 8/10" in vas.evidence
    assert "not formally equivalent" in vas.evidence
    assert _find(report, "drugs").status == "met"
    assert _find(report, "physiotherapy").status == "met"
    psych = _find(report, "psychological support")
    assert psych.status == "unmet"  # treatments recorded, none psychological
    assert _find(report, "multidisciplinary").status == "met"
    assert _find(report, "trial").status == "unknown"


def test_scs_empty_visit_is_all_unknown() -> None:
    report = scs_candidacy(VisitData({}), S, today=TODAY)
    assert set(_status(report).values()) == {"unknown"}
    assert report.status == "unknown"


def test_scs_notes_flag_relative_contraindication_evidence() -> None:
    data = VisitData({"surgical_history": {"compensation_litigation": "litigation"},
                      "psychosocial": {"substance_use": ["cannabis"]}},
                     {"phq9": Result("phq9", 22)})
    notes = " | ".join(scs_candidacy(data, S, today=TODAY).notes)
    assert "secondary gain" in notes
    assert "substance abuse" in notes
    assert "PHQ-9 22" in notes


OPERATED = {"operations": [{"date": "2022-05-01", "procedure": "microdiscectomy",
                            "levels": ["L4", "L5"]}], "n_prior_operations": 1}


def test_biologic_disc_repair_from_records() -> None:
    data = VisitData({
        "surgical_history": OPERATED,
        "differential": {"lh_discogenic": "probable"},
        "imaging": {"studies": [{"modality": "mri", "date": "2024-11-01", "levels": ["L5", "S1"],
                                 "findings": ["annular_tear", "modic"]}]},
        "treatments": {"treatments": [{"category": "physiotherapy", "weeks": 10,
                                       "response": "minimal"}]},
        "blocks": {"blocks": [{"type": "esi", "date": "2024-12-01", "relief_pct": 20}]},
        "plan": {"bdr_goal_avoid_revision": "yes"},
        "red_flags": NEGATIVE,
    })
    report = biologic_disc_repair_candidacy(data, S)
    assert set(_status(report).values()) == {"met"}, report.criteria
    assert "annular tear" in _find(report, "Imaging").evidence
    assert "20% relief" in _find(report, "Inadequate").evidence
    assert report.unverified


def test_biologic_disc_repair_unmet_and_unknown() -> None:
    data = VisitData({
        "surgical_history": OPERATED,
        "differential": {"lh_discogenic": "unlikely"},
        "imaging": {"studies": [{"modality": "mri", "levels": ["L1", "L2"],
                                 "findings": ["disc_degeneration"]}]},
        "treatments": {"treatments": [{"category": "physiotherapy", "weeks": 10,
                                       "response": "good"}]},
    })
    report = biologic_disc_repair_candidacy(data, S)
    assert _find(report, "Persistent").status == "unmet"
    assert _find(report, "Imaging").status == "unmet"  # L1-L2: not next to L4/L5
    assert _find(report, "Inadequate").status == "unknown"  # a good response was recorded
    assert _find(report, "Goal").status == "unknown"
    no_disc = VisitData({"imaging": {"studies": [{"findings": ["central_stenosis"]}]}})
    assert _find(biologic_disc_repair_candidacy(no_disc, S), "Imaging").status == "unmet"


def test_biologic_disc_repair_clinician_answers_win() -> None:
    plan = {"bdr_persistent_discogenic_pain": "no", "bdr_imaging_annular_tear": "yes",
            "bdr_inadequate_conservative": "unknown"}
    report = biologic_disc_repair_candidacy(VisitData({"plan": plan}), S)
    assert _find(report, "Persistent").status == "unmet"
    assert _find(report, "Imaging").status == "met"
    assert _find(report, "Inadequate").status == "unknown"  # 'unknown' answer: no records


def test_revision_surgery_structural_lesion() -> None:
    data = VisitData({
        "surgical_history": {**OPERATED, "n_prior_operations": 2},
        "imaging": {"studies": [{"findings": ["hardware_loosening", "pseudarthrosis"]}]},
        "differential": {"lh_pseudarthrosis_hardware": "probable"},
        "plan": {"scs_absolute_ci": ["gross_instability"]},
        "red_flags": NEGATIVE,
    })
    report = revision_surgery_considerations(data, S)
    assert set(_status(report).values()) == {"met"}
    assert "hardware loosening" in report.criteria[1].evidence
    notes = " | ".join(report.notes)
    assert "hardware replacement" in notes
    assert "2 prior operations" in notes


def test_revision_surgery_fibrosis_only() -> None:
    data = VisitData({
        "imaging": {"studies": [{"findings": ["enhancing_scar"]}]},
        "differential": {"lh_recurrent_herniation": "unlikely", "lh_instability": "unlikely"},
        "plan": {"scs_absolute_ci": ["none"]},
        "red_flags": NEGATIVE,
    })
    report = revision_surgery_considerations(data, S)
    assert [c.status for c in report.criteria] == ["met", "unmet", "unmet", "unmet"]
    assert any("Fibrosis alone" in note for note in report.notes)
    empty = revision_surgery_considerations(VisitData({}), S)
    assert [c.status for c in empty.criteria] == ["unknown"] * 4
