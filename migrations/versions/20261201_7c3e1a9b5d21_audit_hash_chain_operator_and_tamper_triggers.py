"""audit trail: hash chain, CLI operator, and triggers against REPLACE (SQLite) and TRUNCATE (PostgreSQL)

Existing rows are chained in the data step, oldest first, with the same function the app and
``verify-audit`` use (``fbss_eval.models.audit.chain_hash``), so the chain covers the whole trail.
The append-only update trigger is lifted for that step only (the migration runs as the owner).

Revision ID: 7c3e1a9b5d21
Revises: 242ef2770675
Create Date: 2026-12-01 22:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

from fbss_eval.models.audit import GENESIS_HASH
from fbss_eval.models.audit import HASHED_FIELDS
from fbss_eval.models.audit import chain_hash
from fbss_eval.models.base import JsonType
from fbss_eval.models.base import UTCDateTime

# revision identifiers, used by Alembic.
revision = '7c3e1a9b5d21'
down_revision = '242ef2770675'
branch_labels = None
depends_on = None

NEW_TRIGGERS = {
    "sqlite": (
        # REPLACE / INSERT OR REPLACE delete the old row without firing the delete trigger
        # (recursive_triggers is off): refuse any insert whose id is taken (UPSERT too).
        "CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON audit_event "
        "WHEN EXISTS (SELECT 1 FROM audit_event WHERE id = NEW.id) "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
    ),
    "postgresql": (
        "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
    ),
}
DROP_NEW_TRIGGERS = {
    "sqlite": ("DROP TRIGGER IF EXISTS audit_event_no_replace",),
    "postgresql": ("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",),
}
# Lifting and restoring the update guard around the data step.
LIFT_UPDATE_GUARD = {
    "sqlite": ("DROP TRIGGER audit_event_no_update",),
    "postgresql": ("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only",),
}
RESTORE_UPDATE_GUARD = {
    "sqlite": (
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
    ),
    "postgresql": ("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only",),
}

audit = sa.table(
    "audit_event",
    sa.column("id", sa.Integer()),
    sa.column("at", UTCDateTime()),
    sa.column("user_id", sa.Integer()),
    sa.column("username", sa.String()),
    sa.column("operator", sa.String()),
    sa.column("action", sa.String()),
    sa.column("entity", sa.String()),
    sa.column("entity_id", sa.Integer()),
    sa.column("changes", JsonType),
    sa.column("remote_addr", sa.String()),
    sa.column("prev_hash", sa.String()),
    sa.column("row_hash", sa.String()),
)


def _execute(statements):
    for statement in statements.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def _chain_existing_rows():
    bind = op.get_bind()
    rows = bind.execute(sa.select(*(audit.c[name] for name in ("id", *HASHED_FIELDS))).order_by(audit.c.id)).all()
    if not rows:
        return
    _execute(LIFT_UPDATE_GUARD)
    prev = GENESIS_HASH
    for row in rows:
        values = dict(row._mapping)
        row_hash = chain_hash(values, prev)
        bind.execute(sa.update(audit).where(audit.c.id == values["id"]).values(prev_hash=prev, row_hash=row_hash))
        prev = row_hash
    _execute(RESTORE_UPDATE_GUARD)


def upgrade():
    op.add_column('audit_event', sa.Column('operator', sa.String(length=120), nullable=True))
    op.add_column('audit_event', sa.Column('prev_hash', sa.String(length=64), nullable=True))
    op.add_column('audit_event', sa.Column('row_hash', sa.String(length=64), nullable=True))
    _chain_existing_rows()
    _execute(NEW_TRIGGERS)


def downgrade():
    _execute(DROP_NEW_TRIGGERS)
    op.drop_column('audit_event', 'row_hash')
    op.drop_column('audit_event', 'prev_hash')
    op.drop_column('audit_event', 'operator')
