"""The shape of an instrument: its items as checklist fields plus a pure scoring function."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..schema import Answers
from ..schema import Field
from ..schema import Option
from ..schema import Result
from ..schema import Section
from ..settings import DEFAULT_SETTINGS
from ..settings import ScoringSettings

Scorer = Callable[[Answers, ScoringSettings], Result]


@dataclass(frozen=True)
class Instrument:
    """A validated instrument.

    ``items`` are the scored questions, captured with short neutral labels (licensed item text
    stays out of the repository). ``extra_fields`` are unscored context fields shown before the
    items (e.g. whether the DN4 examination was done, the TSK version). ``source`` is the citation
    shown beside the score; ``licence`` the licence note; ``unverified`` lists the rules that the
    reference could not verify and that the UI flags.
    """

    key: str
    name: str
    short_name: str
    version: str
    source: str
    licence: str
    items: tuple[Field, ...]
    scorer: Scorer
    extra_fields: tuple[Field, ...] = ()
    optional: bool = False
    unverified: tuple[str, ...] = ()
    description: str | None = None

    def score(self, answers: Answers, settings: ScoringSettings = DEFAULT_SETTINGS) -> Result:
        """Score these answers (a mapping of field key to stored value)."""
        return self.scorer(answers, settings)

    def section(self) -> Section:
        """The workup section that captures this instrument."""
        return Section(
            key=self.key,
            title=self.name,
            items=self.extra_fields + self.items,
            required=not self.optional,
            description=self.description,
            group="Instruments",
            instrument=self.key,
            optional=self.optional,
        )


def scale(*labels: str, start: int = 0) -> tuple[Option, ...]:
    """Options scored start, start+1, ... with the given labels; values are the scores as str."""
    return tuple(Option(str(start + i), label, start + i) for i, label in enumerate(labels))


YES_NO: tuple[Option, ...] = (Option("1", "Yes", 1), Option("0", "No", 0))


def item_scores(items: tuple[Field, ...], answers: Answers) -> dict[str, int | float | None]:
    """Map each item key to its numeric score (None when unanswered or not an option)."""
    out: dict[str, int | float | None] = {}
    for item in items:
        value = answers.get(item.key)
        opt = item.option(str(value)) if value not in (None, "") else None
        out[item.key] = opt.score if opt is not None else None
    return out
