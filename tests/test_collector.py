"""The collector's pauses (councildoc.collector) change when cycles are freed, never what is kept."""

from __future__ import annotations

import gc
import weakref

from councildoc.collector import frozen, paused


class _Node:
    pass


def _garbage_cycle() -> weakref.ref:
    node = _Node()
    node.me = node  # a cycle: refcounting alone never frees it
    return weakref.ref(node)


def test_frozen_frees_the_garbage_of_before_and_leaves_the_collector_as_it_was():
    """What an earlier edition left (a layout's cycles) is not frozen through the next one's writing."""
    gc.disable()  # no automatic run may free the cycle in the test's stead
    try:
        left = _garbage_cycle()
        with frozen():
            assert left() is None, "the cycle made before the block was frozen with the live objects"
            assert gc.get_freeze_count() > 0
            made_inside = _garbage_cycle()
            gc.collect()
            assert made_inside() is None, "a cycle made inside the block is collected as usual"
        assert gc.get_freeze_count() == 0
    finally:
        gc.enable()


def test_paused_keeps_cycles_until_it_ends_and_restores_the_collector():
    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
        with paused():
            pass
        assert not gc.isenabled(), "an inner pause must not turn the collector back on"
        cycle = _garbage_cycle()
    assert gc.isenabled()
    gc.collect()
    assert cycle() is None
