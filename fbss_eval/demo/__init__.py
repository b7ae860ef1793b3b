"""Deterministic synthetic patients and filled visits for demonstrations and benchmarks
(``flask seed-demo``). No real person is described; a seed always gives the same data.

- ``scenarios``: the clinical scenarios of failed back surgery and the shape of a patient's story;
- ``history`` and ``timeline``: the operations, studies, blocks and treatments of that story, and
  when each happened (visit dates, the trend over the visits);
- ``answers`` (with ``findings``, ``assessment``, ``instruments``): every section's answers at
  one visit, consistent with the scenario; ``fit``: answers fitted to the checklist as it is;
- ``seed``: writing patients and visits through the visit service.
"""

from __future__ import annotations

from .seed import Seeded
from .seed import demo_clinician
from .seed import seed
from .seed import seed_visits

__all__ = ["Seeded", "demo_clinician", "seed", "seed_visits"]
