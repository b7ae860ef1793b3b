"""The timing heuristic (clinical-reference 3.b) spelled out: which pattern each interval gives at
the default week cut-offs (early < 6, fibrosis 6-12, late >= 26, true recurrent herniation after
>= 26 weeks pain-free), which categories each kind of index operation suggests, and which
operation is the index one. Also the red-flag alerts in full.

Written against the mutation run (tests/MUTATION.md): window boundaries, the decompression /
fusion / other split and the index-operation choice were not pinned by any test.
"""

from __future__ import annotations

from datetime import date

import pytest

from fbss_eval.checklist.rules.base import VisitData
from fbss_eval.checklist.rules.red_flags import red_flag_alerts
from fbss_eval.checklist.rules.timing import index_operation
from fbss_eval.checklist.rules.timing import is_fusion
from fbss_eval.checklist.rules.timing import last_operation_before
from fbss_eval.checklist.rules.timing import recurrence
from fbss_eval.checklist.sections.red_flags import SCREEN_KEYS
from fbss_eval.checklist.settings import DEFAULT_SETTINGS

FIBROSIS = "Within the classic 6-12 week window for epidural fibrosis"
AFTER_FIBROSIS = "After 12 weeks but before 26 weeks"
ARACHNOIDITIS = "Arachnoiditis is also possible"
RESIDUAL = "Pain-free < 26 weeks: a herniation would be residual / early recurrent"
TRUE_RECURRENCE = "Pain-free >= 26 weeks: fits a true recurrent herniation"
LATE = "Window: >= 26 weeks"
FUSION_LATE = ("adjacent_segment", "pseudarthrosis_hardware", "central_stenosis", "foraminal_stenosis",
               "sagittal_imbalance")


def pointer(operation: dict, **history):
    data = VisitData({"surgical_history": {"operations": [operation], **history}})
    found = list(recurrence(data, DEFAULT_SETTINGS))
    assert len(found) <= 1
    return found[0] if found else None


def op(procedure: str, weeks: int | None, **extra) -> dict:
    row = {"date": "2024-01-10", "procedure": procedure, "immediate_outcome": "resolved", **extra}
    if weeks is not None:
        row["pain_free_weeks"] = weeks
    return row


def head(procedure: str, weeks: int) -> str:
    label = {"microdiscectomy": "Microdiscectomy", "fusion_tlif": "Fusion, TLIF", "revision": "Revision (specify)",
             "disc_replacement": "Total disc replacement"}[procedure]
    return f"Operation 1 (2024-01-10, {label}): immediate outcome 'resolved', pain-free interval {weeks} weeks"


@pytest.mark.parametrize(("weeks", "window", "herniation"), [
    (6, FIBROSIS, RESIDUAL), (12, FIBROSIS, RESIDUAL), (13, AFTER_FIBROSIS, RESIDUAL), (25, AFTER_FIBROSIS, RESIDUAL),
])
def test_gradual_recurrence_after_a_discectomy(weeks: int, window: str, herniation: str) -> None:
    found = pointer(op("microdiscectomy", weeks))
    assert (found.rule, found.title, found.suggests, found.unverified) == (
        "timing.gradual_recurrence", "Relief, then gradual recurrence after weeks to months",
        ("epidural_fibrosis", "recurrent_herniation"), True)
    assert found.reasons == (head("microdiscectomy", weeks), window, ARACHNOIDITIS, herniation)


def test_gradual_recurrence_after_a_fusion_does_not_suggest_a_disc() -> None:
    found = pointer(op("fusion_tlif", 8))
    assert found.suggests == ("epidural_fibrosis",)
    assert found.reasons == (head("fusion_tlif", 8), FIBROSIS, ARACHNOIDITIS)


def test_early_recurrence_below_six_weeks() -> None:
    found = pointer(op("microdiscectomy", 5))
    assert (found.rule, found.suggests) == ("timing.early_recurrence", ("infection", "recurrent_herniation"))
    assert found.reasons == (head("microdiscectomy", 5), "Window: < 6 weeks",
                             "Also consider haematoma and CSF leak / pseudomeningocele")
    assert found.title == "Relief, then recurrence within days to weeks: red-flag screen first"


def test_late_return_after_a_decompression() -> None:
    found = pointer(op("microdiscectomy", 26))
    assert found.rule == "timing.late_return"
    assert found.title == "Pain returned months to years after the index operation"
    assert found.suggests == ("central_stenosis", "foraminal_stenosis", "instability", "recurrent_herniation")
    assert found.reasons == (head("microdiscectomy", 26), LATE, TRUE_RECURRENCE)
    assert found.unverified is True  # the week cut-offs are UNVERIFIED (reference 3.b)


def test_late_return_after_a_fusion_with_and_without_the_sacrum() -> None:
    plain = pointer(op("fusion_tlif", 52, fusion_to_sacrum=False))
    assert plain.suggests == FUSION_LATE
    assert plain.reasons == (head("fusion_tlif", 52), LATE)
    sacrum = pointer(op("fusion_tlif", 52, fusion_to_sacrum=True))
    assert sacrum.suggests == (*FUSION_LATE, "sij")
    assert sacrum.reasons == (head("fusion_tlif", 52), LATE, "Fusion to the sacrum: SIJ pain (Katz 2003; Liliang 2011)")
    # a revision counts as a fusion when it records hardware or the sacrum
    hardware = pointer(op("revision", 52, instrumentation=["pedicle_screws_rods"]))
    assert hardware.suggests == FUSION_LATE


def test_late_return_after_another_operation() -> None:
    found = pointer(op("disc_replacement", 40))
    assert found.suggests == ("adjacent_segment", "pseudarthrosis_hardware", "central_stenosis",
                              "foraminal_stenosis", "instability", "sagittal_imbalance")
    assert found.reasons == (head("disc_replacement", 40), LATE)


def test_weeks_from_the_operation_date_to_the_onset() -> None:
    same_day = pointer(op("microdiscectomy", None), current_pain_onset="2024-01-10")
    assert same_day.rule == "timing.early_recurrence"
    assert same_day.reasons[0] == ("Operation 1 (2024-01-10, Microdiscectomy): immediate outcome 'resolved', "
                                   "current pain began 0 weeks after the operation (2024-01-10)")
    ten_weeks = pointer(op("microdiscectomy", None), current_pain_onset="2024-03-20")  # 70 days
    assert ten_weeks.rule == "timing.gradual_recurrence"
    assert "current pain began 10 weeks after the operation (2024-03-20)" in ten_weeks.reasons[0]
    assert pointer(op("microdiscectomy", None), current_pain_onset="2024-01-09") is None  # onset before surgery


def test_the_index_operation_is_the_latest_by_date_and_else_the_last_row() -> None:
    rows = [{"procedure": "a"}, {"procedure": "b"}, {"procedure": "c"}]
    assert index_operation(VisitData({"surgical_history": {"operations": rows}})) == (3, rows[2])
    dated = [{"date": "2020-01-01"}, {"date": "2022-05-05"}, {"date": "2021-01-01"}, {"date": "2022-05-05"}]
    assert index_operation(VisitData({"surgical_history": {"operations": dated}})) == (4, dated[3])
    assert index_operation(VisitData({"surgical_history": {"operations": []}})) is None


def test_the_last_operation_before_a_day_includes_that_day() -> None:
    rows = [{"date": "2020-01-01"}, {"date": "2022-05-05"}, {"date": "2023-01-01"}]
    data = VisitData({"surgical_history": {"operations": rows}})
    assert last_operation_before(data, date(2022, 5, 5)) == (2, rows[1], date(2022, 5, 5))
    assert last_operation_before(data, date(2022, 5, 4)) == (1, rows[0], date(2020, 1, 1))
    assert last_operation_before(data, date(2019, 12, 31)) is None


def test_what_counts_as_a_fusion() -> None:
    assert is_fusion({"procedure": "fusion_alif"})
    assert is_fusion({"procedure": "revision", "fusion_to_sacrum": True})
    assert is_fusion({"procedure": "revision", "instrumentation": ["interbody_cage"]})
    assert not is_fusion({"procedure": "revision"})
    assert not is_fusion({"procedure": "microdiscectomy", "fusion_to_sacrum": True})  # stale answer
    assert not is_fusion({"procedure": "revision", "instrumentation": ["other"]})


def test_red_flag_alerts_in_full() -> None:
    screen = {key: "no" for key in SCREEN_KEYS}
    screen.update(rf_ces_saddle="yes", rf_inf_fever="unknown", rf_mal_night_pain="unknown")
    ces, unknown = red_flag_alerts(VisitData({"red_flags": screen}))
    assert (ces.kind, ces.severity, ces.must_acknowledge) == ("red_flag.cauda_equina", "critical", True)
    assert ces.message.startswith("Red flag: suspected cauda equina syndrome (BMJ Best Practice")
    assert ces.evidence == ("Saddle / perianal / genital numbness or altered sensation: yes",)
    assert ces.action.startswith("Immediate same-day referral; emergency MRI lumbosacral spine")
    assert (unknown.kind, unknown.severity, unknown.must_acknowledge) == ("red_flag.unknown", "warning", False)
    assert unknown.message == "Red-flag screen: 2 item(s) not established"
    assert unknown.evidence == ("Fever, systemically unwell or sepsis: unknown", "Unremitting night pain: unknown")
    assert unknown.action == "Establish these items before concluding that red flags are absent."
