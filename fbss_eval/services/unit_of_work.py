"""The one place a request's (or a command's) work is committed.

Services change the session and ``flush()``; they never commit. A view or a CLI command wraps the
service call it makes in ``unit_of_work()``: the work is committed when the block ends, or rolled
back, whole, when it raises. Nesting is allowed; only the outermost block commits, so a service
may call another service that opens its own block without half-committing the outer work.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import g

from ..extensions import db


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit the enclosed work on success, roll it back on any exception (outermost block only)."""
    depth = g.get("_uow_depth", 0)
    g._uow_depth = depth + 1
    try:
        yield
    except BaseException:
        if depth == 0:
            db.session.rollback()
        raise
    else:
        if depth == 0:
            try:
                db.session.commit()
            except BaseException:  # a failed flush or commit (e.g. StaleDataError) leaves nothing half-done
                db.session.rollback()
                raise
    finally:
        g._uow_depth = depth
