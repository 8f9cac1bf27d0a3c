"""Golden tests on dump(): numbering and references (docutils' test_transforms)."""

from __future__ import annotations

import os

import pytest
from conftest import FIXTURES, case_params, compile_text, read_cases

from councildoc.dump import dump
from councildoc.transforms import letter, roman

ACCEPT = "COUNCILDOC_ACCEPT=1 python -m pytest tests/test_transforms.py"


def _accept_all() -> None:
    """Rewrite fixtures/transforms.txt with what the build gives now."""
    out = []
    for case in read_cases("transforms.txt"):
        document, _ = compile_text(case.source)
        out.append(f"=== {case.name}\n{case.source}--- dump\n{dump(document)}")
    (FIXTURES / "transforms.txt").write_text("".join(out), encoding="utf-8")


if os.environ.get("COUNCILDOC_ACCEPT") == "1":
    _accept_all()


@pytest.mark.parametrize("case", case_params("transforms.txt"))
def test_dump_matches_golden(case):
    document, diagnostics = compile_text(case.source)
    assert [str(d) for d in diagnostics] == []
    assert dump(document) == case.expected, f"fixtures/transforms.txt:{case.line}: to accept the output, {ACCEPT}"


def test_roman_and_letters():
    assert [roman(n) for n in (1, 4, 5, 9, 14, 40, 90, 400, 1999)] == [
        "I", "IV", "V", "IX", "XIV", "XL", "XC", "CD", "MCMXCIX"]
    assert [letter(n) for n in (1, 2, 26, 27, 52, 53)] == ["A", "B", "Z", "AA", "AZ", "BA"]


def test_numbers_are_stored_once_and_writers_only_read_them():
    document, _ = compile_text("---\nlang: en\ntitle: T\n---\n\n# S\n\nOne.[^n]\n\n[^n]: Note.\n")
    paragraph = document.body.children[0].children[0]
    assert paragraph.number == 1 and paragraph.anchor == "p1"
    call = paragraph.inlines[1]
    assert call.number == 1
    note = document.body.notes[0]
    assert (note.number, note.anchor, note.call_anchor) == (1, "fn1", "fnref1")
    with pytest.raises(AttributeError):
        paragraph.number = 2  # frozen: numbered once
