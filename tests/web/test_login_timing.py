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
from fbss_eval.models import LoginAttempt
from fbss_eval.models.base import now_utc
from fbss_eval.services import auth as auth_service
from fbss_eval.services.users import create_user

ROUNDS = 5


@pytest.fixture
def app_overrides() -> dict[str, object]:
    # The real hasher; no throttle or lock in the way of the repeated attempts being timed.
    return {"ARGON2_FAST": False, "LOGIN_THROTTLE_ATTEMPTS": 10_000, "LOGIN_LOCK_AFTER": 10_000}


def _medians(cases: dict[str, tuple[str, str]]) -> dict[str, float]:
    """Median seconds of ``authenticate`` per case, the cases taken in turn in every round so that
    a noisy neighbour slows them all alike."""
    times: dict[str, list[float]] = {case: [] for case in cases}
    for _ in range(ROUNDS):
        for case, (username, password) in cases.items():
            start = time.perf_counter()
            outcome = auth_service.authenticate(username, password)
            times[case].append(time.perf_counter() - start)
            assert outcome.user is None, case
            db.session.rollback()
    return {case: statistics.median(values) for case, values in times.items()}


def test_every_refused_login_takes_about_as_long_as_a_wrong_password(app):
    password = "a long enough password 1"
    for name in ("wrong", "locked", "inactive", "throttled"):
        create_user(name, name.title(), "clinician", password)
    db.session.flush()
    locked = db.session.query(auth_service.User).filter_by(username="locked").one()
    locked.locked_until = now_utc() + timedelta(hours=1)
    db.session.query(auth_service.User).filter_by(username="inactive").one().active = False
    # The throttle sits just above the failures each timed case makes; "throttled" is over it.
    app.config["LOGIN_THROTTLE_ATTEMPTS"] = ROUNDS + 1
    for _ in range(ROUNDS + 1):
        db.session.add(LoginAttempt(username="throttled", at=now_utc()))
    db.session.commit()

    medians = _medians({
        "wrong password": ("wrong", "not the password"),
        "unknown user": ("nobody-here", "not the password"),
        "locked, right password": ("locked", password),
        "inactive, right password": ("inactive", password),
        "throttled, right password": ("throttled", password),
    })
    reference = medians.pop("wrong password")
    for case, seconds in medians.items():
        # Generous: the refusals without a hash took 1-10% of a wrong password's time.
        assert 0.33 * reference < seconds < 3 * reference, (case, seconds, reference)
