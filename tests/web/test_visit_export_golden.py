"""The CSV zip's bytes for a fixed set of visits: seeded demo visits (every section, repeat groups,
scores), the hand-made visit of test_visit_export (formula text, repeat groups), a visit of the
older released checklist version, one of a version the app does not know, and a voided visit
(left out unless asked for). The expected files in tests/web/golden_export were written by the
export before its speed-up and read by eye; regenerate them only for an intended change:

    FBSS_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -n 0 tests/web/test_visit_export_golden.py

and read the diff. The data dictionary is the checklist's (tests/unit covers it), not compared here.
"""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import Patient
from fbss_eval.models import Visit
from fbss_eval.services.voiding import void_visit
from tests.conftest import login
from tests.web.test_visit_export import make_visit

GOLDEN = Path(__file__).with_name("golden_export")
UPDATE = os.environ.get("FBSS_UPDATE_GOLDEN") == "1"


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "data_dictionary.csv"}


@pytest.fixture
def visits(app: Any, runner: Any, users: Any) -> None:
    result = runner.invoke(args=["seed-demo", "--patients", "3", "--visits", "9", "--seed", "13",
                                 "--today", "2026-11-30"])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    patient = db.session.scalars(sa.select(Patient).order_by(Patient.id)).first()
    make_visit(users, patient, when=date(2026, 11, 29))
    demo = db.session.scalars(sa.select(Visit.id).order_by(Visit.id)).all()
    db.session.execute(sa.update(Visit).where(Visit.id == demo[1]).values(checklist_version="2026.11.1"))
    db.session.execute(sa.update(Visit).where(Visit.id == demo[2]).values(checklist_version="1999.1.1"))
    void_visit(db.session.get(Visit, demo[3]), users.admin, "Started for the wrong patient")
    db.session.commit()


@pytest.mark.parametrize(("name", "query"), [("all", {}), ("with_voided", {"include_voided": "y"})])
def test_the_export_is_byte_for_byte_the_golden_one(client, visits, name, query):
    login(client, "ada")
    response = client.get("/admin/visits/export.zip", query_string=query)
    assert response.status_code == 200
    got = entries(response.get_data())
    folder = GOLDEN / name
    if UPDATE:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.csv"):
            old.unlink()
        for entry, data in got.items():
            (folder / entry).write_bytes(data)
    expected = {path.name: path.read_bytes() for path in sorted(folder.glob("*.csv"))}
    assert sorted(got) == sorted(expected)
    for entry, data in expected.items():
        assert got[entry] == data, entry
