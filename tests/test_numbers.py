"""numbers.py: the figures of a cell read by the edition's locale, whatever space groups the thousands."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel import Locale

from councildoc.model import SourcePos, Text
from councildoc.model import TableCell as Cell
from councildoc.numbers import cell_figures

SPACES = {"space": " ", "no-break space": "\u00a0", "narrow no-break space": "\u202f", "thin space": "\u2009"}


def figures(text: str, lang: str) -> list[tuple[str, int, Decimal | None]]:
    cell = Cell((Text(text),), SourcePos("fr.md", 3, 10))
    return [(f.written, f.pos.column, f.value) for f in cell_figures(cell, Locale.parse(lang))]


@pytest.mark.parametrize("space", SPACES.values(), ids=SPACES.keys())
def test_french_groups_thousands_with_any_space(space: str):
    written = f"12{space}345{space}678,9"
    assert figures(f"Total {written}", "fr") == [(written, 16, Decimal("12345678.9"))]


@pytest.mark.parametrize("space", SPACES.values(), ids=SPACES.keys())
def test_a_space_between_thousands_is_against_english_and_spanish_convention(space: str):
    # One figure, written the wrong way: no value (check warns), never two figures 1 and 234.
    assert figures(f"1{space}234.5", "en") == [(f"1{space}234.5", 10, None)]
    assert figures(f"1{space}234,5", "es") == [(f"1{space}234,5", 10, None)]


def test_each_language_reads_its_own_separators():
    assert figures("1,234.5", "en") == [("1,234.5", 10, Decimal("1234.5"))]
    assert figures("1.234,5", "es") == [("1.234,5", 10, Decimal("1234.5"))]
    assert figures("1.234,5 and 6", "fr") == [("1.234,5", 10, None), ("6", 22, Decimal("6"))]
