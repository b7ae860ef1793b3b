"""Whole instrument results, field by field, for worked examples and boundaries of the clinical
reference (section 2): score, band, label, counts, subscores, notes, alerts and the screening flag.

Written against the mutation run (tests/MUTATION.md): the other instrument tests check the score
and band, so a result with a wrong item count, label, note or missing alert passed them. Each
expected ``Result`` below was computed by hand from the reference's algorithm (the sums are in the
comments) and its wording read once against the instrument's published rule.
"""

from __future__ import annotations

import pytest

from fbss_eval.checklist.instruments import INSTRUMENTS
from fbss_eval.checklist.instruments.mcid import rmdq_change
from fbss_eval.checklist.instruments.nrs import nrs_result
from fbss_eval.checklist.schema import Alert
from fbss_eval.checklist.schema import Result
from tests.unit.test_instruments_dn4 import answers as dn4_answers
from tests.unit.test_instruments_fabq import answers as fabq_answers
from tests.unit.test_instruments_lanss import answers as lanss_answers
from tests.unit.test_instruments_odi import answers as odi_answers
from tests.unit.test_instruments_paindetect import answers as pd_answers
from tests.unit.test_instruments_pcs import answers as pcs_answers
from tests.unit.test_instruments_phq9 import answers as phq_answers
from tests.unit.test_instruments_rmdq import answers as rmdq_answers
from tests.unit.test_instruments_startback import answers as sb_answers
from tests.unit.test_instruments_tsk import answers11
from tests.unit.test_instruments_tsk import answers17


def score(key: str, answers: dict) -> Result:
    return INSTRUMENTS[key].score(answers)


# --- PHQ-9 (reference 2.4) -----------------------------------------------------------------------

ITEM9_ACTION = "Follow the local suicide-risk assessment protocol; PHQ-9 item 9 is a screen, not a risk assessment"
OTHER = "Other depressive syndrome criteria met (PHQ-9 algorithm; not a diagnosis)"
MAJOR = "Major depressive syndrome criteria met (PHQ-9 algorithm; not a diagnosis)"
PHQ_10 = "PHQ-9 >= 10: major depression likely (screen; confirm clinically)"


def item9_alert(value: int) -> Alert:
    return Alert(
        kind="phq9_item9", severity="critical", must_acknowledge=True,
        message=f"PHQ-9 item 9 = {value}: thoughts of being better off dead or of self-harm reported — "
                "acknowledge and record the action taken",
        evidence=(f"PHQ-9 item 9 = {value}",), action=ITEM9_ACTION,
    )


def test_phq9_item9_alert_despite_a_minimal_total() -> None:
    assert score("phq9", phq_answers(0, 0, 0, 0, 0, 0, 0, 0, 1)) == Result(
        instrument="phq9", score=1, band="minimal", band_label="None/minimal depression",
        n_answered=9, n_items=9, alerts=(item9_alert(1),), positive=False)


def test_phq9_ten_is_moderate_and_flags_likely_major_depression() -> None:
    # 2,2,1,1,1,1,1,1,0 = 10; positive items (>= 2 for 1-8): items 1 and 2, a core item -> "other"
    assert score("phq9", phq_answers(2, 2, 1, 1, 1, 1, 1, 1, 0)) == Result(
        instrument="phq9", score=10, band="moderate", band_label="Moderate depression",
        n_answered=9, n_items=9, notes=(OTHER, PHQ_10), positive=True)
    # 1 x 9 = 9: below 10, no syndrome (no item >= 2), item 9 = 1 alerts
    assert score("phq9", phq_answers(1, 1, 1, 1, 1, 1, 1, 1, 1)) == Result(
        instrument="phq9", score=9, band="mild", band_label="Mild depression",
        n_answered=9, n_items=9, alerts=(item9_alert(1),), positive=False)


def test_phq9_syndromes_count_item9_once_at_one_or_more() -> None:
    # items 1-4 = 2 (4 positive) + item 9 = 2 (positive at >= 1): 5 positive with a core item -> major
    result = score("phq9", phq_answers(2, 2, 2, 2, 0, 0, 0, 0, 2))
    assert (result.score, result.notes, result.alerts) == (10, (MAJOR, PHQ_10), (item9_alert(2),))
    # items 1-3 = 2 + item 9 = 2: 4 positive -> other (item 9 counts once)
    assert score("phq9", phq_answers(2, 2, 2, 0, 0, 0, 0, 0, 2)).notes == (OTHER,)
    # items 1, 3, 4 = 2: 3 positive, core item 1 -> other
    assert score("phq9", phq_answers(2, 0, 2, 2, 0, 0, 0, 0, 0)).notes == (OTHER,)
    # items 3 and 4 = 2, no core item -> nothing
    assert score("phq9", phq_answers(0, 0, 2, 2, 0, 0, 0, 0, 0)).notes == ()
    # a core item alone (1 positive) -> nothing
    assert score("phq9", phq_answers(3, 0, 0, 0, 0, 0, 0, 0, 0)).notes == ()


def test_phq9_item9_unanswered_prompts_to_ask_directly() -> None:
    assert score("phq9", phq_answers(2, 2, 1, 1, 1, 1, 1, 1, None)) == Result(
        instrument="phq9", score=None, n_answered=8, n_items=9,
        notes=("1 item missing; all items are needed for a score",),
        alerts=(Alert(kind="phq9_item9_unanswered", severity="warning", must_acknowledge=False,
                      message="PHQ-9 item 9 (thoughts of self-harm / being better off dead) not answered — "
                              "ask directly",
                      evidence=("PHQ-9 item 9 not answered",),
                      action="Ask the patient directly and record the answer"),))


# --- GAD-7 (2.5) ---------------------------------------------------------------------------------

def test_gad7_boundary_at_ten() -> None:
    assert score("gad7", {f"gad7_{n}": str(v) for n, v in enumerate((2, 2, 2, 1, 1, 1, 1), 1)}) == Result(
        instrument="gad7", score=10, band="moderate", band_label="Moderate anxiety", n_answered=7, n_items=7,
        notes=("GAD-7 >= 10: probable generalised anxiety disorder (screen)",), positive=True)
    assert score("gad7", {f"gad7_{n}": str(v) for n, v in enumerate((1, 1, 1, 1, 1, 1, 3), 1)}) == Result(
        instrument="gad7", score=9, band="mild", band_label="Mild anxiety", n_answered=7, n_items=7,
        positive=False)
    missing = score("gad7", {f"gad7_{n}": "1" for n in range(1, 7)})
    assert (missing.score, missing.n_answered, missing.n_items) == (None, 6, 7)


# --- ODI (2.1) -----------------------------------------------------------------------------------

def test_odi_results_in_full() -> None:
    assert score("odi", odi_answers(2, 3, 2, 1, 3, 2, 2, 1, 2, 2)) == Result(
        instrument="odi", score=40.0, band="moderate", band_label="Moderate disability",
        n_answered=10, n_items=10, subscores={"raw_sum": 20})
    published = score("odi", odi_answers(3, 3, 1, 2, 2, 2, 1, None, 2, 0))
    assert published.notes == ("16/45 with 1 section(s) missing = 35.6% (prorated over answered sections)",)
    assert (published.n_answered, published.n_items, published.subscores) == (9, 10, {"raw_sum": 16})
    assert score("odi", odi_answers(3, *([None] * 9))) == Result(
        instrument="odi", score=None, n_answered=1, n_items=10,
        notes=("9 sections missing; at most 1 allowed (configurable)",))
    assert score("odi", {}) == Result(instrument="odi", score=None, n_answered=0, n_items=10,
                                      notes=("No section answered",))


# --- RMDQ (2.2) ----------------------------------------------------------------------------------

FLOOR_CEILING = "Scores below 4 or above 20 show change poorly (floor/ceiling)"


@pytest.mark.parametrize(("ticks", "notes"), [
    (0, (FLOOR_CEILING,)), (3, (FLOOR_CEILING,)), (4, ()), (5, ()), (20, ()), (21, (FLOOR_CEILING,)),
    (24, (FLOOR_CEILING,)),
])
def test_rmdq_floor_and_ceiling(ticks: int, notes: tuple[str, ...]) -> None:
    assert score("rmdq", rmdq_answers(set(range(1, ticks + 1)))) == Result(
        instrument="rmdq", score=ticks, n_answered=24, n_items=24, notes=notes)


def test_rmdq_nothing_answered() -> None:
    assert score("rmdq", {}) == Result(instrument="rmdq", score=None, n_answered=0, n_items=24,
                                       notes=("No statement answered",))


# --- DN4 (2.6) -----------------------------------------------------------------------------------

def test_dn4_results_in_full() -> None:
    # interview Y,N,Y,Y,N,N,N (3) + exam Y,N,N (1) = 4 -> positive
    assert score("dn4", dn4_answers("YNYYNNN", "YNN")) == Result(
        instrument="dn4", score=4, band="positive", band_label="Positive",
        n_answered=10, n_items=10, subscores={"interview": 3, "examination": 1},
        notes=("DN4 4/10 — positive (cut-off >= 4)", "DN4-interview 3/7 — positive (cut-off >= 3)"),
        positive=True)
    # interview 3 + exam 0 = 3 -> negative, while the interview alone is positive: both shown
    assert score("dn4", dn4_answers("YNNYNYN", "NNN")).notes == (
        "DN4 3/10 — negative (cut-off >= 4)", "DN4-interview 3/7 — positive (cut-off >= 3)",
        "DN4/10 and DN4-interview disagree; DN4/10 (with examination) applies")


@pytest.mark.parametrize(("interview", "exam_done", "why", "n_answered", "n_items"), [
    ("YNNYNYN", "no", "examination not done", 7, 7),
    ("YNNYNYN", None, "examination not recorded", 7, 7),
    ("YNNYNYN", "partly", "some examination items not answered", 9, 10),
    ("YNNNNYN", "no", "examination not done", 7, 7),
])
def test_dn4_interview_only(interview: str, exam_done: str | None, why: str, n_answered: int, n_items: int) -> None:
    answers = dn4_answers(interview, "YN" if exam_done == "partly" else None)
    if exam_done is None:
        del answers["dn4_exam_done"]
    n = interview.count("Y")
    verdict = "positive" if n >= 3 else "negative"
    text = f"DN4-interview {n}/7 — {verdict} (cut-off >= 3)"
    assert score("dn4", answers) == Result(
        instrument="dn4", score=None, band=f"interview_{verdict}",
        band_label=f"{text}; DN4/10 not reported ({why})", n_answered=n_answered, n_items=n_items,
        subscores={"interview": n, "examination": None}, notes=(f"DN4/10 not reported: {why}", text),
        positive=n >= 3)


def test_dn4_interview_incomplete() -> None:
    assert score("dn4", dn4_answers("YNYN", None)) == Result(
        instrument="dn4", score=None, n_answered=4, n_items=7, subscores={"interview": None, "examination": None},
        notes=("3 interview item(s) missing; DN4 needs items 1-7",))


# --- painDETECT (2.7) ----------------------------------------------------------------------------

def test_paindetect_result_in_full() -> None:
    # 3+3+2+2+1+3+2 = 16, course with attacks -1, radiating +2 -> 17 unclear
    assert score("paindetect", pd_answers((3, 3, 2, 2, 1, 3, 2), "persistent_attacks", True)) == Result(
        instrument="paindetect", score=17, band="unclear", band_label="Unclear: a neuropathic component may be present",
        n_answered=9, n_items=9, subscores={"symptoms": 16, "course": -1, "radiating": 2})
    # the first symptom item counts: 5 + 0 x 6, course 0, no radiation = 5
    first = score("paindetect", pd_answers((5, 0, 0, 0, 0, 0, 0), "persistent", False))
    assert (first.score, first.subscores) == (5, {"symptoms": 5, "course": 0, "radiating": 0})


# --- LANSS (2.8) ---------------------------------------------------------------------------------

def test_lanss_results_in_full() -> None:
    # 1,0,1,0,1,0,1 -> 5+3+1+3 = 12, likely (boundary)
    assert score("lanss", lanss_answers(1, 0, 1, 0, 1, 0, 1)) == Result(
        instrument="lanss", score=12, band="likely", band_label="Neuropathic mechanisms likely (LANSS >= 12)",
        n_answered=7, n_items=7, positive=True)
    # 1,1,0,0,0,0,0 -> 10, S-LANSS cut-off 12 by default
    assert score("lanss", lanss_answers(1, 1, 0, 0, 0, 0, 0, version="s_lanss")) == Result(
        instrument="lanss", score=10, band="unlikely",
        band_label="Neuropathic mechanisms unlikely (S-LANSS >= 12 not met)", n_answered=7, n_items=7,
        positive=False)
    assert score("lanss", lanss_answers(1, 0, 1, 0, 1, 0, 1, version=None)) == Result(
        instrument="lanss", score=12, n_answered=7, n_items=7,
        notes=("Version (LANSS / S-LANSS) not recorded: cut-off not applied",))
    assert score("lanss", lanss_answers(1, 0, 1, 0, 1)) == Result(
        instrument="lanss", score=None, n_answered=5, n_items=7,
        notes=("2 items missing; all items are needed for a score",))


# --- STarT Back (2.9) ----------------------------------------------------------------------------

STARTBACK_NOTE = "Validated in primary-care low back pain, not specifically in PSPS-T2"


@pytest.mark.parametrize(("items", "item9", "total", "psych", "band", "label"), [
    ((1, 1, 0, 0, 0, 0, 0, 0), "moderately", 2, 0, "low", "Low risk"),
    ((0, 0, 0, 0, 1, 1, 1, 0), "slightly", 3, 3, "low", "Low risk"),
    ((1, 0, 1, 1, 0, 1, 0, 0), "very_much", 5, 2, "medium", "Medium risk"),
    ((0, 0, 0, 0, 1, 1, 1, 0), "very_much", 4, 4, "high", "High risk"),
    ((1, 1, 1, 0, 1, 1, 1, 0), "extremely", 7, 4, "high", "High risk"),
])
def test_startback_worked_examples_in_full(items, item9, total, psych, band, label) -> None:
    assert score("startback", sb_answers(items, item9)) == Result(
        instrument="startback", score=total, band=band, band_label=label, n_answered=9, n_items=9,
        subscores={"psychosocial": psych}, notes=(STARTBACK_NOTE,))


def test_startback_missing_item() -> None:
    answers = sb_answers((1, 0, 1, 1, 0, 1, 0, 0), "very_much")
    del answers["sbst_3"]
    assert score("startback", answers) == Result(
        instrument="startback", score=None, n_answered=8, n_items=9,
        notes=("1 item missing; all items are needed for a score (missing items can only lower the risk group)",))


# --- PCS (2.10) ----------------------------------------------------------------------------------

def test_pcs_results_in_full() -> None:
    rule = "PCS >= 30 (Sullivan manual threshold)"
    assert score("pcs", pcs_answers(2, 2, 2, 2, 2, 3, 3, 2, 3, 2, 2, 2, 3)) == Result(
        instrument="pcs", score=30, band="clinically_relevant",
        band_label=f"Clinically relevant catastrophising ({rule})",
        n_answered=13, n_items=13, subscores={"rumination": 9, "magnification": 9, "helplessness": 12}, positive=True)
    assert score("pcs", pcs_answers(*([2] * 13))) == Result(
        instrument="pcs", score=26, band="below_threshold", band_label=f"Not flagged ({rule})",
        n_answered=13, n_items=13, subscores={"rumination": 8, "magnification": 6, "helplessness": 12}, positive=False)
    assert score("pcs", pcs_answers(*([2] * 12))) == Result(
        instrument="pcs", score=None, n_answered=12, n_items=13,
        notes=("1 item missing; all items are needed for a score",))


# --- FABQ (2.11) ---------------------------------------------------------------------------------

CONTEXT = "Cut-offs are context-specific; none validated for PSPS-T2"


def fabq(pa: tuple[int, int, int, int], work: tuple[int, ...]) -> Result:
    """Items 2-5 = ``pa``, items 6, 7, 9, 10, 11, 12, 15 = ``work``, the unscored items 0."""
    values = [0] * 16
    for number, value in zip((2, 3, 4, 5), pa, strict=True):
        values[number - 1] = value
    for number, value in zip((6, 7, 9, 10, 11, 12, 15), work, strict=True):
        values[number - 1] = value
    return score("fabq", fabq_answers(*values))


def test_fabq_worked_example_in_full() -> None:
    assert score("fabq", fabq_answers(6, 6, 5, 5, 4, 6, 6, 6, 5, 5, 6, 4, 0, 0, 5, 6)) == Result(
        instrument="fabq", score=20, band="elevated",
        band_label="FABQ-PA > 14; FABQ-W > 34 (high risk of not returning to work)",
        n_answered=16, n_items=16, subscores={"pa": 20, "w": 37},
        notes=("FABQ-W > 29: return-to-work risk (acute occupational LBP)", CONTEXT), positive=True)
    assert score("fabq", fabq_answers(*([3] * 16))) == Result(
        instrument="fabq", score=12, band="not_elevated", band_label="Below FABQ cut-offs",
        n_answered=16, n_items=16, subscores={"pa": 12, "w": 21}, notes=(CONTEXT,), positive=False)


def test_fabq_cut_offs_are_strictly_above() -> None:
    assert fabq((4, 4, 3, 3), (0,) * 7).band_label == "Below FABQ cut-offs"  # PA 14
    assert fabq((4, 4, 4, 3), (0,) * 7).band_label == "FABQ-PA > 14"  # PA 15
    at_34 = fabq((0, 0, 0, 0), (5, 5, 5, 5, 5, 5, 4))
    assert (at_34.band_label, at_34.notes) == (
        "Below FABQ cut-offs", ("FABQ-W > 29: return-to-work risk (acute occupational LBP)", CONTEXT))
    assert fabq((0, 0, 0, 0), (5, 5, 5, 5, 5, 5, 5)).band_label == "FABQ-W > 34 (high risk of not returning to work)"
    assert fabq((0, 0, 0, 0), (5, 5, 5, 5, 3, 3, 3)).notes == (CONTEXT,)  # W 29
    w_30 = fabq((0, 0, 0, 0), (5, 5, 5, 5, 4, 3, 3))
    assert w_30.notes[0] == "FABQ-W > 29: return-to-work risk (acute occupational LBP)"


def test_fabq_incomplete_subscales() -> None:
    answers = fabq_answers(*([3] * 16))
    del answers["fabq_11"]
    work_missing = score("fabq", answers)
    assert (work_missing.score, work_missing.subscores["w"]) == (12, None)
    assert work_missing.notes[0] == "FABQ-W not scored: work items (6, 7, 9-12, 15) incomplete"
    del answers["fabq_3"]
    both = score("fabq", answers)
    assert (both.score, both.n_answered, both.n_items) == (None, 14, 16)
    assert both.notes[:2] == ("FABQ-PA not scored: physical-activity items (2-5) incomplete",
                              "FABQ-W not scored: work items (6, 7, 9-12, 15) incomplete")


# --- TSK (2.12) ----------------------------------------------------------------------------------

def test_tsk_results_in_full() -> None:
    rule = "TSK-17 > 37 (Vlaeyen 1995)"
    assert score("tsk", answers17(2, 2, 3, 2, 2, 3, 2, 3, 2, 3, 2, 3, 2, 2, 3, 2, 3)) == Result(
        instrument="tsk", score=41, band="high", band_label=f"High kinesiophobia ({rule})",
        n_answered=17, n_items=17, positive=True)
    assert score("tsk", answers17(3, 2, 2, 3, 2, 2, 2, 3, 2, 2, 2, 3, 2, 2, 3, 3, 3)) == Result(
        instrument="tsk", score=37, band="not_high", band_label=f"Not high ({rule})",
        n_answered=17, n_items=17, positive=False)
    assert score("tsk", answers11(*([2] * 11))) == Result(
        instrument="tsk", score=22, n_answered=11, n_items=11,
        notes=("TSK-11: no validated cut-off (the TSK-17 cut-off does not apply)",))
    unversioned = answers17(*([1] * 17))
    del unversioned["tsk_version"]
    assert score("tsk", unversioned) == Result(instrument="tsk", score=None, n_answered=17, n_items=17,
                                               notes=("TSK version (17 or 11) not recorded",))
    one_missing = answers17(*([1] * 17))
    del one_missing["tsk_1"]
    assert score("tsk", one_missing) == Result(instrument="tsk", score=None, n_answered=16, n_items=17,
                                               notes=("1 item missing; all items are needed for a score",))


def test_tsk_item_labels_name_the_reverse_and_dropped_items() -> None:
    labels = {field.key: field.label for field in INSTRUMENTS["tsk"].items}
    assert labels["tsk_1"] == "Item 1"
    assert labels["tsk_4"] == "Item 4 (reverse-scored; TSK-17 only)"
    assert labels["tsk_9"] == "Item 9 (TSK-17 only)"
    assert [key for key, label in labels.items() if "reverse" in label] == ["tsk_4", "tsk_8", "tsk_12", "tsk_16"]
    assert [key for key, label in labels.items() if "TSK-17 only" in label] == [
        "tsk_4", "tsk_8", "tsk_9", "tsk_12", "tsk_14", "tsk_16"]


# --- NRS (2.3) -----------------------------------------------------------------------------------

BANDS_NOTE = "NRS bands 0 none / 1-3 mild / 4-6 moderate / 7-10 severe: convention, UNVERIFIED (configurable)"


@pytest.mark.parametrize(("value", "band", "label"), [
    (0, "none", "No pain"), (1, "mild", "Mild pain"), (3, "mild", "Mild pain"), (4, "moderate", "Moderate pain"),
    (6, "moderate", "Moderate pain"), (7, "severe", "Severe pain"), (10, "severe", "Severe pain"),
    (5.0, "moderate", "Moderate pain"),
])
def test_nrs_result_in_full(value, band: str, label: str) -> None:
    assert nrs_result("leg_nrs_now", value) == Result(
        instrument="leg_nrs_now", score=int(value), band=band, band_label=label, n_answered=1, n_items=1,
        notes=(BANDS_NOTE,))


@pytest.mark.parametrize(("value", "note"), [
    (None, "not recorded"), ("", "not recorded"), (11, "invalid value 11 (0-10)"), (-1, "invalid value -1 (0-10)"),
    (True, "invalid value True (0-10)"), (5.5, "invalid value 5.5 (0-10)"), ("7", "invalid value '7' (0-10)"),
])
def test_nrs_missing_or_invalid(value, note: str) -> None:
    assert nrs_result("back_nrs_avg", value) == Result(
        instrument="back_nrs_avg", score=None, n_answered=0, n_items=1, notes=(note,))


def test_a_change_keeps_its_baseline_and_follow_up() -> None:
    change = rmdq_change(14, 8)  # reference 2.2: 14 -> 8, -6 (-42.9%)
    assert (change.baseline, change.followup, change.delta, change.mcid_points) == (14, 8, -6, 5)
