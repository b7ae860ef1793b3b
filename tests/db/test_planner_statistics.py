"""Migration c7d2e9f4a810: PostgreSQL's extended statistics over the pairs of projection columns the
admin list filters on together. Band names and likelihoods are shared by instruments and categories,
so without the pairs' joint frequencies the planner misjudges how many rows a band filter matches
(at 100,000 visits: 13,652 expected, 64,388 read) and picks a plan that reads them all. The test
seeds demo visits, analyses, and compares the planner's row estimate with the true count, with the
statistics and, dropped, without them. SQLite keeps no such statistics: its schema is unchanged
(the generic round trip of tests/db/test_migrations.py compares both)."""

from __future__ import annotations

import sqlalchemy as sa

from fbss_eval.extensions import db

BAND = ("SELECT visit_id FROM instrument_score WHERE instrument = 'odi' "
        "AND band IN ('severe', 'crippled', 'bed_bound')")
FINDING = "SELECT visit_id FROM finding WHERE category = 'recurrent_herniation' AND likelihood = 'probable'"
STATISTICS = {  # as the migration makes them (recreated after the test drops them)
    "st_finding_category_likelihood": "(mcv) ON category, likelihood FROM finding",
    "st_instrument_score_instrument_band": "(mcv) ON instrument, band FROM instrument_score",
}
NAMES = sorted(STATISTICS)


def _estimate_and_count(sql: str) -> tuple[float, int]:
    plan = db.session.execute(sa.text(f"EXPLAIN (FORMAT JSON) {sql}")).scalar_one()
    count = db.session.execute(sa.text(f"SELECT count(*) FROM ({sql}) AS rows")).scalar_one()  # noqa: S608 - constants
    return float(plan[0]["Plan"]["Plan Rows"]), int(count)


def _analyse(owner: sa.Engine, *statements: str) -> None:
    with owner.begin() as conn:  # ANALYZE needs the tables' owner; the app role would be skipped
        for statement in (*statements, "ANALYZE instrument_score", "ANALYZE finding"):
            conn.execute(sa.text(statement))
    db.session.rollback()


def test_postgresql_estimates_band_and_finding_filters_from_joint_frequencies(database, app, runner):
    if database.kind == "sqlite":
        tables = db.session.scalars(sa.text("SELECT name FROM sqlite_master WHERE name LIKE 'st\\_%' ESCAPE '\\'"))
        assert tables.all() == []  # nothing of the kind was made on SQLite
        return
    assert db.session.scalars(sa.text("SELECT stxname FROM pg_statistic_ext ORDER BY stxname")).all() == NAMES
    result = runner.invoke(args=["seed-demo", "--patients", "60", "--visits", "300", "--seed", "7",
                                 "--today", "2026-11-30"])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    owner = sa.create_engine(database.owner_url)
    try:
        _analyse(owner)
        for sql in (BAND, FINDING):
            estimate, count = _estimate_and_count(sql)
            assert count >= 20, sql  # enough rows for the comparison to mean something
            assert count / 1.5 <= estimate <= count * 1.5, (sql, estimate, count)
        # Without them the band filter's estimate is off by more than half (the case they fix).
        _analyse(owner, *(f"DROP STATISTICS {name}" for name in NAMES))
        estimate, count = _estimate_and_count(BAND)
        assert not count / 1.5 <= estimate <= count * 1.5, (estimate, count)
    finally:
        with owner.begin() as conn:  # the session's database keeps its schema for the next tests
            for name, spec in STATISTICS.items():
                conn.execute(sa.text(f"CREATE STATISTICS IF NOT EXISTS {name} {spec}"))
        owner.dispose()
