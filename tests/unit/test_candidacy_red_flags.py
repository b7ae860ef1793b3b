"""Candidacy reads the red-flag screen: an unaddressed red flag (infection above all, a
contraindication to SCS) makes the SCS, biologic disc repair and revision reports "not met until
addressed", naming the flag, whatever else was filled in before."""

from __future__ import annotations

from datetime import date

import pytest

from fbss_eval.checklist import all_sections
from fbss_eval.checklist.evaluate import evaluate
from fbss_eval.checklist.sections.red_flags import SCREEN_KEYS
from fbss_eval.reports.parts import candidacy_info
from tests.unit.test_rules_candidacy import SCS_PLAN

TODAY = date(2025, 6, 1)
NEGATIVE = {key: "no" for key in SCREEN_KEYS}
INFECTED = {**NEGATIVE, "rf_inf_fever": "yes", "rf_inf_wound": "yes", "rf_inf_raised_markers": "yes"}
REPORTS = ("scs", "biologic_disc_repair", "revision_surgery")
NAME = "No red flag left unaddressed"


def _evaluate(red_flags: dict[str, object], plan: dict[str, object] | None = None):
    answers = {"red_flags": red_flags, "plan": plan or SCS_PLAN}
    return evaluate(answers, all_sections(), today=TODAY)


def _criterion(report):
    (crit,) = [c for c in report.criteria if c.criterion.startswith(NAME)]
    return crit


def test_fever_wound_and_crp_alert_and_scs_is_not_met_though_the_contraindications_said_none() -> None:
    assert SCS_PLAN["scs_relative_ci"] == ["none"]
    assert SCS_PLAN["scs_absolute_ci"] == ["none"]
    met = _evaluate(NEGATIVE).candidacy["scs"]
    assert met.status == "met"  # the same plan, a negative screen: every criterion met
    evaluation = _evaluate(INFECTED)
    infection = evaluation.alert("red_flag.infection")
    assert infection is not None
    assert infection.severity == "critical"
    assert infection.must_acknowledge
    scs = evaluation.candidacy["scs"]
    assert scs.status == "unmet"
    assert scs.blocked_by == ("possible infection",)
    crit = _criterion(scs)
    assert crit.criterion == "No red flag left unaddressed (local or systemic infection is a contraindication to SCS)"
    assert crit.status == "unmet"
    assert crit.evidence == ("not met until addressed: possible infection (Fever, systemically unwell or sepsis: "
                             "yes, Wound redness, discharge or dehiscence: yes, Raised ESR / CRP: yes)")
    assert [c.status for c in scs.criteria if c is not crit] == ["met"] * 11
    info = candidacy_info("scs", scs)
    assert info.status_label == "Not met until addressed: possible infection (red flag)"


@pytest.mark.parametrize("key", REPORTS)
@pytest.mark.parametrize(("flags", "named"), [
    (INFECTED, "possible infection"),
    ({**NEGATIVE, "rf_ces_saddle": "yes"}, "suspected cauda equina syndrome"),
    ({**NEGATIVE, "rf_mal_cancer_history": "yes"}, "possible malignancy"),
    ({**NEGATIVE, "rf_fx_trauma": "yes", "rf_fx_age_over_55": "yes"}, "possible fracture"),
    ({**NEGATIVE, "rf_postop_csf_leak": "yes"}, "possible post-operative emergency"),
], ids=["infection", "cauda_equina", "malignancy", "fracture", "postop"])
def test_each_report_is_not_met_until_an_unaddressed_red_flag_is_addressed(key, flags, named) -> None:
    report = _evaluate(flags).candidacy[key]
    assert report.status == "unmet"
    assert report.blocked_by == (named,)
    crit = _criterion(report)
    assert crit.status == "unmet"
    assert crit.evidence.startswith(f"not met until addressed: {named} (")
    assert candidacy_info(key, report).status_label == f"Not met until addressed: {named} (red flag)"
    condition = {"possible infection": "infection", "suspected cauda equina syndrome": "cauda_equina",
                 "possible malignancy": "malignancy", "possible fracture": "fracture",
                 "possible post-operative emergency": "postop_emergency"}[named]
    addressed = _evaluate({**flags, "rf_addressed": [condition]}).candidacy[key]
    assert addressed.blocked_by == ()
    assert _criterion(addressed).status == "met"
    assert _criterion(addressed).evidence == f"addressed: {named}"


def test_infection_is_named_first_among_several() -> None:
    report = _evaluate({**INFECTED, "rf_ces_saddle": "yes"}).candidacy["scs"]
    assert report.blocked_by == ("possible infection", "suspected cauda equina syndrome")
    partly = _evaluate({**INFECTED, "rf_ces_saddle": "yes", "rf_addressed": ["infection"]}).candidacy["scs"]
    assert partly.blocked_by == ("suspected cauda equina syndrome",)


@pytest.mark.parametrize("key", REPORTS)
def test_a_risk_factor_alone_does_not_block(key) -> None:
    report = _evaluate({**NEGATIVE, "rf_inf_diabetes": "yes", "rf_fx_age_over_55": "yes"}).candidacy[key]
    assert report.blocked_by == ()
    assert _criterion(report).status == "met"
    assert _criterion(report).evidence == "no red-flag feature answered yes"


@pytest.mark.parametrize("key", REPORTS)
def test_an_incomplete_or_unknown_screen_leaves_the_criterion_unknown(key) -> None:
    partial = {k: v for k, v in NEGATIVE.items() if k != "rf_inf_fever"}
    crit = _criterion(_evaluate(partial).candidacy[key])
    assert (crit.status, crit.evidence) == ("unknown", "red-flag screen incomplete: 1 item(s) unanswered")
    crit = _criterion(_evaluate({**NEGATIVE, "rf_inf_fever": "unknown"}).candidacy[key])
    assert (crit.status, crit.evidence) == ("unknown", "1 red-flag item(s) unknown")
    crit = _criterion(_evaluate({}).candidacy[key])
    # 29 items asked: the age is computed from the date of birth
    assert (crit.status, crit.evidence) == ("unknown", "red-flag screen incomplete: 29 item(s) unanswered")


def test_icd11_reads_features_not_risk_factors() -> None:
    crit = _evaluate({**NEGATIVE, "rf_inf_diabetes": "yes"}).candidacy["icd11"].criteria[2]
    assert (crit.status, crit.evidence) == ("met", "no red-flag feature; risk factor(s) alone: Diabetes")
    crit = _evaluate(INFECTED).candidacy["icd11"].criteria[2]
    assert crit.status == "unmet"
    crit = _evaluate({**INFECTED, "rf_addressed": ["infection"]}).candidacy["icd11"].criteria[2]
    assert crit.status == "met"
