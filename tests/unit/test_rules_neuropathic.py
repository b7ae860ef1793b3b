"""Neuropathic screening pointers: DN4 / DN4-interview, painDETECT, LANSS."""

from __future__ import annotations

from fbss_eval.checklist.instruments import INSTRUMENTS
from fbss_eval.checklist.rules import pointers
from fbss_eval.checklist.rules.base import VisitData
from fbss_eval.checklist.rules.neuropathic import paindetect_unclear
from fbss_eval.checklist.rules.neuropathic import screen_positive
from fbss_eval.checklist.schema import Result
from fbss_eval.checklist.settings import DEFAULT_SETTINGS
from fbss_eval.checklist.settings import ScoringSettings


def _data(**results: Result) -> VisitData:
    return VisitData({}, results)


def _dn4(full: float | None, interview: float) -> Result:
    return Result("dn4", full, subscores={"interview": interview},
                  positive=(full >= 4) if full is not None else interview >= 3)


CAVEAT = ("Screening questionnaires support a neuropathic component; they are not diagnostic and do not "
          "tell root compression, root injury and fibrosis apart")


def _run(data: VisitData, settings: ScoringSettings = DEFAULT_SETTINGS) -> list:
    return list(screen_positive(data, settings)) + list(paindetect_unclear(data, settings))


def test_dn4_at_cutoff_triggers_and_names_the_finding() -> None:
    (ptr,) = _run(_data(dn4=_dn4(4, 3)))
    assert ptr.rule == "neuropathic.screen_positive"
    assert ptr.suggests == ("neuropathic_root", "epidural_fibrosis")
    assert ptr.reasons == ("DN4 4/10 (positive at >= 4)", CAVEAT)
    assert ptr.title == "Neuropathic screening positive (supportive, not diagnostic)"


def test_dn4_below_cutoff_is_silent_even_when_interview_would_be_positive() -> None:
    assert _run(_data(dn4=_dn4(3, 3))) == []


def test_dn4_interview_used_when_examination_not_scored() -> None:
    (ptr,) = _run(_data(dn4=_dn4(None, 3)))
    assert ptr.reasons == ("DN4-interview 3/7 (positive at >= 3; examination items not scored)", CAVEAT)
    assert _run(_data(dn4=_dn4(None, 2))) == []


def test_paindetect_bands() -> None:
    (ptr,) = _run(_data(paindetect=Result("paindetect", 19, band="positive", positive=True)))
    assert ptr.rule == "neuropathic.screen_positive"
    assert ptr.reasons == ("painDETECT 19 (positive at >= 19)", CAVEAT)
    (unclear,) = _run(_data(paindetect=Result("paindetect", 18, band="unclear")))
    assert unclear.rule == "neuropathic.paindetect_unclear"
    assert unclear.title == "painDETECT unclear: a neuropathic component is possible"
    assert unclear.reasons == ("painDETECT 18 (unclear band 13-18)",
                               "Examine for a neuropathic component (DN4 examination items, sensory testing)", CAVEAT)
    (unclear13,) = _run(_data(paindetect=Result("paindetect", 13, band="unclear")))
    assert unclear13.rule == "neuropathic.paindetect_unclear"
    assert _run(_data(paindetect=Result("paindetect", 12, band="negative", positive=False))) == []


def test_paindetect_unclear_is_folded_into_a_positive_screen() -> None:
    found = _run(_data(dn4=_dn4(5, 4), paindetect=Result("paindetect", 15, band="unclear")))
    assert [p.rule for p in found] == ["neuropathic.screen_positive"]


def test_lanss_uses_result_or_configured_cutoff() -> None:
    (ptr,) = _run(_data(lanss=Result("lanss", 12, band="likely", positive=True)))
    assert ptr.reasons == ("LANSS 12 (neuropathic mechanisms likely at >= 12)", CAVEAT)
    assert _run(_data(lanss=Result("lanss", 11, band="unlikely", positive=False))) == []
    unversioned = _data(lanss=Result("lanss", 12))  # version unknown: positive is None
    assert len(_run(unversioned)) == 1
    assert _run(unversioned, DEFAULT_SETTINGS.with_overrides({"lanss_cutoff": 14})) == []


def test_several_positive_screens_in_one_pointer() -> None:
    (ptr,) = _run(_data(dn4=_dn4(6, 4), paindetect=Result("paindetect", 25, positive=True),
                        lanss=Result("lanss", 16, positive=True)))
    assert ptr.reasons == ("DN4 6/10 (positive at >= 4)", "painDETECT 25 (positive at >= 19)",
                           "LANSS 16 (neuropathic mechanisms likely at >= 12)", CAVEAT)


def test_no_results_no_pointer() -> None:
    assert _run(VisitData({})) == []


def test_registered_with_real_dn4_scorer() -> None:
    dn4 = INSTRUMENTS["dn4"]
    answers: dict[str, str] = {"dn4_exam_done": "yes"}
    for field in dn4.items:
        answers[field.key] = max(field.options, key=lambda opt: opt.score or 0).value
    data = VisitData({}, {"dn4": dn4.score(answers)})
    rules = [p.rule for p in pointers(data)]
    assert "neuropathic.screen_positive" in rules
