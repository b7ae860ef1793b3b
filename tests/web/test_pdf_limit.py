"""The cap on PDF renders at once (fbss_eval/pdf/limit.py): a render takes a slot and gives it
back; with every slot taken a download of a PDF to render gets a 503 with Retry-After at once
(the worker stays free for the section pages) and nothing is audited; a free slot renders."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.pdf.limit import RendersBusyError
from fbss_eval.pdf.limit import render_slot
from fbss_eval.services import visits as visit_service
from tests.web.conftest import make_patient


def test_slots_are_taken_and_given_back(tmp_path):
    with render_slot(2, tmp_path, wait=0):
        with render_slot(2, tmp_path, wait=0):
            with pytest.raises(RendersBusyError), render_slot(2, tmp_path, wait=0):
                pass
        with render_slot(2, tmp_path, wait=0):  # the second slot is free again
            pass
    with render_slot(0, tmp_path, wait=0), render_slot(0, tmp_path, wait=0):  # 0: no cap
        pass


def test_a_waiting_render_gets_the_slot_when_it_frees(tmp_path):
    release = threading.Event()
    taken = threading.Event()

    def holder() -> None:
        with render_slot(1, tmp_path, wait=0):
            taken.set()
            release.wait(5)

    thread = threading.Thread(target=holder)
    thread.start()
    taken.wait(5)
    threading.Timer(0.2, release.set).start()
    with render_slot(1, tmp_path, wait=5):  # waits for the holder, then renders
        pass
    thread.join()


@pytest.fixture
def app_overrides(tmp_path):
    return {"FBSS_PDF_CONCURRENCY": 1, "FBSS_PDF_WAIT": 0.0, "FBSS_PDF_SLOTS_DIR": str(tmp_path)}


def test_a_download_with_every_slot_taken_is_told_to_come_back(app, users, as_clinician, tmp_path):
    patient = make_patient(users.clinician)
    visit = visit_service.start_visit(patient, users.clinician, date(2026, 1, 5), "initial")
    db.session.commit()
    before = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    with render_slot(1, tmp_path, wait=0):  # another worker rendering
        response = as_clinician.get(f"/visits/{visit.id}/pdf")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == before
    response = as_clinician.get(f"/visits/{visit.id}/pdf")  # the slot is free again
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
