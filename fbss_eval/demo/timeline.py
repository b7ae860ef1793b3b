"""When things happen in a demo patient's story: the visit dates, the operations before the first
visit, and the imaging, EMG, blocks and treatments dated before the visit that shows them; and
how the patient's pain changes over the visits (the trend).

Everything comes from the ``rng`` passed in, so a seed gives the same story.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from typing import Any

from ..checklist.sections import surgical_history as surgery
from ..models import Patient
from .history import block_row
from .history import operation_row
from .history import study_row
from .history import treatment_row
from .scenarios import DECOMPRESSIONS
from .scenarios import DISCECTOMIES
from .scenarios import POSTERIOR_FUSIONS
from .scenarios import ROOT_OF
from .scenarios import SCENARIOS
from .scenarios import SEGMENTS
from .scenarios import Answers
from .scenarios import Dated
from .scenarios import Operation
from .scenarios import Profile


def age_on(birth: date, day: date) -> int:
    """Age in whole years on a day."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def between(rng: random.Random, start: date, end: date) -> date:
    """A day in [start, end] (start when the range is empty)."""
    span = (end - start).days
    return start + timedelta(days=rng.randint(0, span)) if span > 0 else start


def clamp(value: float, low: float, high: float) -> float:
    """The value, kept within [low, high]."""
    return max(low, min(high, value))


@dataclass(frozen=True)
class VisitInfo:
    """Where one visit sits in the patient's story."""

    date: date
    number: int  # 0 = first
    kind: str
    drift: float  # change in severity since the first visit (negative = better)


def months_between(start: date, end: date) -> int:
    """Whole months from start to end (0 when end is earlier)."""
    return max(0, (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day))


def level_at(p: Profile, v: VisitInfo, spread: float = 0.15, rng: random.Random | None = None) -> float:
    """The patient's pain and disability (0..1) at a visit: severity plus the trend's drift, with
    some visit-to-visit noise when ``rng`` is given."""
    value = p.severity + v.drift
    if rng is not None:
        value += rng.uniform(-spread, spread)
    return clamp(value, 0.0, 1.0)


def draw_profile(rng: random.Random, patient: Patient, first_visit: date, last_visit: date) -> Profile:
    """The story of one patient: scenario, operations, and the dated events of the timeline."""
    scenario = rng.choice(SCENARIOS)
    side = rng.choices(("left", "right", "bilateral"), weights=(45, 45, 10))[0]
    segment = rng.choices(SEGMENTS, weights=(5, 15, 45, 35))[0]
    if scenario.key == "adjacent_segment" and segment == "L2-L3":
        segment = "L4-L5"
    if scenario.key == "sij_after_fusion":
        segment = rng.choice(("L4-L5", "L5-S1"))
    low, high = scenario.psych
    age = age_on(patient.birth_date, first_visit)
    profile = Profile(
        scenario=scenario, age=age, sex=patient.sex, side=side, segment=segment,
        severity=rng.uniform(0.2, 0.95), psych=rng.uniform(low, high),
        neuropathic=rng.random() < scenario.neuropathic, suicidal=rng.random() < 0.07,
        red_flags={}, operations=[], onset=first_visit,
    )
    _draw_operations(rng, profile, first_visit)
    _draw_red_flags(rng, profile)
    _draw_lifestyle(rng, profile)
    _draw_studies(rng, profile, first_visit, last_visit)
    _draw_emg(rng, profile, first_visit, last_visit)
    _draw_blocks(rng, profile, first_visit, last_visit)
    _draw_treatments(rng, profile, first_visit, last_visit)
    return profile


def _draw_operations(rng: random.Random, p: Profile, first_visit: date) -> None:
    sc = p.scenario
    outcome = rng.choice(sc.outcomes)
    pain_free = rng.randint(*sc.pain_free_weeks) if outcome in ("resolved", "improved") else None
    # The current pain began pain_free weeks after the index operation, and 2-30 months before
    # the first visit here (ICD-11: pain for >= 3 months).
    onset = first_visit - timedelta(days=rng.randint(60, 900))
    index_date = onset - timedelta(weeks=pain_free or 0, days=rng.randint(1, 6) if not pain_free else 0)
    procedure = rng.choice(sc.procedures)
    to_sacrum = sc.key == "sij_after_fusion" or (
        procedure in surgery.FUSION_PROCEDURES and p.segment == "L5-S1" and rng.random() < 0.6)
    n_prior = rng.choices((0, 1, 2), weights=(55, 35, 10))[0]
    if sc.key == "pseudarthrosis" and n_prior and rng.random() < 0.4:
        procedure = "revision"  # a revision fusion that did not fuse either
    ops: list[Operation] = []
    when = index_date
    earlier: list[date] = []
    for _ in range(n_prior):
        when = when - timedelta(days=rng.randint(300, 2000))
        earlier.append(when)
    for n, day in enumerate(sorted(earlier)):
        prior_proc = rng.choice(DISCECTOMIES) if n == 0 else rng.choice(DISCECTOMIES + DECOMPRESSIONS)
        if procedure == "revision" and n == len(earlier) - 1:
            prior_proc = rng.choice(POSTERIOR_FUSIONS)
        weeks_to_next = max(1, ((sorted(earlier) + [index_date])[n + 1] - day).days // 7 - rng.randint(5, 40))
        ops.append(Operation(day, operation_row(
            rng, prior_proc, p.segment, p.side, rng.choice(("resolved", "improved")),
            weeks_to_next, day, False, to_sacrum and prior_proc in surgery.FUSION_PROCEDURES)))
    ops.append(Operation(index_date, operation_row(
        rng, procedure, p.segment, p.side, outcome, pain_free, index_date, True, to_sacrum)))
    p.operations = ops
    p.onset = onset
    p.records = rng.choices(("full", "partial", "none"), weights=(60, 30, 10))[0]


def _draw_red_flags(rng: random.Random, p: Profile) -> None:
    flags: dict[str, str] = {}
    if p.age > 55:
        flags["rf_fx_age_over_55"] = "yes"  # a fact of the patient's age: answered truthfully
    p.diabetic = rng.random() < 0.09
    if p.diabetic:
        flags["rf_inf_diabetes"] = "yes"
    if rng.random() < 0.04:
        flags["rf_mal_cancer_history"] = "yes"
    if rng.random() < 0.03:
        flags[rng.choice(("rf_ces_saddle", "rf_ces_bladder_bowel", "rf_neuro_progressive_weakness"))] = "yes"
    if rng.random() < 0.06:
        flags[rng.choice(("rf_inf_raised_markers", "rf_mal_night_pain", "rf_fx_osteoporosis_steroids"))] = "unknown"
    p.red_flags = flags


def _draw_lifestyle(rng: random.Random, p: Profile) -> None:
    p.smoking = rng.choices(("never", "former", "current"), weights=(50, 30, 20))[0]
    if p.smoking != "never":
        p.pack_years = round(rng.uniform(2, 45), 1)
    mean_height = 176 if p.sex == "male" else 163
    p.height = round(clamp(rng.gauss(mean_height, 7), 140, 205), 1)
    bmi = clamp(rng.gauss(28.5, 5), 18.5, 45)
    p.weight = round(clamp(bmi * (p.height / 100) ** 2, 40, 200), 1)
    if p.age >= 67:
        p.work = "retired"
    else:
        p.work = rng.choices(
            ("working_full_time", "working_part_time", "modified_duties", "off_work_sick", "unemployed", "homemaker"),
            weights=(30, 15, 15, 25, 10, 5))[0]
    p.compensation = rng.choices(("none", "workers_comp", "litigation", "both", "unknown"),
                                 weights=(70, 14, 8, 3, 5))[0]
    p.opioids_before = rng.choices(("no", "yes", "unknown"), weights=(60, 35, 5))[0]
    p.opioids_after = "yes" if p.opioids_before == "yes" or rng.random() < 0.35 else "no"
    p.mdt = rng.choices(("none", "referred", "reviewed", "ongoing"), weights=(40, 25, 25, 10))[0]


def _draw_studies(rng: random.Random, p: Profile, first_visit: date, last_visit: date) -> None:
    index = p.operations[-1].when
    # The key study: at least 6 weeks after the index operation, before the first visit.
    start = max(index + timedelta(weeks=6), p.onset)
    key_date = between(rng, start, first_visit - timedelta(days=3)) if start < first_visit else first_visit
    p.studies = [Dated(key_date, study_row(rng, p, key_date, True))]
    if rng.random() < 0.4:  # an earlier plain film
        day = between(rng, index + timedelta(weeks=6), key_date)
        p.studies.insert(0, Dated(day, study_row(rng, p, day, False)))
    if last_visit > first_visit + timedelta(days=60) and rng.random() < 0.5:  # a repeat study later
        day = between(rng, first_visit + timedelta(days=14), last_visit)
        p.studies.append(Dated(day, study_row(rng, p, day, rng.random() < 0.7)))


def _draw_emg(rng: random.Random, p: Profile, first_visit: date, last_visit: date) -> None:
    if not p.scenario.radicular or rng.random() < 0.4:
        return
    index = p.operations[-1].when
    day = between(rng, max(index + timedelta(weeks=4), first_visit - timedelta(days=365)), last_visit)
    root = ROOT_OF[p.segment]
    active = rng.random() < 0.6
    row: Answers = {"date": day.isoformat(), "test": "emg_ncs", "roots": [root], "side": p.side,
                    "findings": ["active_denervation"] if active else rng.choice((["chronic_changes"], ["normal"]))}
    if active:
        row["denervation_site"] = rng.choice(("limb_myotomal", "limb_proximal_distal"))
    if rng.random() < 0.7:
        row["report"] = f"{root} {'active denervation in limb muscles' if active else 'no active denervation'}."
    p.emg = [Dated(day, row)]


def _draw_blocks(rng: random.Random, p: Profile, first_visit: date, last_visit: date) -> None:
    kind = p.scenario.block
    if kind is None or rng.random() < 0.3:
        return
    positive = rng.random() < p.scenario.block_positive
    index = p.operations[-1].when
    # Most blocks follow the first consultation; some were done before it.
    if last_visit > first_visit and rng.random() < 0.7:
        day = between(rng, first_visit + timedelta(days=7), last_visit)
    else:
        day = between(rng, max(index + timedelta(weeks=12), first_visit - timedelta(days=200)), first_visit)
    series = "first_of_dual" if kind == "mbb" else "single"
    p.blocks = [Dated(day, block_row(rng, p, kind, day, positive, series))]
    if kind == "mbb" and positive and day + timedelta(days=14) <= last_visit:
        second = between(rng, day + timedelta(days=14), last_visit)
        p.blocks.append(Dated(second, block_row(rng, p, kind, second, rng.random() < 0.8, "second_of_dual")))


def _draw_treatments(rng: random.Random, p: Profile, first_visit: date, last_visit: date) -> None:
    onset = p.onset
    out: list[Dated] = []

    def add(category: str, earliest: date, latest: date, **kw: Any) -> None:
        day = between(rng, earliest, latest).replace(day=1)
        day = max(day, earliest.replace(day=1))
        out.append(Dated(day, treatment_row(rng, category, day, **kw)))

    before = first_visit - timedelta(days=14)
    add("physiotherapy", onset, before, name=rng.choice(("Core stability programme", "McKenzie", "Graded exercise")))
    add("medication_nsaid", onset, before, name="Naproxen", dose="500 mg twice daily")
    if p.neuropathic or p.scenario.radicular:
        add("medication_neuropathic", onset, before, name=rng.choice(("Pregabalin", "Gabapentin", "Amitriptyline",
                                                                      "Duloxetine")), dose="Titrated")
    if p.opioids_after == "yes":
        add("medication_opioid", onset, before, name=rng.choice(("Codeine", "Tramadol", "Oxycodone")),
            dose="As needed")
    if p.scenario.radicular and rng.random() < 0.5:
        add("injection_epidural", onset, before, name=f"Transforaminal {ROOT_OF[p.segment]}")
    if p.psych > 0.5 and rng.random() < 0.6:
        add("psychology_cbt", onset, last_visit)
    if rng.random() < 0.2:
        add(rng.choice(("chiropractic", "acupuncture")), onset, before)
    if rng.random() < 0.15:
        add("pain_programme", first_visit, last_visit)
    p.treatments = sorted(out, key=lambda d: d.when)
    if p.mdt in ("reviewed", "ongoing"):
        p.mdt_date = between(rng, onset, first_visit)


def visit_dates(rng: random.Random, count: int, today: date) -> list[date]:
    """``count`` visit dates within the past two years, oldest first (distinct when possible)."""
    if count <= 730:
        offsets = rng.sample(range(1, 731), count)
    else:
        offsets = [rng.randint(1, 730) for _ in range(count)]
    return [today - timedelta(days=d) for d in sorted(offsets, reverse=True)]


def visit_series(rng: random.Random, dates: list[date]) -> list[VisitInfo]:
    """The visits on these dates, the first initial and the rest follow-ups, with the patient's
    trend: a drift in severity drawn once, reached by the last visit (most improve a little)."""
    trend = rng.uniform(-0.35, 0.15)
    last = max(1, len(dates) - 1)
    return [VisitInfo(day, number, "initial" if number == 0 else "follow_up", trend * number / last)
            for number, day in enumerate(dates)]
