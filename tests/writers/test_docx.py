"""The DOCX edition, read as OOXML: styles, real footnotes, sections, running heads, languages."""

from __future__ import annotations

import re
import subprocess
import zipfile

import pdfplumber
import pytest
from conftest import require_tool
from lxml import etree

from councildoc.cli import main

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


def w(name: str) -> str:
    return f"{{{W}}}{name}"


@pytest.fixture(scope="module")
def built(real_project):
    return real_project


@pytest.fixture(scope="module")
def docx_path(built):
    return built / "output/mc-inf-298/es/mc-inf-298.docx"


@pytest.fixture(scope="module")
def package(docx_path):
    with zipfile.ZipFile(docx_path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def body(package):
    return etree.fromstring(package["word/document.xml"]).find("w:body", NS)


def style_of(paragraph) -> str | None:
    style = paragraph.find("w:pPr/w:pStyle", NS)
    return None if style is None else style.get(w("val"))


def text_of(element) -> str:
    """Visible text: w:t and tabs (as \\t); a word joiner (U+2060) prints nothing."""
    out = []
    for node in element.iter(w("t"), w("tab")):
        out.append("\t" if node.tag == w("tab") else node.text or "")
    return "".join(out).replace("\u2060", "")


def paragraphs(body):
    return [p for p in body.iter(w("p"))]


def sections(body):
    """Paragraph lists per section, each with the w:sectPr that ends it."""
    out, current = [], []
    for child in body:
        if child.tag == w("p"):
            sect = child.find("w:pPr/w:sectPr", NS)
            if sect is not None:
                out.append((current, sect))
                current = []
                continue
            current.append(child)
        elif child.tag == w("sectPr"):
            out.append((current, child))
    return out


def test_masthead_and_titles_use_named_styles(body):
    styled = [(style_of(p), text_of(p)) for p in paragraphs(body)]
    assert styled[:6] == [
        ("MastheadSymbol", "MC/INF/298"),
        ("MastheadLine", "Original: inglés"),
        ("MastheadLine", "12 de noviembre de 2009"),
        ("Session", "Nonagésima octava reunión"),
        ("Title", "Derechos humanos de los migrantes"),
        ("Subtitle", "Política y actividades de la OIM"),
    ]
    title = next(p for p in paragraphs(body) if style_of(p) == "DocumentTitle")
    assert text_of(title).startswith("Derechos humanos de los migrantesPolítica y actividades de la OIM")
    assert title.find(".//w:footnoteReference", NS) is not None, "the title's note hangs on the body's title"


def test_sections_numbered_paragraphs_and_entries(body):
    by_style: dict[str, list[str]] = {}
    for p in paragraphs(body):
        by_style.setdefault(style_of(p), []).append(text_of(p))
    assert by_style["Heading2"] == ["I. Introducción", "II. Mandato", "III. Actividades", "IV. Asociados",
                                    "V. Conclusión"]
    assert "Heading1" not in by_style
    numbered = by_style["NumberedParagraph"] + by_style["AnnexEntry"]
    numbers = [int(re.match(r"(\d+)\.\t", t)[1]) for t in numbered]
    assert sorted(numbers) == sorted(list(range(1, 25)) + list(range(1, 49)))
    assert by_style["AnnexHeading"] == ["Anexo"]
    assert by_style["AnnexTitle"] == ["IOM activities in the field"]
    assert by_style["AnnexRegionHeading"] == ["Africa", "Middle East", "Latin America and the Caribbean",
                                              "Asia and Oceania", "Europe"]
    assert len(by_style["AnnexEntry"]) == 31
    assert by_style["AnnexEntry"][0].startswith("2.\tCEN-SAD countries: At the request of")


def test_entry_lead_in_is_a_bold_character_style(body, package):
    entry = next(p for p in paragraphs(body) if style_of(p) == "AnnexEntry")
    lead = [r for r in entry.iter(w("r")) if r.find("w:rPr/w:rStyle", NS) is not None
            and r.find("w:rPr/w:rStyle", NS).get(w("val")) == "EntryTerm"]
    assert "".join(text_of(r) for r in lead) == "CEN-SAD countries:"
    styles = etree.fromstring(package["word/styles.xml"])
    term = styles.find("w:style[@w:styleId='EntryTerm']", NS)
    assert term.find("w:rPr/w:b", NS) is not None


def test_house_style_in_the_styles(package):
    styles = etree.fromstring(package["word/styles.xml"])
    defaults = styles.find("w:docDefaults", NS)
    assert defaults.find(".//w:rFonts", NS).get(w("ascii")) == "Times New Roman"
    assert defaults.find(".//w:sz", NS).get(w("val")) == "24"
    spacing = defaults.find(".//w:spacing", NS)
    assert (spacing.get(w("after")), spacing.get(w("line")), spacing.get(w("lineRule"))) == ("240", "240", "auto")
    assert defaults.find(".//w:lang", NS).get(w("val")) == "es"
    numbered = styles.find("w:style[@w:styleId='NumberedParagraph']", NS)
    assert numbered.find(".//w:tab", NS).get(w("pos")) == "720"  # 1.27 cm
    assert numbered.find(".//w:ind", NS).get(w("firstLine")) == "0"
    note = styles.find("w:style[@w:styleId='FootnoteText']", NS)
    assert note.find(".//w:sz", NS).get(w("val")) == "20"
    line = note.find(".//w:spacing", NS)
    assert (line.get(w("line")), line.get(w("lineRule")), line.get(w("after"))) == ("200", "exact", "0")


def test_three_sections_a4_with_restarts_and_notes_per_section(body):
    parts = sections(body)
    assert len(parts) == 3, "cover, body, annex"
    for _, sect in parts:
        size, margins = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
        assert (size.get(w("w")), size.get(w("h"))) == ("11906", "16838")
        # 2.5 cm as Word keeps it, and the print stylesheet (70.85 pt): a text block of 9072 twips,
        # which a line of the 2009 edition needs (docs/pdf.md); 1418 left it 0.1 pt too narrow.
        assert {margins.get(w(side)) for side in ("top", "bottom", "left", "right")} == {"1417"}
        assert sect.find("w:type", NS).get(w("val")) == "nextPage"
    (cover, cover_sect), (main_body, body_sect), (annex, annex_sect) = parts
    assert cover_sect.find("w:headerReference", NS) is None
    for sect in (body_sect, annex_sect):
        assert sect.find("w:pgNumType", NS).get(w("start")) == "1"
    # Word numbers notes through the document and restarts them where a section says so; the
    # cover (no notes) sets symbols and the last section decimal again, for LibreOffice.
    assert annex_sect.find("w:footnotePr/w:numRestart", NS).get(w("val")) == "eachSect"
    assert annex_sect.find("w:footnotePr/w:numFmt", NS).get(w("val")) == "decimal"
    assert body_sect.find("w:footnotePr", NS) is None
    assert cover_sect.find("w:footnotePr/w:numFmt", NS).get(w("val")) == "chicago"

    def calls(paras):
        return sum(1 for p in paras for _ in p.iter(w("footnoteReference")))

    assert (calls(cover), calls(main_body), calls(annex)) == (0, 15, 4)


def test_real_word_footnotes_in_footnote_text_style(package):
    notes = etree.fromstring(package["word/footnotes.xml"])
    real = [n for n in notes.findall("w:footnote", NS) if n.get(w("type")) is None]
    assert len(real) == 19
    for note in real:
        assert note.find("w:p/w:pPr/w:pStyle", NS).get(w("val")) == "FootnoteText"
        assert note.find(".//w:footnoteRef", NS) is not None
    texts = [text_of(n).strip() for n in real]
    assert texts[10] == "Véase nota 8."
    assert texts[-1].endswith("are described under the “Middle East” heading.")


def test_running_heads_with_a_page_field(package, body):
    relations = etree.fromstring(package["word/_rels/document.xml.rels"])
    targets = {r.get("Id"): r.get("Target") for r in relations}
    heads = []
    for _, sect in sections(body)[1:]:
        ref = sect.find("w:headerReference", NS)
        header = etree.fromstring(package["word/" + targets[ref.get(f"{{{NS['r']}}}id")]])
        heads.append([text_of(p) for p in header.iter(w("p"))])
        assert "PAGE" in "".join(header.itertext())
    assert heads == [["MC/INF/298", "Página 1"], ["MC/INF/298", "Anexo, página 1"]]


def test_annex_is_tagged_english_and_its_heading_spanish(body):
    annex = sections(body)[2][0]
    heading = next(p for p in annex if style_of(p) == "AnnexHeading")
    assert {r.get(w("val")) for r in heading.iter(w("lang"))} == {"es"}
    entry = next(p for p in annex if style_of(p) == "AnnexEntry")
    assert {r.get(w("val")) for r in entry.iter(w("lang"))} == {"en"}


def test_annex_notes_are_tagged_english_body_notes_not(package):
    notes = etree.fromstring(package["word/footnotes.xml"])
    real = [n for n in notes.findall("w:footnote", NS) if n.get(w("type")) is None]
    tags = [{r.get(w("val")) for r in note.iter(w("lang"))} for note in real]
    assert tags == [set()] * 15 + [{"en"}] * 4, "a note called in the annex is in its language"


def test_document_properties(package):
    core = package["docProps/core.xml"].decode()
    assert "<dc:title>Derechos humanos de los migrantes</dc:title>" in core
    assert "<dc:subject>MC/INF/298</dc:subject>" in core
    assert "<dc:language>es</dc:language>" in core
    assert "2009-11-12T00:00:00Z" in core


def test_two_builds_give_identical_bytes(built, docx_path):
    first = docx_path.read_bytes()
    assert main(["--lang", "es", "--format", "docx", "--project", str(built)]) == 0
    assert docx_path.read_bytes() == first


def test_libreoffice_renders_the_same_numbers(docx_path, tmp_path):
    subprocess.run([require_tool("soffice"), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(docx_path)], check=True, capture_output=True, timeout=180)
    with pdfplumber.open(tmp_path / "mc-inf-298.pdf") as pdf:
        lines = [line["text"] for page in pdf.pages for line in page.extract_text_lines()]
        # Superscripts on 12 pt text are the calls (7 pt); those on the 10 pt notes, their marks.
        calls = [w["text"] for page in pdf.pages for w in page.extract_words(extra_attrs=["size"])
                 if 6.5 < w["size"] < 9 and w["text"].isdigit()]
    numbers = [int(m[1]) for line in lines if (m := re.match(r"(\d+)\.\s", line))]
    first_annex = numbers.index(1, 1)
    assert numbers[:first_annex] == list(range(1, 25)) and numbers[first_annex:] == list(range(1, 49))
    assert [line for line in lines if re.fullmatch(r"[IVX]+\. [A-ZÁÉÍÓÚ]+", line)] == [
        "I. INTRODUCCIÓN", "II. MANDATO", "III. ACTIVIDADES", "IV. ASOCIADOS", "V. CONCLUSIÓN"]
    assert calls == [str(n) for n in range(1, 16)] + ["1", "2", "3", "4"]
