"""Configuration classes. Environment variables are read here and nowhere else.

``FBSS_CONFIG`` selects the class (development, testing, production); ``DATABASE_URL`` selects the
database (SQLite in the instance folder by default; ``postgresql+psycopg://...`` in production).
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from typing import Any


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise RuntimeError(f"{name} must be a whole number, got {value!r}") from exc


def _env_list(name: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, "").split(",") if part.strip()]


def normalise_database_url(url: str) -> str:
    """Accept the common ``postgres://`` and ``postgresql://`` spellings; use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Settings shared by every environment."""

    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI: str | None = (
        normalise_database_url(os.environ["DATABASE_URL"]) if os.environ.get("DATABASE_URL") else None
    )
    # hide_parameters: SQL errors never print the values (patient data) into logs.
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True, "hide_parameters": True}
    SQLITE_BUSY_TIMEOUT_MS = 5000

    # Sessions: a signed cookie carries only a random id; the server-side row is the truth.
    SESSION_COOKIE_NAME = "fbss_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_IDLE_TIMEOUT = timedelta(minutes=_env_int("FBSS_IDLE_MINUTES", 15))
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=_env_int("FBSS_ABSOLUTE_HOURS", 12))
    SESSION_TOUCH_INTERVAL = timedelta(seconds=30)  # last-seen is written at most this often

    # CSRF tokens live as long as the session (a 40-minute consult must not end in a CSRF error).
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_SSL_STRICT = True

    # Login protection: per-user throttle and lock, kept in the database.
    LOGIN_THROTTLE_ATTEMPTS = 5
    LOGIN_THROTTLE_WINDOW = timedelta(seconds=60)
    LOGIN_LOCK_AFTER = 10
    LOGIN_LOCK_DURATION = timedelta(minutes=_env_int("FBSS_LOCK_MINUTES", 30))
    # Limit on login attempts per (client address, username typed) (Flask-Limiter): one user's
    # failures never block another's login. Storage shared by every worker (Redis), else each
    # worker counts on its own.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_LOGIN = os.environ.get("FBSS_LOGIN_RATE", "30 per minute")
    # Reverse proxies in front of the app that set X-Forwarded-For/-Proto (werkzeug ProxyFix):
    # 0 trusts none, so the address is the TCP peer and a forged header changes nothing.
    TRUSTED_PROXIES = _env_int("FBSS_TRUSTED_PROXIES", 0)
    RATELIMIT_HEADERS_ENABLED = False

    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    PATIENTS_PER_PAGE = 25
    AUDIT_PER_PAGE = 50
    VISITS_PER_PAGE = 25
    # The review dashboard counts a draft as overdue when its visit date is more than this many
    # days ago.
    FBSS_UNSIGNED_DAYS = _env_int("FBSS_UNSIGNED_DAYS", 7)

    # Clinical content: optional instruments enabled for this install, and overrides of the
    # configurable (UNVERIFIED) scoring rules, e.g. FBSS_SCORING='{"odi_max_missing": 2}'.
    FBSS_OPTIONAL_INSTRUMENTS: list[str] = _env_list("FBSS_OPTIONAL_INSTRUMENTS")
    FBSS_SCORING: dict[str, Any] = json.loads(os.environ.get("FBSS_SCORING", "{}") or "{}")
    PDF_PAGE_SIZE = os.environ.get("FBSS_PDF_PAGE_SIZE", "A4")  # A4 or Letter
    # PDF renders at once on this host, across workers (fbss_eval/pdf/limit.py; 0: no cap), and how
    # long a download waits for a slot before a 503 with Retry-After.
    FBSS_PDF_CONCURRENCY = int(os.environ.get("FBSS_PDF_CONCURRENCY", "1"))
    FBSS_PDF_WAIT = float(os.environ.get("FBSS_PDF_WAIT", "0.5"))
    FBSS_PDF_SLOTS_DIR = os.environ.get("FBSS_PDF_SLOTS_DIR")
    # Signatures are stored in UTC and shown in UTC and in this clinic's local time (IANA name).
    FBSS_TIMEZONE = os.environ.get("FBSS_TIMEZONE", "Europe/London")
    # The base of the FHIR canonical URLs (Questionnaire.url, answer code systems): a stable name
    # for this install's checklist, not necessarily where it is served; set it once and keep it,
    # since imported QuestionnaireResponses must name the same Questionnaire URL.
    FBSS_FHIR_BASE = os.environ.get("FBSS_FHIR_BASE", "https://fbss-eval.example/fhir").rstrip("/")


class DevelopmentConfig(Config):
    """Local use: SQLite in the instance folder unless DATABASE_URL says otherwise."""

    SECRET_KEY = Config.SECRET_KEY  # the factory makes a per-instance key when unset


class TestingConfig(Config):
    """Tests: CSRF off by default (one module turns it on), fast password hashing."""

    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105  # nosec B105  # test-only
    SQLALCHEMY_DATABASE_URI = None  # tests pass a database URL
    WTF_CSRF_ENABLED = False
    ARGON2_FAST = True
    FBSS_PDF_CONCURRENCY = 0  # test processes run side by side; tests/unit/test_pdf_limit.py tests the cap
    RATELIMIT_ENABLED = False


class ProductionConfig(Config):
    """Production: secrets and database must come from the environment."""

    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-fbss_session"
    PREFERRED_URL_SCHEME = "https"

    @staticmethod
    def check(config: dict[str, Any]) -> None:
        """Refuse to start without a real secret key and an explicit database."""
        secret = config.get("SECRET_KEY")
        if not secret or secret in ("dev", "change-me") or len(secret) < 16:
            raise RuntimeError("SECRET_KEY must be set (16+ random characters) in production")
        if not config.get("SQLALCHEMY_DATABASE_URI"):
            raise RuntimeError("DATABASE_URL must be set in production")
        storage = str(config.get("RATELIMIT_STORAGE_URI") or "memory://")
        if storage.startswith("memory://"):
            # Each gunicorn worker and each server would count login attempts on its own.
            raise RuntimeError(
                "RATELIMIT_STORAGE_URI must name storage every worker and server shares in production "
                "(e.g. redis://127.0.0.1:6379/0); memory:// counts in each process alone"
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_class(name: str | None = None) -> type[Config]:
    """The config class named by ``name`` or ``FBSS_CONFIG`` (default development)."""
    key = name or os.environ.get("FBSS_CONFIG", "development")
    try:
        return CONFIGS[key]
    except KeyError as exc:
        raise RuntimeError(f"FBSS_CONFIG must be one of {sorted(CONFIGS)}, got {key!r}") from exc
