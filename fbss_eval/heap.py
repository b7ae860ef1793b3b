"""Python's cyclic garbage collector in a long-running worker.

A worker holds about 140,000 objects from its start on (the app, its libraries, WeasyPrint, the
checklist), and every full collection walked them all: 55-65 ms on the 2-core machine, added to
whichever request happened to be running (measured in ``make bench``'s section pages: a maximum of
87 ms beside a p95 of 9 ms; four such collections in a run of 1,500 requests). ``settle()``, called
once the worker has loaded everything (gunicorn.conf.py), collects once and then freezes what is
left (``gc.freeze``): those objects move to a generation that no later collection walks. What
requests allocate afterwards is collected as before.
"""

from __future__ import annotations

import gc


def settle() -> int:
    """Collect, then freeze every object alive now; how many were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
