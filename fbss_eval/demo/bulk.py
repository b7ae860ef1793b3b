"""Writing demo visits in bulk: the rows ``services.visits`` would store, computed in Python and
inserted in batches (``executemany``; ``COPY`` on PostgreSQL), ~100x faster than one ORM save per
visit, so 100,000 visits take minutes.

What is stored is what a clinician's saves store: every section's answers validated by the
checklist (``clean_answers``, as ``save_sections`` does), the section status and counts, the
instrument scores, findings and alerts from the one evaluation of the visit (``evaluate`` on the
recorded answers, as ``recompute`` does), acknowledgements, and the same audit rows (visit
created with its carried-forward sections, one row per changed section, one per acknowledged
alert), linked into the audit hash chain in id order under the chain lock (``models.audit``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Any

import sqlalchemy as sa

from ..checklist.categories import PAIN_GENERATORS
from ..checklist.evaluate import Evaluation
from ..checklist.evaluate import evaluate
from ..checklist.schema import Section
from ..checklist.validate import clean_answers
from ..checklist.versions import current_version
from ..checklist.visible import visible_answers
from ..models import AuditEvent
from ..models import Finding
from ..models import InstrumentScore
from ..models import User
from ..models import Visit
from ..models import VisitAlert
from ..models import VisitSection
from ..models.audit import HASHED_FIELDS
from ..models.audit import chain_hash
from ..models.audit import last_chain_hash
from ..models.base import now_utc
from ..services.audit import command_operator
from ..services.visits import CARRY_FORWARD
from ..services.visits import scoring_settings
from .fit import fit

SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}

def _table(model: type[Any]) -> sa.Table:
    table = model.__table__
    if not isinstance(table, sa.Table):
        raise TypeError(model)
    return table


VISIT, SECTION, SCORE, FINDING, ALERT, AUDIT = (
    _table(model) for model in (Visit, VisitSection, InstrumentScore, Finding, VisitAlert, AuditEvent))
# The order rows are inserted in (parents first); audit last.
TABLES = (VISIT, SECTION, SCORE, FINDING, ALERT, AUDIT)


def validated(section: Section, generated: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """The answers as ``save_sections`` stores them (``clean_answers`` without errors), and whether
    anything the checklist refuses had to be left out first (``fit``)."""
    clean, errors = clean_answers(section, generated)
    if not errors:
        return clean, False
    clean, errors = clean_answers(section, fit(section, dict(generated)))
    if errors:
        raise ValueError(f"answers do not fit section {section.key}: {sorted(errors)}")
    return clean, True


class IdSource:
    """Primary keys handed out in ascending order, so rows can name their parents before insert and
    the audit chain's order (the id order) is the order the rows were made in.

    PostgreSQL: taken from the column's sequence (``nextval``), so later ORM inserts continue after
    them. SQLite: after the largest id, inside the write transaction that holds the database lock."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"
        self._next: dict[str, int] = {}

    def take(self, table: sa.Table, n: int) -> list[int]:
        """``n`` fresh ids of ``table``, ascending."""
        if n <= 0:
            return []
        if self.postgres:
            ids = self.connection.execute(
                sa.text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
                {"table": table.name, "n": n}).scalars().all()
            return sorted(int(i) for i in ids)
        if table.name not in self._next:
            top = self.connection.execute(sa.select(sa.func.max(table.c.id))).scalar()
            self._next[table.name] = (top or 0) + 1
        start = self._next[table.name]
        self._next[table.name] = start + n
        return list(range(start, start + n))


@dataclass
class BulkWriter:
    """Row buffers per table, written every ``batch`` visits."""

    connection: sa.Connection
    author: User
    batch: int = 500
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    pending_audit: list[dict[str, Any]] = field(default_factory=list)
    visits_buffered: int = 0
    prev_hash: str | None = None

    def __post_init__(self) -> None:
        self.ids = IdSource(self.connection)
        self.operator = command_operator()
        self.rows = {table.name: [] for table in TABLES}

    def add(self, table: sa.Table, row: dict[str, Any]) -> None:
        """Buffer one row (its id given, or taken at flush)."""
        self.rows[table.name].append(row)

    def audit(self, action: str, visit_id: int, changes: Mapping[str, Any]) -> None:
        """Buffer one audit row of the visit (``services.audit.record``'s content), by the author."""
        self.pending_audit.append({
            "at": now_utc(), "user_id": self.author.id, "username": self.author.username,
            "operator": self.operator, "action": action, "entity": "visit", "entity_id": visit_id,
            # JSON values (answers as stored), as the database returns them (as models.audit._link_into_chain)
            "changes": json.loads(json.dumps(changes)) if changes else None,
            "remote_addr": None,
        })

    def visit_done(self) -> None:
        """Count a visit; write the buffers when a batch is full."""
        self.visits_buffered += 1
        if self.visits_buffered >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Insert every buffered row, parents first; the audit rows linked into the chain."""
        self._chain_audit()
        for table in TABLES:
            rows = self.rows[table.name]
            if not rows:
                continue
            missing = [row for row in rows if "id" not in row]
            for row, new_id in zip(missing, self.ids.take(table, len(missing)), strict=True):
                row["id"] = new_id
            insert_rows(self.connection, table, rows)
            self.rows[table.name] = []
        self.visits_buffered = 0

    def _chain_audit(self) -> None:
        if not self.pending_audit:
            return
        if self.prev_hash is None:  # takes the chain lock (PostgreSQL) for the rest of the transaction
            self.prev_hash = last_chain_hash(self.connection)
        table = AUDIT
        for row, new_id in zip(self.pending_audit, self.ids.take(table, len(self.pending_audit)), strict=True):
            row["id"] = new_id
            row["prev_hash"] = self.prev_hash
            row["row_hash"] = self.prev_hash = chain_hash({name: row[name] for name in HASHED_FIELDS}, self.prev_hash)
            self.rows[table.name].append(row)
        self.pending_audit = []


def insert_rows(connection: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """One batch into ``table``: COPY on PostgreSQL (psycopg), else one ``executemany`` of the
    driver with the values converted by the columns' own types (what an ORM insert stores),
    without SQLAlchemy compiling every parameter set."""
    columns = list(rows[0])
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        _copy_rows(connection, table, columns, rows)
        return
    dialect = connection.dialect
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]
    preparer = dialect.identifier_preparer
    names = ", ".join(preparer.quote(name) for name in columns)
    marks = ", ".join("?" * len(columns))
    statement = f"INSERT INTO {preparer.format_table(table)} ({names}) VALUES ({marks})"  # noqa: S608  # nosec B608
    pairs = list(zip(columns, processors, strict=True))
    values = [tuple(row[name] if process is None else process(row[name]) for name, process in pairs) for row in rows]
    connection.exec_driver_sql(statement, values)


def _copy_rows(connection: sa.Connection, table: sa.Table, columns: list[str], rows: Sequence[dict[str, Any]]) -> None:
    json_columns = {c.name for c in table.columns if isinstance(c.type, sa.JSON)}
    names = ", ".join(f'"{name}"' for name in columns)
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:  # our own table and column names
        for row in rows:
            copy.write_row([_copy_value(row[name], name in json_columns) for name in columns])


def _copy_value(value: Any, is_json: bool) -> Any:
    if is_json:
        return None if value is None else json.dumps(value, ensure_ascii=False)
    return value


@dataclass(frozen=True)
class PlannedVisit:
    """One generated visit: who, when, and its answers by section (before validation)."""

    patient_id: int
    visit_date: date
    visit_type: str
    generated: Mapping[str, Mapping[str, Any]]
    acknowledge: bool  # an older, handled visit: its pending alerts are acknowledged
    birth_date: date | None = None  # the patient's: the age on the visit date is computed from it


def write_visit(writer: BulkWriter, plan: PlannedVisit, sections: tuple[Section, ...],
                previous: Mapping[str, dict[str, Any]] | None, ack_actions: Mapping[str, str],
                drifted: set[str]) -> dict[str, dict[str, Any]]:
    """Buffer the rows of one visit; returns its stored answers by section (the next visit of the
    patient carries its history forward from them)."""
    visit_id = writer.ids.take(VISIT, 1)[0]
    now = now_utc()
    author = writer.author.id
    stored: dict[str, dict[str, Any]] = {}
    for section in sections:
        clean, was_fitted = validated(section, plan.generated.get(section.key, {}))
        if was_fitted:
            drifted.add(section.key)
        stored[section.key] = clean
    visit_date = date.fromisoformat(stored["visit"]["visit_date"]) if stored.get("visit", {}).get(
        "visit_date") else plan.visit_date
    visit_type = stored.get("visit", {}).get("visit_type") or plan.visit_type
    recorded = {section.key: visible_answers(section, stored[section.key]) for section in sections}
    evaluation = evaluate(recorded, sections, scoring_settings(), today=visit_date, birth_date=plan.birth_date)

    # What start_visit records: the visit, its header, the history carried forward.
    carried = {key: dict(answers) for key, answers in (previous or {}).items()
               if key in CARRY_FORWARD and answers and key in stored}
    writer.audit("create", visit_id, {
        "patient_id": [None, plan.patient_id], "visit_date": [None, plan.visit_date.isoformat()],
        "visit_type": [None, plan.visit_type], "carried_forward": [None, sorted(carried)]})
    before_of = {"visit": {"visit_date": plan.visit_date.isoformat(), "visit_type": plan.visit_type}, **carried}

    required = required_done = 0
    for section in sections:
        progress = evaluation.progress[section.key]
        writer.add(SECTION, {
            "visit_id": visit_id, "section_key": section.key, "answers": stored[section.key],
            "status": progress.status, "n_answered": progress.answered, "n_required": progress.required,
            "not_assessed_reason": None, "carried_forward_from": None, "rev": 1,
            "updated_by_id": author, "updated_at": now})
        if section.required:
            required += 1
            required_done += progress.status == "complete"
        changes = _changes(section.key, before_of.get(section.key, {}), stored[section.key])
        if changes:
            writer.audit("update", visit_id, changes)
    writer.add(VISIT, {
        "id": visit_id, "patient_id": plan.patient_id, "clinician_id": author, "visit_date": visit_date,
        "visit_type": visit_type, "status": "draft", "checklist_version": current_version(), "revision": 0,
        "version_id": 1, "created_at": now, "updated_at": now,
        "completeness_pct": round(100 * required_done / required) if required else 100})
    _projections(writer, visit_id, evaluation, stored.get("differential", {}), now)
    _alerts(writer, visit_id, evaluation, plan.acknowledge, ack_actions, now)
    writer.visit_done()
    return stored


def _changes(key: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``services.audit.diff`` of two sets of stored answers, prefixed by the section key. Stored
    answers are JSON values already (``jsonable`` would return them unchanged): compared as they are."""
    return {f"{key}.{name}": [old.get(name), new.get(name)]
            for name in sorted(old.keys() | new.keys()) if old.get(name) != new.get(name)}


def _projections(writer: BulkWriter, visit_id: int, evaluation: Evaluation, differential: Mapping[str, Any],
                 now: Any) -> None:
    for key, result in {**evaluation.results, **evaluation.nrs}.items():
        writer.add(SCORE, {
            "visit_id": visit_id, "instrument": key, "score": result.score, "band": result.band,
            "band_label": result.band_label, "positive": result.positive, "n_answered": result.n_answered,
            "n_items": result.n_items, "subscores": dict(result.subscores) or None,
            "notes": list(result.notes) or None})
    for category in PAIN_GENERATORS:
        likelihood = differential.get(f"lh_{category.value}")
        if likelihood and likelihood != "not_assessed":
            writer.add(FINDING, {"visit_id": visit_id, "category": category.value,
                                           "likelihood": likelihood})


def _alerts(writer: BulkWriter, visit_id: int, evaluation: Evaluation, acknowledge: bool,
            ack_actions: Mapping[str, str], now: Any) -> None:
    pending = [a.kind for a in evaluation.alerts if a.must_acknowledge]
    acknowledged = acknowledge and bool(pending)
    order = sorted(evaluation.alerts, key=lambda a: (SEVERITY_ORDER.get(a.severity, 3), a.kind))
    for alert in order:
        ack = acknowledged and alert.must_acknowledge
        action = ack_actions.get(alert.kind, DEFAULT_ACK_ACTION) if ack else None
        writer.add(ALERT, {
            "visit_id": visit_id, "kind": alert.kind, "severity": str(alert.severity), "message": alert.message,
            "evidence": list(alert.evidence), "advice": alert.action, "must_acknowledge": alert.must_acknowledge,
            "active": True, "raised_at": now, "acknowledged_by_id": writer.author.id if ack else None,
            "acknowledged_at": now if ack else None, "action_taken": action})
        if ack:
            writer.audit("acknowledge_alert", visit_id, {alert.kind: [None, action]})


DEFAULT_ACK_ACTION = "Reviewed with the patient; action recorded in the notes."
