"""Reading an edition holds one top-level block of Pandoc's JSON at a time, not the whole tree.

Decoded whole, Pandoc's JSON is a tree of lists and dicts about twelve times its text, and it set
the build's peak memory (issue 15): at 200 pages 406 MB for ``check``, of which the model built
from it is a few MB. These tests measure with ``tracemalloc`` (memory, never time) against the
same JSON decoded whole in the same process, and check that the lazy reading gives what
``json.loads`` gives.
"""

from __future__ import annotations

import json
import subprocess
import tracemalloc

from conftest import INFO

from councildoc.parse import PANDOC_READER, pandoc_path, parse_edition
from councildoc.parse.pandoc import Ast
from councildoc.read import SourceText

FRONT = "---\nlang: en\ntitle: A long document\n---\n\n"
PARAGRAPH = ("The Organization is committed to the principle that humane and orderly migration benefits "
             "migrants and society,[^n{i}] as the Council noted in its *{i}th* session.")


def _long_document(paragraphs: int, annexes: int) -> str:
    """``paragraphs`` paragraphs with a note each, the last 40 % in ``annexes`` annexes."""
    out, per_annex = [], paragraphs * 4 // 10 // annexes
    body = paragraphs - per_annex * annexes
    for i in range(paragraphs):
        if i >= body and (i - body) % per_annex == 0:
            out.append(":::" if i > body else "")
            out.append(f"::: {{.annex #annex:a{i}}}\n# Annex {i}")
        if i % 20 == 0:
            out.append(f"# Section {i}")
        out += [PARAGRAPH.format(i=i), f"[^n{i}]: A note to paragraph {i}."]
    out.append(":::")
    return FRONT + "\n\n".join(b for b in out if b) + "\n"


def _pandoc_json(markdown: str) -> str:
    return subprocess.run([pandoc_path(), "--sandbox", "--from", PANDOC_READER, "--to", "json"],
                          input=markdown.encode(), capture_output=True, check=True).stdout.decode()


def _traced_peak(action) -> int:
    """The most memory ``action`` held at once beyond what was held before it, in bytes."""
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        result = action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak - before


def test_reading_an_edition_never_holds_pandocs_json_whole():
    markdown = _long_document(1200, annexes=4)
    text = _pandoc_json(markdown)
    whole = _traced_peak(lambda: json.loads(text))  # the oracle: the tree the reader used to hold
    reading = _traced_peak(lambda: parse_edition(SourceText("doc.md", markdown), INFO, "doc", "en"))
    document, diagnostics = parse_edition(SourceText("doc.md", markdown), INFO, "doc", "en")
    assert not diagnostics and document is not None and len(document.parts) == 5
    # Reading runs Pandoc, holds its JSON text, the largest annex's tree (a tenth of the whole) and
    # the model: well under the whole tree (measured: about 0.3 of it).
    assert reading < 0.5 * whole, (reading, whole)


def test_the_blocks_read_one_at_a_time_are_those_json_loads_gives():
    for markdown in (_long_document(60, annexes=2), FRONT, FRONT + "One.\n\n::: {.annex}\nTwo.\n:::\n"):
        text = _pandoc_json(markdown)
        ast, message = Ast.read(text)
        assert ast is not None and message == ""
        assert ast.meta == json.loads(text)["meta"]
        assert list(ast.blocks()) == json.loads(text)["blocks"]


def test_json_in_another_shape_is_read_whole():
    found = json.loads(_pandoc_json(_long_document(40, annexes=1)))
    reordered = json.dumps({"blocks": found["blocks"], "meta": found["meta"], "pandoc-api-version": [1, 23]},
                           indent=1)
    ast, _ = Ast.read(reordered)
    assert ast is not None
    assert (ast.meta, list(ast.blocks())) == (found["meta"], found["blocks"])


def test_diagnostics_keep_their_order_when_blocks_are_converted_as_they_come():
    markdown = (FRONT + "# Body {#para:wrong}\n\nText.\n\n::: {.annex #annex:a}\n# Annex\n\n"
                "## Inner {#para:bad}\n\nMore.\n:::\n\nStray body text.\n")
    _, diagnostics = parse_edition(SourceText("doc.md", markdown), INFO, "doc", "en")
    # body text after an annex (found while sorting blocks into parts), then the body's, then the annex's
    assert [(d.pos.line, d.message.split(":")[0]) for d in diagnostics] == [
        (18, "body text after an annex"),
        (6, "a heading's label must start with 'sec"),
        (13, "a heading's label must start with 'sec"),
    ]
