"""PostgreSQL extended statistics for the admin list's projection filters

A band filter asks ``instrument = 'odi' AND band IN ('severe', 'crippled', 'bed_bound')``. The
planner multiplies the two columns' frequencies as if independent, but band names are shared by
instruments ("severe" is a band of ODI, PHQ-9 and GAD-7, "probable" a likelihood of every category),
so at 100,000 visits it expected 13,652 ODI rows where there were 64,388. With "finding and band"
(category, likelihood and an ODI band) that made it hash-join every matching ODI row with every
matching finding and sort them (34 ms); with the columns' joint frequencies (an MCV list over each
pair) it walks the visits newest first and probes both projections (3 ms). ANALYZE builds them now
(autovacuum's next analyse would, later). SQLite has no such statistics: nothing changes there.

Revision ID: c7d2e9f4a810
Revises: b4e8f2a61c07
Create Date: 2026-12-02 16:40:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c7d2e9f4a810'
down_revision = 'b4e8f2a61c07'
branch_labels = None
depends_on = None

STATISTICS = {
    "st_instrument_score_instrument_band": ("instrument_score", ("instrument", "band")),
    "st_finding_category_likelihood": ("finding", ("category", "likelihood")),
}


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, (table, columns) in STATISTICS.items():
        op.execute(f"CREATE STATISTICS {name} (mcv) ON {', '.join(columns)} FROM {table}")
        op.execute(f"ANALYZE {table}")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in STATISTICS:
        op.execute(f"DROP STATISTICS IF EXISTS {name}")
