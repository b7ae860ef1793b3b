"""fbss_eval/heap.py: after ``settle()`` the objects alive at a worker's start are out of the
garbage collector's reach (frozen), and what is made later is still collected."""

from __future__ import annotations

import gc
import weakref

from fbss_eval.heap import settle


class _Node:
    """Something that can be in a reference cycle and be watched by a weak reference."""

    def __init__(self) -> None:
        self.other: _Node | None = None


def test_settle_freezes_what_is_alive_and_later_cycles_are_still_collected():
    # What is garbage now is freed here, not frozen. One collection may not be enough in a worker that
    # has run other tests: finalizers it runs can leave new garbage (CI once froze 917,164 of 993,148).
    for _ in range(10):
        if not gc.collect():
            break
    before = len(gc.get_objects())
    try:
        frozen = settle()
        assert frozen >= before * 0.99
        assert len(gc.get_objects()) < before * 0.05  # a full collection now walks almost nothing
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
        gc.collect()
        assert gone() is None
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0
