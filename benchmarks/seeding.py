"""The benchmark's database: 20,000 patients and 100,000 demo visits (design.md section 6), seeded
once by ``flask seed-demo`` and reused while the seed and the counts stay the same. A database seeded
at an earlier schema revision is brought to head by ``flask db upgrade`` (the migrations are how a
clinic's own database moves forward too), not seeded again.

SQLite: a file under ``benchmarks/.cache/`` named by that key. PostgreSQL (``BENCH_DATABASE_URL``):
the database is reused when it holds exactly the demo visits of the key; else it is emptied,
migrated and seeded again.

    python -m benchmarks.seeding                      # the SQLite file (prints its URL)
    python -m benchmarks.seeding --url postgresql://postgres@127.0.0.1:5432/fbss_bench
"""

from __future__ import annotations

import argparse
import os
import subprocess  # nosec B404 - runs our own flask command
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
TODAY = "2026-12-01"  # visit dates count back from a fixed day: the same key gives the same data


@dataclass(frozen=True)
class SeedKey:
    """What the seeded data depend on."""

    seed: int = 2026
    patients: int = 20_000
    visits: int = 100_000

    def name(self) -> str:
        """File-name form of the key."""
        return f"seed{self.seed}-p{self.patients}-v{self.visits}"


def schema_head() -> str:
    """The migrations' head revision."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config(str(ROOT / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return "+".join(sorted(ScriptDirectory.from_config(config).get_heads()))


def sqlite_url(key: SeedKey) -> str:
    """The SQLite file of this key."""
    return f"sqlite:///{CACHE / (key.name() + '.sqlite')}"


def is_seeded(url: str, key: SeedKey) -> bool:
    """True when the database holds exactly this key's demo visits (at any schema revision)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            names = sa.inspect(conn).get_table_names()
            if "alembic_version" not in names or "visit" not in names:
                return False
            visits = conn.execute(sa.text(
                "SELECT count(*) FROM visit JOIN patient ON patient.id = visit.patient_id "
                "WHERE patient.mrn LIKE :prefix"), {"prefix": f"DEMO-{key.seed}-%"}).scalar()
            patients = conn.execute(sa.text("SELECT count(*) FROM patient WHERE mrn LIKE :prefix"),
                                    {"prefix": f"DEMO-{key.seed}-%"}).scalar()
            return visits == key.visits and patients == key.patients
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def _reset(url: str) -> None:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def ensure_postgres_database(url: str) -> None:
    """Create the database named by ``url`` when it does not exist (connecting to ``postgres``)."""
    target = sa.engine.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                  {"name": target.database}).first()
            if not exists:
                conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()


def ensure_seeded(url: str, key: SeedKey, log: bool = True) -> float | None:
    """Seed ``url`` unless it already holds ``key``; returns the seconds seeding took (None: reused)."""
    if url.startswith("postgresql"):
        ensure_postgres_database(url)
    env = {**os.environ, "DATABASE_URL": url, "FBSS_CONFIG": "development", "FLASK_APP": "fbss_eval"}
    flask = [sys.executable, "-m", "flask"]
    if is_seeded(url, key):
        if log:
            print(f"Reusing the seeded database {url} ({key.visits} visits); upgrading it to {schema_head()}.",
                  flush=True)
        subprocess.run([*flask, "db", "upgrade"], check=True, env=env, cwd=ROOT, capture_output=True)  # nosec B603
        vacuum_analyze(url)
        return None
    _reset(url)
    subprocess.run([*flask, "db", "upgrade"], check=True, env=env, cwd=ROOT, capture_output=True)  # nosec B603
    if log:
        print(f"Seeding {url}: {key.patients} patients, {key.visits} visits (seed {key.seed}) ...", flush=True)
    start = time.perf_counter()
    subprocess.run([*flask, "seed-demo", "--patients", str(key.patients), "--visits", str(key.visits),  # nosec B603
                    "--seed", str(key.seed), "--today", TODAY, "--as", "make bench"], check=True, env=env, cwd=ROOT)
    seconds = time.perf_counter() - start
    vacuum_analyze(url)
    return seconds


def vacuum_analyze(url: str) -> None:
    """PostgreSQL: the planner statistics and visibility map autovacuum would have made by the time
    a live database held this many rows (a bulk load leaves the planner guessing a few rows per
    table, and index-only scans reading the heap). SQLite is measured as the app leaves it."""
    if not url.startswith("postgresql"):
        return
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("VACUUM (ANALYZE)"))
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    """Seed (or reuse) one benchmark database."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=None, help="PostgreSQL URL (default: the SQLite cache file)")
    parser.add_argument("--visits", type=int, default=SeedKey.visits)
    parser.add_argument("--patients", type=int, default=SeedKey.patients)
    parser.add_argument("--seed", type=int, default=SeedKey.seed)
    args = parser.parse_args(argv)
    key = SeedKey(args.seed, args.patients, args.visits)
    from config import normalise_database_url

    url = normalise_database_url(args.url) if args.url else sqlite_url(key)
    seconds = ensure_seeded(url, key)
    if seconds is not None:
        print(f"Seeded in {seconds:.0f} s: {key.visits / seconds:.0f} visits/s", flush=True)
    print(url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
