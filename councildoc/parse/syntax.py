"""councildoc's own syntax on top of Pandoc's Markdown, as the converter and the source checks both read it."""

from __future__ import annotations

import re

REFERENCE_KINDS = {"note": "note", "para": "paragraph", "sec": "section", "annex": "annex", "tbl": "table",
                   "fig": "figure"}
"""Reference prefixes (pandoc-crossref style) and what they name in messages."""

REFERENCE = re.compile(r"@([A-Za-z]+):(\w+(?:[-.:/]\w+)*)")
"""``@kind:label``."""
NOTE_CALL = re.compile(r"\[\^([^\]\s]+)\]")
"""``[^label]`` (in text Pandoc hands back, a call to a note never defined)."""
NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")
"""``[^label]:`` at the start of a line."""
FENCE = re.compile(r"^ {0,3}(```|~~~)")
"""A code fence's opening or closing line (what is between is not read for the above)."""
