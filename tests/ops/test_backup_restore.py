"""Backups that restore (issue 13, item 6), run as an operator would run them.

A database holds signed visits (one signed, amended and signed again) while a clinician keeps saving
a draft. The backup is taken during those saves: on SQLite with ``flask backup`` (SQLite's online
backup API), on PostgreSQL with ``pg_dump --format=custom`` (the README's recipe). It is restored
into a fresh database (a copied file; ``pg_restore`` into a new database), and there, run as
separate processes: ``flask verify-visit`` finds every signed revision intact, ``flask
verify-audit`` finds the audit chain intact, and the draft holds one of the saves the clinician made.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from fbss_eval import create_app
from fbss_eval.extensions import db
from fbss_eval.models import User
from fbss_eval.services import signing
from fbss_eval.services import visits as visit_service
from tests.conftest import PASSWORD
from tests.conftest import IsolatedClient
from tests.conftest import login
from tests.pdf.builders import make_patient
from tests.web.signing_support import VISIT_DATE
from tests.web.signing_support import fake_pdfs  # noqa: F401  # a fixture
from tests.web.signing_support import ready_visit
from tests.web.visits_support import page_form

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.usefixtures("fake_pdfs")


def flask(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``flask --app fbss_eval ARGS`` in its own process against ``database_url``."""
    env = {**os.environ, "DATABASE_URL": database_url, "FBSS_CONFIG": "development"}
    return subprocess.run(  # noqa: S603  # our own interpreter and arguments
        [sys.executable, "-m", "flask", "--app", "fbss_eval", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def libpq(url: str) -> str:
    """A SQLAlchemy URL as the libpq URI that pg_dump and pg_restore take."""
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class Saver(threading.Thread):
    """A clinician saving a draft section again and again through the app (its own app instance,
    its own connections) until told to stop; remembers every text it saved."""

    def __init__(self, db_url: str, visit_id: int) -> None:
        super().__init__(daemon=True)
        self.app = create_app("testing", SQLALCHEMY_DATABASE_URI=db_url)
        self.app.test_client_class = IsolatedClient
        self.visit_id = visit_id
        self.saved: list[str] = []
        self.failures: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        client = self.app.test_client()
        login(client, "carl")
        url = f"/visits/{self.visit_id}/sections/visit"
        data = page_form(client.get(url))
        count = 0
        while not self.stop.is_set():
            count += 1
            data["chief_complaint"] = f"Save number {count}"
            response = client.post(f"{url}/autosave", data=data)
            if response.status_code != 200:
                self.failures.append(f"{response.status_code}: {response.get_data(as_text=True)[:200]}")
                return
            answer = response.get_json()
            data["_rev"], data["_base"] = str(answer["rev"]), answer["base"]
            self.saved.append(data["chief_complaint"])
        with self.app.app_context():
            db.engine.dispose()


@pytest.fixture
def signed_record(app, users) -> tuple[list[int], int]:
    """Two signed visits (the second signed, amended and signed again) and a draft; their ids. The
    stored PDFs are stand-ins (what is backed up is bytes and their hashes; WeasyPrint's PDFs are
    tested elsewhere)."""
    clinician = db.session.get(User, users.clinician.id)
    first = ready_visit(users.clinician, mrn="BACKUP-1")
    signing.sign(first, clinician, PASSWORD, "authored")
    second = ready_visit(users.clinician, mrn="BACKUP-2")
    signing.sign(second, clinician, PASSWORD, "authored")
    db.session.commit()
    signing.amend(second, clinician, "Imaging report arrived after signing")
    db.session.commit()
    signing.sign(second, clinician, PASSWORD, "authored")
    draft = visit_service.start_visit(make_patient(users.clinician, mrn="BACKUP-3"), users.clinician,
                                      VISIT_DATE, "initial")
    db.session.commit()
    return [first.id, second.id], draft.id


def _backup_during_saves(db_url: str, draft_id: int, take_backup) -> Saver:  # type: ignore[no-untyped-def]
    saver = Saver(db_url, draft_id)
    saver.start()
    while not saver.saved and not saver.failures and saver.is_alive():
        threading.Event().wait(0.05)
    before = len(saver.saved)
    try:
        take_backup()
    finally:
        saver.stop.set()
        saver.join(timeout=60)
    assert not saver.failures, saver.failures
    assert len(saver.saved) > before, "no save ran while the backup was taken"
    return saver


def _check_restored(url: str, signed_ids: list[int], draft_id: int, saver: Saver) -> None:
    for visit_id in signed_ids:
        result = flask(url, "verify-visit", str(visit_id))
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"visit {visit_id}: intact" in result.stdout
    assert "revision(s)" in result.stdout
    audit = flask(url, "verify-audit")
    assert audit.returncode == 0, audit.stdout + audit.stderr
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            restored_text = conn.execute(sa.text(
                "SELECT answers FROM visit_section WHERE visit_id = :v AND section_key = 'visit'"),
                {"v": draft_id}).scalar_one()
    finally:
        engine.dispose()
    answers = json.loads(restored_text) if isinstance(restored_text, str) else restored_text
    assert answers["chief_complaint"] in saver.saved


def test_a_backup_taken_during_saves_restores_with_every_signature_intact(
        app, users, database, db_url, signed_record, tmp_path):
    signed_ids, draft_id = signed_record
    if database.kind == "sqlite":
        _sqlite_backup_and_restore(db_url, signed_ids, draft_id, tmp_path)
    else:
        _postgresql_dump_and_restore(database.admin_url, db_url, signed_ids, draft_id, tmp_path)


def _sqlite_backup_and_restore(db_url: str, signed_ids: list[int], draft_id: int, tmp_path: Path) -> None:
    backup = tmp_path / "backups" / "fbss.sqlite"

    def take_backup() -> None:
        result = flask(db_url, "backup", "--output", str(backup))
        assert result.returncode == 0, result.stdout + result.stderr

    saver = _backup_during_saves(db_url, draft_id, take_backup)
    restored = tmp_path / "restored" / "fbss.sqlite"
    restored.parent.mkdir()
    shutil.copyfile(backup, restored)  # the README's restore: the app stopped, the file put in place
    _check_restored(f"sqlite:///{restored}", signed_ids, draft_id, saver)


def _postgresql_dump_and_restore(admin_url: str, db_url: str, signed_ids: list[int], draft_id: int,
                                 tmp_path: Path) -> None:
    source = sa.make_url(admin_url)
    dump = tmp_path / "fbss.dump"

    def take_backup() -> None:
        result = subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", libpq(admin_url)],  # noqa: S607
                                capture_output=True, text=True, timeout=300, check=False)
        assert result.returncode == 0, result.stderr

    saver = _backup_during_saves(db_url, draft_id, take_backup)
    name = f"{source.database}_restored"
    server = sa.create_engine(source.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        target = source.set(database=name).render_as_string(hide_password=False)
        result = subprocess.run(["pg_restore", "--exit-on-error", f"--dbname={libpq(target)}", str(dump)],  # noqa: S607
                                capture_output=True, text=True, timeout=300, check=False)
        assert result.returncode == 0, result.stderr
        _check_restored(target, signed_ids, draft_id, saver)
    finally:
        with server.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()
