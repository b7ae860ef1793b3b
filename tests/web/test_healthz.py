"""``GET /healthz``: no login, a real query, 503 when the database cannot be reached."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from fbss_eval import create_app
from fbss_eval.extensions import db


def test_healthz_answers_ok_after_a_real_query(app, client):
    statements: list[str] = []

    def remember(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        response = client.get("/healthz")
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert any("SELECT 1" in s for s in statements)
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_needs_no_login_and_sets_no_cookie(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def unreachable_app(uri: str, **options):
    return create_app("testing", SQLALCHEMY_DATABASE_URI=uri, **options)


@pytest.mark.parametrize(
    ("uri", "options"),
    [
        ("sqlite:////nonexistent-fbss-directory/sub/db.sqlite", {}),
        (
            "postgresql+psycopg://fbss@127.0.0.1:1/nope",
            {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True,
                                           "connect_args": {"connect_timeout": 2}}},
        ),
    ],
    ids=["sqlite-missing-directory", "postgresql-closed-port"],
)
def test_healthz_is_503_when_the_database_is_unreachable(uri, options):
    app = unreachable_app(uri, **options)
    try:
        response = app.test_client().get("/healthz")
        assert response.status_code == 503
        assert response.get_json() == {"status": "error", "database": "error"}
        # The rest of the app fails safe too: anonymous pages still go to the login page.
        assert app.test_client().get("/").status_code == 302
    finally:
        with app.app_context():
            db.engine.dispose()
