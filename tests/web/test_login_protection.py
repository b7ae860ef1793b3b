"""Login protection: per-user throttle (not global), account lock and unlock, argon2id hashing with
rehash on login, and no open redirect after login."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from freezegun import freeze_time

from fbss_eval.extensions import db
from fbss_eval.models import LoginAttempt
from fbss_eval.models import User
from fbss_eval.models.base import now_utc
from fbss_eval.services.auth import LOGIN_FAILED_MESSAGE
from fbss_eval.services.auth import THROTTLED_MESSAGE
from tests.conftest import PASSWORD
from tests.conftest import login
from tests.web.conftest import login_response
from tests.web.conftest import page_text

WRONG = "not the password at all"


def fail(client, username, times):
    for _ in range(times):
        response = login_response(client, username, WRONG)
        assert response.status_code == 200
        assert LOGIN_FAILED_MESSAGE in page_text(response) or THROTTLED_MESSAGE in page_text(response)


def refused_with(response, message):
    return response.status_code == 200 and message in page_text(response)


LOCKED = "This account is locked after repeated failed logins, until "


def locked(response):
    """Refused with the lock's own message (shown to whoever typed the right password)."""
    return refused_with(response, LOCKED) and LOGIN_FAILED_MESSAGE not in page_text(response)


def user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


# --- throttle -----------------------------------------------------------------------------------


def test_five_failures_in_a_minute_throttle_even_the_right_password(client, users):
    with freeze_time(now_utc()) as clock:
        fail(client, "carl", 5)
        assert refused_with(login_response(client, "carl"), THROTTLED_MESSAGE)
        assert client.get("/").status_code == 302  # not logged in
        clock.tick(timedelta(seconds=61))
        assert login_response(client, "carl").status_code == 302  # the throttle is over


def test_four_failures_do_not_throttle(client, users):
    fail(client, "carl", 4)
    assert login_response(client, "carl").status_code == 302


def test_the_throttle_counts_the_username_case_insensitively(client, users):
    fail(client, "CARL", 3)
    fail(client, " carl", 2)
    assert refused_with(login_response(client, "carl"), THROTTLED_MESSAGE)


def test_the_throttle_is_not_global(app, users):
    attacker = app.test_client()
    fail(attacker, "carl", 6)
    assert refused_with(login_response(attacker, "carl"), THROTTLED_MESSAGE)
    # Meanwhile another clinician logs in at once.
    colleague = app.test_client()
    assert login_response(colleague, "olga").status_code == 302
    assert colleague.get("/").status_code == 200


def test_failures_for_an_unknown_username_do_not_affect_real_users(app, users):
    attacker = app.test_client()
    fail(attacker, "nobody-here", 8)
    assert refused_with(login_response(attacker, "nobody-here", "whatever"), THROTTLED_MESSAGE)
    for username in ("carl", "olga", "ada"):
        assert login_response(app.test_client(), username).status_code == 302, username


def test_an_unknown_user_and_a_wrong_password_get_the_same_message(client, users):
    unknown = page_text(login_response(client, "nobody-here", WRONG))
    wrong = page_text(login_response(client, "carl", WRONG))
    assert LOGIN_FAILED_MESSAGE in unknown
    assert LOGIN_FAILED_MESSAGE in wrong


# --- account lock ---------------------------------------------------------------------------------


def lock_carl(client, clock):
    """Ten failures in two batches, the clock moved past the throttle window in between."""
    fail(client, "carl", 5)
    clock.tick(timedelta(seconds=61))
    fail(client, "carl", 5)
    clock.tick(timedelta(seconds=61))  # the throttle is over; only the lock remains


def test_ten_failures_lock_the_account_until_the_lock_expires(client, users, app):
    with freeze_time(now_utc()) as clock:
        lock_carl(client, clock)
        carl = user("carl")
        assert carl.failed_logins == 10
        assert carl.is_locked(now_utc())
        assert locked(login_response(client, "carl"))
        assert refused_with(login_response(client, "carl", WRONG), LOGIN_FAILED_MESSAGE)  # a guess learns nothing
        clock.tick(app.config["LOGIN_LOCK_DURATION"] - timedelta(minutes=2))
        assert locked(login_response(client, "carl"))  # still locked
        clock.tick(timedelta(minutes=3))
        assert login_response(client, "carl").status_code == 302
    carl = user("carl")
    assert carl.failed_logins == 0
    assert carl.locked_until is None


@pytest.mark.parametrize("app_overrides", [{"LOGIN_LOCK_DURATION": timedelta(minutes=3)}])
def test_the_lock_duration_is_configurable(client, users):
    with freeze_time(now_utc()) as clock:
        lock_carl(client, clock)
        assert locked(login_response(client, "carl"))
        clock.tick(timedelta(minutes=3))
        assert login_response(client, "carl").status_code == 302


def test_a_lock_is_per_account(app, users):
    with freeze_time(now_utc()) as clock:
        lock_carl(app.test_client(), clock)
        assert login_response(app.test_client(), "olga").status_code == 302


def test_an_admin_can_unlock_an_account(app, users):
    carl = app.test_client()
    with freeze_time(now_utc()) as clock:
        lock_carl(carl, clock)
        assert locked(login_response(carl, "carl"))
        clock.tick(timedelta(seconds=61))
        admin = app.test_client()
        login(admin, "ada")
        assert "locked until" in page_text(admin.get("/admin/users"))
        response = admin.post(f"/admin/users/{users.clinician.id}/unlock")
        assert response.status_code == 302
        assert login_response(carl, "carl").status_code == 302
    assert user("carl").locked_until is None


def test_after_an_unlock_the_user_logs_in_at_once(app, users):
    """The unlock also ends the per-account throttle: no minute's wait after the admin's click."""
    carl = app.test_client()
    with freeze_time(now_utc()) as clock:
        fail(carl, "carl", 5)
        clock.tick(timedelta(seconds=61))
        fail(carl, "carl", 5)  # locked, and throttled for the next minute
        assert refused_with(login_response(carl, "carl"), THROTTLED_MESSAGE)
        admin = app.test_client()
        login(admin, "ada")
        assert admin.post(f"/admin/users/{users.clinician.id}/unlock").status_code == 302
        response = login_response(carl, "carl")
        assert response.status_code == 302
        assert carl.get("/").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt)
                             .where(LoginAttempt.username == "carl")) == 0


def test_the_throttle_and_the_lock_say_which_they_are(app, users):
    with freeze_time("2026-03-04 10:00:00") as clock:
        client = app.test_client()
        fail(client, "carl", 5)
        throttled = page_text(login_response(client, "carl"))
        assert "Too many failed logins for this account in the last minute." in throttled
        assert "locked" not in throttled
        clock.tick(timedelta(seconds=61))
        fail(client, "carl", 5)  # the 10th failure locks for 30 minutes from 10:01:01
        clock.tick(timedelta(seconds=61))
        lock = page_text(login_response(client, "carl"))
        assert "This account is locked after repeated failed logins, until 2026-03-04 10:31 UTC." in lock
        assert "last minute" not in lock


def test_a_clinician_cannot_unlock(app, users):
    with freeze_time(now_utc()) as clock:
        lock_carl(app.test_client(), clock)
        olga = app.test_client()
        login(olga, "olga")
        assert olga.post(f"/admin/users/{users.clinician.id}/unlock").status_code == 403
        assert user("carl").is_locked(now_utc())


# --- hashing ------------------------------------------------------------------------------------


def test_passwords_are_stored_as_argon2id(users):
    for account in (users.admin, users.clinician, users.other):
        assert account.password_hash.startswith("$argon2id$")
        assert PASSWORD not in account.password_hash


def test_the_hash_is_upgraded_at_login_when_the_parameters_change(client, users):
    old = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1).hash(PASSWORD)
    carl = user("carl")
    carl.password_hash = old
    db.session.commit()
    assert "m=2048,t=2,p=1" in old
    login(client, "carl")
    new = user("carl").password_hash
    assert new != old
    assert new.startswith("$argon2id$")
    assert "m=2048,t=2,p=1" not in new
    assert not PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).check_needs_rehash(new)
    client.post("/logout")
    login(client, "carl")  # the new hash verifies the same password


def test_a_current_hash_is_left_alone_at_login(client, users):
    before = user("carl").password_hash
    login(client, "carl")
    assert user("carl").password_hash == before


# --- redirect after login ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "https://evil.example", "https://evil.example/patients", "//evil.example/x",
     "/\\evil.example", "\\\\evil.example", "https:evil.example", "javascript:alert(1)", "/\t/evil.example"],
)
def test_no_open_redirect_after_login(client, users, target):
    response = client.post("/login", query_string={"next": target},
                           data={"username": "carl", "password": PASSWORD})
    assert response.status_code == 302
    location = urlsplit(response.location)
    assert location.netloc in ("", "localhost")
    assert location.path == "/"


def test_a_local_next_path_is_followed(client, users, patient):
    response = client.post("/login", query_string={"next": f"/patients/{patient.id}?tab=x"},
                           data={"username": "carl", "password": PASSWORD})
    assert response.status_code == 302
    assert response.location == f"/patients/{patient.id}?tab=x"
