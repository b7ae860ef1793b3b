"""A refused login takes as long whatever the reason (issue 11, fault 6): an unknown user, a wrong
password, a locked, an inactive or a throttled account all verify one argon2 hash, so the time of
the answer does not tell an attacker which accounts exist, are locked or are inactive.

The hasher is the production one (argon2-cffi's defaults, ~100 ms here); the test compares medians
of a few logins with a generous margin, never an absolute time.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import pytest

from fbss_eval.extensions import db
from fbss_eval.models.base import now_utc
from fbss_eval.services import auth as auth_service
from fbss_eval.services.users import create_user

ROUNDS = 5


@pytest.fixture
def app_overrides() -> dict[str, object]:
    # The real hasher; no throttle or lock in the way of the repeated attempts being timed.
    return {"ARGON2_FAST": False, "LOGIN_THROTTLE_ATTEMPTS": 10_000, "LOGIN_LOCK_AFTER": 10_000}


def _median_seconds(username: str, password: str) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        outcome = auth_service.authenticate(username, password)
        times.append(time.perf_counter() - start)
        assert outcome.user is None
        db.session.rollback()
    return statistics.median(times)


def test_every_refused_login_takes_about_as_long_as_a_wrong_password(app):
    password = "a long enough password 1"
    for name in ("wrong", "locked", "inactive"):
        create_user(name, name.title(), "clinician", password)
    db.session.flush()
    locked = db.session.query(auth_service.User).filter_by(username="locked").one()
    locked.locked_until = now_utc() + timedelta(hours=1)
    db.session.query(auth_service.User).filter_by(username="inactive").one().active = False
    db.session.commit()

    reference = _median_seconds("wrong", "not the password")
    cases = {
        "unknown user": _median_seconds("nobody-here", "not the password"),
        "locked, right password": _median_seconds("locked", password),
        "inactive, right password": _median_seconds("inactive", password),
    }
    app.config["LOGIN_THROTTLE_ATTEMPTS"] = 1  # every attempt for "wrong" is throttled from now on
    cases["throttled"] = _median_seconds("wrong", "not the password")
    for case, seconds in cases.items():
        assert 0.5 * reference < seconds < 2 * reference, (case, seconds, reference)
