"""The Spanish MC/INF/298 against the 2009 original: page ends, notes, vertical space, the note's
number gap (issue 13). The original is the seed's text; the build is read with pdfplumber."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pdfplumber
import pytest

from councildoc.textconv import _line_text, _lines

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("compare_original", ROOT / "tools" / "compare_original.py")
compare_original = importlib.util.module_from_spec(_spec)
sys.modules["compare_original"] = compare_original
_spec.loader.exec_module(compare_original)

PITCH = 13.8  # Word's single spacing for Times New Roman 12 pt
SIXTEEN_CM = 16 / 2.54 * 72


@pytest.fixture(scope="module")
def pdf_path(real_project):
    return real_project / "output/mc-inf-298/es/mc-inf-298.pdf"


def test_the_seed_shows_where_the_originals_pages_ended():
    # Read off the seed by hand: the notes under each page, the words each page ended with.
    pages = compare_original.original_pages()
    assert [(p.part, p.number, p.notes) for p in pages] == [
        ("body", 1, [1, 2, 3, 4]), ("body", 2, [5, 6, 7, 8]), ("body", 3, [9]), ("body", 4, [10, 11, 12]),
        ("body", 5, [13, 14, 15]), ("annex", 1, [1, 2]), ("annex", 2, [3, 4]), ("annex", 3, []),
        ("annex", 4, []), ("annex", 5, []), ("annex", 6, [])]
    assert [p.text.split()[-1] for p in pages][:10] == [
        "muy", "organización.", "derecho", "del", "OIM.", "region-specific", "officials,", "regional", "were",
        "develop"]
    assert [p.ends_mid_sentence for p in pages] == [True, False, True, True, False, True, True, True, True, True,
                                                    False]
    assert [p.known_end for p in pages] == [True] * 10 + [False]


def test_docs_carry_the_table_the_script_prints_for_the_build(pdf_path):
    docs = (ROOT / "docs/pdf.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- compare_original.py: begin -->\n(.*?)<!-- compare_original.py: end -->", docs, re.S)
    assert found, "docs/pdf.md has lost the script's table"
    printed = compare_original.table(compare_original.compare(compare_original.original_pages(),
                                                              compare_original.build_pages(pdf_path)))
    assert found[1] == printed, "run: python tools/compare_original.py, and paste its table into docs/pdf.md"


def test_every_page_the_seed_shows_ends_on_the_originals_line_with_its_notes(pdf_path):
    original = compare_original.original_pages()
    rows = compare_original.compare(original, compare_original.build_pages(pdf_path))
    for row in rows:
        page = row["page"]
        assert "error" not in row, (page.part, page.number, row["error"])
        assert row["built"].notes == page.notes, (page.part, page.number)
        if page.known_end:
            assert (row["lines_off"], row["mid_line"]) == (0, False), (page.part, page.number, row["build_last"])


def _baselines(page) -> list[tuple[float, str]]:
    """The page's lines in the body's size: (baseline, text)."""
    lines = [line for line in _lines(page.chars, 9.5) if line[0]["size"] > 11]
    return [(max(c["bottom"] for c in line), _line_text(line, 9.5)) for line in lines]


def _space_between(lines, above: str, below: str) -> float:
    """The blank space between two lines, in lines of the body's pitch."""
    first = next(b for b, text in lines if text == above)
    second = next(b for b, text in lines if text.startswith(below))
    return (second - first) / PITCH - 1


def test_vertical_space_as_the_house_sets_it(pdf_path):
    with pdfplumber.open(pdf_path) as pdf:
        body, annex = _baselines(pdf.pages[1]), _baselines(pdf.pages[6])
    # COUNCIL-LAYOUT / issue 13: about two lines under the body title, about three under "Anexo".
    assert _space_between(body, "POLÍTICA Y ACTIVIDADES DE LA OIM[1]", "I. INTRODUCCIÓN") == pytest.approx(2, abs=0.25)
    assert _space_between(annex, "Anexo", "IOM ACTIVITIES") == pytest.approx(3, abs=0.25)
    # and a paragraph's 12 pt after it: under a heading, less than a line
    assert _space_between(body, "I. INTRODUCCIÓN", "1.") == pytest.approx(12 / PITCH, abs=0.05)


def test_a_notes_number_is_followed_by_a_word_space_of_its_line(pdf_path):
    """Word sets "¹ En el presente…": the number, then a space of the note's text, stretched by
    justification like the line's other spaces — not a hair's breadth."""
    checked = 0
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            for line in page.extract_text_lines():
                chars = [c for c in line["chars"] if c["text"] != " "]
                if not chars or chars[0]["size"] > 8 or not chars[0]["text"].isdigit() or chars[0]["top"] < 400:
                    continue
                number = [c for c in chars if c["size"] < 8]
                text = chars[len(number):]
                gap = text[0]["x0"] - number[-1]["x1"]
                words = [b["x0"] - a["x1"] for a, b in zip(text, text[1:], strict=False) if b["x0"] - a["x1"] > 1]
                assert gap >= 2.5 - 0.01, (line["text"], gap)  # a 10 pt space of Liberation Serif: 0.25 em
                if words:
                    assert gap == pytest.approx(min(words), abs=0.05), (line["text"], gap, words)
                checked += 1
    assert checked == 19  # 15 body notes, 4 annex notes


def test_the_text_block_is_as_wide_as_words(pdf_path):
    """The text block is 9072 twips (2.5 cm margins as 1417 twips), as Word's: the annex line
    "…The outcomes of these workshops were" needs more than 16 cm and ends a page in the original."""
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            for line in _lines(page.chars, 9.5):
                if _line_text(line, 9.5).endswith("The outcomes of these workshops were"):
                    natural = sum(c["width"] for c in line)  # glyph advances, the spaces' unstretched
                    assert SIXTEEN_CM < natural < 9072 / 20
                    assert line[-1]["x1"] - line[0]["x0"] == pytest.approx(page.width - 2 * 1417 / 20, abs=0.05)
                    return
    pytest.fail("the line is not set as Word set it")
