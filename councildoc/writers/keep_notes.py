"""Notes kept on their call's page in WeasyPrint's first layout.

WeasyPrint 70 (``layout/block.py``, ``_linebox_layout``) has one rule that parts a note from its
call: when a paragraph's next line overflows the page and the paragraph has exactly one line
fewer than ``orphans`` on it, WeasyPrint moves the page's *last notes* (called further up the
page) to the next page to make room for that line, rather than moving the paragraph. Word keeps
notes with their calls and moves the paragraph; so does councildoc, by turning that one rule off
while it lays out an edition: the paragraph then goes to the next page whole (``_break_line``,
as for any orphan), and every note stays where it was placed, on its call's page.

The change is one expression of WeasyPrint's source, replaced only if it reads exactly as
expected (:data:`RULE`); with another WeasyPrint the layout is left as it is and the writer's
check-and-repair passes (:func:`councildoc.writers.pdf.write_pdf`) keep the guarantee, at the
cost of more layouts. Either way every layout is checked.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

RULE = "report = not context.in_column and can_break_now and not could_break_before"
"""WeasyPrint's decision to move the page's notes on for an orphan line."""
KEPT = "report = False"


@cache
def _patched():
    """WeasyPrint's line layout without the rule, or ``None`` when its source is not as expected."""
    from weasyprint.layout import block

    try:
        source = textwrap.dedent(inspect.getsource(block._linebox_layout))
    except (OSError, TypeError):  # no source shipped: leave the layout as it is
        return None
    if source.count(RULE) != 1:
        return None
    namespace: dict = {}
    exec(compile(source.replace(RULE, KEPT), block.__file__, "exec"), block.__dict__, namespace)  # noqa: S102
    return namespace["_linebox_layout"]


def available() -> bool:
    """Whether the installed WeasyPrint can be laid out with notes kept on their call's page."""
    return _patched() is not None


@contextmanager
def notes_kept(enabled: bool = True) -> Iterator[bool]:
    """Within the block, WeasyPrint never moves a page's notes on for an orphan line (when
    ``enabled`` and :func:`available`); yields whether it is in force."""
    from weasyprint.layout import block

    patched = _patched() if enabled else None
    if patched is None:
        yield False
        return
    original = block._linebox_layout
    block._linebox_layout = patched
    try:
        yield True
    finally:
        block._linebox_layout = original
