"""Neuropathic screening questionnaires as pointers to neuropathic root pain / epidural fibrosis.

Reference 3.e: DN4 >= 4, painDETECT >= 19 and LANSS >= 12 support a neuropathic component; they
are supportive, not diagnostic, and do not say which lesion causes it (2.6-2.8 for cut-offs).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..instruments.common import fmt
from ..settings import ScoringSettings
from .base import Pointer
from .base import VisitData
from .base import rule

SUGGESTS = ("neuropathic_root", "epidural_fibrosis")
CAVEAT = (
    "Screening questionnaires support a neuropathic component; they are not diagnostic and do "
    "not tell root compression, root injury and fibrosis apart"
)
SOURCE = (
    "DN4 (Bouhassira et al., Pain 2005), painDETECT (Freynhagen et al., Curr Med Res Opin 2006), "
    "LANSS (Bennett 2001)"
)
DN4_CUTOFF = 4
DN4_INTERVIEW_CUTOFF = 3
PAINDETECT_POSITIVE = 19
PAINDETECT_UNCLEAR = 13


def positive_screens(data: VisitData, settings: ScoringSettings) -> list[str]:
    """The neuropathic screens that are positive, in words (empty when none is)."""
    found: list[str] = []
    dn4 = data.result("dn4")
    if dn4 is not None:
        interview = dn4.subscores.get("interview")
        if dn4.score is not None:
            if dn4.score >= DN4_CUTOFF:
                found.append(f"DN4 {fmt(dn4.score)}/10 (positive at >= {DN4_CUTOFF})")
        elif interview is not None and interview >= DN4_INTERVIEW_CUTOFF:
            found.append(
                f"DN4-interview {fmt(interview)}/7 (positive at >= {DN4_INTERVIEW_CUTOFF}; "
                "examination items not scored)"
            )
    paindetect = data.result("paindetect")
    if paindetect is not None and paindetect.score is not None:
        if paindetect.score >= PAINDETECT_POSITIVE:
            found.append(
                f"painDETECT {fmt(paindetect.score)} (positive at >= {PAINDETECT_POSITIVE})"
            )
    lanss = data.result("lanss")
    if lanss is not None and lanss.score is not None:
        cutoff = settings.lanss_cutoff
        if lanss.positive or (lanss.positive is None and lanss.score >= cutoff):
            found.append(f"LANSS {fmt(lanss.score)} (neuropathic mechanisms likely at "
                         f">= {cutoff})")
    return found


@rule
def screen_positive(data: VisitData, settings: ScoringSettings) -> Iterator[Pointer]:
    """Any positive neuropathic screen (DN4, DN4-interview, painDETECT, LANSS)."""
    found = positive_screens(data, settings)
    if found:
        yield Pointer(
            rule="neuropathic.screen_positive",
            title="Neuropathic screening positive (supportive, not diagnostic)",
            suggests=SUGGESTS,
            reasons=(*found, CAVEAT),
            source=SOURCE,
        )


@rule
def paindetect_unclear(data: VisitData, settings: ScoringSettings) -> Iterator[Pointer]:
    """painDETECT 13-18 (unclear) when no other screen is positive."""
    result = data.result("paindetect")
    if result is None or result.score is None:
        return
    if not PAINDETECT_UNCLEAR <= result.score < PAINDETECT_POSITIVE:
        return
    if positive_screens(data, settings):
        return  # the positive screen's pointer already makes the point
    yield Pointer(
        rule="neuropathic.paindetect_unclear",
        title="painDETECT unclear: a neuropathic component is possible",
        suggests=SUGGESTS,
        reasons=(
            f"painDETECT {fmt(result.score)} (unclear band 13-18)",
            "Examine for a neuropathic component (DN4 examination items, sensory testing)",
            CAVEAT,
        ),
        source=SOURCE,
    )
