"""The CSV export of visits: a zip with visits.csv (one row a visit, one column a checklist field,
then the instrument scores), one CSV per repeat group keyed by visit id and row number (as ODK
exports repeats) and the data dictionary, written as it is streamed.

Memory stays flat whatever the number of visits: the visits are read in batches by id (keyset
paging, no OFFSET), each batch's sections and scores with one query each, as plain rows (no ORM
objects pile up in the session), and the zip is written entry by entry into a sink that hands
its bytes on at once (``zipfile`` writes data descriptors to an unseekable stream). Every repeat
group's file is a pass of its own over the one section that holds it.

Values are written as the visit shows them: option codes (their labels are in the dictionary),
several choices of a multichoice separated by spaces (as ODK does), booleans ``True``/``False``,
integers as integers, scores as on screen (``53.3``), text escaped against spreadsheet formulas.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from flask import current_app

from ..checklist import dictionary
from ..checklist import versions
from ..checklist.instruments import INSTRUMENTS
from ..checklist.instruments.common import fmt
from ..checklist.instruments.phq9 import ITEM9
from ..checklist.instruments.phq9 import ITEMS as PHQ9_ITEMS
from ..checklist.schema import Field
from ..checklist.schema import RepeatGroup
from ..checklist.schema import Section
from ..checklist.visible import visible_answers
from ..extensions import db
from ..models import InstrumentScore
from ..models import Patient
from ..models import SectionStatus
from ..models import User
from ..models import Visit
from ..models import VisitSection
from . import audit
from .csv_cells import csv_chunks
from .csv_cells import escape_text

BATCH = 500
VISIT_HEADER = ("visit_id", "patient_id", "mrn", "visit_date", "visit_type", "status", "clinician",
                "checklist_version", "revision", "completeness_pct")
GROUP_HEADER = ("visit_id", "row")
VisitIds = sa.Select[Any] | Iterable[int]


def record_export(filters: Mapping[str, Any]) -> None:
    """Audit an export with the filter it used (before the first byte is sent)."""
    audit.record("visits_export", "visit", None, {"filter": [None, {k: v for k, v in filters.items() if v}]})


def export_visits_zip(visits: VisitIds) -> Iterator[bytes]:
    """The zip's bytes, in pieces, for these visits: a select of visit ids (or of visits), or ids."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, chunks in _entries(visits):
            with archive.open(name, "w", force_zip64=True) as entry:
                for text in chunks:
                    entry.write(text.encode("utf-8"))
                    yield sink.take()
            yield sink.take()
    yield sink.take()


class _Sink(io.RawIOBase):
    """A write-only, unseekable file: what the zip writes is taken away piece by piece."""

    def __init__(self) -> None:
        super().__init__()
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        out = b"".join(self._parts)
        self._parts.clear()
        return out


def _entries(visits: VisitIds) -> Iterator[tuple[str, Iterable[str]]]:
    yield "visits.csv", csv_chunks((*VISIT_HEADER, *dictionary.export_columns()), _visit_rows(visits))
    for section in _current_sections():
        for group in section.groups():
            header = (*GROUP_HEADER, *(spec.key for spec in group.fields))
            yield dictionary.group_file(section.key, group.key), csv_chunks(header, _group_rows(visits, section, group))
    yield "data_dictionary.csv", [dictionary.as_csv()]


# -- reading in batches ------------------------------------------------------------------------


def _id_batches(visits: VisitIds) -> Iterator[list[int]]:
    """The visit ids in ascending batches of BATCH."""
    if isinstance(visits, sa.Select):
        ids = visits.with_only_columns(Visit.id).scalar_subquery() if _selects_entity(visits) else visits
        last = 0
        while True:
            batch = list(db.session.scalars(
                sa.select(Visit.id).where(Visit.id > last, Visit.id.in_(ids)).order_by(Visit.id).limit(BATCH)))
            if not batch:
                return
            yield batch
            last = batch[-1]
    ordered = sorted({int(visit_id) for visit_id in visits})
    for start in range(0, len(ordered), BATCH):
        yield ordered[start:start + BATCH]


def _selects_entity(stmt: sa.Select[Any]) -> bool:
    return len(stmt.selected_columns) != 1


def _visit_rows(visits: VisitIds) -> Iterator[list[str]]:
    columns = _current_columns()
    for batch in _id_batches(visits):
        heads = db.session.execute(
            sa.select(Visit.id, Visit.patient_id, Patient.mrn, Visit.visit_date, Visit.visit_type, Visit.status,
                      User.username, Visit.checklist_version, Visit.revision, Visit.completeness_pct)
            .join(Patient, Patient.id == Visit.patient_id).join(User, User.id == Visit.clinician_id)
            .where(Visit.id.in_(batch)).order_by(Visit.id)).all()
        sections: dict[int, dict[str, tuple[Any, Any]]] = {}
        for visit_id, key, answers, status in db.session.execute(
                sa.select(VisitSection.visit_id, VisitSection.section_key, VisitSection.answers, VisitSection.status)
                .where(VisitSection.visit_id.in_(batch))):
            sections.setdefault(visit_id, {})[key] = (answers, status)
        scores: dict[int, dict[str, Any]] = {}
        for row in db.session.execute(
                sa.select(InstrumentScore.visit_id, InstrumentScore.instrument, InstrumentScore.score,
                          InstrumentScore.band, InstrumentScore.band_label, InstrumentScore.positive)
                .where(InstrumentScore.visit_id.in_(batch), InstrumentScore.instrument.in_(list(INSTRUMENTS)))):
            scores.setdefault(row.visit_id, {})[row.instrument] = row
        for head in heads:
            answers = _recorded(head.checklist_version, sections.get(head.id, {}))
            cells = [str(head.id), str(head.patient_id), escape_text(head.mrn), head.visit_date.isoformat(),
                     escape_text(head.visit_type), str(head.status),
                     escape_text(head.username), escape_text(head.checklist_version), str(head.revision),
                     str(head.completeness_pct)]
            cells.extend(cell(spec, answers.get(section_key, {}).get(spec.key)) for section_key, spec in columns)
            cells.extend(_score_cells(scores.get(head.id, {}), answers.get("phq9", {})))
            yield cells


def _group_rows(visits: VisitIds, section: Section, group: RepeatGroup) -> Iterator[list[str]]:
    for batch in _id_batches(visits):
        found = db.session.execute(
            sa.select(VisitSection.visit_id, VisitSection.answers, VisitSection.status, Visit.checklist_version)
            .join(Visit, Visit.id == VisitSection.visit_id)
            .where(VisitSection.visit_id.in_(batch), VisitSection.section_key == section.key)
            .order_by(VisitSection.visit_id)).all()
        for row in found:
            answers = _recorded(row.checklist_version, {section.key: (row.answers, row.status)})
            for number, entry in enumerate(answers.get(section.key, {}).get(group.key, []), start=1):
                yield [str(row.visit_id), str(number), *(cell(spec, entry.get(spec.key)) for spec in group.fields)]


# -- values --------------------------------------------------------------------------------------


def _recorded(version: str, rows: Mapping[str, tuple[Any, Any]]) -> dict[str, dict[str, Any]]:
    """The answers as the visit shows them (``services.visits.recorded_answers`` on plain rows)."""
    out: dict[str, dict[str, Any]] = {}
    for section in _sections_of_version(version):
        stored = rows.get(section.key)
        if stored is not None and stored[1] != SectionStatus.NOT_ASSESSED:
            out[section.key] = visible_answers(section, stored[0] or {})
    return out


def cell(spec: Field, value: Any) -> str:
    """One answer as its CSV cell (empty when unanswered)."""
    if value is None or value == "" or value == []:
        return ""
    if spec.type == "boolean":
        return "True" if value is True else "False" if value is False else escape_text(str(value))
    if spec.type in ("integer", "decimal") and isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if spec.type == "multichoice" and isinstance(value, list):
        return escape_text(" ".join(str(item) for item in value))
    return escape_text(str(value))


def _score_cells(scores: Mapping[str, Any], phq9_answers: Mapping[str, Any]) -> list[str]:
    cells: list[str] = []
    for key in INSTRUMENTS:
        row = scores.get(key)
        if row is None:
            cells.extend(["", "", "", ""])
        else:
            cells.extend([
                "" if row.score is None else fmt(row.score), escape_text(row.band or ""),
                escape_text(row.band_label or ""), "" if row.positive is None else str(bool(row.positive)),
            ])
        if key == "phq9":
            cells.append(item9_alert_cell(phq9_answers))
    return cells


def item9_alert_cell(phq9_answers: Mapping[str, Any]) -> str:
    """``True`` when PHQ-9 item 9 is 1 or more (the critical alert), ``False`` at 0, else empty."""
    spec = next(spec for spec in PHQ9_ITEMS if spec.key == ITEM9)
    option = spec.option(str(phq9_answers.get(ITEM9))) if phq9_answers.get(ITEM9) is not None else None
    if option is None or option.score is None:
        return ""
    return str(option.score >= 1)


# -- the checklist, cached -----------------------------------------------------------------------


def _optional() -> tuple[str, ...]:
    return tuple(current_app.config.get("FBSS_OPTIONAL_INSTRUMENTS", ()))


def _sections_of_version(version: str) -> tuple[Section, ...]:
    return _cached_sections(version, _optional())


@lru_cache(maxsize=16)
def _cached_sections(version: str, optional: tuple[str, ...]) -> tuple[Section, ...]:
    try:
        return versions.sections_for(version, optional)
    except versions.UnknownChecklistVersion:
        return versions.sections_for(versions.current_version(), optional)


def _current_sections() -> Sequence[Section]:
    """Every section of the current checklist, optional instruments included (the dictionary's)."""
    return versions.all_sections_for(versions.current_version())


def _current_columns() -> list[tuple[str, Field]]:
    """(section key, field) of each answer column of visits.csv, in the dictionary's order."""
    return [(section.key, spec) for section in _current_sections() for spec in section.fields()]
