"""The app's PostgreSQL connections plan each prepared statement for its own values
(``plan_cache_mode = force_custom_plan``, fbss_eval/database.py): psycopg prepares a statement on its
fifth run, after which the server would otherwise keep a generic plan, one that cannot know which
band a filter asks for (at 100,000 visits it walked every visit: 300-600 ms instead of 80-100 ms).
A custom plan names the values in its conditions; a generic plan names the parameters ($1, $2...)."""

from __future__ import annotations

import sqlalchemy as sa

from fbss_eval.database import engine_options
from fbss_eval.extensions import db

LIST_QUERY = ("SELECT visit.id FROM visit WHERE visit.status != $1 AND visit.id IN (SELECT visit_id FROM "
              "instrument_score WHERE instrument = $2 AND band IN ($3, $4, $5)) "
              "ORDER BY visit.visit_date DESC, visit.id DESC LIMIT $6 OFFSET $7")
VALUES = "('voided', 'odi', 'severe', 'crippled', 'bed_bound', 26, 24975)"


def test_postgresql_statements_are_planned_for_their_values_after_many_runs(database, app):
    if database.kind == "sqlite":  # SQLite plans each statement as it prepares it: nothing to set
        assert "connect_args" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        return
    assert db.session.scalar(sa.text("SHOW plan_cache_mode")) == "force_custom_plan"
    db.session.execute(sa.text(f"PREPARE visit_list (text, text, text, text, text, int, int) AS {LIST_QUERY}"))
    for _ in range(8):  # past the five runs after which the server may keep a generic plan
        db.session.execute(sa.text(f"EXECUTE visit_list {VALUES}")).all()
    plan = "\n".join(db.session.scalars(sa.text(f"EXPLAIN EXECUTE visit_list {VALUES}")))
    assert "'odi'" in plan, plan
    assert "$2" not in plan, plan
    db.session.rollback()


def test_engine_options_add_the_setting_once_and_keep_the_configuration():
    configured = {"pool_pre_ping": True, "connect_args": {"options": "-c statement_timeout=5000"}}
    options = engine_options("postgresql+psycopg://db/app", configured)
    assert options["connect_args"]["options"] == "-c statement_timeout=5000 -c plan_cache_mode=force_custom_plan"
    assert engine_options("postgresql+psycopg://db/app", options) == options  # an app made from another's
    assert configured["connect_args"] == {"options": "-c statement_timeout=5000"}  # not changed in place
    assert engine_options("sqlite:///x.sqlite", configured) == configured
