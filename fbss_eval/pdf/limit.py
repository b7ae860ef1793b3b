"""A cap on PDF renders at once across every worker process of this host (``FBSS_PDF_CONCURRENCY``,
default 1; 0: no cap), so a burst of PDF downloads cannot hold every gunicorn worker for seconds
while the section pages wait (reliability-security.md 2.2: cap renders at 1-2 per core, or give
them their own pool).

Each slot is a lock file (``fcntl.flock``, released by the kernel if the worker dies) in
``FBSS_PDF_SLOTS_DIR``. A request that finds every slot taken waits up to ``FBSS_PDF_WAIT`` seconds
and then gets a 503 with Retry-After instead of queueing inside a worker."""

from __future__ import annotations

import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class RendersBusyError(Exception):
    """Every render slot is taken; try again shortly."""


def default_slots_dir() -> Path:
    """Per user, in the temporary directory (the workers of one host share it)."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return Path(tempfile.gettempdir()) / f"fbss-pdf-slots-{uid}"


@contextmanager
def render_slot(slots: int, directory: Path | None = None, wait: float = 0.5) -> Iterator[None]:
    """Hold one of ``slots`` render slots for the block (``slots`` <= 0: no cap); raise
    ``RendersBusyError`` when none frees within ``wait`` seconds."""
    if slots <= 0:
        yield
        return
    folder = directory or default_slots_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        for n in range(slots):
            handle = open(folder / f"slot-{n}.lock", "a+b")  # noqa: SIM115 - held until the block ends
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        if time.monotonic() >= deadline:
            raise RendersBusyError
        time.sleep(0.05)
