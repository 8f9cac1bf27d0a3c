"""Tables: parsed from pipe tables, numbered through the document, notes lettered per table,
written by every writer, compared across editions (shape and figures) and in the redline."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, compile_text

from councildoc.dump import dump
from councildoc.numbers import check_conventions, compare_figures
from councildoc.parity import compare
from councildoc.redline import compare as redline
from councildoc.textconv import from_docx, from_html
from councildoc.writers.docx import write_docx
from councildoc.writers.html import make_environment, write_html
from councildoc.writers.text import write_text

EN = """---
lang: en
title: Budget
---

# Summary

The budget is in @tbl:budget; the staff in @tbl:staff.

| Item | 2009 | 2010 |
|:-----|-----:|------|
| Staff costs[^staff] | 1,234.5 | 2,000 |
| Office costs | 30 | – |

: Budget summary[^usd] {#tbl:budget}

{.source}
Financial report 2009.

A second paragraph.[^body]

[^staff]: Including consultants.
[^usd]: In thousands of United States dollars.
[^body]: A body note.

::: {.annex}
# Staff

| Grade | Posts |
|---|---|
| P-5 | 12 |

: Posts by grade {#tbl:staff}

The annex's paragraph.
:::
"""

FR = """---
lang: fr
title: Budget
---

# Résumé

Le budget figure au tableau @tbl:budget ; le personnel au tableau @tbl:staff.

| Poste | 2009 | 2010 |
|:-----|-----:|------|
| Dépenses de personnel[^staff] | 1 234,5 | 2 000 |
| Bureaux | 30 | – |

: Résumé du budget[^usd] {#tbl:budget}

{.source}
Rapport financier 2009.

Un deuxième paragraphe.[^body]

[^staff]: Y compris les consultants.
[^usd]: En milliers de dollars des États-Unis.
[^body]: Une note.

::: {.annex}
# Personnel

| Classe | Postes |
|---|---|
| P-5 | 12 |

: Postes par classe {#tbl:staff}

Le paragraphe de l'annexe.
:::
"""


def build(text: str, path: str = "en.md", lang: str = "en"):
    document, diagnostics = compile_text(text, path, lang)
    assert [str(d) for d in diagnostics] == []
    return document


def test_a_pipe_table_is_numbered_its_notes_lettered_caption_first_and_its_number_columns_right():
    document = build(EN)
    table = document.body.tables[0]
    assert (table.number, table.label, table.anchor) == (1, "tbl:budget", "tbl-budget")
    # The source says left, right and nothing: a column of numbers and dashes goes right.
    assert table.aligns == ("left", "right", "right")
    # The caption's note is called first on the page (above the table): it is a, the cell's b.
    assert [(n.letter, n.label) for n in table.notes] == [("a", "usd"), ("b", "staff")]
    # A table note is not a footnote of the part: the part's notes are numbered without it.
    assert [(n.number, n.label) for n in document.body.notes] == [(1, "body")]
    assert "Staff costs[^b=staff]" in dump(document)
    # Annex tables run on from the body's: one table 2 in the whole document.
    assert document.annexes[0].tables[0].number == 2
    text = write_text(document)
    assert "The budget is in 1; the staff in 2." in text


def test_the_review_text_sets_a_table_as_one_block():
    text = write_text(build(EN))
    assert ("Table 1\nBudget summary[a]\nItem | 2009 | 2010\nStaff costs[b] | 1,234.5 | 2,000\n"
            "Office costs | 30 | –\nSource: Financial report 2009.\n[a] In thousands of United States dollars.\n"
            "[b] Including consultants.\n\n2. A second paragraph.[1]") in text


def test_the_french_edition_says_tableau_and_source_with_its_space():
    text = write_text(build(FR, "fr.md", "fr"))
    assert "Tableau 1\nRésumé du budget[a]\n" in text
    assert "Source\u00a0: Rapport financier 2009." in text.replace("Source :", "Source\u00a0:")


def test_html_table_has_a_caption_column_and_row_heads_and_scrolls_in_its_own_box():
    html = write_html(build(EN), make_environment(ROOT / "templates"), "")
    assert '<div class="table-scroll" role="region" tabindex="0" aria-label="Table 1">' in html
    assert '<caption><span class="table-number">Table 1</span> <span class="table-title">Budget summary' in html
    assert '<th scope="col" class="align-right">2009</th>' in html
    # The 2009 column has decimals (1,234.5): aligned on the separator, 30's empty fraction as wide as ".5".
    assert ('<th scope="row" class="align-left">Office costs</th><td class="align-right decimal"><span class="integer">'
            '30</span><span class="fraction" style="min-width: 2ch"></span></td>') in html
    # The notes stand under the table, on paper too: never floated to the page's foot.
    printed = write_html(build(EN), make_environment(ROOT / "templates"), "", for_print=True)
    assert '<ol class="table-notes"><li id="tbl-budget-note-a">' in printed
    assert 'class="footnote" id="tbl-budget' not in printed


def _docx(document) -> tuple[bytes, str, str]:
    data, diagnostics = write_docx(document, ROOT / "styles")
    assert diagnostics == []
    archive = zipfile.ZipFile(io.BytesIO(data))
    return data, archive.read("word/document.xml").decode(), archive.read("word/styles.xml").decode()


def test_docx_table_is_a_word_table_whose_heads_repeat_and_rows_never_split(tmp_path: Path):
    data, body, styles = _docx(build(EN))
    table = body[body.index("<w:tbl>"):body.index("</w:tbl>")]
    assert '<w:tblStyle w:val="Table" />' in table
    assert 'w:val="Council Table"' in styles
    rows = table.split("<w:tr>")[1:]
    assert len(rows) == 3
    assert all("<w:cantSplit />" in row for row in rows)
    assert ["w:tblHeader" in row for row in rows] == [True, False, False]
    assert body.count('<w:pStyle w:val="TableNote" />') == 2
    after = body[body.index("</w:tbl>"):]
    assert after.index("TableSource") < after.index("TableNote") < after.index("A second paragraph")


def test_textconv_reads_the_tables_back_from_html_and_docx(tmp_path: Path):
    document = build(EN)
    expected = write_text(document)
    assert from_html(write_html(document, make_environment(ROOT / "templates"), "").encode()) == expected
    path = tmp_path / "en.docx"
    path.write_bytes(_docx(document)[0])
    assert from_docx(path) == expected


@pytest.mark.parametrize(("source", "message"), [
    ("# H\n\n: A caption alone\n\nText.\n", "a table caption (': Title') must follow its table"),
    ("Text.\n\n+---+---+\n| a | b |\n+===+===+\n| 1 | 2 |\n+---+---+\n", "a table without a title"),
    ("Text.[^n]\n\n[^n]: Note.\n\n    | a | b |\n    |---|---|\n    | 1 | 2 |\n", "a table in a note"),
    ("Text @tbl:none.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n: T {#tbl:some}\n", "unknown label 'tbl:none'"),
    ("Text.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n: T {#para:x}\n", "a table's label must start with 'tbl:'"),
    ("Text.\n\n{.source}\nNowhere.\n", "a {.source} paragraph must follow a table"),
    ("Text.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n: T {#tbl:x .wide}\n",
     "class '.wide' is not supported on a table caption"),
])
def test_what_a_table_cannot_be_is_an_error_at_its_place(source, message):
    _, diagnostics = compile_text(f"---\nlang: en\ntitle: T\n---\n\n{source}")
    assert any(message in str(d) for d in diagnostics), [str(d) for d in diagnostics]


def test_parity_reports_a_table_of_another_shape():
    fr = FR.replace("| Bureaux | 30 | – |\n", "")
    found = [str(d) for d in compare(build(EN), build(fr, "fr.md", "fr"))]
    assert any("table 1 (tbl:budget) has 3 columns, 1 head rows and 1 rows; the en edition (en.md:" in m
               and ": 3, 1 and 2" in m for m in found), found


def test_a_figure_changed_in_one_edition_is_an_error_with_both_positions():
    assert compare_figures(build(EN), build(FR, "fr.md", "fr")) == []
    fr = FR.replace("1 234,5", "1 243,5")
    found = [str(d) for d in compare_figures(build(EN), build(fr, "fr.md", "fr"))]
    # The source lines: the French cell is on line 12, column 33; the English one on line 12, column 23.
    line = fr.split("\n").index("| Dépenses de personnel[^staff] | 1 243,5 | 2 000 |") + 1
    column = fr.split("\n")[line - 1].index("1 243,5") + 1
    en_line = EN.split("\n").index("| Staff costs[^staff] | 1,234.5 | 2,000 |") + 1
    en_column = EN.split("\n")[en_line - 1].index("1,234.5") + 1
    # French typography sets a narrow no-break space between the thousands: the message shows it.
    assert found == [f"fr.md:{line}:{column}: error: table 1, row 'Dépenses de personnel', column 2009: "
                     f"1\u202f243,5 in fr.md:{line}:{column}, 1,234.5 in en.md:{en_line}:{en_column}\n"
                     "  hint: the figures of a table are the same in every edition"]


def test_a_figure_written_against_the_editions_convention_is_a_warning():
    assert check_conventions(build(FR, "fr.md", "fr")) == []
    fr = FR.replace("1 234,5", "1,234.5")
    found = [str(d) for d in check_conventions(build(fr, "fr.md", "fr"))]
    assert len(found) == 1 and "warning: '1,234.5' is not written as fr writes numbers" in found[0]


def test_the_redline_shows_the_changed_cell():
    new = build(EN.replace("| Office costs | 30 |", "| Office costs | 35 |"))
    result = redline(build(EN), new)
    table = result.parts[0].tables[0]
    assert table.kind == "changed"
    assert [(item.marker, [(op, t.shown) for op, t in item.words]) for item in table.items] == [
        ("Office costs, 2009", [("-", "30"), ("+", "35")])]
    assert "tables 0 added, 0 removed, 1 changed" in result.summary()


WRAPPING = EN.replace("| Office costs | 30 | – |",
                      "| Office costs, rent, utilities, security, cleaning, maintenance of the premises and "
                      "insurance of the buildings and their contents[^rent] | 30 |  |").replace(
    "[^body]: A body note.", "[^body]: A body note.\n[^rent]: Of the offices in Geneva.")
LONG = EN.replace("# Staff\n", "# Staff\n\n" + "\n".join(f"| G-{n} | {n * 7} |" for n in range(1, 73)).join(
    ["| Grade | Posts |\n|---|--:|\n", "\n\n: Many rows, in a table long enough to cross onto the next page "
     "and to have its head rows repeated there {#tbl:long}\n"]))


@pytest.mark.parametrize("source", ["EN", "WRAPPING", "LONG", "LANDSCAPE"])
def test_textconv_reads_the_tables_back_from_the_pdf(tmp_path: Path, source: str):
    """A cell that wraps onto three lines, an empty cell, a caption that wraps, a table that crosses
    a page (its repeated head rows are not read twice) and a table that ends the document."""
    from councildoc.textconv import from_pdf
    from councildoc.writers.pdf import write_pdf

    document = build(_wide(9, " .landscape") if source == "LANDSCAPE" else globals()[source])
    pdf, problems = write_pdf(document, make_environment(ROOT / "templates"), ROOT / "styles")
    assert not problems
    path = tmp_path / "en.pdf"
    path.write_bytes(pdf)
    assert from_pdf(path) == write_text(document)


def _page_heads(pdf: bytes) -> list[str]:
    """What each page of ``pdf`` prints at the left of its top margin."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [page.crop((0, 0, page.width / 2, 2.5 / 2.54 * 72)).extract_text() for page in document.pages]


def test_a_table_that_runs_onto_another_page_says_continued_there_in_the_editions_words():
    """Only on the page the rows run onto; not on the table's first page, nor for a table moved
    whole to the next page (its caption is kept with its first row)."""
    from councildoc.writers.pdf import write_pdf

    environment = make_environment(ROOT / "templates")
    pdf, problems = write_pdf(build(LONG), environment, ROOT / "styles")
    assert not problems
    assert _page_heads(pdf) == ["", "", "", "Table 2 (continued)", ""]
    spanish = LONG.replace("lang: en", "lang: es")
    pdf, problems = write_pdf(build(spanish, "es.md", "es"), environment, ROOT / "styles")
    assert not problems
    assert "Cuadro 2 (continuación)" in _page_heads(pdf)


def test_the_continued_line_is_set_in_the_first_layout(layouts):
    """By a named string (``continued_strings_css``): no second layout to place it page by page."""
    from councildoc.writers.pdf import write_pdf

    document = build(LONG)
    pdf, problems = write_pdf(document, make_environment(ROOT / "templates"), ROOT / "styles")
    assert not problems
    assert "Table 2 (continued)" in _page_heads(pdf)
    assert len(layouts) == len(document.parts) == 2  # one layout of each part: the body, the annex


def _wide(columns: int, attributes: str) -> str:
    heads = " | ".join(f"Column heading {n}" for n in range(columns))
    figures = " | ".join(f"{n * 1000000 + 1:,}.5" for n in range(columns))
    return EN.replace("# Staff\n", f"# Staff\n\nThe figures.\n\n| {heads} |\n|{'--:|' * columns}\n| {figures} |\n\n"
                      f": Wide {{#tbl:wide{attributes}}}\n")


def test_a_table_wider_than_the_text_block_is_an_error_at_its_place_with_a_hint():
    from councildoc.writers.pdf import write_pdf

    source = _wide(9, "")
    pdf, problems = write_pdf(build(source), make_environment(ROOT / "templates"), ROOT / "styles")
    line = source.splitlines().index("The figures.") + 3  # the table's first line, in the test's own input
    assert pdf is None
    assert [(p.pos.line, p.message.split(" is ")[0]) for p in problems] == [(line, "table 2")]
    assert "wider than the portrait page's text block (16.0 cm)" in problems[0].message
    assert ".landscape" in problems[0].hint


def test_a_table_marked_landscape_gets_a_landscape_page_with_its_annex_running_head():
    import pdfplumber

    from councildoc.writers.pdf import write_pdf

    pdf, problems = write_pdf(build(_wide(9, " .landscape")), make_environment(ROOT / "templates"), ROOT / "styles")
    assert problems == []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        sizes = [(round(page.width), round(page.height)) for page in document.pages]
        heads = [page.crop((page.width / 2, 0, page.width, 2.5 / 2.54 * 72)).extract_text().splitlines()[-1]
                 for page in document.pages[1:]]
        wide = next(page for page in document.pages if "8,000,001.5" in page.extract_text())
    assert sizes == [(595, 842), (595, 842), (595, 842), (842, 595), (595, 842)]
    assert wide.width > wide.height
    assert heads == ["Page 1", "Annex, page 1", "Annex, page 2", "Annex, page 3"]


def test_a_landscape_table_too_wide_even_so_is_an_error():
    from councildoc.writers.pdf import write_pdf

    pdf, problems = write_pdf(build(_wide(16, " .landscape")), make_environment(ROOT / "templates"), ROOT / "styles")
    assert pdf is None and len(problems) == 1
    assert "wider than the landscape page's text block (24.7 cm)" in problems[0].message
