"""A patient's scores across their visits, for the trend on the patient page: read from the
stored projections (``instrument_score``, rewritten with every save), voided visits left out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from ..extensions import db
from ..models import InstrumentScore
from ..models import Visit
from ..models import VisitStatus


@dataclass(frozen=True)
class VisitScores:
    """One visit's scores, by key (an instrument, or an NRS field such as ``back_nrs_now``)."""

    visit_id: int
    visit_date: date
    scores: dict[str, float | None]


def patient_scores(patient_id: int, keys: Sequence[str]) -> list[VisitScores]:
    """The patient's visits in force (not voided) that recorded any of ``keys``, oldest first
    (by date, then by id), with those scores (two queries)."""
    visits = db.session.execute(
        sa.select(Visit.id, Visit.visit_date)
        .where(Visit.patient_id == patient_id, Visit.status != VisitStatus.VOIDED)
        .order_by(Visit.visit_date, Visit.id)
    ).all()
    if not visits:
        return []
    scores: dict[int, dict[str, float | None]] = {}
    for visit_id, key, score in db.session.execute(
        sa.select(InstrumentScore.visit_id, InstrumentScore.instrument, InstrumentScore.score).where(
            InstrumentScore.visit_id.in_([v.id for v in visits]), InstrumentScore.instrument.in_(list(keys)),
            InstrumentScore.score.is_not(None))
    ):
        scores.setdefault(visit_id, {})[key] = score
    return [VisitScores(v.id, v.visit_date, {k: scores[v.id].get(k) for k in keys})
            for v in visits if v.id in scores]
