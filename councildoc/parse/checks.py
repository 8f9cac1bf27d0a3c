"""Checks that read the source text itself, for what Pandoc would choke on or pass over in silence.

Some run before Pandoc reads the source (:data:`BEFORE_PANDOC`): nesting, counts and notes that
call notes, which would cost Pandoc minutes or hang it. The rest run after conversion
(:func:`check_after_conversion`): notes never called, divs never closed, lost labels.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..diagnostics import Diagnostic, error
from ..model import Part
from ..read import SourceText, line_col
from ..safety import control_character
from .grid import find_grid_tables
from .limits import MAX_ANNEXES, MAX_NESTING, MAX_NOTES, MAX_REFERENCES, MAX_SOURCE
from .syntax import FENCE, NOTE_CALL, NOTE_DEFINITION, REFERENCE

# --------------------------------------------------------------------------
# Before Pandoc

_QUOTES = re.compile(r"^(?:\s*>)+")
_LIST_ITEM = re.compile(r"^( *)(?:[-+*]|\d+[.)])\s")


def check_depth(source: SourceText) -> list[Diagnostic]:
    """Lists and quotes nested past reason are refused before Pandoc reads them (a hostile
    source nests hundreds deep to exhaust the reader)."""
    for number, line in enumerate(source.text.split("\n"), start=1):
        quotes = _QUOTES.match(line)
        depth = quotes[0].count(">") if quotes else 0
        item = _LIST_ITEM.match(line)
        if item:
            depth = max(depth, len(item[1]) // 2 + 1)
        if depth > MAX_NESTING:
            return [error(source.pos(number, 1), f"lists and quotes nest more than {MAX_NESTING} deep",
                          "flatten them")]
    return []


_ANNEX_FENCE = re.compile(r"^ {0,3}:{3,}\s*\{[^}\n]*\.annex\b", re.M)


def check_counts(source: SourceText) -> list[Diagnostic]:
    """Notes, references and annexes past any real document's count are refused before Pandoc
    reads them (tens of thousands of them cost minutes and gigabytes)."""
    counted = (
        ("notes", "MAX_NOTES", MAX_NOTES, [(line, column) for _, line, column in note_definitions(source)]),
        ("references", "MAX_REFERENCES", MAX_REFERENCES, REFERENCE.finditer(source.text)),
        ("annexes", "MAX_ANNEXES", MAX_ANNEXES, _ANNEX_FENCE.finditer(source.text)),
    )
    found = []
    for what, name, limit, places in counted:
        for count, place in enumerate(places, start=1):
            if count > limit:
                line, column = place if isinstance(place, tuple) else line_col(source.text[: place.start()])
                found.append(error(source.pos(line, column), f"more than {limit:,} {what} in one document",
                                   f"the limit is councildoc.parse.{name}; split the document"))
                break
    return found


_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def check_character_references(source: SourceText) -> list[Diagnostic]:
    """``&#1;`` and the like: Markdown turns them into the characters read.py refuses."""
    found = []
    for match in _CHARACTER_REFERENCE.finditer(source.text):
        code = int(match[1], 16) if match[1] else int(match[2])
        if code != 0 and (code > 0x10FFFF or control_character(chr(code))):  # &#0; becomes U+FFFD
            line, column = line_col(source.text[: match.start()])
            found.append(error(source.pos(line, column), f"the character reference {match[0]} stands for a "
                                                         "character no document format can carry",
                               "delete it"))
    return found


def note_definitions(source: SourceText) -> list[tuple[str, int, int]]:
    """Every ``[^label]:`` definition in the source: label, line, column."""
    found = []
    in_fence = False
    for number, line in enumerate(source.text.split("\n"), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else NOTE_DEFINITION.match(line)
        if match:
            found.append((match[1], number, line.index("[^") + 1))
    return found


def check_calls_inside_notes(source: SourceText) -> list[Diagnostic]:
    """A note called inside a note definition.

    Checked before Pandoc reads the file: Pandoc drops such a call without a word,
    and a note that calls itself (``[^a]: see [^a]``) sends it into an endless loop.
    A definition runs on to the next blank line, and over the indented lines after it.
    """
    lines = source.text.split("\n")
    found = []
    for _, number, column in note_definitions(source):
        index = number - 1
        start = lines[index].index("]:", column) + 2
        while index < len(lines):
            line = lines[index]
            for inner in NOTE_CALL.finditer(line, start):
                found.append(error(source.pos(index + 1, inner.start() + 1),
                                   f"note [^{inner[1]}] is called inside another note"))
            index, start = index + 1, 0
            if index < len(lines) and not lines[index].strip():
                while index < len(lines) and not lines[index].strip():
                    index += 1
                if index >= len(lines) or not lines[index].startswith(("    ", "\t")):
                    break
            elif index < len(lines) and NOTE_DEFINITION.match(lines[index]):
                break
    return found


# --------------------------------------------------------------------------
# After conversion


def check_note_definitions(source: SourceText, parts: list[Part]) -> list[Diagnostic]:
    """What Pandoc passes over in silence: notes never called, or defined twice."""
    called = {note.label for part in parts for note in part.notes}
    called |= {note.label for part in parts for table in part.tables for note in table.notes}
    seen: dict[str, int] = {}
    diagnostics = []
    for label, number, column in note_definitions(source):
        if label in seen:
            diagnostics.append(
                error(source.pos(number, column), f"note [^{label}] is defined twice",
                      f"first defined on line {seen[label]}")
            )
            continue
        seen[label] = number
        if label not in called:
            diagnostics.append(error(source.pos(number, column), f"note [^{label}] is defined but never called"))
    return diagnostics


_DIV_FENCE = re.compile(r"^ {0,3}(:{3,})\s*(.*?)\s*$")


def check_divs(source: SourceText) -> list[Diagnostic]:
    """A fenced div left open runs to the end of the file in Pandoc, without a word: say it."""
    opened: list[int] = []
    in_fence = False
    for number, line in enumerate(source.text.split("\n"), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _DIV_FENCE.match(line)
        if not match:
            continue
        if match[2]:
            opened.append(number)
        elif opened:
            opened.pop()
    return [error(source.pos(number, 1), "fenced div opened here is never closed", "end it with a ':::' line")
            for number in opened]


_LABEL_WRITTEN = re.compile(r"\{#([A-Za-z]+:[^\s}]+)")


def check_grid_tables(source: SourceText) -> list[Diagnostic]:
    """A malformed grid table (columns not kept, no closing rule…), at its line."""
    return find_grid_tables(source)[1]


def check_lost_labels(source: SourceText, found: set[str]) -> list[Diagnostic]:
    """A ``{#kind:label}`` that reached no node (Pandoc drops some without a word, such as one
    written after a list marker on the item's first line)."""
    diagnostics = []
    in_fence = False
    for number, line in enumerate(source.text.split("\n"), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        for match in [] if in_fence else _LABEL_WRITTEN.finditer(line):
            if match[1] not in found and not match[1].startswith("note:"):
                diagnostics.append(error(
                    source.pos(number, match.start() + 1), f"the label {{#{match[1]}}} is attached to nothing",
                    "write a label alone on the line before its paragraph or heading; in a sub-paragraph, "
                    "alone after the marker, the text on the next line indented to where the label starts: "
                    "'(b) {#para:x}' then '    The text…'"))
    return diagnostics


# --------------------------------------------------------------------------
# The two passes

BEFORE_PANDOC: tuple[Callable[[SourceText], list[Diagnostic]], ...] = (
    check_depth, check_counts, check_character_references, check_calls_inside_notes, check_grid_tables,
)
"""What refuses a source before Pandoc reads it, in the order the diagnostics are reported."""


def check_before_pandoc(source: SourceText) -> list[Diagnostic]:
    """Why Pandoc must not read ``source``: too large, or one of :data:`BEFORE_PANDOC` refuses it."""
    if len(source.text) > MAX_SOURCE:
        return [error(source.pos(1, 1), f"file of {len(source.text):,} characters (at most {MAX_SOURCE:,})")]
    return [diagnostic for check in BEFORE_PANDOC for diagnostic in check(source)]


def check_after_conversion(source: SourceText, parts: list[Part], labels: set[str]) -> list[Diagnostic]:
    """What the source says that the converted parts lost: ``labels`` are those that reached a node."""
    return (check_note_definitions(source, parts) + check_divs(source)
            + check_lost_labels(source, labels))
