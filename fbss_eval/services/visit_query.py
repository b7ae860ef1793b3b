"""Finding visits for the admin: a typed filter (``VisitFilter``) turned into one SELECT
(``visit_query``), one page at a time (``search_visits``).

Every condition runs on the visit row, its patient, or the projection tables written with each save
(``instrument_score``, ``finding``, ``alert``, ``visit_section``) as EXISTS subqueries, each served by
an index (models/visit.py): the list costs the same few statements whatever the data, and a page
is one query (its patient and clinician are joined in). The CSV export runs the same select.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import contains_eager

from ..checklist.bands import selected_bands
from ..extensions import db
from ..models import Finding
from ..models import InstrumentScore
from ..models import Patient
from ..models import SectionStatus
from ..models import User
from ..models import Visit
from ..models import VisitAlert
from ..models import VisitSection
from ..models.patient import search_key

# Ids and offsets are INTEGER-sized: a larger number matches nothing (PostgreSQL would overflow).
MAX_INTEGER = 2**31 - 1
# A voided visit (``VisitStatus.VOIDED``) is left out of every list unless asked for.
VOIDED = "voided"
SORTS = {
    "newest": "Newest visit first",
    "oldest": "Oldest visit first",
    "patient": "Patient name",
    "least_complete": "Least complete first",
}
DONE_STATUSES = (SectionStatus.COMPLETE.value, SectionStatus.NOT_ASSESSED.value)
UNSIGNED_STATUSES = ("draft",)


@dataclass(frozen=True)
class VisitFilter:
    """What to look for; None (or False) means any.

    - ``status``: one visit status; ``include_voided``: voided visits too (else never, unless
      ``status`` is "voided");
    - ``clinician_id``; ``date_from`` / ``date_to``: visit dates, both included; ``visit_type``;
    - ``unsigned_days``: drafts whose visit date is more than this many days before ``today``;
    - ``red_flag``: an active red-flag alert (critical); ``alert_unacknowledged``: an active alert
      that must be acknowledged and is not; ``critical_unacknowledged``: such an alert, critical;
    - ``band``: ``instrument:band``, that band or a worse one on a graded scale, that band alone
      for a verdict such as DN4 positive (``checklist/bands.py``);
    - ``category`` / ``likelihood``: a finding of the differential (either alone, or both);
    - ``psps_t2``: the working PSPS-T2 category; ``plan_option``: one option of the plan;
    - ``missing_section``: that section neither complete nor marked not assessed;
    - ``carried_forward``: a section carried forward and not yet confirmed;
    - ``q``: the start of the patient's family or given name (any case; "family given" or
      "given family" for both), or the exact MRN;
    - ``sort``: a key of ``SORTS``.
    """

    status: str | None = None
    include_voided: bool = False
    clinician_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    visit_type: str | None = None
    unsigned_days: int | None = None
    red_flag: bool = False
    alert_unacknowledged: bool = False
    critical_unacknowledged: bool = False
    band: str | None = None
    category: str | None = None
    likelihood: str | None = None
    psps_t2: str | None = None
    plan_option: str | None = None
    missing_section: str | None = None
    carried_forward: bool = False
    q: str | None = None
    sort: str = "newest"
    today: date | None = None


@dataclass(frozen=True)
class VisitPage:
    """One page of visits, whether a next page exists, and the pending alerts of those visits."""

    visits: Sequence[Visit]
    page: int
    has_next: bool
    pending_alerts: dict[int, int]


class PageOutOfRangeError(LookupError):
    """The page asked for lies beyond the last one (or beyond any possible one)."""


def status_text() -> Any:
    """The status column as plain text: compared with "voided", which the enum may not (yet) hold."""
    return sa.type_coerce(Visit.status, sa.String())


def _exists(*conditions: Any) -> sa.Exists:
    return sa.exists().where(*conditions)


class _Unindexed(sa.sql.functions.FunctionElement[int]):
    """A column that SQLite must not look rows up by: ``+visit.id`` (plain elsewhere)."""

    type = sa.Integer()
    inherit_cache = True


@compiles(_Unindexed)
def _plain(element: _Unindexed, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(_Unindexed, "sqlite")
def _plus(element: _Unindexed, compiler: Any, **kw: Any) -> str:
    return "+" + str(compiler.process(element.clauses, **kw))


def _visit_in(visit_id: Any, *conditions: Any) -> Any:
    """The visit's id is among the ``visit_id`` of the rows meeting ``conditions``: one
    uncorrelated subquery, its ids read once from its index. On SQLite the ``+`` keeps the
    list walking its sort order's index, testing each id against those ids (rather than probing
    the projection per visit, or fetching every matching visit and sorting them all); PostgreSQL
    plans it as the semi-join an EXISTS would be."""
    return _Unindexed(Visit.id).in_(sa.select(visit_id).where(*conditions))


def _pending_alert(*extra: Any) -> Any:
    return _visit_in(VisitAlert.visit_id, VisitAlert.active.is_(True), VisitAlert.must_acknowledge.is_(True),
                     VisitAlert.acknowledged_at.is_(None), *extra)


def red_flag_condition() -> Any:
    """An active red-flag alert (the red-flag rules raise them critical)."""
    return _visit_in(VisitAlert.visit_id, VisitAlert.active.is_(True),
                     VisitAlert.kind.like("red\\_flag.%", escape="\\"), VisitAlert.severity == "critical")


def _like_prefix(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def _status_conditions(f: VisitFilter) -> list[Any]:
    out: list[Any] = []
    if f.status:
        out.append(status_text() == f.status)
    if not f.include_voided and f.status != VOIDED:
        out.append(status_text() != VOIDED)
    if f.unsigned_days is not None:
        today = f.today or date.today()
        days = min(max(f.unsigned_days, 0), 36500)
        out.append(Visit.status.in_(UNSIGNED_STATUSES))
        out.append(Visit.visit_date < today - timedelta(days=days))
    return out


def _visit_conditions(f: VisitFilter) -> list[Any]:
    out = _status_conditions(f)
    if f.clinician_id is not None:
        out.append(Visit.clinician_id == f.clinician_id if 0 < f.clinician_id <= MAX_INTEGER else sa.false())
    if f.date_from:
        out.append(Visit.visit_date >= f.date_from)
    if f.date_to:
        out.append(Visit.visit_date <= f.date_to)
    if f.visit_type:
        out.append(Visit.visit_type == f.visit_type)
    if f.q:
        out.append(_name_or_mrn(f.q))
    return out


def _starts_with(column: Any, key: str) -> Any:
    """``column`` starts with ``key``: a range of code points (an index range on the keys' "C" /
    BINARY collation), or LIKE when no code point follows the key's last."""
    last = ord(key[-1]) + 1
    if 0xD800 <= last < 0xE000:
        last = 0xE000  # past the surrogates, which no string holds
    if last > 0x10FFFF:
        return column.like(_like_prefix(key), escape="\\")
    return sa.and_(column >= key, column < key[:-1] + chr(last))


def _name_or_mrn(q: str) -> Any:
    """The start of the family name (or "family given"), of the given name (or "given family"),
    in any case; or the exact MRN."""
    key = search_key(q)
    if not key:
        return Patient.mrn == q
    return sa.or_(_starts_with(Patient.search_name, key), _starts_with(Patient.search_given, key),
                  Patient.mrn == q)


def _projection_conditions(f: VisitFilter) -> list[Any]:
    out: list[Any] = []
    if f.red_flag:
        out.append(red_flag_condition())
    if f.alert_unacknowledged:
        out.append(_pending_alert())
    if f.critical_unacknowledged:
        out.append(_pending_alert(VisitAlert.severity == "critical"))
    if f.band:
        wanted = selected_bands(f.band)
        out.append(sa.false() if wanted is None else _visit_in(
            InstrumentScore.visit_id, InstrumentScore.instrument == wanted[0], InstrumentScore.band.in_(wanted[1])))
    if f.category or f.likelihood:
        finding = []
        if f.category:
            finding.append(Finding.category == f.category)
        if f.likelihood:
            finding.append(Finding.likelihood == f.likelihood)
        out.append(_visit_in(Finding.visit_id, *finding))
    in_section = (VisitSection.visit_id == Visit.id, VisitSection.status != SectionStatus.NOT_ASSESSED.value)
    if f.psps_t2:
        out.append(_exists(*in_section, VisitSection.section_key == "differential",
                           VisitSection.answers["psps_t2_category"].as_string() == f.psps_t2))
    if f.plan_option:
        # A multiple choice is a JSON list of option values (slugs, no quotes): its JSON text
        # holds the value in quotes exactly when the list does, on SQLite and PostgreSQL alike.
        text = sa.cast(VisitSection.answers["options"], sa.Text)
        out.append(_exists(*in_section, VisitSection.section_key == "plan",
                           text.like(f'%"{_like_prefix(f.plan_option)[:-1]}"%', escape="\\")))
    if f.missing_section:
        out.append(~_exists(VisitSection.visit_id == Visit.id, VisitSection.section_key == f.missing_section,
                            VisitSection.status.in_(DONE_STATUSES)))
    if f.carried_forward:
        out.append(_visit_in(VisitSection.visit_id, VisitSection.carried_forward_from.is_not(None)))
    return out


def _order(f: VisitFilter) -> list[Any]:
    # Each order but the patient's runs down one index of the visit table (models/visit.py).
    if f.sort == "oldest":
        return [Visit.visit_date.asc(), Visit.id.asc()]
    if f.sort == "patient":
        return [Patient.family_name.asc(), Patient.given_name.asc(), Visit.visit_date.asc(), Visit.id.asc()]
    if f.sort == "least_complete":
        return [Visit.completeness_pct.asc(), Visit.visit_date.asc(), Visit.id.asc()]
    return [Visit.visit_date.desc(), Visit.id.desc()]


def _needs_patient(f: VisitFilter) -> bool:
    return bool(f.q) or f.sort == "patient"


def visit_ids_query(f: VisitFilter) -> sa.Select[int]:
    """The ids of the visits matching ``f``, in its sort order; the patient is joined only when
    the search or the sort needs it (so a page deep in the list walks an index of ids)."""
    stmt = sa.select(Visit.id)
    if f.sort == "patient":
        # SQLite would read every visit, look its patient up and sort them all: with no lookup of
        # a patient by id it walks the patients in name order instead (ix_patient_names), each
        # one's visits by date (ix_visit_patient_date), and sorts only same-named patients' visits.
        stmt = stmt.join(Patient, _Unindexed(Patient.id) == Visit.patient_id)
    elif _needs_patient(f):
        stmt = stmt.join(Patient, Patient.id == Visit.patient_id)
    return stmt.where(*_visit_conditions(f), *_projection_conditions(f)).order_by(*_order(f))


def visit_query(f: VisitFilter) -> sa.Select[Visit]:
    """The SELECT of the visits matching ``f``, in its sort order (its patient and clinician
    joined in): what the CSV export streams."""
    conditions = _visit_conditions(f) + _projection_conditions(f)
    # The patient is joined explicitly (for the name search and sort); contains_eager reuses that
    # join for ``visit.patient`` instead of the relationship's own second one.
    stmt = (sa.select(Visit).join(Visit.patient).options(contains_eager(Visit.patient))
            .where(*conditions).order_by(*_order(f)))
    return stmt


def visit_count(f: VisitFilter) -> int:
    """How many visits match ``f`` (one statement)."""
    stmt = sa.select(sa.func.count()).select_from(visit_ids_query(f).order_by(None).subquery())
    return int(db.session.scalar(stmt) or 0)


def search_visits(f: VisitFilter, page: int, per_page: int) -> VisitPage:
    """Page ``page`` (from 1) of the visits matching ``f``, and the pending-alert counts of those
    visits: three statements whatever the data (the page's ids; those visits with their patient
    and clinician; their alerts). Raises ``PageOutOfRangeError`` past the last page (page 1 is
    never out of range)."""
    page = max(1, page)
    if (page - 1) * per_page > MAX_INTEGER:
        raise PageOutOfRangeError(page)
    ids = list(db.session.scalars(visit_ids_query(f).limit(per_page + 1).offset((page - 1) * per_page)))
    if page > 1 and not ids:
        raise PageOutOfRangeError(page)
    ids, has_next = ids[:per_page], len(ids) > per_page
    if not ids:
        return VisitPage([], page, False, {})
    by_id = {visit.id: visit for visit in db.session.scalars(sa.select(Visit).where(Visit.id.in_(ids)))}
    counts = db.session.execute(
        sa.select(VisitAlert.visit_id, sa.func.count()).where(
            VisitAlert.visit_id.in_(ids), VisitAlert.active.is_(True),
            VisitAlert.must_acknowledge.is_(True), VisitAlert.acknowledged_at.is_(None),
        ).group_by(VisitAlert.visit_id)
    ).all()
    pending = {int(visit_id): int(n) for visit_id, n in counts}
    return VisitPage([by_id[i] for i in ids if i in by_id], page, has_next, pending)


def clinicians() -> list[tuple[int, str]]:
    """Every user who may hold visits, as ``(id, full name)`` for the clinician filter (one query)."""
    rows = db.session.execute(sa.select(User.id, User.full_name).order_by(User.full_name, User.id)).all()
    return [(int(user_id), str(name)) for user_id, name in rows]
