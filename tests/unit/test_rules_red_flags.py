"""Red-flag screen: every positive condition raises a must-acknowledge alert with its action."""

from __future__ import annotations

import pytest

from fbss_eval.checklist.rules.base import VisitData
from fbss_eval.checklist.rules.red_flags import missing_red_flag_items
from fbss_eval.checklist.rules.red_flags import red_flag_alerts
from fbss_eval.checklist.rules.red_flags import red_flag_screen_complete
from fbss_eval.checklist.rules.red_flags import red_flag_screen_negative
from fbss_eval.checklist.sections.red_flags import CONDITIONS
from fbss_eval.checklist.sections.red_flags import SCREEN_KEYS


def _screen(**answers: str) -> VisitData:
    values = {key: "no" for key in SCREEN_KEYS}
    values.update(answers)
    return VisitData({"red_flags": values})


def test_all_no_raises_nothing_and_is_complete_and_negative() -> None:
    data = _screen()
    assert red_flag_alerts(data) == []
    assert red_flag_screen_complete(data)
    assert red_flag_screen_negative(data)


@pytest.mark.parametrize("cond", CONDITIONS, ids=[c.key for c in CONDITIONS])
def test_each_item_raises_its_condition(cond) -> None:
    for key, label in cond.items:
        if key not in SCREEN_KEYS:  # age over 55: computed, a risk factor (tests/unit/test_derived.py)
            continue
        alerts = red_flag_alerts(_screen(**{key: "yes"}))
        assert [a.kind for a in alerts] == [f"red_flag.{cond.key}"]
        alert = alerts[0]
        assert alert.severity == "critical"
        assert alert.must_acknowledge
        assert alert.action == cond.action
        assert alert.evidence == (f"{label}: yes",)
        assert not red_flag_screen_negative(_screen(**{key: "yes"}))


def test_cauda_equina_action_is_same_day_referral_and_mri() -> None:
    alerts = red_flag_alerts(_screen(rf_ces_saddle="yes", rf_ces_bilateral_sciatica="yes"))
    assert len(alerts) == 1
    (alert,) = alerts
    assert alert.kind == "red_flag.cauda_equina"
    assert "Immediate same-day referral" in (alert.action or "")
    assert "emergency MRI lumbosacral spine" in (alert.action or "")
    assert len(alert.evidence) == 2
    assert any("Saddle" in e for e in alert.evidence)
    assert any("Bilateral sciatica" in e for e in alert.evidence)


def test_infection_action_names_bloods_and_gd_mri() -> None:
    (alert,) = red_flag_alerts(_screen(rf_inf_fever="yes"))
    assert "ESR/CRP" in (alert.action or "")
    assert "gadolinium" in (alert.action or "")


def test_several_conditions_raise_several_alerts() -> None:
    alerts = red_flag_alerts(_screen(rf_inf_wound="yes", rf_mal_night_pain="yes"))
    assert {a.kind for a in alerts} == {"red_flag.infection", "red_flag.malignancy"}
    assert all(a.must_acknowledge for a in alerts)


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
    assert len(missing_red_flag_items(data)) == 1
    assert "Bladder" in missing_red_flag_items(data)[0]


def test_empty_and_invalid_answers_are_incomplete() -> None:
    assert not red_flag_screen_complete(VisitData({}))
    assert not red_flag_screen_complete(_screen(rf_inf_fever="maybe"))
    assert len(missing_red_flag_items(VisitData({}))) == len(SCREEN_KEYS)
