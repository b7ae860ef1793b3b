"""The CSV export of visits: a zip with visits.csv (one row a visit, one column a checklist field,
then the instrument scores), one CSV per repeat group keyed by visit id and row number (as ODK
exports repeats) and the data dictionary, written as it is streamed.

Memory stays flat whatever the number of visits: the ids of the visits are read once (a compact
array), then the visits in batches of ids, each batch's visits, sections and scores with one
query each, as plain rows (no ORM objects pile up in the session), and the zip is written entry
by entry into a sink that hands its bytes on at once (``zipfile`` writes data descriptors to an
unseekable stream). Every repeat group's file is a pass of its own over the one section that
holds it (one query a batch). The scores are the stored projections (written at each save from
the visit's one evaluation), never evaluated again here. The cells: ``export_rows``.
"""

from __future__ import annotations

import io
import zipfile
from array import array
from collections.abc import Callable
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
from ..checklist.schema import Field
from ..checklist.schema import RepeatGroup
from ..checklist.schema import Section
from ..extensions import db
from ..models import InstrumentScore
from ..models import Patient
from ..models import SectionStatus
from ..models import User
from ..models import Visit
from ..models import VisitSection
from . import audit
from . import export_rows
from .csv_cells import csv_chunks
from .csv_cells import escape_text

BATCH = 500
VISIT_HEADER = ("visit_id", "patient_id", "mrn", "visit_date", "visit_type", "status", "clinician",
                "checklist_version", "revision", "completeness_pct")
GROUP_HEADER = ("visit_id", "row")
VisitIds = sa.Select[Any] | Iterable[int]
SectionsOf = Callable[[str], Sequence[Section]]


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
    ids = _visit_ids(visits)
    sections_of = _version_sections(_optional())
    layout = export_rows.Layout.of(_current_columns())
    yield "visits.csv", csv_chunks((*VISIT_HEADER, *dictionary.export_columns()),
                                   _visit_rows(ids, layout, sections_of))
    for section in _current_sections():
        for group in section.groups():
            header = (*GROUP_HEADER, *(spec.key for spec in group.fields))
            rows = _group_rows(ids, section, group, sections_of)
            yield dictionary.group_file(section.key, group.key), csv_chunks(header, rows)
    yield "data_dictionary.csv", [dictionary.as_csv()]


# -- reading in batches ------------------------------------------------------------------------


def _visit_ids(visits: VisitIds) -> array[int]:
    """The visit ids, ascending and each once, read with one statement (8 bytes an id: 0.8 MB for
    100,000 visits). Every file of the zip walks this one list, so all of them hold the same
    visits, and the filter's query runs once rather than once a batch of every file."""
    if isinstance(visits, sa.Select):
        inner = (visits.with_only_columns(Visit.id) if _selects_entity(visits) else visits).subquery()
        ordered = sa.select(inner.c[0]).distinct().order_by(inner.c[0])
        ids: array[int] = array("q")
        for part in db.session.scalars(ordered.execution_options(yield_per=BATCH * 10)).partitions():
            ids.extend(part)
        return ids
    return array("q", sorted({int(visit_id) for visit_id in visits}))


def _batches(ids: array[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start:start + BATCH].tolist()


def _selects_entity(stmt: sa.Select[Any]) -> bool:
    return len(stmt.selected_columns) != 1


def _visit_rows(ids: array[int], layout: export_rows.Layout, sections_of: SectionsOf) -> Iterator[list[str]]:
    """visits.csv's rows: three statements a batch (the visits, their sections, their scores)."""
    for batch in _batches(ids):
        heads = db.session.execute(
            sa.select(Visit.id, Visit.patient_id, Patient.mrn, Visit.visit_date, Visit.visit_type, Visit.status,
                      User.username, Visit.checklist_version, Visit.revision, Visit.completeness_pct)
            .join(Patient, Patient.id == Visit.patient_id).join(User, User.id == Visit.clinician_id)
            .where(Visit.id.in_(batch)).order_by(Visit.id)).all()
        sections: dict[int, dict[str, tuple[Any, Any]]] = {}
        for visit_id, key, answers, status in db.session.execute(
                sa.select(VisitSection.visit_id, VisitSection.section_key, VisitSection.answers, VisitSection.status)
                .where(VisitSection.visit_id.in_(batch), VisitSection.status != SectionStatus.NOT_ASSESSED)):
            sections.setdefault(visit_id, {})[key] = (answers, status)
        scores: dict[int, dict[str, Any]] = {}
        for row in db.session.execute(
                sa.select(InstrumentScore.visit_id, InstrumentScore.instrument, InstrumentScore.score,
                          InstrumentScore.band, InstrumentScore.band_label, InstrumentScore.positive)
                .where(InstrumentScore.visit_id.in_(batch), InstrumentScore.instrument.in_(list(INSTRUMENTS)))):
            scores.setdefault(row.visit_id, {})[row.instrument] = row
        for head in heads:
            answers = export_rows.recorded(sections_of(head.checklist_version), sections.get(head.id, {}))
            cells = [str(head.id), str(head.patient_id), escape_text(head.mrn), head.visit_date.isoformat(),
                     escape_text(head.visit_type), str(head.status),
                     escape_text(head.username), escape_text(head.checklist_version), str(head.revision),
                     str(head.completeness_pct)]
            cells.extend(layout.answer_cells(answers))
            cells.extend(export_rows.score_cells(scores.get(head.id, {}), answers.get("phq9", {})))
            yield cells


def _group_rows(ids: array[int], section: Section, group: RepeatGroup,
                sections_of: SectionsOf) -> Iterator[list[str]]:
    """A repeat group's rows: one statement a batch (the batch's rows of the group's section)."""
    writers = [(spec.key, export_rows.writer(spec)) for spec in group.fields]
    for batch in _batches(ids):
        found = db.session.execute(
            sa.select(VisitSection.visit_id, VisitSection.answers, VisitSection.status, Visit.checklist_version)
            .join(Visit, Visit.id == VisitSection.visit_id)
            .where(VisitSection.visit_id.in_(batch), VisitSection.section_key == section.key,
                   VisitSection.status != SectionStatus.NOT_ASSESSED)
            .order_by(VisitSection.visit_id)).all()
        for row in found:
            answers = export_rows.recorded(sections_of(row.checklist_version),
                                           {section.key: (row.answers, row.status)})
            yield from export_rows.group_rows(row.visit_id, answers.get(section.key, {}), group, writers)


# -- the checklist, cached -----------------------------------------------------------------------


def _optional() -> tuple[str, ...]:
    return tuple(current_app.config.get("FBSS_OPTIONAL_INSTRUMENTS", ()))


def _version_sections(optional: tuple[str, ...]) -> SectionsOf:
    """The sections of a checklist version (the current one's for a version not known), looked
    up once a version for this export."""
    known: dict[str, Sequence[Section]] = {}

    def sections_of(version: str) -> Sequence[Section]:
        found = known.get(version)
        if found is None:
            found = known[version] = _cached_sections(version, optional)
        return found
    return sections_of


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
