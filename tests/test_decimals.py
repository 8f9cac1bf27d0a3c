"""Number columns with decimals aligned on the decimal separator, the separator each language writes:
marked by ``align_decimals``, set by the HTML/PDF (a fraction box) and the DOCX (figure spaces)."""

from __future__ import annotations

import io
import zipfile

import pytest
from conftest import ROOT, compile_text

from councildoc.writers.docx import write_docx
from councildoc.writers.html import make_environment
from councildoc.writers.pdf import write_pdf

# A change column: integers, decimals of one and two places, a dash, a figure in parentheses;
# a text column; a column of integers only. Each edition written its language's way.
FIGURES = {
    "en": ["+1", "+2.5", "–", "(12.25)", "1,234.5"],
    "fr": ["+1", "+2,5", "–", "(12,25)", "1 234,5"],
    "es": ["+1", "+2,5", "–", "(12,25)", "1.234,5"],
}
POINTS = [2, 2, 1, 3, 5]
"""Where each figure's fraction starts (hand-counted: its separator, or where its digits end)."""
WIDEST = 4
"""The widest fraction, separator and closing parenthesis included: ".25)" / ",25)"."""


def source(lang: str) -> str:
    rows = "\n".join(f"| Row {n} | {figure} | {n} |" for n, figure in enumerate(FIGURES[lang], start=1))
    return (f"---\nlang: {lang}\ntitle: T\n---\n\nText.\n\n| Item | Change | Count |\n|:--|--:|--:|\n{rows}\n"
            "| Text | n/a | 7 |\n\n: Changes {#tbl:c}\n\n| Item | Change |\n|:--|--:|\n"
            + "\n".join(f"| Row | {figure} |" for figure in FIGURES[lang]) + "\n\n: Aligned {#tbl:d}\n")


def build(lang: str):
    document, diagnostics = compile_text(source(lang), f"{lang}.md", lang)
    assert [str(d) for d in diagnostics if d.severity.name == "ERROR"] == []
    return document


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_a_column_with_decimals_is_aligned_on_the_separator_its_language_writes(lang: str):
    mixed, aligned = build(lang).body.tables
    # A column with a text cell ("n/a") is no number column; integers only need no alignment.
    assert mixed.decimals == (0, 0, 0)
    assert all(cell.point is None for row in mixed.body for cell in row.cells)
    assert aligned.decimals == (0, WIDEST)
    assert [row.cells[1].point for row in aligned.body] == POINTS
    assert [row.cells[0].point for row in aligned.body] == [None] * len(POINTS)


def test_a_figure_written_the_other_way_takes_its_column_out_of_alignment():
    # "2.5" in French has its decimals after a separator French does not write: the build will not
    # guess where its fraction starts, so the column stays right-aligned as a whole.
    text = source("fr").replace("| Row | +2,5 |", "| Row | +2.5 |")
    document, _ = compile_text(text, "fr.md", "fr")
    aligned = document.body.tables[1]
    assert aligned.decimals == (0, 0)
    assert [row.cells[1].point for row in aligned.body] == [None] * len(POINTS)


def test_the_pdf_lines_up_the_separators():
    import pdfplumber

    pdf, problems = write_pdf(build("fr"), make_environment(ROOT / "templates"), ROOT / "styles")
    assert not problems
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = next(page for page in document.pages if "Changes" in (page.extract_text() or ""))
        words, chars = page.extract_words(), page.chars
    table = [w for w in words if w["text"] in FIGURES["fr"] or w["text"] in ("234,5",)]
    assert {w["text"] for w in table} >= {"+1", "+2,5", "–", "(12,25)", "234,5"}
    last = max(w["top"] for w in words if w["text"] == "+1")  # the second table's rows
    commas = [c for c in chars if c["text"] == "," and c["top"] >= last - 1]
    assert len(commas) == 3  # +2,5, (12,25), 1 234,5
    assert max(c["x0"] for c in commas) - min(c["x0"] for c in commas) < 0.05
    # A figure without decimals ends where the separators begin.
    one = next(w for w in words if w["text"] == "+1" and w["top"] >= last - 1)
    assert abs(one["x1"] - commas[0]["x0"]) < 0.05


def test_the_docx_pads_each_fraction_to_the_columns_widest():
    data, diagnostics = write_docx(build("es"), ROOT / "styles")
    assert diagnostics == []
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    figure, punctuation = "\u2007", "\u2008"
    # ",25)" is the widest (4): "+2,5" gets two figure spaces, "+1" a punctuation space (its missing
    # separator) and three figure spaces, the dash as much; the column without decimals gets none.
    for written in (f"+2,5{figure * 2}<", f"+1{punctuation}{figure * 3}<", f"–{punctuation}{figure * 3}<",
                    "(12,25)<", f"1.234,5{figure * 2}<"):
        assert written in body, written
    assert body.count(f"+1{punctuation}") == 1  # the first table's +1 is not padded
