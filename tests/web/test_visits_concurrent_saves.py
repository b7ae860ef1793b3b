"""Several writers on one visit at once, over HTTP, on SQLite (a file database in WAL mode) and on
PostgreSQL: two threads save the same section (one with Save, one through the autosave endpoint),
two others each their own section.

Every save is either applied (302, or 200 for an autosave) or refused as a conflict (409): never a
500, never "database is locked". Saves of different sections never conflict. No update is lost: the applied saves of a
section form one chain (each was made on the revision the one before it produced), the audit trail
holds every applied value in that order, and the stored answers are those of the last one.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import pytest

from fbss_eval.services.visits import section_rows
from tests.conftest import login
from tests.web.visits_support import audit_rows
from tests.web.visits_support import days_ago
from tests.web.visits_support import section_url
from tests.web.visits_support import start_visit
from tests.web.visits_support import stored

ROUNDS = 10
# (thread name, section, text field); two threads share red_flags, "b" autosaves.
AUTOSAVER = "b"
WRITERS = [
    ("a", "red_flags", "rf_notes"),
    ("b", "red_flags", "rf_notes"),
    ("c", "examination", "exam_notes"),
    ("d", "psychosocial", "notes"),
]
REV = re.compile(r'name="_rev" value="(-?\d+)"')
BASE = re.compile(r'name="_base" value="([^"]*)"')
APPLIED = (200, 302)


@dataclass(frozen=True)
class Save:
    writer: str
    section: str
    value: str
    rev: int  # the revision the page showed when the save was made
    status: int
    locked: bool  # "database is locked" anywhere in the answer


def _writer(app, name: str, section: str, field: str, visit_id: int, out: list[Save],
            barrier: threading.Barrier, errors: list[BaseException]) -> None:
    try:
        client = app.test_client()
        login(client, "carl")
        barrier.wait()
        for number in range(ROUNDS):
            page = client.get(section_url(visit_id, section))
            assert page.status_code == 200, page.status_code
            html = page.get_data(as_text=True)
            found, base = REV.search(html), BASE.search(html)
            assert found, "no _rev on the page"
            assert base, "no _base on the page"
            rev = int(found.group(1))
            value = f"{name}{number}"
            url = section_url(visit_id, section) + ("/autosave" if name == AUTOSAVER else "")
            response = client.post(url, data={field: value, "_rev": str(rev), "_base": base.group(1),
                                              "_action": "save"})
            body = response.get_data(as_text=True)
            out.append(Save(name, section, value, rev, response.status_code, "database is locked" in body))
    except BaseException as exc:  # reported by the test, not lost in the thread
        errors.append(exc)


@pytest.fixture
def visit_id(as_clinician, patient) -> int:
    return start_visit(as_clinician, patient.id, days_ago(1))


def test_concurrent_saves_of_one_visit_are_applied_or_refused_and_none_is_lost(app, visit_id, database):
    saves: list[Save] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(WRITERS))
    threads = [
        threading.Thread(target=_writer, args=(app, name, section, field, visit_id, saves, barrier, errors))
        for name, section, field in WRITERS
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    assert len(saves) == ROUNDS * len(WRITERS)

    counts = {name: {"applied": 0, "conflict": 0} for name, _, _ in WRITERS}
    for save in saves:
        counts[save.writer]["applied" if save.status in APPLIED else "conflict"] += 1
    print(f"\n{database.kind}: {len(saves)} saves, per writer {counts}")  # noqa: T201 - the counts, with -s

    assert all(save.status in (200 if save.writer == AUTOSAVER else 302, 409) for save in saves), \
        sorted({s.status for s in saves})
    assert not any(save.locked for save in saves)
    # Writers alone on their section never conflict, whatever the others do on the visit.
    assert counts["c"] == counts["d"] == {"applied": ROUNDS, "conflict": 0}

    rows = section_rows(_visit(visit_id), fresh=True)
    for section, field in {(s, f) for _, s, f in WRITERS}:
        applied = sorted((s for s in saves if s.section == section and s.status in APPLIED), key=lambda s: s.rev)
        # One chain: each applied save was made on the revision the previous one produced.
        assert [s.rev for s in applied] == list(range(len(applied))), section
        assert rows[section].rev == len(applied)
        assert stored(visit_id, section) == {field: applied[-1].value}
        # The audit trail holds every applied value, in order, each replacing the one before.
        trail = [e.changes[f"{section}.{field}"] for e in audit_rows(visit_id)
                 if e.action in ("update", "autosave") and f"{section}.{field}" in (e.changes or {})]
        assert [new for _old, new in trail] == [s.value for s in applied], section
        assert [old for old, _new in trail] == [None] + [s.value for s in applied[:-1]], section


def _visit(visit_id: int):
    from fbss_eval.extensions import db
    from fbss_eval.models import Visit

    db.session.expire_all()
    return db.session.get(Visit, visit_id)
