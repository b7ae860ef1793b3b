"""After an idle logout, a section posted with the session gone comes back after logging in again,
and saves, with Flask-WTF's CSRF protection switched on (off in the rest of the suite): no false
"The CSRF token is missing", nothing typed lost, and the page's revision kept (no silent overwrite
of a save made meanwhile)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
from freezegun import freeze_time

from fbss_eval.models.base import now_utc
from tests.conftest import PASSWORD
from tests.web.conftest import csrf_token
from tests.web.conftest import input_value
from tests.web.conftest import soup
from tests.web.visits_support import page_form
from tests.web.visits_support import section_url
from tests.web.visits_support import stored
from tests.web.visits_support import visible_text


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True, "SESSION_IDLE_TIMEOUT": timedelta(minutes=15)}


def log_in(client, next_path=None):
    token = csrf_token(client.get("/login"))
    url = f"/login?next={next_path}" if next_path else "/login"
    response = client.post(url, data={"username": "carl", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, visible_text(response)[:300]
    return response


def start(client, patient_id):
    page = client.get(f"/patients/{patient_id}/visits/new")
    response = client.post(f"/patients/{patient_id}/visits/new", data={
        "visit_date": (now_utc().date() - timedelta(days=1)).isoformat(), "visit_type": "initial",
        "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    return int(response.location.split("/visits/")[1].split("/")[0])


def test_typing_posted_after_an_idle_logout_is_saved_after_logging_in_again(client, users, patient):
    with freeze_time(now_utc()) as clock:
        log_in(client)
        visit_id = start(client, patient.id)
        url = section_url(visit_id, "visit")
        typed = page_form(client.get(url))
        typed["chief_complaint"], typed["back_nrs_now"] = "Typed before the break", "6"
        clock.tick(timedelta(minutes=20))
        response = client.post(url, data=typed)
        assert urlsplit(response.location).path == "/login"
        next_path = parse_qs(urlsplit(response.location).query)["next"][0]
        assert next_path == url
        assert "chief_complaint" not in stored(visit_id, "visit")

        back = log_in(client, next_path)
        assert back.location == url
        page = client.get(url)
        text = visible_text(page)
        assert "CSRF" not in text
        assert "There is a problem" not in text
        assert "before your session ended" in text
        form = soup(page)
        assert form.find("textarea", attrs={"name": "chief_complaint"}).get_text().strip() == "Typed before the break"
        assert input_value(form, "back_nrs_now") == "6"
        assert page_form(page)["_rev"] == typed["_rev"]  # the revision the typing was made on

        saved = client.post(url, data=dict(page_form(page), _action="save"))
        assert saved.status_code == 302, visible_text(saved)[:300]
    assert stored(visit_id, "visit")["chief_complaint"] == "Typed before the break"
    assert stored(visit_id, "visit")["back_nrs_now"] == 6


def test_autosave_sends_its_csrf_token_in_the_header(client, users, patient):
    log_in(client)
    visit_id = start(client, patient.id)
    page = client.get(section_url(visit_id, "visit"))
    data = page_form(page)
    token = data.pop("csrf_token")
    data["chief_complaint"] = "Autosaved"
    url = f"/visits/{visit_id}/sections/visit/autosave"
    assert client.post(url, data=data).status_code == 400  # no token at all
    assert "chief_complaint" not in stored(visit_id, "visit")
    response = client.post(url, data=data, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert stored(visit_id, "visit")["chief_complaint"] == "Autosaved"
