"""Item answers of the instruments at one demo visit, driven by the patient's pain level and
distress; an instrument this module does not know is answered generically from its options."""

from __future__ import annotations

import random
from collections.abc import Iterable

from ..checklist.schema import Section
from .fit import generic_answers
from .scenarios import Answers
from .scenarios import Profile
from .timeline import VisitInfo
from .timeline import clamp
from .timeline import level_at


def _scale(rng: random.Random, n: int, top: int, level: float, spread: float = 0.9) -> list[int]:
    """n item scores 0..top centred on level x top."""
    return [int(round(clamp(rng.gauss(level * top, spread), 0, top))) for _ in range(n)]


def _items(prefix: str, scores: Iterable[int]) -> Answers:
    return {f"{prefix}_{n}": str(score) for n, score in enumerate(scores, start=1)}


def _odi(rng: random.Random, p: Profile, level: float, mood: float) -> Answers:
    answers = _items("odi", _scale(rng, 10, 5, 0.1 + 0.75 * level))
    if rng.random() < 0.15:
        answers.pop("odi_8")  # sex life not applicable: the missing-section rule applies
    return answers


def _phq9(rng: random.Random, p: Profile, level: float, mood: float) -> Answers:
    answers = _items("phq9", _scale(rng, 9, 3, 0.7 * mood))
    answers["phq9_9"] = str(rng.choice((1, 1, 2)) if p.suicidal and rng.random() < 0.7 else 0)
    return answers


def _gad7(rng: random.Random, p: Profile, level: float, mood: float) -> Answers:
    return _items("gad7", _scale(rng, 7, 3, 0.7 * mood))


def _dn4(rng: random.Random, p: Profile, level: float, mood: float) -> Answers:
    exam = rng.random() < 0.9  # otherwise only the DN4-interview (items 1-7)
    odds = 0.7 if p.neuropathic else 0.15
    answers = {"dn4_exam_done": "yes" if exam else "no"}
    answers.update(_items("dn4", (int(rng.random() < odds) for _ in range(10 if exam else 7))))
    return answers


def _paindetect(rng: random.Random, p: Profile, level: float, mood: float) -> Answers:
    answers = _items("pd", _scale(rng, 7, 5, 0.65 if p.neuropathic else 0.25, 1.0))
    answers["pd_course"] = rng.choice(("persistent", "persistent_attacks", "attacks_only", "attacks_between"))
    leg = p.scenario.leg_dominant or p.scenario.radicular
    answers["pd_radiating"] = "yes" if leg else rng.choice(("yes", "no"))
    return answers


def _startback(rng: random.Random, p: Profile, level: float, mood: float) -> Answers:
    # items 1-4 physical, 5-9 psychosocial
    answers = _items("sbst", (int(rng.random() < ((0.3 + 0.6 * level) if n <= 4 else (0.1 + 0.8 * mood)))
                              for n in range(1, 9)))
    answers["sbst_9"] = ("not_at_all", "slightly", "moderately", "very_much", "extremely")[min(4, int(level * 5))]
    return answers


def _pcs(rng: random.Random, p: Profile, level: float, mood: float) -> Answers:
    return _items("pcs", _scale(rng, 13, 4, 0.15 + 0.75 * mood))


INSTRUMENT_ANSWERS = {"odi": _odi, "phq9": _phq9, "gad7": _gad7, "dn4": _dn4, "paindetect": _paindetect,
                      "startback": _startback, "pcs": _pcs}


def instrument_section(rng: random.Random, p: Profile, v: VisitInfo, section: Section) -> Answers:
    """Item answers driven by the patient's pain level and distress (optional instruments and any
    instrument added later: answered generically from their options)."""
    level = level_at(p, v, rng=rng)
    mood = clamp(p.psych + v.drift / 2 + rng.uniform(-0.1, 0.1), 0, 1)
    make = INSTRUMENT_ANSWERS.get(section.instrument or section.key)
    return make(rng, p, level, mood) if make else generic_answers(rng, section.fields(), level)
