"""Small helpers shared by the instrument modules (item builders, banding, result shortcuts)."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from ..schema import Alert
from ..schema import Answers
from ..schema import EnableWhen
from ..schema import Field
from ..schema import Option
from ..schema import Result
from ..settings import ScoringSettings
from .base import item_scores

Number = int | float | Fraction

# (upper bound inclusive, band key, band label); the last row's bound may be None (= no limit).
BandTable = Sequence[tuple[Number | None, str, str]]


@dataclass(frozen=True)
class BandSet:
    """Every band a scorer that is not driven by a ``BandTable`` can report, for the admin's band
    filter (``checklist/bands.py``); the scorer takes its band keys and labels from here.

    ``bands``: ``(key, label)`` mildest first. ``graded``: ordered severity bands (the filter asks
    for a band or any worse one); otherwise separate verdicts (the filter asks for exactly one).
    ``criteria``: each band's rule in words under the settings in force (same order as ``bands``).
    ``settings``: the ``ScoringSettings`` its boundaries come from; one the reference could not
    verify marks the bands as resting on an unverified threshold.
    """

    bands: tuple[tuple[str, str], ...]
    graded: bool
    criteria: Callable[[ScoringSettings], tuple[str, ...]]
    settings: tuple[str, ...] = ()

    def band(self, key: str) -> tuple[str, str]:
        """The ``(key, label)`` of one band (``KeyError`` for a key not in the set)."""
        return key, dict(self.bands)[key]


def item(
    key: str,
    label: str,
    options: tuple[Option, ...],
    *,
    required: bool = True,
    hint: str | None = None,
    enable_when: tuple[EnableWhen, ...] = (),
) -> Field:
    """A scored choice item (the options carry the scores)."""
    return Field(
        key=key,
        label=label,
        type="choice",
        options=options,
        required=required,
        hint=hint,
        enable_when=enable_when,
    )


def numbered_items(prefix: str, labels: Sequence[str], options: tuple[Option, ...]) -> tuple[Field, ...]:
    """Required choice items ``{prefix}_1`` .. ``{prefix}_n`` sharing one set of options."""
    return tuple(item(f"{prefix}_{number}", label, options) for number, label in enumerate(labels, start=1))


def scores_of(items: Sequence[Field], answers: Answers) -> dict[str, int | float | None]:
    """Item key -> score; unanswered and invalid (not an option) values are None."""
    return item_scores(tuple(items), answers)


def answered(scores: Mapping[str, int | float | None]) -> dict[str, int | float]:
    """Only the answered items of a ``scores_of`` mapping."""
    return {key: value for key, value in scores.items() if value is not None}


def total(scores: Mapping[str, int | float | None], keys: Sequence[str]) -> int | float | None:
    """Sum of the given items, or None when any of them is unanswered."""
    values = [scores[key] for key in keys]
    if any(value is None for value in values):
        return None
    return sum(value for value in values if value is not None)


def band_upper(score: Number, table: BandTable) -> tuple[str, str]:
    """The first band whose inclusive upper bound is >= score (None bound = catch-all)."""
    for upper, key, label in table:
        if upper is None or score <= upper:
            return key, label
    raise ValueError(f"score {score!r} is above every band")


def band_lower(score: Number, table: Sequence[tuple[Number, str, str]]) -> tuple[str, str]:
    """The band with the highest inclusive lower bound <= score (table in ascending order)."""
    chosen: tuple[str, str] | None = None
    for lower, key, label in table:
        if score >= lower:
            chosen = (key, label)
    if chosen is None:
        raise ValueError(f"score {score!r} is below every band")
    return chosen


def not_scored(
    instrument: str,
    reason: str,
    *,
    n_answered: int,
    n_items: int,
    subscores: Mapping[str, float | None] | None = None,
    notes: Sequence[str] = (),
    alerts: Sequence[Alert] = (),
    band: tuple[str, str] | None = None,
    positive: bool | None = None,
) -> Result:
    """A result with no score; ``reason`` is the first note. A screen may still give a band (and a
    positive / negative verdict) from part of its items, e.g. the DN4 interview without the
    examination."""
    return _result(instrument, None, n_answered, n_items, band, subscores, (reason, *notes), alerts, positive)


def scored(
    instrument: str,
    score: float,
    *,
    n_answered: int,
    n_items: int,
    band: tuple[str, str] | None = None,
    subscores: Mapping[str, float | None] | None = None,
    notes: Sequence[str] = (),
    alerts: Sequence[Alert] = (),
    positive: bool | None = None,
) -> Result:
    """A scored result; ``band`` is ``(key, label)`` as ``band_upper`` / ``band_lower`` return it."""
    return _result(instrument, score, n_answered, n_items, band, subscores, notes, alerts, positive)


def _result(
    instrument: str,
    score: float | None,
    n_answered: int,
    n_items: int,
    band: tuple[str, str] | None,
    subscores: Mapping[str, float | None] | None,
    notes: Sequence[str],
    alerts: Sequence[Alert],
    positive: bool | None,
) -> Result:
    return Result(
        instrument=instrument,
        score=score,
        band=band[0] if band else None,
        band_label=band[1] if band else None,
        n_answered=n_answered,
        n_items=n_items,
        subscores=dict(subscores or {}),
        alerts=tuple(alerts),
        notes=tuple(notes),
        positive=positive,
    )


def missing_reason(n_missing: int, allowed: int, what: str = "item") -> str:
    """'2 items missing; at most 1 allowed (configurable)'-style explanation."""
    noun = what if n_missing == 1 else f"{what}s"
    if allowed <= 0:
        return f"{n_missing} {noun} missing; all {what}s are needed for a score"
    return f"{n_missing} {noun} missing; at most {allowed} allowed (configurable)"


def all_needed_reason(n_missing: int, what: str = "item") -> str:
    """'1 item missing; all items are needed for a score'-style explanation."""
    return missing_reason(n_missing, 0, what)


def fmt(number: float | int) -> str:
    """A number for a note: integers without decimals, others to one decimal."""
    if float(number).is_integer():
        return str(int(number))
    return f"{number:.1f}"
