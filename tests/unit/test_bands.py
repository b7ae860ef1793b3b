"""The admin's band filter (checklist/bands.py) against the instruments' own scoring.

For each instrument with bands: the bands its scorer reports, over many answer sets and several
scoring settings, are exactly the filter's choices (written out below from the reference: ODI
Fairbank 2000, PHQ-9 Kroenke 2001, GAD-7 Spitzer 2006, painDETECT Freynhagen 2006, DN4 Bouhassira
2005, STarT Back Hill 2008, PCS Sullivan, FABQ Waddell 1993 / George / Fritz & George, TSK-17
Vlaeyen 1995, LANSS Bennett 2001 / S-LANSS Bennett 2005, NRS the 0 / 1-3 / 4-6 / 7-10 convention);
the reference's worked examples and cut-off boundaries land in the band the reference gives, and
the filter on that band selects them. The RMDQ has no bands (reference 2.2) and no choice.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from fbss_eval.checklist.bands import UNVERIFIED_MARK
from fbss_eval.checklist.bands import band_scales
from fbss_eval.checklist.bands import selected_bands
from fbss_eval.checklist.instruments import dn4
from fbss_eval.checklist.instruments import fabq
from fbss_eval.checklist.instruments import gad7
from fbss_eval.checklist.instruments import lanss
from fbss_eval.checklist.instruments import odi
from fbss_eval.checklist.instruments import paindetect
from fbss_eval.checklist.instruments import pcs
from fbss_eval.checklist.instruments import phq9
from fbss_eval.checklist.instruments import rmdq
from fbss_eval.checklist.instruments import startback
from fbss_eval.checklist.instruments import tsk
from fbss_eval.checklist.instruments.nrs import nrs_result
from fbss_eval.checklist.settings import DEFAULT_SETTINGS
from fbss_eval.checklist.settings import ScoringSettings

NRS_FIELDS = ("back_nrs_now", "back_nrs_avg", "leg_nrs_now", "leg_nrs_avg")
# The defaults, and every configurable boundary moved (the alternatives the reference mentions).
SETTINGS = (
    DEFAULT_SETTINGS,
    ScoringSettings(pcs_inclusive=False, tsk17_high_above=36, fabq_pa_above=15, fabq_w_above=29,
                    slanss_cutoff=10, nrs_mild_max=4, nrs_moderate_max=6, odi_max_missing=2,
                    phq_gad_max_prorated=2),
)

# Every band each instrument reports, written from the reference's band tables and cut-offs.
EXPECTED_BANDS: dict[str, set[str]] = {
    "odi": {"minimal", "moderate", "severe", "crippled", "bed_bound"},
    "phq9": {"minimal", "mild", "moderate", "moderately_severe", "severe"},
    "gad7": {"minimal", "mild", "moderate", "severe"},
    "paindetect": {"negative", "unclear", "positive"},
    "dn4": {"negative", "positive", "interview_negative", "interview_positive"},
    "startback": {"low", "medium", "high"},
    "pcs": {"below_threshold", "clinically_relevant"},
    "fabq": {"not_elevated", "elevated"},
    "tsk": {"not_high", "high"},
    "lanss": {"unlikely", "likely"},
    **{field: {"none", "mild", "moderate", "severe"} for field in NRS_FIELDS},
}
MODULES: dict[str, ModuleType] = {
    module.KEY: module for module in (odi, phq9, gad7, paindetect, dn4, startback, pcs, fabq, tsk, lanss, rmdq)
}


def answer_sets(module: ModuleType, rng: random.Random, n: int) -> Iterator[dict[str, Any]]:
    """``n`` answer sets: each picks one level of the options and answers most items near it (so
    both ends of a scale come up), leaves an odd item blank, and sometimes leaves out a version
    or examination field."""
    fields = module.INSTRUMENT.extra_fields + module.INSTRUMENT.items
    for _ in range(n):
        level = rng.random()
        data: dict[str, Any] = {}
        for field in fields:
            if rng.random() < 0.03:
                continue
            options = field.options
            near = min(int(level * len(options)), len(options) - 1)
            data[field.key] = options[near if rng.random() < 0.75 else rng.randrange(len(options))].value
        yield data


@pytest.mark.parametrize("key", sorted(MODULES))
def test_the_bands_an_instrument_reports_are_exactly_its_filter_choices(key: str) -> None:
    module = MODULES[key]
    rng = random.Random(f"bands-{key}")
    reported = {
        result.band
        for settings in SETTINGS
        for answers in answer_sets(module, rng, 1500)
        if (result := module.INSTRUMENT.score(answers, settings)).band is not None
    }
    choices = {band.key for band in band_scales().get(key, ())}
    assert reported == EXPECTED_BANDS.get(key, set())
    assert choices == EXPECTED_BANDS.get(key, set())


@pytest.mark.parametrize("field", NRS_FIELDS)
def test_every_nrs_band_is_a_filter_choice(field: str) -> None:
    reported = {nrs_result(field, value, settings).band for settings in SETTINGS for value in range(11)}
    assert reported == EXPECTED_BANDS[field]
    assert {band.key for band in band_scales()[field]} == EXPECTED_BANDS[field]


def test_the_filter_offers_no_more_instruments_than_those() -> None:
    assert set(band_scales()) == set(EXPECTED_BANDS)


# -- worked examples and boundaries of the reference ------------------------------------------


def yes_no(pattern: str, start: int, prefix: str) -> dict[str, str]:
    return {f"{prefix}_{i}": "1" if c == "Y" else "0" for i, c in enumerate(pattern, start=start)}


def dn4_answers(interview: str, exam: str | None) -> dict[str, str]:
    data = yes_no(interview, 1, "dn4")
    data["dn4_exam_done"] = "no" if exam is None else "yes"
    return data | (yes_no(exam, 8, "dn4") if exam else {})


def numbered(prefix: str, scores: tuple[int, ...], **extra: str) -> dict[str, str]:
    return {f"{prefix}_{i}": str(s) for i, s in enumerate(scores, start=1)} | extra


def sbst(items: tuple[int, ...], item9: str) -> dict[str, str]:
    return numbered("sbst", items) | {"sbst_9": item9}


def lanss_answers(items: tuple[int, ...], version: str) -> dict[str, str]:
    return {f"lanss_{i}": "yes" if v else "no" for i, v in enumerate(items, start=1)} | {"lanss_version": version}


# FABQ: items 2-5 are FABQ-PA, 6, 7, 9, 10, 11, 12, 15 FABQ-W; 1, 8, 13, 14, 16 count in neither.
FABQ_PA14_W34 = (6, 4, 4, 3, 3, 6, 6, 6, 6, 6, 5, 5, 6, 6, 0, 6)  # PA 4+4+3+3 = 14; W 6+6+6+6+5+5+0 = 34
FABQ_PA14_W35 = (6, 4, 4, 3, 3, 6, 6, 6, 6, 6, 6, 5, 6, 6, 0, 6)  # PA 14; W 6+6+6+6+6+5+0 = 35
TSK_37 = (3, 2, 2, 3, 2, 2, 2, 3, 2, 2, 2, 3, 2, 2, 3, 3, 3)
TSK_38 = (3, 2, 2, 3, 2, 2, 2, 3, 2, 2, 2, 3, 3, 2, 3, 3, 3)

WORKED = [
    # DN4 (reference 2.6)
    ("dn4", dn4_answers("YNYYNNN", "YNN"), DEFAULT_SETTINGS, 4, "positive"),
    ("dn4", dn4_answers("YNNYNYN", "NNN"), DEFAULT_SETTINGS, 3, "negative"),
    ("dn4", dn4_answers("YYYYYYY", "YYY"), DEFAULT_SETTINGS, 10, "positive"),
    ("dn4", dn4_answers("NNNNNYN", "YYN"), DEFAULT_SETTINGS, 3, "negative"),
    ("dn4", dn4_answers("YNNYNYN", None), DEFAULT_SETTINGS, None, "interview_positive"),
    ("dn4", dn4_answers("YNNYNNN", None), DEFAULT_SETTINGS, None, "interview_negative"),  # 2/7 < 3
    # STarT Back (reference 2.9)
    ("startback", sbst((1, 1, 0, 0, 0, 0, 0, 0), "moderately"), DEFAULT_SETTINGS, 2, "low"),
    ("startback", sbst((0, 0, 0, 0, 1, 1, 1, 0), "slightly"), DEFAULT_SETTINGS, 3, "low"),
    ("startback", sbst((1, 0, 1, 1, 0, 1, 0, 0), "very_much"), DEFAULT_SETTINGS, 5, "medium"),
    ("startback", sbst((1, 1, 1, 1, 0, 0, 0, 1), "not_at_all"), DEFAULT_SETTINGS, 5, "medium"),
    ("startback", sbst((0, 0, 0, 0, 1, 1, 1, 0), "very_much"), DEFAULT_SETTINGS, 4, "high"),
    ("startback", sbst((1, 1, 1, 0, 1, 1, 1, 0), "extremely"), DEFAULT_SETTINGS, 7, "high"),
    # PCS (reference 2.10): flag at >= 30 by default; > 30 when the boundary is set exclusive
    ("pcs", numbered("pcs", (2,) * 13), DEFAULT_SETTINGS, 26, "below_threshold"),
    ("pcs", numbered("pcs", (2, 2, 2, 2, 2, 3, 3, 2, 3, 2, 2, 2, 3)), DEFAULT_SETTINGS, 30, "clinically_relevant"),
    ("pcs", numbered("pcs", (2, 2, 2, 2, 2, 3, 3, 2, 3, 2, 2, 2, 3)), ScoringSettings(pcs_inclusive=False), 30,
     "below_threshold"),
    ("pcs", numbered("pcs", (3, 3, 2, 2, 3, 2, 3, 3, 3, 2, 2, 2, 3)), DEFAULT_SETTINGS, 33, "clinically_relevant"),
    ("pcs", numbered("pcs", (1, 2, 1, 0, 1, 3, 3, 2, 2, 2, 1, 0, 2)), DEFAULT_SETTINGS, 20, "below_threshold"),
    ("pcs", numbered("pcs", (4,) * 13), DEFAULT_SETTINGS, 52, "clinically_relevant"),
    # FABQ (reference 2.11): PA > 14 or W > 34; score = FABQ-PA
    ("fabq", numbered("fabq", (3,) * 16), DEFAULT_SETTINGS, 12, "not_elevated"),
    ("fabq", numbered("fabq", (6, 6, 5, 5, 4, 6, 6, 6, 5, 5, 6, 4, 0, 0, 5, 6)), DEFAULT_SETTINGS, 20, "elevated"),
    ("fabq", numbered("fabq", (2, 4, 4, 4, 3, 2, 2, 6, 2, 2, 3, 3, 6, 6, 1, 0)), DEFAULT_SETTINGS, 15, "elevated"),
    ("fabq", numbered("fabq", (0,) * 16), DEFAULT_SETTINGS, 0, "not_elevated"),
    ("fabq", numbered("fabq", FABQ_PA14_W34), DEFAULT_SETTINGS, 14, "not_elevated"),
    ("fabq", numbered("fabq", FABQ_PA14_W35), DEFAULT_SETTINGS, 14, "elevated"),
    # TSK-17 (reference 2.12): > 37 high
    ("tsk", numbered("tsk", (1,) * 17, tsk_version="17"), DEFAULT_SETTINGS, 29, "not_high"),
    ("tsk", numbered("tsk", (4,) * 17, tsk_version="17"), DEFAULT_SETTINGS, 56, "high"),
    ("tsk", numbered("tsk", TSK_37, tsk_version="17"), DEFAULT_SETTINGS, 37, "not_high"),
    ("tsk", numbered("tsk", TSK_38, tsk_version="17"), DEFAULT_SETTINGS, 38, "high"),
    # LANSS / S-LANSS (reference 2.8): >= 12 likely
    ("lanss", lanss_answers((1, 0, 1, 0, 1, 0, 1), "lanss"), DEFAULT_SETTINGS, 12, "likely"),
    ("lanss", lanss_answers((1, 0, 0, 1, 1, 0, 1), "lanss"), DEFAULT_SETTINGS, 11, "unlikely"),
    ("lanss", lanss_answers((1, 0, 1, 0, 1, 0, 1), "s_lanss"), DEFAULT_SETTINGS, 12, "likely"),
    ("lanss", lanss_answers((1, 1, 0, 0, 0, 0, 0), "s_lanss"), DEFAULT_SETTINGS, 10, "unlikely"),
    ("lanss", lanss_answers((1, 1, 0, 0, 0, 0, 0), "s_lanss"), ScoringSettings(slanss_cutoff=10), 10, "likely"),
]


@pytest.mark.parametrize(("key", "answers", "settings", "score", "band"), WORKED)
def test_worked_examples_land_in_the_band_whose_filter_selects_them(
    key: str, answers: dict[str, str], settings: ScoringSettings, score: float | None, band: str
) -> None:
    result = MODULES[key].INSTRUMENT.score(answers, settings)
    assert (result.score, result.band) == (score, band)
    chosen = selected_bands(f"{key}:{band}")
    assert chosen is not None
    assert band in chosen[1]


@pytest.mark.parametrize(("value", "settings", "band"), [
    (0, DEFAULT_SETTINGS, "none"), (1, DEFAULT_SETTINGS, "mild"), (3, DEFAULT_SETTINGS, "mild"),
    (4, DEFAULT_SETTINGS, "moderate"), (6, DEFAULT_SETTINGS, "moderate"), (7, DEFAULT_SETTINGS, "severe"),
    (10, DEFAULT_SETTINGS, "severe"),
    # the alternative 1-4 / 5-6 / 7-10 the reference mentions
    (4, ScoringSettings(nrs_mild_max=4), "mild"), (5, ScoringSettings(nrs_mild_max=4), "moderate"),
])
def test_nrs_boundaries(value: int, settings: ScoringSettings, band: str) -> None:
    for field in NRS_FIELDS:
        assert nrs_result(field, value, settings).band == band
        chosen = selected_bands(f"{field}:{band}")
        assert chosen is not None
        assert band in chosen[1]


def test_tsk11_and_an_unrecorded_lanss_version_report_no_band() -> None:
    assert tsk.score(numbered("tsk", (2,) * 17, tsk_version="11")).band is None
    assert lanss.score({f"lanss_{i}": "yes" for i in range(1, 8)}).band is None


# -- what each choice selects -------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("startback:low", ("startback", ("low", "medium", "high"))),
    ("startback:medium", ("startback", ("medium", "high"))),
    ("startback:high", ("startback", ("high",))),
    ("back_nrs_now:none", ("back_nrs_now", ("none", "mild", "moderate", "severe"))),
    ("leg_nrs_avg:moderate", ("leg_nrs_avg", ("moderate", "severe"))),
    ("leg_nrs_now:severe", ("leg_nrs_now", ("severe",))),
    ("dn4:positive", ("dn4", ("positive",))),
    ("dn4:negative", ("dn4", ("negative",))),
    ("dn4:interview_positive", ("dn4", ("interview_positive",))),
    ("dn4:interview_negative", ("dn4", ("interview_negative",))),
    ("pcs:clinically_relevant", ("pcs", ("clinically_relevant",))),
    ("pcs:below_threshold", ("pcs", ("below_threshold",))),
    ("fabq:elevated", ("fabq", ("elevated",))),
    ("fabq:not_elevated", ("fabq", ("not_elevated",))),
    ("tsk:high", ("tsk", ("high",))),
    ("tsk:not_high", ("tsk", ("not_high",))),
    ("lanss:likely", ("lanss", ("likely",))),
    ("lanss:unlikely", ("lanss", ("unlikely",))),
    ("odi:severe", ("odi", ("severe", "crippled", "bed_bound"))),
    ("paindetect:unclear", ("paindetect", ("unclear", "positive"))),
])
def test_what_each_choice_selects(value: str, expected: tuple[str, tuple[str, ...]]) -> None:
    assert selected_bands(value) == expected


@pytest.mark.parametrize("value", ["rmdq:high", "rmdq:moderate", "nrs:mild", "back_nrs_now:awful", "tsk:positive",
                                   "dn4", "", ":positive", "dn4:positive:x"])
def test_no_such_band(value: str) -> None:
    assert selected_bands(value) is None


# -- how the choices read -----------------------------------------------------------------------


def labels(settings: ScoringSettings = DEFAULT_SETTINGS) -> dict[str, str]:
    return {band.value: band.choice_label for scale in band_scales(settings).values() for band in scale}


def test_choice_wording_with_the_default_settings() -> None:
    text = labels()
    assert text["odi:severe"] == "ODI: Severe disability or worse"
    assert text["startback:medium"] == "STarT Back: Medium risk (total >= 4, psychosocial <= 3) or worse"
    assert text["dn4:positive"] == "DN4: Positive (DN4/10 >= 4)"
    assert text["dn4:interview_positive"] == (
        "DN4: DN4-interview positive (DN4-interview /7 >= 3, DN4/10 not reported)")
    assert text["tsk:high"] == "TSK: High kinesiophobia (TSK-17 > 37)"
    assert text["lanss:likely"] == "LANSS: Neuropathic mechanisms likely (LANSS >= 12, S-LANSS >= 12)"
    # unverified boundaries say so (reference: NRS bands, PCS >= 30 vs > 30, FABQ-W > 34)
    assert text["pcs:clinically_relevant"] == (
        "PCS: Clinically relevant catastrophising (PCS >= 30) — unverified threshold (configurable)")
    assert text["fabq:elevated"] == (
        "FABQ: Elevated fear-avoidance beliefs (FABQ-PA > 14 or FABQ-W > 34) — unverified threshold (configurable)")
    assert text["back_nrs_now:moderate"] == (
        "Back pain now (NRS): Moderate pain (4-6) or worse — unverified threshold (configurable)")


def test_choice_wording_follows_the_settings_in_force() -> None:
    text = labels(ScoringSettings(pcs_inclusive=False, nrs_mild_max=4, tsk17_high_above=36))
    assert text["pcs:clinically_relevant"].startswith("PCS: Clinically relevant catastrophising (PCS > 30)")
    assert text["pcs:below_threshold"].startswith("PCS: Not flagged (PCS <= 30)")
    assert text["leg_nrs_now:mild"].startswith("Leg pain now (NRS): Mild pain (1-4) or worse")
    assert text["leg_nrs_now:moderate"].startswith("Leg pain now (NRS): Moderate pain (5-6) or worse")
    assert text["tsk:high"] == "TSK: High kinesiophobia (TSK-17 > 36)"


def test_only_unverified_boundaries_are_marked() -> None:
    marked = {band.instrument for scale in band_scales().values() for band in scale if band.unverified}
    assert marked == {"pcs", "fabq", *NRS_FIELDS}
    assert all(UNVERIFIED_MARK in label for value, label in labels().items() if value.split(":")[0] in marked)
