"""Server-side sessions: revocation, renewal at login, idle and absolute timeouts, and the form
that survives an expired session."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from fbss_eval.extensions import db
from fbss_eval.models import Patient
from fbss_eval.models import UserSession
from fbss_eval.models.base import now_utc
from tests.conftest import PASSWORD
from tests.conftest import login
from tests.web.conftest import input_value
from tests.web.conftest import page_text
from tests.web.conftest import patient_form
from tests.web.conftest import soup

COOKIE = "fbss_session"


def cookie_value(client) -> str:
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None, "no session cookie"
    return cookie.value


def session_data(app, value: str) -> dict:
    return dict(app.session_interface.get_signing_serializer(app).loads(value))


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and urlsplit(response.location).path == "/login"


def session_count(user_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(UserSession.id)).where(UserSession.user_id == user_id))


# --- revocation -------------------------------------------------------------------------------


def test_a_cookie_replayed_after_logout_gets_nothing(app, client, users, patient):
    login(client, "carl")
    assert client.get(f"/patients/{patient.id}").status_code == 200
    captured = cookie_value(client)
    assert client.post("/logout").status_code == 302

    attacker = app.test_client()
    attacker.set_cookie(COOKIE, captured)
    response = attacker.get(f"/patients/{patient.id}")
    assert is_login_redirect(response)
    body = response.get_data(as_text=True)
    assert "Doe" not in body
    assert "MRN-0001" not in body
    follow = attacker.get(f"/patients/{patient.id}", follow_redirects=True)
    assert "DOE" not in follow.get_data(as_text=True)
    assert "MRN-0001" not in follow.get_data(as_text=True)
    assert session_count(users.clinician.id) == 0


def test_logout_clears_the_cookie_and_ends_the_server_session(client, users):
    login(client, "carl")
    assert session_count(users.clinician.id) == 1
    client.post("/logout")
    assert session_count(users.clinician.id) == 0
    assert is_login_redirect(client.get("/"))


def test_the_cookie_carries_only_a_random_session_id(app, client, users):
    login(client, "carl")
    data = session_data(app, cookie_value(client))
    assert set(data) == {"sid"}
    assert len(data["sid"]) >= 32
    assert str(users.clinician.id) != data["sid"]


def test_a_new_session_id_is_issued_at_login(app, client, users):
    # Session fixation: an attacker plants a cookie with a session id of their choosing.
    serializer = app.session_interface.get_signing_serializer(app)
    planted = serializer.dumps({"sid": "attacker-chosen-session-id"})
    client.set_cookie(COOKIE, planted)
    assert is_login_redirect(client.get("/"))
    login(client, "carl")
    after = cookie_value(client)
    assert after != planted
    assert session_data(app, after)["sid"] != "attacker-chosen-session-id"

    second = app.test_client()
    login(second, "carl")
    assert session_data(app, cookie_value(second))["sid"] != session_data(app, after)["sid"]


# --- timeouts ---------------------------------------------------------------------------------


def test_idle_timeout_is_enforced_on_the_server(client, users):
    with freeze_time(now_utc()) as clock:
        login(client, "carl")
        clock.tick(timedelta(minutes=14))
        assert client.get("/").status_code == 200
        clock.tick(timedelta(minutes=14))  # 28 min after login, 14 after the last request
        assert client.get("/").status_code == 200
        clock.tick(timedelta(minutes=16))
        response = client.get("/patients/new")
        # (inside the frozen clock: the signed cookie would look as if it came from the future)
        login_page = page_text(client.get("/login"))
    assert is_login_redirect(response)
    assert parse_qs(urlsplit(response.location).query)["next"] == ["/patients/new"]
    assert session_count(users.clinician.id) == 0
    assert "inactivity" in login_page


@pytest.mark.parametrize("app_overrides", [{"SESSION_IDLE_TIMEOUT": timedelta(minutes=5)}])
def test_the_idle_timeout_is_configurable(client, users):
    with freeze_time(now_utc()) as clock:
        login(client, "carl")
        clock.tick(timedelta(minutes=4))
        assert client.get("/").status_code == 200
        clock.tick(timedelta(minutes=6))
        assert is_login_redirect(client.get("/"))


def test_absolute_timeout_of_12_hours_even_when_active(client, users):
    with freeze_time(now_utc()) as clock:
        login(client, "carl")
        for _ in range(51):  # a request every 14 minutes: 11 h 54 min
            clock.tick(timedelta(minutes=14))
            assert client.get("/").status_code == 200
        clock.tick(timedelta(minutes=5))  # 11 h 59 min
        assert client.get("/").status_code == 200
        clock.tick(timedelta(minutes=2))  # 12 h 01 min, 2 min after the last request
        assert is_login_redirect(client.get("/"))


# --- ending the sessions of a user -------------------------------------------------------------


def test_a_password_change_ends_the_users_other_sessions_only(app, users):
    here, elsewhere, colleague = app.test_client(), app.test_client(), app.test_client()
    login(here, "carl")
    login(elsewhere, "carl")
    login(colleague, "olga")
    new_password = "a brand new passphrase 42"
    response = here.post(
        "/account/password", data={"current": PASSWORD, "new": new_password, "confirm": new_password}
    )
    assert response.status_code == 302
    assert session_count(users.clinician.id) == 1  # the other one ended at once
    assert session_count(users.other.id) == 1
    assert here.get("/").status_code == 200  # this session restarts
    assert is_login_redirect(elsewhere.get("/"))
    assert colleague.get("/").status_code == 200


def test_admin_deactivation_ends_the_users_sessions(app, users):
    carl, admin = app.test_client(), app.test_client()
    login(carl, "carl")
    login(admin, "ada")
    response = admin.post(
        f"/admin/users/{users.clinician.id}",
        data={"username": "carl", "full_name": "Dr Carl Clinician", "role": "clinician", "password": "",
              "version_id": "1"},
    )  # "active" unticked
    assert response.status_code == 302
    assert session_count(users.clinician.id) == 0  # ended at once, not at carl's next request
    assert is_login_redirect(carl.get("/"))
    assert carl.post("/login", data={"username": "carl", "password": PASSWORD}).status_code == 200


# --- the form that survives an expired session ----------------------------------------------------


def test_a_form_posted_after_idle_expiry_is_offered_back_after_login(app, client, users):
    typed = patient_form(mrn="KEEP-77", family_name="Ó Briain", given_name="Siobhán", birth_date="1961-02-03")
    with freeze_time(now_utc()) as clock:
        login(client, "carl")
        assert client.get("/patients/new").status_code == 200
        clock.tick(timedelta(minutes=20))
        response = client.post("/patients/new", data=typed)
        assert is_login_redirect(response)
        next_path = parse_qs(urlsplit(response.location).query)["next"][0]
        assert next_path == "/patients/new"
        assert db.session.scalar(sa.select(sa.func.count(Patient.id))) == 0  # nothing saved

        # Another user logging in on the same path does not see it.
        other = app.test_client()
        login(other, "olga")
        assert input_value(soup(other.get("/patients/new")), "mrn") in (None, "")

        response = client.post(f"/login?next={next_path}", data={"username": "carl", "password": PASSWORD})
        assert response.status_code == 302
        assert response.location == "/patients/new"
        page = soup(client.get("/patients/new"))
        second_visit = soup(client.get("/patients/new"))
    for name, value in typed.items():
        assert input_value(page, name) == value, name
    assert "before your session ended" in " ".join(page.get_text(" ").split())
    # Offered once: a second visit shows an empty form.
    assert input_value(second_visit, "mrn") in (None, "")
