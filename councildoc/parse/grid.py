"""Grid tables: Pandoc's ``+---+`` tables, whose cells hold several lines, read into a CommonMark source.

Pandoc's ``commonmark_x`` reader has no ``grid_tables`` extension. So a strict recogniser finds
each grid table in the source before Pandoc runs (:func:`find_grid_tables`); the table's lines
are replaced by an empty placeholder div (lines kept where they are), and each cell's text,
cut out of its box, is appended to the source in a div of its own (:func:`splice_text`).
Pandoc then reads the cells with the rest of the document — the same reader, the same notes,
the same references as a pipe table's cells — and :func:`splice_ast` builds a Pandoc ``Table``
from them at the placeholder. Each appended line is mapped back to the grid line and column it
was cut from (:class:`MappedSource`), so every diagnostic inside a cell points into the grid.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic, error
from ..model import SourcePos
from ..read import SourceText
from .pandoc import Node
from .syntax import FENCE, NOTE_DEFINITION

_RULE = re.compile(r"^( *)\+(?:[-=:]+\+)+ *$")
"""A grid table's rule line: ``+---+---+`` (``+===+`` under the column heads, ``:`` for alignment)."""
_ROW_START = re.compile(r"^ *[+|]")

PLACEHOLDER = "councildoc-grid-"
"""The id of the div that holds a grid table's place (then the table's index)."""
CELL_CLASS = "councildoc-grid-cell"
"""The class of each div that carries a cell's text."""

_HINT_COLUMNS = "keep every '|' and '+' under the '+' of the table's first line; a cell spanning columns " \
                "or rows is not supported"


@dataclass(frozen=True)
class GridCell:
    """One cell: its text lines, each with the grid line and column its first character came from."""

    lines: tuple[tuple[int, int, str], ...]
    """``(line, column, text)``; the text without the cell's common indentation."""


@dataclass(frozen=True)
class GridTable:
    """A grid table found in the source."""

    start: int
    """Its first line (the top rule)."""
    end: int
    """Its last line (the bottom rule)."""
    column: int
    """The column of its first ``+``."""
    aligns: tuple[str, ...]
    """Pandoc's alignment per column: ``AlignLeft``, ``AlignRight``, ``AlignCenter``, ``AlignDefault``."""
    head: tuple[tuple[GridCell, ...], ...]
    """The rows above the ``+===+`` rule."""
    body: tuple[tuple[GridCell, ...], ...]
    """The rows below it (all rows when there is none)."""


def _align(segment: str) -> str:
    left, right = segment.startswith(":"), segment.endswith(":")
    return {(True, True): "AlignCenter", (True, False): "AlignLeft",
            (False, True): "AlignRight"}.get((left, right), "AlignDefault")


def _cell(lines: list[tuple[int, int, str]]) -> GridCell:
    """The cell's lines, trailing space and the common indentation taken off, blank lines at both ends dropped."""
    stripped = [(number, column, text.rstrip()) for number, column, text in lines]
    while stripped and not stripped[0][2]:
        stripped.pop(0)
    while stripped and not stripped[-1][2]:
        stripped.pop()
    indent = min((len(text) - len(text.lstrip(" ")) for _, _, text in stripped if text), default=0)
    return GridCell(tuple((number, column + indent, text[indent:]) for number, column, text in stripped))


class _Refused(Exception):
    def __init__(self, line: int, column: int, message: str, hint: str | None = None):
        super().__init__(message)
        self.line, self.column, self.message, self.hint = line, column, message, hint


def _read_table(lines: list[str], start: int) -> tuple[GridTable, int]:
    """The grid table whose top rule is ``lines[start]`` (0-based), and the index after it."""
    top = lines[start]
    indent = len(top) - len(top.lstrip(" "))
    bounds = [i for i, char in enumerate(top) if char == "+"]
    if "=" in top:
        raise _Refused(start + 1, indent + 1, "a grid table's first line is a rule of '-'",
                       "write '+===+' under the column heads only")
    index = start + 1
    rows: list[list[list[tuple[int, int, str]]]] = []
    current: list[list[tuple[int, int, str]]] | None = None
    head_rows: int | None = None
    aligns = [_align(top[a + 1:b]) for a, b in itertools.pairwise(bounds)]
    while index < len(lines) and _ROW_START.match(lines[index]) and \
            len(lines[index]) - len(lines[index].lstrip(" ")) == indent:
        line, number = lines[index].rstrip(), index + 1
        if "\t" in line:
            raise _Refused(number, line.index("\t") + 1, "a tab in a grid table", "use spaces: a tab has no width")
        if line[indent] == "+":
            if not _RULE.match(line) or [i for i, c in enumerate(line) if c == "+"] != bounds:
                raise _Refused(number, indent + 1, "this rule does not keep the grid table's columns", _HINT_COLUMNS)
            if "=" in line:
                if head_rows is not None or not rows:
                    raise _Refused(number, indent + 1, "a second '+===+' rule, or one above every row",
                                   "one '+===+' rule, under the column heads")
                if "-" in line.replace(":", "").strip("+").replace("+", ""):
                    raise _Refused(number, indent + 1, "a rule of both '=' and '-'", "write '+===+' all along")
                head_rows = len(rows)
                aligns = [_align(line[a + 1:b]) for a, b in itertools.pairwise(bounds)]
            current = None
        else:
            if len(line) < bounds[-1] + 1 or any(line[b] != "|" for b in bounds):
                column = next((b for b in bounds if len(line) <= b or line[b] != "|"), bounds[-1])
                raise _Refused(number, column + 1, "this row does not keep the grid table's columns",
                               _HINT_COLUMNS + f"; a '|' is expected at column {column + 1}")
            if len(line) > bounds[-1] + 1:
                raise _Refused(number, bounds[-1] + 2, "text after a grid table's last '|'", _HINT_COLUMNS)
            if current is None:
                current = [[] for _ in aligns]
                rows.append(current)
            for cell, (a, b) in zip(current, itertools.pairwise(bounds), strict=True):
                text = line[a + 1:b]
                where = a + 2 + len(text) - len(text.lstrip())
                if FENCE.match(text.strip()) or text.strip().startswith(":::"):
                    raise _Refused(number, where, "a code fence or a fenced div in a table cell", "write text")
                if NOTE_DEFINITION.match(text.strip()):
                    raise _Refused(number, where, "a note defined in a table cell",
                                   "call it in the cell ([^label]) and define it after the table")
                cell.append((number, a + 2, text))
        index += 1
    if current is not None or index - 1 == start:
        raise _Refused(index, indent + 1, "a grid table must end with a rule line",
                       "close it with a '+---+' line like its first")
    if index < len(lines) and lines[index].strip():
        raise _Refused(index + 1, 1, "a grid table must be followed by a blank line",
                       "leave a blank line before its caption (': Title {#tbl:x}') or the next paragraph")
    if not rows:
        raise _Refused(start + 1, indent + 1, "a grid table without rows", "write its rows between the rules")
    cells = [tuple(_cell(cell) for cell in row) for row in rows]
    head, body = (cells[:head_rows], cells[head_rows:]) if head_rows is not None else ([], cells)
    return GridTable(start + 1, index, indent + 1, tuple(aligns), tuple(head), tuple(body)), index


def find_grid_tables(source: SourceText) -> tuple[list[GridTable], list[Diagnostic]]:
    """Every grid table of the source (outside code fences), or why one is malformed, at its line."""
    lines = source.text.split("\n")
    tables: list[GridTable] = []
    diagnostics: list[Diagnostic] = []
    in_fence = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if FENCE.match(line):
            in_fence = not in_fence
        rule = None if in_fence else _RULE.match(line)
        if rule is None:
            index += 1
            continue
        if len(rule[1]) > 3:
            diagnostics.append(error(source.pos(index + 1, len(rule[1]) + 1), "a table in a note, a list or a quote",
                                     "a table stands on its own in the body or an annex, not indented"))
            index += 1
            continue
        if index > 0 and lines[index - 1].strip():
            diagnostics.append(error(source.pos(index + 1, 1), "a grid table must follow a blank line",
                                     "leave a blank line between the paragraph and the table's first '+---+' line"))
            index += 1
            while index < len(lines) and _ROW_START.match(lines[index]):
                index += 1
            continue
        try:
            table, index = _read_table(lines, index)
        except _Refused as refused:
            diagnostics.append(error(source.pos(refused.line, refused.column), refused.message, refused.hint))
            while index < len(lines) and _ROW_START.match(lines[index]):
                index += 1
            continue
        tables.append(table)
    return tables, diagnostics


# --------------------------------------------------------------------------
# Splicing


@dataclass(frozen=True)
class MappedSource(SourceText):
    """The source, with the lines appended for the grid tables' cells mapped back into the grid."""

    origins: dict[int, tuple[int, int]] = field(default_factory=dict)
    """Appended line → (grid line, columns to add)."""

    def pos(self, line: int = 1, column: int = 1) -> SourcePos:
        if line in self.origins:
            grid_line, shift = self.origins[line]
            return SourcePos(self.path, grid_line, column + shift)
        return SourcePos(self.path, line, column)


def splice_text(text: str, source: SourceText, tables: list[GridTable]) -> tuple[str, MappedSource]:
    """The text Pandoc reads (each table a placeholder, the cells appended) and the source that maps it back."""
    lines = text.split("\n")
    for number, table in enumerate(tables):
        lines[table.start - 1] = f"::: {{#{PLACEHOLDER}{number}}}"
        lines[table.start] = ":::"
        for index in range(table.start + 1, table.end):
            lines[index] = ""
    origins: dict[int, tuple[int, int]] = {}
    lines += ["", ""]
    for table in tables:
        for row in (*table.head, *table.body):
            for cell in row:
                lines += [f"::: {{.{CELL_CLASS}}}"]
                for grid_line, column, content in cell.lines:
                    lines.append(content)
                    origins[len(lines)] = (grid_line, column - 1)
                lines += [":::", ""]
    return "\n".join(lines), MappedSource(source.path, source.text, origins)


_NO_ATTR: list = ["", [], []]


def _table_node(table: GridTable, cells: list[list[Node]]) -> Node:
    """The Pandoc ``Table`` of ``table``, its cells' blocks taken in order from ``cells``."""
    def rows(grid_rows: tuple[tuple[GridCell, ...], ...]) -> list:
        return [[_NO_ATTR, [[_NO_ATTR, {"t": "AlignDefault"}, 1, 1, cells.pop(0)] for _ in row]]
                for row in grid_rows]

    where = f"{table.start}:{table.column}-{table.end}:{table.column}"
    colspecs = [[{"t": align}, {"t": "ColWidthDefault"}] for align in table.aligns]
    head = rows(table.head)
    return {"t": "Table", "c": [["", [], [["data-pos", where]]], [None, []], colspecs, [_NO_ATTR, head],
                                [[_NO_ATTR, 0, [], rows(table.body)]], [_NO_ATTR, []]]}


def _take_cells(nodes: list, found: list[list[Node]]) -> None:
    """Remove the cell divs from every block list under ``nodes``, keeping their blocks in order."""
    for index in range(len(nodes) - 1, -1, -1):
        node = nodes[index]
        if isinstance(node, dict) and node.get("t") == "Div" and CELL_CLASS in node["c"][0][1]:
            found.insert(0, node["c"][1])
            del nodes[index]
        elif isinstance(node, (list, dict)):
            _take_cells(list(node.values()) if isinstance(node, dict) else node, found)


def _place(nodes: list, tables: dict[str, Node]) -> None:
    """Put each table where its placeholder div is."""
    for index, node in enumerate(nodes):
        if isinstance(node, dict) and node.get("t") == "Div" and node["c"][0][0] in tables:
            nodes[index] = tables.pop(node["c"][0][0])
        elif isinstance(node, dict):
            _place(list(node.values()), tables)
        elif isinstance(node, list):
            _place(node, tables)


def splice_ast(ast: dict, source: SourceText, tables: list[GridTable]) -> list[Diagnostic]:
    """Replace each placeholder of ``ast`` by its table, built from the cell divs (which are removed)."""
    if not tables:
        return []
    cells: list[list[Node]] = []
    _take_cells(ast["blocks"], cells)
    expected = sum(len(row) for table in tables for row in (*table.head, *table.body))
    if len(cells) != expected:
        return [error(source.pos(table.start, table.column), "the cells of this grid table could not be read",
                      "a code fence or a fenced div left open before the end of the file swallows them")
                for table in tables]
    built = {f"{PLACEHOLDER}{number}": _table_node(table, cells) for number, table in enumerate(tables)}
    _place(ast["blocks"], built)
    return [error(source.pos(tables[int(name.removeprefix(PLACEHOLDER))].start, 1),
                  "this grid table is inside another block", "leave blank lines around it")
            for name in built]
