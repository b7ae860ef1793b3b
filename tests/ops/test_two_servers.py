"""Several app servers over one database (issue 13, item 5): the app keeps no state in process.

Two gunicorn servers on two ports share the database and one Redis for the per-address login
limiter. One browser talks to both, as behind a load balancer without sticky sessions: a login on
one is valid on the other, a logout on one ends the session on both, the limiter counts the
attempts made on both, and of two saves from the same page (one on each server) the first is
applied (200) and the stale one refused (409). Runs on SQLite (one file, WAL) and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from datetime import timedelta

import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import VisitSection
from fbss_eval.services import visits as visit_service
from tests.conftest import PASSWORD
from tests.servers import Browser
from tests.servers import gunicorn_server
from tests.servers import redis_server
from tests.web.conftest import make_patient
from tests.web.visits_support import page_form

LIMIT = 3  # login attempts a minute per (address, username); the per-user throttle allows 5


@pytest.fixture
def servers(app, users, db_url, tmp_path) -> Iterator[tuple[str, str]]:
    db.session.commit()
    with ExitStack() as stack:
        redis_url = stack.enter_context(redis_server(tmp_path))
        env = {"FBSS_CONFIG": "development", "DATABASE_URL": db_url, "SECRET_KEY": "two-servers-one-secret-key",
               "RATELIMIT_STORAGE_URI": redis_url, "FBSS_LOGIN_RATE": f"{LIMIT} per minute"}
        first = stack.enter_context(gunicorn_server(env, tmp_path / "first.log"))
        second = stack.enter_context(gunicorn_server(env, tmp_path / "second.log"))
        yield first, second


def test_a_login_on_one_server_is_valid_on_the_other_and_a_logout_ends_it_on_both(servers):
    first, second = servers
    browser = Browser()
    assert browser.login(first, "carl", PASSWORD).status == 302
    assert browser.get(f"{second}/").status == 200  # the session row is in the shared database
    token = browser.csrf(f"{second}/")
    assert browser.post(f"{second}/logout", {"csrf_token": token}).status == 302
    for base in (first, second):
        ended = browser.get(f"{base}/")
        assert ended.status == 302
        assert "/login" in (ended.location or "")


def test_the_login_limiter_counts_the_attempts_made_on_both_servers(servers):
    first, second = servers
    browser = Browser()
    for attempt in range(LIMIT):
        base = (first, second)[attempt % 2]
        assert browser.login(base, "olga", f"wrong {attempt}").status == 200  # refused, not limited
    assert browser.login(second, "olga", PASSWORD).status == 429
    assert browser.login(first, "olga", PASSWORD).status == 429
    # Another user from the same address is not affected.
    assert Browser().login(first, "carl", PASSWORD).status == 302


def test_a_save_on_one_server_and_a_stale_save_on_the_other_give_200_and_409(servers, users):
    first, second = servers
    patient = make_patient(users.clinician)
    visit = visit_service.start_visit(patient, users.clinician, date.today() - timedelta(days=1), "initial")
    db.session.commit()
    browser = Browser()
    assert browser.login(first, "carl", PASSWORD).status == 302
    page = browser.get(f"{first}/visits/{visit.id}/sections/visit")
    assert page.status == 200
    form = page_form(page.page())
    autosave = f"/visits/{visit.id}/sections/visit/autosave"

    mine = dict(form.items(multi=False))
    mine["chief_complaint"] = "Saved through the first server"
    assert browser.post(f"{first}{autosave}", mine).status == 200
    stale = dict(form.items(multi=False))  # the same page, open in a second tab
    stale["chief_complaint"] = "Typed on the old page, sent to the second server"
    refused = browser.post(f"{second}{autosave}", stale)
    assert refused.status == 409, refused.text[:500]

    db.session.commit()  # end the test's read transaction: see what the servers wrote
    row = db.session.scalar(sa.select(VisitSection).where(
        VisitSection.visit_id == visit.id, VisitSection.section_key == "visit"))
    assert row is not None
    assert row.rev == 1
    assert row.answers["chief_complaint"] == "Saved through the first server"


def test_each_server_freezes_its_start_up_heap_once_the_app_is_loaded(servers, tmp_path):
    """gunicorn.conf.py's worker hook (fbss_eval/heap.py): WeasyPrint imported, the heap frozen."""
    for base, log in zip(servers, ("first.log", "second.log"), strict=True):
        assert Browser().get(f"{base}/healthz").status == 200  # the worker is up, its hook has run
        text = (tmp_path / log).read_text()
        frozen = [line for line in text.splitlines() if "start-up objects frozen" in line]
        assert len(frozen) == 1, text
        count = int(frozen[0].split(": ")[-1].split()[0])
        assert count > 50_000, frozen[0]  # the app, its libraries and WeasyPrint
