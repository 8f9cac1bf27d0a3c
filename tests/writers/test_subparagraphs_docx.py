"""Sub-paragraphs in the DOCX: named styles per degree, the marker as text then a tab, in each language.

One throw-away document in English, Spanish and French: a numbered paragraph with sub-paragraphs
of four degrees (one labelled, one with a further paragraph), a reference to the labelled one,
and a note holding a bulleted list, a quote and sub-paragraphs. Read back as OOXML with lxml; and, when
LibreOffice is installed, as the PDF it makes of the DOCX.
"""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from conftest import add_document, require_tool
from lxml import etree
from test_docx import NS, style_of, text_of, w

from councildoc.cli import main

LANGS = ("en", "es", "fr")
LONG = "a first item long enough to run over more than one line of the page, " * 3

SOURCE = """\
---
lang: {lang}
title: Sub-paragraphs
---

# Introduction

The Council notes the following.[^n1]

(a) {long}end.
(b) {{#para:x}}
    second item, labelled,

    a further paragraph of the second item,

    (i) roman one,
    (ii) roman two

         a. third degree

            i. fourth degree one,
            ii. fourth degree two.

(c) third item.

As said in @para:x, all is well.

A third paragraph.

[^n1]: A note with a list.

    - bullet one,
    - bullet two.

    > A quotation in the note.

    And sub-paragraphs.

    (a) note sub one,
    (b) note sub two.
"""

MARKERS = {
    "en": ["(a)", "(b)", "(i)", "(ii)", "a.", "i.", "ii.", "(c)"],
    "es": ["a)", "b)", "i)", "ii)", "a.", "i.", "ii.", "c)"],
    "fr": ["a)", "b)", "i)", "ii)", "a.", "i.", "ii.", "c)"],
}
CITATION = {"en": "1 (b)", "es": "1 b)", "fr": "1 b)"}


def expected_body(lang: str) -> list[tuple[str, str]]:
    """Every paragraph of the body after its title: (style id, text with tabs as \\t)."""
    a, b, i, ii, a3, i4, ii4, c = MARKERS[lang]
    return [
        ("Heading2", "I. Introduction"),
        ("NumberedParagraph", "1.\tThe Council notes the following."),
        ("SubParagraph1", f"{a}\t{LONG}end."),
        ("SubParagraph1", f"{b}\tsecond item, labelled,"),
        ("SubParagraph1Continued", "a further paragraph of the second item,"),
        ("SubParagraph2", f"{i}\troman one,"),
        ("SubParagraph2", f"{ii}\troman two"),
        ("SubParagraph3", f"{a3}\tthird degree"),
        ("SubParagraph4", f"{i4}\tfourth degree one,"),
        ("SubParagraph4", f"{ii4}\tfourth degree two."),
        ("SubParagraph1", f"{c}\tthird item."),
        # The sub-paragraphs take no number: the next paragraph is 2.
        ("NumberedParagraph", f"2.\tAs said in {CITATION[lang]}, all is well."),
        ("NumberedParagraph", "3.\tA third paragraph."),
    ]


def build(project: Path) -> dict[str, Path]:
    """The document in each language, built by the real CLI; the DOCX of each."""
    add_document(project, "sub", {lang: SOURCE.format(lang=lang, long=LONG) for lang in LANGS})
    assert main(["--format", "docx", "--project", str(project)]) == 0
    return {lang: project / "output" / "sub" / lang / "sub.docx" for lang in LANGS}


def xml_part(docx: Path, name: str):
    with zipfile.ZipFile(docx) as archive:
        return etree.fromstring(archive.read(name))


def body_paragraphs(docx: Path) -> list[tuple[str | None, str]]:
    paragraphs = list(xml_part(docx, "word/document.xml").iter(w("p")))
    title = next(index for index, p in enumerate(paragraphs) if style_of(p) == "DocumentTitle")
    return [(style_of(p), text_of(p)) for p in paragraphs[title + 1:] if text_of(p)]


def note_paragraphs(docx: Path) -> list:
    notes = xml_part(docx, "word/footnotes.xml")
    (note,) = [n for n in notes.findall("w:footnote", NS) if n.get(w("type")) is None]
    return note.findall("w:p", NS)


@pytest.fixture
def built(project) -> dict[str, Path]:
    return build(project)


def test_each_degree_in_its_style_marker_tab_text_in_each_language(built):
    for lang, docx in built.items():
        assert body_paragraphs(docx) == expected_body(lang), lang


def test_styles_hang_each_degree_one_step_further(built):
    styles = xml_part(built["en"], "word/styles.xml")

    def style(style_id: str):
        found = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
        assert found is not None, style_id
        return found

    step = 720  # 1.27 cm: the numbered paragraph's tab
    for degree in range(1, 5):
        first = style(f"SubParagraph{degree}")
        assert first.find("w:name", NS).get(w("val")) == f"Sub-paragraph {degree}"
        indent, tab = first.find("w:pPr/w:ind", NS), first.find("w:pPr/w:tabs/w:tab", NS)
        # The marker at the text of the degree above, the text (and its wrapped lines) one step in.
        assert (indent.get(w("left")), indent.get(w("hanging"))) == (str(step * (degree + 1)), str(step))
        assert tab.get(w("pos")) == str(step * (degree + 1))
        further = style(f"SubParagraph{degree}Continued")
        assert further.find("w:name", NS).get(w("val")) == f"Sub-paragraph {degree} Continued"
        assert further.find("w:pPr/w:ind", NS).get(w("left")) == str(step * (degree + 1))
        assert further.find("w:pPr/w:ind", NS).get(w("hanging")) is None
        for name in (f"FootnoteSubParagraph{degree}", f"FootnoteSubParagraph{degree}Continued"):
            in_note = style(name)
            assert in_note.find("w:basedOn", NS).get(w("val")) == name.removeprefix("Footnote")
            assert in_note.find("w:rPr/w:sz", NS).get(w("val")) == "20"  # the note's 10 pt
    assert style("FootnoteList").find("w:rPr/w:sz", NS).get(w("val")) == "20"
    assert style("FootnoteBlockText").find("w:pPr/w:ind", NS).get(w("left")) == str(step)  # as the body's quotes


def test_the_note_holds_its_list_and_sub_paragraphs(built):
    for lang, docx in built.items():
        paragraphs = note_paragraphs(docx)
        assert [(style_of(p), text_of(p).split("\t")[-1].strip()) for p in paragraphs] == [
            ("FootnoteText", "A note with a list."),
            ("FootnoteList", "bullet one,"),
            ("FootnoteList", "bullet two."),
            ("FootnoteBlockText", "A quotation in the note."),
            ("FootnoteText", "And sub-paragraphs."),
            ("FootnoteSubParagraph1", "note sub one,"),
            ("FootnoteSubParagraph1", "note sub two."),
        ], lang
        bullets = [p for p in paragraphs if style_of(p) == "FootnoteList"]
        assert all(p.find("w:pPr/w:numPr", NS) is not None for p in bullets), "still a Word bulleted list"
        assert paragraphs[0].find(".//w:footnoteRef", NS) is not None


def test_a_notes_sub_paragraphs_are_lettered_in_its_language(built):
    for lang, docx in built.items():
        subparagraphs = [p for p in note_paragraphs(docx) if style_of(p) == "FootnoteSubParagraph1"]
        assert [text_of(p) for p in subparagraphs] == [f"{MARKERS[lang][0]}\tnote sub one,",
                                                        f"{MARKERS[lang][1]}\tnote sub two."], lang


def test_libreoffice_shows_the_markers_and_hangs_the_text(built, tmp_path):
    soffice = require_tool("soffice")
    for lang, docx in built.items():
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / lang), str(docx)],
                       check=True, capture_output=True, timeout=180)
        with pdfplumber.open(tmp_path / lang / "sub.pdf") as pdf:
            page = pdf.pages[1]  # the cover, then the body
            words = page.extract_words()
            lines = [line["text"] for line in page.extract_text_lines()]
        body = lines[: next(i for i, line in enumerate(lines) if line.startswith("3."))]
        markers = MARKERS[lang]
        assert [line.split()[0] for line in body if line.split()[0] in markers] == markers, lang
        assert f"As said in {CITATION[lang]}, all is well." in " ".join(lines)
        # The note's own (LibreOffice sets a note's first tab at no width: "(a)note", see docs/docx.md).
        squeezed = "".join("".join(lines).split())
        assert f"{markers[0]}notesubone,{markers[1]}notesubtwo." in squeezed, lang
        first = {}
        for word in words:
            first.setdefault(word["text"], word)
        assert from_margin(first["1."]) == 0
        # Degree 1: the marker at the paragraph text's 1.27 cm, its text one step in; and so on down.
        assert [from_margin(first[m]) for m in markers] == [1.27, 1.27, 2.54, 2.54, 3.81, 5.08, 5.08, 1.27], lang
        assert [from_margin(first[w]) for w in ("second", "roman", "third")] == [2.54, 3.81, 5.08]
        # The long item's second line wraps back to its text, not to its marker.
        wrapped = next(word for word in words if word["top"] > first[markers[0]]["bottom"])
        assert from_margin(wrapped) == 2.54, lang


def from_margin(word: dict) -> float:
    """Where a word of the PDF starts, in centimetres from the left margin (2.5 cm)."""
    return round(word["x0"] * 2.54 / 72 - 2.5, 2)
