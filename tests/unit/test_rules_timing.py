"""Timing heuristic (reference 3.b): each pattern on its findings, windows at their boundaries."""

from __future__ import annotations

from typing import Any

from fbss_eval.checklist.rules.base import Pointer
from fbss_eval.checklist.rules.base import VisitData
from fbss_eval.checklist.rules.timing import immediately_worse
from fbss_eval.checklist.rules.timing import index_operation
from fbss_eval.checklist.rules.timing import no_relief
from fbss_eval.checklist.rules.timing import recurrence
from fbss_eval.checklist.settings import DEFAULT_SETTINGS
from fbss_eval.checklist.settings import ScoringSettings


def _op(**fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"date": "2024-03-02", "procedure": "microdiscectomy"}
    row.update(fields)
    return row


def _data(*ops: dict[str, Any], visit: dict[str, Any] | None = None, **summary: Any) -> VisitData:
    return VisitData(
        {"surgical_history": {"operations": list(ops), **summary}, "visit": visit or {}}
    )


def _run(fn: Any, data: VisitData, settings: ScoringSettings = DEFAULT_SETTINGS) -> list[Pointer]:
    return list(fn(data, settings))


def test_index_operation_is_most_recent_by_date() -> None:
    data = _data(_op(date="2023-01-10"), _op(date="2021-05-01"), _op(date="2022-02-02"))
    assert index_operation(data) is not None
    number, row = index_operation(data)  # type: ignore[misc]
    assert (number, row["date"]) == (1, "2023-01-10")
    assert index_operation(_data()) is None


def test_no_relief_triggers_on_unchanged_outcome() -> None:
    data = _data(_op(immediate_outcome="unchanged"), visit={"pain_vs_preop": "same"})
    (pointer,) = _run(no_relief, data)
    assert pointer.rule == "timing.no_relief"
    assert "wrong_level" in pointer.suggests
    assert "sij" in pointer.suggests
    assert pointer.reasons[0] == (
        "Operation 1 (2024-03-02, Microdiscectomy): immediate outcome 'unchanged'"
    )
    assert "Current pain the same as before surgery" in pointer.reasons


def test_no_relief_uses_the_index_operation_only() -> None:
    data = _data(
        _op(date="2019-01-01", immediate_outcome="unchanged"),
        _op(date="2023-01-01", immediate_outcome="improved", pain_free_weeks=30),
    )
    assert _run(no_relief, data) == []


def test_no_relief_falls_back_to_visit_timing() -> None:
    (pointer,) = _run(no_relief, _data(_op(), visit={"pain_timing": "never_relieved"}))
    assert "Visit: current pain never relieved" in pointer.reasons[0]
    assert (
        _run(
            no_relief,
            _data(_op(immediate_outcome="improved"), visit={"pain_timing": "never_relieved"}),
        )
        == []
    )


def test_immediately_worse_or_new_deficit() -> None:
    (pointer,) = _run(immediately_worse, _data(_op(immediate_outcome="worse")))
    assert pointer.suggests == ("neuropathic_root",)
    assert "immediate outcome 'worse'" in pointer.reasons[0]
    fused = _op(procedure="fusion_tlif", immediate_outcome="improved", new_deficit="yes")
    (pointer,) = _run(immediately_worse, _data(fused))
    assert pointer.suggests == ("neuropathic_root", "hardware_malposition")
    assert "new neurological deficit" in pointer.reasons[0]
    assert _run(immediately_worse, _data(_op(immediate_outcome="improved", new_deficit="no"))) == []


def _pattern(weeks: int, settings: ScoringSettings = DEFAULT_SETTINGS, **row: Any) -> list[str]:
    data = _data(_op(immediate_outcome="resolved", pain_free_weeks=weeks, **row))
    return [p.rule for p in _run(recurrence, data, settings)]


def test_recurrence_windows_at_boundaries() -> None:
    assert _pattern(0) == ["timing.early_recurrence"]
    assert _pattern(5) == ["timing.early_recurrence"]
    assert _pattern(6) == ["timing.gradual_recurrence"]
    assert _pattern(12) == ["timing.gradual_recurrence"]
    assert _pattern(25) == ["timing.gradual_recurrence"]
    assert _pattern(26) == ["timing.late_return"]


def test_recurrence_windows_follow_settings() -> None:
    settings = DEFAULT_SETTINGS.with_overrides(
        {"timing_early_recurrence_max_weeks": 8, "timing_fibrosis_min_weeks": 8}
    )
    assert _pattern(7, settings) == ["timing.early_recurrence"]
    assert _pattern(7) == ["timing.gradual_recurrence"]


def test_early_recurrence_says_red_flag_screen_first() -> None:
    (pointer,) = _run(recurrence, _data(_op(immediate_outcome="improved", pain_free_weeks=2)))
    assert "red-flag screen first" in pointer.title
    assert pointer.suggests[0] == "infection"
    assert "pain-free interval 2 weeks" in pointer.reasons[0]
    assert pointer.unverified


def test_gradual_recurrence_fibrosis_and_residual_disc() -> None:
    (pointer,) = _run(recurrence, _data(_op(immediate_outcome="resolved", pain_free_weeks=8)))
    assert pointer.suggests == ("epidural_fibrosis", "recurrent_herniation")
    assert any("6-12 week window" in r for r in pointer.reasons)
    assert any("residual / early recurrent" in r for r in pointer.reasons)


def test_weeks_from_onset_date_when_interval_missing() -> None:
    data = _data(
        _op(date="2024-01-01", immediate_outcome="resolved"), current_pain_onset="2024-03-11"
    )  # 10 weeks
    (pointer,) = _run(recurrence, data)
    assert pointer.rule == "timing.gradual_recurrence"
    assert "current pain began 10 weeks after the operation" in pointer.reasons[0]


def test_late_return_after_fusion_to_sacrum_suggests_sij() -> None:
    row = _op(
        procedure="fusion_tlif",
        fusion_to_sacrum=True,
        immediate_outcome="resolved",
        pain_free_weeks=60,
        instrumentation=["pedicle_screws_rods"],
    )
    (pointer,) = _run(recurrence, _data(row))
    assert pointer.rule == "timing.late_return"
    assert {"adjacent_segment", "pseudarthrosis_hardware", "sij"} <= set(pointer.suggests)
    assert any("Fusion to the sacrum" in r for r in pointer.reasons)


def test_late_return_after_fusion_without_sacrum_has_no_sij() -> None:
    row = _op(
        procedure="fusion_plif",
        fusion_to_sacrum=False,
        immediate_outcome="resolved",
        pain_free_weeks=60,
    )
    (pointer,) = _run(recurrence, _data(row))
    assert "sij" not in pointer.suggests


def test_late_return_after_discectomy_is_true_recurrence() -> None:
    (pointer,) = _run(recurrence, _data(_op(immediate_outcome="resolved", pain_free_weeks=40)))
    assert "instability" in pointer.suggests
    assert "recurrent_herniation" in pointer.suggests
    assert "adjacent_segment" not in pointer.suggests
    assert any("true recurrent herniation" in r for r in pointer.reasons)


def test_stale_fusion_to_sacrum_on_a_discectomy_is_ignored() -> None:
    row = _op(fusion_to_sacrum=True, immediate_outcome="resolved", pain_free_weeks=40)
    (pointer,) = _run(recurrence, _data(row))
    assert "sij" not in pointer.suggests


def test_no_recurrence_pointer_without_relief_or_timing() -> None:
    assert _run(recurrence, _data(_op(immediate_outcome="unchanged", pain_free_weeks=3))) == []
    assert _run(recurrence, _data(_op(immediate_outcome="resolved"))) == []
    assert _run(recurrence, _data()) == []


def test_recurrence_falls_back_to_visit_timing() -> None:
    data = _data(_op(immediate_outcome="resolved"), visit={"pain_timing": "months_years"})
    (pointer,) = _run(recurrence, data)
    assert pointer.rule == "timing.late_return"
    assert any("Visit: current pain returned months to years later" in r for r in pointer.reasons)
