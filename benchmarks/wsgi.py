"""The app as ``make bench`` serves it under gunicorn: the testing configuration (CSRF off, fast
password hashing, no login limiter: the load generator logs in once per client and posts forms
without tokens) on the benchmark's database (``BENCH_DB_URL``)."""

from __future__ import annotations

import os

from fbss_eval import create_app

app = create_app("testing", SQLALCHEMY_DATABASE_URI=os.environ["BENCH_DB_URL"])
