"""Red-flag screen: features raise must-acknowledge alerts; risk factors alone a warning; a risk
factor with a related feature the critical alert of that condition, naming the risk factor.

The expected split and combinations are written out here from the reference's red-flag table
(conditions and items) and Downie et al., BMJ 2013;347:f7095 (risk factors alone are not red
flags), not read from the checklist data under test.
"""

from __future__ import annotations

import pytest

from fbss_eval.checklist.rules.base import VisitData
from fbss_eval.checklist.rules.red_flags import alert_headline
from fbss_eval.checklist.rules.red_flags import missing_red_flag_items
from fbss_eval.checklist.rules.red_flags import no_to_all
from fbss_eval.checklist.rules.red_flags import raised_red_flags
from fbss_eval.checklist.rules.red_flags import red_flag_alerts
from fbss_eval.checklist.rules.red_flags import red_flag_screen_complete
from fbss_eval.checklist.rules.red_flags import red_flag_screen_negative
from fbss_eval.checklist.rules.red_flags import unaddressed_red_flags
from fbss_eval.checklist.sections.red_flags import COMPUTED_ITEMS
from fbss_eval.checklist.sections.red_flags import SCREEN_KEYS

# Each red-flag feature, with its condition and its label (a feature alone: critical).
FEATURES = {
    "rf_ces_bladder_bowel": ("cauda_equina",
                             "Bladder or bowel disturbance (retention, reduced sensation, incontinence)"),
    "rf_ces_saddle": ("cauda_equina", "Saddle / perianal / genital numbness or altered sensation"),
    "rf_ces_bilateral_deficit": ("cauda_equina", "Bilateral leg neurological deficit or weakness"),
    "rf_ces_bilateral_sciatica": ("cauda_equina", "Bilateral sciatica"),
    "rf_ces_sexual_dysfunction": ("cauda_equina", "New sexual dysfunction"),
    "rf_neuro_progressive_weakness": ("neuro_deficit", "Progressive motor weakness"),
    "rf_neuro_multiroot": ("neuro_deficit", "Multi-root deficit"),
    "rf_neuro_gait": ("neuro_deficit", "Gait disturbance or widespread neurology"),
    "rf_inf_fever": ("infection", "Fever, systemically unwell or sepsis"),
    "rf_inf_wound": ("infection", "Wound redness, discharge or dehiscence"),
    "rf_inf_raised_markers": ("infection", "Raised ESR / CRP"),
    "rf_fx_trauma": ("fracture", "Significant trauma"),
    "rf_mal_cancer_history": ("malignancy", "History of cancer"),
    "rf_mal_weight_loss": ("malignancy", "Unexplained weight loss"),
    "rf_mal_night_pain": ("malignancy", "Unremitting night pain"),
    "rf_mal_thoracic_pain": ("malignancy", "Thoracic pain"),
    "rf_postop_haematoma": ("postop_emergency", "Early post-op rapid neurological deficit (epidural haematoma)"),
    "rf_postop_csf_leak": ("postop_emergency",
                           "Positional headache or clear wound fluid (CSF leak / pseudomeningocele)"),
    "rf_postop_hardware_deformity": ("postop_emergency", "Acute hardware failure with deformity"),
    "rf_postop_instability_deficit": ("postop_emergency", "Suspected instability with neurological deficit"),
    "rf_infl_inflammatory_disease": ("inflammatory_deformity", "Known inflammatory condition"),
    "rf_infl_deformity": ("inflammatory_deformity", "Structural deformity"),
    "rf_infl_flexion_restriction": ("inflammatory_deformity", "Persistent severe restriction of lumbar flexion"),
    "rf_infl_under_20": ("inflammatory_deformity", "New pain before age 20"),
}

# Each risk factor, its label, and the conditions whose suspicion it raises (alone: a warning).
RISK_FACTORS = {
    "rf_inf_diabetes": ("Diabetes", ("infection",)),
    "rf_inf_immunosuppression": ("Immunosuppression (HIV, steroids, chemotherapy)", ("infection",)),
    "rf_inf_ivdu": ("Intravenous drug use", ("infection",)),
    "rf_fx_osteoporosis_steroids": ("Osteoporosis or systemic steroids", ("fracture",)),
    "rf_fx_age_over_55": ("Age over 55 (computed from the date of birth)", ("fracture", "malignancy")),
    "rf_mal_new_onset_over_55": ("New-onset pain at age over 55", ("malignancy",)),
}

# What each condition's risk-factor warning says it needs to become a red flag.
SUSPICION = {
    "infection": "raises the suspicion of infection if fever, wound signs or raised ESR/CRP",
    "fracture": "raises the suspicion of fracture if significant trauma",
    "malignancy": "raises the suspicion of malignancy if a history of cancer, unexplained weight loss, "
                  "unremitting night pain or thoracic pain",
}

# Every combination of a risk factor with a related feature: (risk factor, feature, condition).
COMBINATIONS = [
    (risk, feature, "infection")
    for risk in ("rf_inf_diabetes", "rf_inf_immunosuppression", "rf_inf_ivdu")
    for feature in ("rf_inf_fever", "rf_inf_wound", "rf_inf_raised_markers")
] + [
    ("rf_fx_osteoporosis_steroids", "rf_fx_trauma", "fracture"),
    ("rf_fx_age_over_55", "rf_fx_trauma", "fracture"),
] + [
    (risk, feature, "malignancy")
    for risk in ("rf_mal_new_onset_over_55", "rf_fx_age_over_55")
    for feature in ("rf_mal_cancer_history", "rf_mal_weight_loss", "rf_mal_night_pain", "rf_mal_thoracic_pain")
]


def _screen(**answers: str) -> VisitData:
    values = {key: "no" for key in SCREEN_KEYS}
    values.update(answers)
    return VisitData({"red_flags": values})


def test_the_screen_is_exactly_the_features_and_the_risk_factors() -> None:
    assert set(SCREEN_KEYS) | COMPUTED_ITEMS == set(FEATURES) | set(RISK_FACTORS)
    assert COMPUTED_ITEMS == {"rf_fx_age_over_55"}
    assert len(COMBINATIONS) == 19


def test_all_no_raises_nothing_and_is_complete_and_negative() -> None:
    data = _screen()
    assert red_flag_alerts(data) == []
    assert red_flag_screen_complete(data)
    assert red_flag_screen_negative(data)


@pytest.mark.parametrize("key", FEATURES)
def test_each_feature_alone_raises_its_critical_alert(key) -> None:
    condition, label = FEATURES[key]
    alerts = red_flag_alerts(_screen(**{key: "yes"}))
    assert [a.kind for a in alerts] == [f"red_flag.{condition}"]
    (alert,) = alerts
    assert alert.severity == "critical"
    assert alert.must_acknowledge
    assert alert.evidence == (f"{label}: yes",)
    assert alert.action
    assert not red_flag_screen_negative(_screen(**{key: "yes"}))


@pytest.mark.parametrize("key", RISK_FACTORS)
def test_each_risk_factor_alone_warns_and_raises_no_critical_alert(key) -> None:
    label, conditions = RISK_FACTORS[key]
    alerts = red_flag_alerts(_screen(**{key: "yes"}))
    assert [a.kind for a in alerts] == [f"red_flag_risk.{c}" for c in conditions]
    for alert, condition in zip(alerts, conditions, strict=True):
        assert alert.severity == "warning"
        assert not alert.must_acknowledge
        assert alert.evidence == (f"{label}: yes (risk factor)",)
        assert SUSPICION[condition] in alert.message
        assert "Downie et al., BMJ 2013;347:f7095" in alert.message
    assert raised_red_flags(_screen(**{key: "yes"})) == []


@pytest.mark.parametrize(("risk", "feature", "condition"), COMBINATIONS,
                         ids=[f"{r}+{f}" for r, f, _ in COMBINATIONS])
def test_each_combination_raises_the_critical_alert_naming_the_risk_factor(risk, feature, condition) -> None:
    alerts = red_flag_alerts(_screen(**{risk: "yes", feature: "yes"}))
    critical = [a for a in alerts if a.severity == "critical"]
    assert [a.kind for a in critical] == [f"red_flag.{condition}"]
    assert critical[0].must_acknowledge
    assert critical[0].evidence == (f"{FEATURES[feature][1]}: yes",
                                    f"{RISK_FACTORS[risk][0]}: yes (risk factor)")
    # the risk factor's warning for this condition gives way to the alert; for another condition
    # (age over 55 with trauma still raises the suspicion of malignancy) it stays
    warnings = [a.kind for a in alerts if a.severity == "warning"]
    assert f"red_flag_risk.{condition}" not in warnings
    assert warnings == [f"red_flag_risk.{c}" for c in RISK_FACTORS[risk][1] if c != condition]


def test_a_risk_factor_does_not_combine_with_an_unrelated_feature() -> None:
    alerts = red_flag_alerts(_screen(rf_inf_diabetes="yes", rf_fx_trauma="yes"))
    assert [(a.kind, a.severity) for a in alerts] == [
        ("red_flag.fracture", "critical"), ("red_flag_risk.infection", "warning")]
    assert alerts[0].evidence == ("Significant trauma: yes",)


def test_diabetes_alone_no_longer_advises_urgent_bloods_and_mri() -> None:
    (alert,) = red_flag_alerts(_screen(rf_inf_diabetes="yes"))
    assert alert.severity == "warning"
    assert "gadolinium" not in alert.message + (alert.action or "")
    assert alert.action == "Ask about and look for fever, wound signs or raised ESR/CRP."


def test_fever_wound_and_crp_raise_one_critical_infection_alert() -> None:
    alerts = red_flag_alerts(_screen(rf_inf_fever="yes", rf_inf_wound="yes", rf_inf_raised_markers="yes"))
    assert [(a.kind, a.severity, a.must_acknowledge) for a in alerts] == [("red_flag.infection", "critical", True)]
    assert alerts[0].evidence == ("Fever, systemically unwell or sepsis: yes",
                                  "Wound redness, discharge or dehiscence: yes", "Raised ESR / CRP: yes")
    assert "ESR/CRP" in (alerts[0].action or "")
    assert "gadolinium" in (alerts[0].action or "")
    assert alerts[0].message == ("Red flag: possible infection (discitis, epidural abscess, wound infection) "
                                 "(NICE NG59 (exclude specific causes: infection))")


def test_cauda_equina_action_is_same_day_referral_and_mri() -> None:
    alerts = red_flag_alerts(_screen(rf_ces_saddle="yes", rf_ces_bilateral_sciatica="yes"))
    assert len(alerts) == 1
    (alert,) = alerts
    assert alert.kind == "red_flag.cauda_equina"
    assert "Immediate same-day referral" in (alert.action or "")
    assert "emergency MRI lumbosacral spine" in (alert.action or "")
    assert alert.evidence == ("Saddle / perianal / genital numbness or altered sensation: yes",
                              "Bilateral sciatica: yes")


def test_several_conditions_raise_several_alerts() -> None:
    alerts = red_flag_alerts(_screen(rf_inf_wound="yes", rf_mal_night_pain="yes"))
    assert [a.kind for a in alerts] == ["red_flag.infection", "red_flag.malignancy"]
    assert all(a.must_acknowledge for a in alerts)


def test_no_alert_text_names_an_internal_reference_or_a_web_site() -> None:
    everything = {key: "yes" for key in SCREEN_KEYS}
    texts = [a.message + (a.action or "") for a in red_flag_alerts(VisitData({"red_flags": everything}))]
    texts += [a.message for key in RISK_FACTORS for a in red_flag_alerts(_screen(**{key: "yes"}))]
    for text in texts:
        for bad in (".md", "§", "[S]", "[V]", "reference 3", ".co.uk", "mdsteps", ".com"):
            assert bad not in text, (bad, text)


def test_a_computed_age_wins_over_the_answer_given() -> None:
    assert [a.kind for a in red_flag_alerts(_screen(rf_fx_age_over_55="no"), age_over_55=True)] == [
        "red_flag_risk.fracture", "red_flag_risk.malignancy"]
    assert red_flag_alerts(_screen(rf_fx_age_over_55="yes"), age_over_55=False) == []
    # an old visit (no computed age): the answer given is read
    assert len(red_flag_alerts(_screen(rf_fx_age_over_55="yes"))) == 2
    # computed from the date of birth, the age item is never asked: the screen is complete without it
    values = {key: "no" for key in SCREEN_KEYS}
    assert "rf_fx_age_over_55" not in values
    assert red_flag_screen_complete(VisitData({"red_flags": values}))
    assert red_flag_screen_complete(VisitData({"red_flags": values}), age_over_55=False)
    (alert,) = red_flag_alerts(_screen(rf_fx_trauma="yes"), age_over_55=True)[:1]
    assert alert.evidence == ("Significant trauma: yes",
                              "Age over 55 (computed from the date of birth): yes (risk factor)")


def test_unknown_is_answered_but_not_negative_and_warns() -> None:
    data = _screen(rf_fx_trauma="unknown")
    assert red_flag_screen_complete(data)
    assert not red_flag_screen_negative(data)
    alerts = red_flag_alerts(data)
    assert [a.kind for a in alerts] == ["red_flag.unknown"]
    assert alerts[0].severity == "warning"
    assert not alerts[0].must_acknowledge
    assert alerts[0].evidence == ("Significant trauma: unknown",)


def test_blank_item_makes_the_screen_incomplete() -> None:
    values = {key: "no" for key in SCREEN_KEYS}
    del values["rf_ces_bladder_bowel"]
    data = VisitData({"red_flags": values})
    assert not red_flag_screen_complete(data)
    assert not red_flag_screen_negative(data)
    assert red_flag_alerts(data) == []
    assert missing_red_flag_items(data) == [
        "Bladder or bowel disturbance (retention, reduced sensation, incontinence)"]


def test_empty_and_invalid_answers_are_incomplete() -> None:
    assert not red_flag_screen_complete(VisitData({}))
    assert not red_flag_screen_complete(_screen(rf_inf_fever="maybe"))
    assert len(missing_red_flag_items(VisitData({}))) == 29  # 30 items; the age is computed, not asked


def test_a_flag_recorded_as_addressed_is_raised_but_not_unaddressed() -> None:
    data = VisitData({"red_flags": {**_screen(rf_inf_fever="yes", rf_mal_cancer_history="yes").answers["red_flags"],
                                    "rf_addressed": ["malignancy", "no_such_condition"]}})
    assert [(f.condition.key, f.addressed) for f in raised_red_flags(data)] == [
        ("infection", False), ("malignancy", True)]
    assert [f.condition.key for f in unaddressed_red_flags(data)] == ["infection"]
    # the alert stays: addressed is about candidacy, acknowledging is about having seen it
    assert [a.kind for a in red_flag_alerts(data)] == ["red_flag.infection", "red_flag.malignancy"]


def test_unaddressed_flags_put_infection_first() -> None:
    data = _screen(rf_ces_saddle="yes", rf_inf_wound="yes")
    assert [f.condition.key for f in unaddressed_red_flags(data)] == ["infection", "cauda_equina"]


def test_no_to_all_records_every_blank_item_as_no_and_keeps_every_answer() -> None:
    given = {"rf_inf_fever": "yes", "rf_fx_trauma": "unknown", "rf_ces_saddle": "no", "rf_notes": "seen"}
    filled, count = no_to_all(given)
    assert count == 29 - 3
    assert filled["rf_inf_fever"] == "yes"
    assert filled["rf_fx_trauma"] == "unknown"
    assert filled["rf_ces_saddle"] == "no"
    assert filled["rf_notes"] == "seen"
    assert all(filled[key] == "no" for key in SCREEN_KEYS if key not in given)
    assert given == {"rf_inf_fever": "yes", "rf_fx_trauma": "unknown", "rf_ces_saddle": "no", "rf_notes": "seen"}
    assert "rf_pvr_ml" not in filled
    assert "rf_addressed" not in filled
    again, none = no_to_all(filled)
    assert (again, none) == (filled, 0)


def test_alert_headline() -> None:
    assert alert_headline("red_flag.infection", "Red flag: possible infection (...)") == "possible infection"
    assert alert_headline("red_flag.cauda_equina", "x") == "suspected cauda equina syndrome"
    assert alert_headline("phq9.item9", "PHQ-9 item 9 answered 2") == "PHQ-9 item 9 answered 2"
    assert alert_headline("red_flag.unknown", "Red-flag screen: 2 item(s)") == "Red-flag screen: 2 item(s)"
