"""PostgreSQL roles: the app runs as a role that owns nothing and may only add to the audit trail.

The migration role owns the schema (it runs ``flask db upgrade``); the app role gets DML on the
tables, SELECT and INSERT only on ``audit_event``, and no ownership, so it can neither disable nor
drop the append-only triggers, nor TRUNCATE, nor set ``session_replication_role`` (superuser only).
Default privileges make tables and sequences that later migrations create usable by the app role.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db


class RoleProblem(ValueError):
    """The role cannot be made the app role (unknown, superuser, or able to act as the owner)."""


def grant_statements(role: str, schema: str) -> list[str]:
    """The GRANT/REVOKE statements, run as the owner, that make ``role`` the app role."""
    quote = db.engine.dialect.identifier_preparer.quote
    r, s = quote(role), quote(schema)
    return [
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"REVOKE CREATE ON SCHEMA {s} FROM {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {s} FROM {r}",
        f"REVOKE UPDATE, DELETE ON {s}.audit_event FROM {r}",
        f"REVOKE INSERT, UPDATE, DELETE ON {s}.alembic_version FROM {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
        # Tables and sequences the owner creates later (new migrations) work for the app too.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {r}",
    ]


def grant_app_role(role: str) -> list[str]:
    """Check ``role`` and grant it the app's privileges; returns the statements run.

    Run as the role that owns the schema's tables (the one that runs the migrations)."""
    conn = db.session.connection()
    if conn.dialect.name != "postgresql":
        raise RoleProblem("Roles exist only on PostgreSQL; SQLite has no roles to grant.")
    info = conn.execute(sa.text(
        "SELECT r.rolsuper, r.rolbypassrls, pg_has_role(r.oid, t.tableowner, 'MEMBER') AS acts_as_owner, "
        "current_schema() AS schema FROM pg_roles r "
        "JOIN pg_tables t ON t.tablename = 'audit_event' AND t.schemaname = current_schema() "
        "WHERE r.rolname = :role"), {"role": role}).first()
    if info is None:
        exists = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": role}).first()
        raise RoleProblem(f"No role named {role!r}: create it first (CREATE ROLE ... LOGIN)." if not exists
                          else "The audit_event table is missing: run `flask db upgrade` first.")
    if info.rolsuper or info.rolbypassrls:
        raise RoleProblem(f"{role!r} is a superuser (or bypasses row security): it could lift any guard.")
    if info.acts_as_owner:
        raise RoleProblem(f"{role!r} owns the tables or is a member of their owner: it could disable the "
                          "audit triggers. Use a role of its own.")
    statements = grant_statements(role, info.schema)
    for statement in statements:
        conn.execute(sa.text(statement))
    return statements
