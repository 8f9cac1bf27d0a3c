"""The figures in tables, read by each edition's locale and compared across editions.

A budget copied into three languages is rewritten three times: ``1,234.5`` in English,
``1 234,5`` in French, ``1.234,5`` in Spanish. Each cell's numbers are parsed with Babel
(CLDR's symbols for the part's language), strictly, so that a number written against its
edition's convention is a warning; then the same cell of the same table in two editions
must hold the same values, else an error names the table, the row, the column and both
positions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol

from .diagnostics import Diagnostic, SourcePos, error, warning
from .model import Document, Part, Table, TableCell
from .transforms import locale_number, plain_text

_NUMBER = re.compile(r"(?<![\w.,])[-−]?\d(?:[\d\u00a0\u202f\u2009 .,']*\d)?(?![\w])")
"""A number as typed in a cell: digits with group and decimal separators between them."""
_SPACES = "\u00a0\u202f\u2009 "


@dataclass(frozen=True)
class Figure:
    """One number of a cell: as written, where, and its value (None when it breaks the convention)."""

    written: str
    pos: SourcePos
    value: Decimal | None


def cell_figures(cell: TableCell, locale: Locale) -> list[Figure]:
    """The numbers of a cell, in order, each read by ``locale``."""
    text = plain_text(cell.inlines)
    figures = []
    for match in _NUMBER.finditer(text):
        written = match[0].strip(_SPACES)
        figures.append(Figure(written, cell.pos.shifted(match.start()), locale_number(written, locale)))
    return figures


def _convention(locale: Locale) -> str:
    return f"'{get_group_symbol(locale)}' between thousands, '{get_decimal_symbol(locale)}' before decimals"


def check_conventions(document: Document) -> list[Diagnostic]:
    """A warning for each table figure written against its part's convention (``1,243.5`` in French)."""
    found = []
    for part in document.parts:
        locale = part.language.locale
        for table in part.tables:
            for row in table.body:
                for cell in row.cells:
                    found += [
                        warning(figure.pos, f"'{figure.written}' is not written as {part.language.code} "
                                            f"writes numbers ({_convention(locale)})",
                                f"the figures of table {table.number} are compared across editions by value")
                        for figure in cell_figures(cell, locale) if figure.value is None
                    ]
    return found


def _row_name(table: Table, index: int) -> str:
    first = table.body[index].cells[0] if table.body[index].cells else None
    text = plain_text(first.inlines).strip() if first is not None else ""
    return f"'{text}'" if text else str(index + 1)


def _column_name(table: Table, column: int) -> str:
    heads = [plain_text(row.cells[column].inlines).strip() for row in table.head if column < len(row.cells)]
    return " ".join(h for h in heads if h) or str(column + 1)


def _paired_tables(ref_part: Part, part: Part) -> list[tuple[Table, Table]]:
    """The tables of two editions' parts that stand for each other: by label, else in order."""
    theirs = {t.label: t for t in ref_part.tables if t.label}
    pairs = []
    for index, table in enumerate(part.tables):
        other = theirs.get(table.label) if table.label else None
        if other is None and index < len(ref_part.tables) and not table.label:
            other = ref_part.tables[index]
        if other is not None:
            pairs.append((other, table))
    return pairs


def compare_figures(reference: Document, other: Document) -> list[Diagnostic]:
    """Every cell whose figures differ between ``other`` and ``reference`` (tables of the same shape)."""
    found = []
    for ref_part, part in zip(reference.parts, other.parts, strict=False):
        for theirs, mine in _paired_tables(ref_part, part):
            if [len(r.cells) for r in theirs.body] != [len(r.cells) for r in mine.body]:
                continue  # a different shape is the parity check's to report
            for index, (ref_row, row) in enumerate(zip(theirs.body, mine.body, strict=True)):
                for column, (ref_cell, cell) in enumerate(zip(ref_row.cells, row.cells, strict=True)):
                    a = cell_figures(ref_cell, ref_part.language.locale)
                    b = cell_figures(cell, part.language.locale)
                    if [f.value for f in a] == [f.value for f in b] or None in [f.value for f in a + b]:
                        continue  # equal, or one is miswritten (warned about on its own)
                    written = " ".join(f.written for f in b) or "nothing"
                    ref_written = " ".join(f.written for f in a) or "nothing"
                    found.append(error(
                        cell.pos if not b else b[0].pos,
                        f"table {mine.number}, row {_row_name(mine, index)}, column {_column_name(mine, column)}: "
                        f"{written} in {cell.pos if not b else b[0].pos}, {ref_written} in "
                        f"{ref_cell.pos if not a else a[0].pos}",
                        "the figures of a table are the same in every edition"))
    return found
