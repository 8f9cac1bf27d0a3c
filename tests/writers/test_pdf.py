"""The PDF edition, read back: text and positions (pdfplumber), structure (pypdf)."""

from __future__ import annotations

import re

import pdfplumber
import pypdf
import pytest
from conftest import add_document
from lxml import html

from councildoc.cli import main

A4_WIDTH, A4_HEIGHT = 595.28, 841.89
MARGIN = 2.5 / 2.54 * 72  # 2.5 cm
TAB = 1.27 / 2.54 * 72    # 1.27 cm


@pytest.fixture(scope="module")
def built(real_project):
    return real_project


@pytest.fixture(scope="module")
def pdf_path(built):
    return built / "output/mc-inf-298/es/mc-inf-298.pdf"


@pytest.fixture(scope="module")
def pages(pdf_path):
    """Each page's words, with positions."""
    with pdfplumber.open(pdf_path) as pdf:
        return [page.extract_words(keep_blank_chars=False, extra_attrs=["size", "fontname"]) for page in pdf.pages]


@pytest.fixture(scope="module")
def reader(pdf_path):
    return pypdf.PdfReader(pdf_path)


def head(words) -> str:
    """The running head: the words in the top margin."""
    return " ".join(w["text"] for w in words if w["bottom"] < MARGIN)


def test_a4_pages(reader):
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) == (595.3, 841.9)


def test_cover_carries_the_masthead_without_running_head(pages):
    cover = pages[0]
    text = " ".join(w["text"] for w in cover)
    assert text.startswith("MC/INF/298 Original: inglés 12 de noviembre de 2009 NONAGÉSIMA OCTAVA REUNIÓN")
    assert "DERECHOS HUMANOS DE LOS MIGRANTES POLÍTICA Y ACTIVIDADES DE LA OIM" in text
    symbol = next(w for w in cover if w["text"] == "MC/INF/298")
    assert abs(symbol["x1"] - (A4_WIDTH - MARGIN)) < 1, "the symbol is flush right"
    assert symbol["top"] >= MARGIN - 1, "in the text area, not a running head"
    assert "Página" not in text


def test_every_page_after_the_cover_has_symbol_and_page_number(pages):
    heads = [head(words) for words in pages[1:]]
    body = [h for h in heads if "Anexo" not in h]
    annex = [h for h in heads if "Anexo" in h]
    assert body == [f"MC/INF/298 Página {n}" for n in range(1, len(body) + 1)]
    assert annex == [f"MC/INF/298 Anexo, página {n}" for n in range(1, len(annex) + 1)], "annex pages restart at 1"
    assert len(body) >= 4 and len(annex) >= 5


def test_running_head_sits_in_the_top_margin(pages):
    for words in pages[1:]:
        symbol = next(w for w in words if w["text"] == "MC/INF/298")
        assert 30 < symbol["top"] and symbol["bottom"] < MARGIN
        body_words = [w for w in words if w["top"] > MARGIN - 1]
        assert min(w["top"] for w in body_words) >= MARGIN - 1


def test_body_first_page_repeats_the_title_with_note_one(pages):
    first = pages[1]
    text = " ".join(w["text"] for w in first if w["top"] > MARGIN - 1)
    assert text.startswith("DERECHOS HUMANOS DE LOS MIGRANTES POLÍTICA Y ACTIVIDADES DE LA OIM 1 I. INTRODUCCIÓN")
    call = next(w for w in first if w["text"] == "1" and w["top"] < 200)
    assert call["size"] < 9, "the title's note call is a superscript"
    notes = " ".join(w["text"] for w in first if w["size"] < 11 and w["top"] > A4_HEIGHT / 2)
    assert "1En el presente documento se actualiza" in notes.replace("1 En", "1En")


def test_every_note_is_on_the_page_of_its_call(reader):
    destinations = {name: reader.get_destination_page_number(d) for name, d in reader.named_destinations.items()}
    notes = sorted(name for name in destinations if re.fullmatch(r"(annex-)?fn\d+", name))
    assert len(notes) == 19
    for note in notes:
        call = note.replace("fn", "fnref")
        assert destinations[call] == destinations[note], f"{note}: call on page {destinations[call] + 1}"


def test_notes_are_10pt_at_the_foot_under_a_short_rule(pages, pdf_path):
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[1]
        notes = [w for w in pages[1] if 9.5 < w["size"] < 10.5]
        body = [w for w in pages[1] if w["size"] > 11 and MARGIN < w["top"] < A4_HEIGHT - MARGIN]
        assert len(notes) > 100 and min(w["top"] for w in notes) > A4_HEIGHT / 2
        # The notes' glyphs sit 2.5 pt low on their lines (to clear the rule): the last
        # descenders may reach that far into the bottom margin, no further.
        assert max(w["bottom"] for w in notes) <= A4_HEIGHT - MARGIN + 3.5
        assert min(w["top"] for w in notes) > max(w["bottom"] for w in body) + 13
        rules = [i for i in page.images] + [r for r in page.rects]
        assert rules, "a separator is drawn above the notes"


def _numbers(pages, kind):
    """Paragraph numbers at the margin, section numbers on centred headings, per part."""
    body, annex, part = [], [], None
    for words in pages[1:]:
        if any(w["text"] == "Anexo," for w in words):
            part = annex
        else:
            part = body
        lines: dict[float, list] = {}
        for w in words:
            if w["size"] > 11 and w["top"] > MARGIN - 1:
                lines.setdefault(round(w["top"]), []).append(w)
        for top in sorted(lines):
            first = min(lines[top], key=lambda w: w["x0"])
            if kind == "para" and re.fullmatch(r"\d+\.", first["text"]) and abs(first["x0"] - MARGIN) < 1:
                part.append(int(first["text"][:-1]))
            if kind == "sec" and re.fullmatch(r"[IVX]+\.", first["text"]) and first["x0"] > MARGIN + 100:
                part.append(first["text"][:-1])
    return body, annex


def test_paragraph_numbers_at_the_margin_equal_the_html(pages, built):
    body, annex = _numbers(pages, "para")
    assert body == list(range(1, 25)) and annex == list(range(1, 49))
    page = html.parse(str(built / "output/mc-inf-298/es/mc-inf-298.html")).getroot()
    assert body == [int(a.text[:-1]) for a in page.xpath("//article[@id='body']//a[@class='para-num']")]
    assert annex == [int(a.text[:-1]) for a in page.xpath("//section[@id='annex']//a[@class='para-num']")]


def test_paragraph_text_starts_at_the_tab(pages):
    for words in pages[1:]:
        for w in words:
            if re.fullmatch(r"\d+\.", w["text"]) and abs(w["x0"] - MARGIN) < 1 and w["size"] > 11:
                after = min((v for v in words if abs(v["top"] - w["top"]) < 1 and v["x0"] > w["x1"]),
                            key=lambda v: v["x0"])
                assert abs(after["x0"] - (MARGIN + TAB)) < 1


def test_section_numbers_equal_the_html(pages):
    body, _ = _numbers(pages, "sec")
    assert body == ["I", "II", "III", "IV", "V"]


def test_fonts_are_embedded_liberation_serif(reader):
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for name, font in fonts.items():
        assert "Liberation-Serif" in name or "LiberationSerif" in name, name
        if "/FontDescriptor" not in font:
            font = font["/DescendantFonts"][0].get_object()
        descriptor = font["/FontDescriptor"]
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), f"{name} is embedded"


def test_metadata_outline_and_language(reader):
    meta = reader.metadata
    assert meta["/Title"] == "MC/INF/298 – Derechos humanos de los migrantes"
    assert meta["/Subject"] == "MC/INF/298"
    assert reader.trailer["/Root"]["/Lang"] == "es"
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    assert [t for t in titles if re.match(r"[IVX]+\.", t)] == [
        "I. Introducción", "II. Mandato", "III. Actividades", "IV. Asociados", "V. Conclusión"]
    assert "Anexo" in titles and "Middle East" in titles


def test_note_calls_and_references_are_live_links(reader):
    targets = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
                targets.append(str(annot["/Dest"]))
    assert {f"fn{n}" for n in range(1, 16)} <= set(targets)
    assert "annex" in targets, "paragraph 19's reference to the annex links to it"


def test_two_builds_give_identical_bytes(built, pdf_path):
    first = pdf_path.read_bytes()
    assert main(["--lang", "es", "--format", "pdf", "--project", str(built)]) == 0
    assert pdf_path.read_bytes() == first


def test_pdf_ua_variant_is_tagged_with_its_language(project):
    add_document(project, "doc", {"en": "---\nlang: en\ntitle: T\n---\n\n# S\n\nText.[^n]\n\n[^n]: Note.\n"})
    assert main(["--format", "pdf", "--pdf-variant", "pdf/ua-1", "--project", str(project)]) == 0
    root = pypdf.PdfReader(project / "output/doc/en/doc.pdf").trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"


def test_a_stylesheet_cannot_make_the_build_read_other_files(project, capsys):
    add_document(project, "doc", {"en": "---\nlang: en\ntitle: T\n---\n\n# S\n\nText.\n"})
    css = project / "styles/council-print.css"
    css.write_text(css.read_text() + '\nbody { background: url("file:///etc/passwd"); }\n'
                   'p { background: url("https://example.org/x.png"); }\n')
    assert main(["--format", "pdf", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "refused to load file:///etc/passwd" in err
    assert "refused to load https://example.org/x.png" in err
    assert not (project / "output/doc/en/doc.pdf").exists()


def test_no_page_ends_with_a_heading(pdf_path):
    headings = {"I. INTRODUCCIÓN", "II. MANDATO", "III. ACTIVIDADES", "IV. ASOCIADOS", "V. CONCLUSIÓN",
                "Africa", "Middle East", "Latin America and the Caribbean", "Asia and Oceania", "Europe",
                "IOM ACTIVITIES IN THE FIELD", "Anexo"}
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages[1:], start=2):
            body = [line for line in page.extract_text_lines()
                    if line["top"] > MARGIN - 1 and line["chars"][0]["size"] > 11]
            assert body[-1]["text"].strip() not in headings, f"page {number} ends with a heading"
