"""CPython's cyclic garbage collector, kept out of the build's own long walks.

The collector runs each time about 700 more container objects (lists, dicts, dataclass instances)
have been made than freed, and each third, ninth… run walks every object still alive. Reading an
edition makes millions of objects — Pandoc's JSON, then the model — none of them in a cycle:
refcounting frees every one, and each run of the collector only walks them again, more of them as
the document grows (at 200 pages, reading Pandoc's JSON took 2.5 s with the collector on, 0.34 s
without). While WeasyPrint lays the edition out, its own runs walk the model and the modules
besides its boxes, which WeasyPrint alone (the benchmark's floor) does not hold.

Neither pause changes what is built: only when unreachable cycles are freed.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No collection while the block makes its objects; what refcounting could not free (cycles)
    is collected by the next run after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def frozen() -> Iterator[None]:
    """Every object alive when the block starts (the modules, the model) left out of the
    collector's runs inside it: they are walked again once it ends. What is garbage then (the
    cycles of an earlier edition's layout, which no run has freed yet) is freed first: frozen, it
    would stay through the block (in a build of nine editions in one process, two layouts at once)."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
