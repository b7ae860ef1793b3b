"""services.audit_query: each filter on its own and together, the day bounds, paging; on every
configured database. The events are written here with known times; the expected rows are listed
by hand."""

from __future__ import annotations

from datetime import date

import pytest
from freezegun import freeze_time

from fbss_eval.extensions import db
from fbss_eval.services import audit
from fbss_eval.services.audit_query import AuditFilter
from fbss_eval.services.audit_query import PageOutOfRangeError
from fbss_eval.services.audit_query import search_audit

# (label, when (UTC), action, entity, entity id, username)
EVENTS = [
    ("a", "2026-03-01 00:00:00", "login", "user", 1, "Carl"),
    ("b", "2026-03-01 23:59:59", "create", "patient", 7, "carl"),
    ("c", "2026-03-02 00:00:00", "update", "patient", 7, "ada"),
    ("d", "2026-03-03 12:00:00", "update", "visit", 7, "ada"),
    ("e", "2026-03-04 08:00:00", "export_pdf", "visit", 9, None),
]


@pytest.fixture
def labels(app) -> dict[int, str]:
    ids = {}
    for label, when, action, entity, entity_id, username in EVENTS:
        with freeze_time(when):
            event = audit.record(action, entity, entity_id, username=username)
            db.session.flush()
        ids[event.id] = label
    db.session.commit()
    return ids


def found(labels: dict[int, str], f: AuditFilter, page: int = 1, per_page: int = 50) -> str:
    return "".join(labels[e.id] for e in search_audit(f, page, per_page).events)


@pytest.mark.parametrize(("f", "expected"), [
    (AuditFilter(), "edcba"),  # newest first
    (AuditFilter(user="CARL"), "ba"),  # any case
    (AuditFilter(user="ada", action="update"), "dc"),
    (AuditFilter(action="update", entity="visit"), "d"),
    (AuditFilter(entity="patient", entity_id=7), "cb"),
    (AuditFilter(entity_id=7), "dcb"),
    (AuditFilter(entity_id=2**31), ""),  # beyond an INTEGER id: nothing, not an overflow
    (AuditFilter(since=date(2026, 3, 2)), "edc"),
    (AuditFilter(until=date(2026, 3, 1)), "ba"),  # the whole last day, to 23:59:59
    (AuditFilter(since=date(2026, 3, 2), until=date(2026, 3, 3)), "dc"),
    (AuditFilter(since=date(2026, 3, 5)), ""),
    (AuditFilter(action="nothing"), ""),
])
def test_filters(labels, f: AuditFilter, expected: str) -> None:
    assert found(labels, f) == expected


def test_paging(labels) -> None:
    first, second, third = (search_audit(AuditFilter(), page, 2) for page in (1, 2, 3))
    assert ["".join(labels[e.id] for e in p.events) for p in (first, second, third)] == ["ed", "cb", "a"]
    assert [p.has_next for p in (first, second, third)] == [True, True, False]
    assert search_audit(AuditFilter(), 0, 2).page == 1  # pages count from 1
    with pytest.raises(PageOutOfRangeError):
        search_audit(AuditFilter(), 4, 2)
    with pytest.raises(PageOutOfRangeError):
        search_audit(AuditFilter(), 2**31, 50)  # an offset beyond any INTEGER id
    assert search_audit(AuditFilter(action="nothing"), 1, 2).events == []  # page 1 is never out of range
