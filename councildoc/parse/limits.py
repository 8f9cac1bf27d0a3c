"""How much a source may hold: bounds on the work a hostile source can cause.

Each diagnostic that enforces one names it (``councildoc.parse.MAX_NOTES``)."""

from __future__ import annotations

MAX_NESTING = 8
"""How deep lists and block quotes may nest (a council paragraph has two levels at most)."""
MAX_PARAGRAPH = 100_000
"""The most characters a paragraph may have (a page holds about 3 000)."""
MAX_SOURCE = 5_000_000
"""The largest source file read, in characters."""
MAX_HEADING_LEVEL = 3
"""The deepest heading the build numbers: I. (``#``), A. (``##``), 1. (``###``)."""
MAX_SUBPARAGRAPH_DEGREE = 4
"""(a), (i), a., i.: the four degrees of sub-paragraphs the UN editorial manual defines."""
MAX_NOTES = 5_000
"""The most notes a document may define (MC/INF/298 has a few dozen)."""
MAX_REFERENCES = 50_000
"""The most ``@kind:label`` references a document may make."""
MAX_ANNEXES = 200
"""The most annexes a document may have (with :data:`MAX_SOURCE`, this bounds the pages a PDF can have)."""
