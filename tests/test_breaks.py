"""No bad breaks: the built PDFs' lines, read back, never start with a note call, never split a
document symbol, a date (day and month), a number and its unit, a currency code and its amount,
or "N.º"/"N°"/"No."/"p." and their number. The words come from this test, not from the language files.

Also: every note call in the HTML and the DOCX is glued (U+2060 WORD JOINER) to what precedes it.
"""

from __future__ import annotations

import re
import zipfile

import pdfplumber
import pytest
from lxml import etree, html

from councildoc.textconv import _Layout, _line_text, _lines

DOCUMENTS = ("mc-inf-298", "c-111-inf-7", "c-111-3")
LANGS = ("en", "es", "fr")
WJ = "\u2060"

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}
UNITS = {"%", "km", "kg", "ha", "USD", "EUR", "million", "millions", "millones", "millón", "billion",
         "milliard", "milliards"}
BEFORE_NUMBER = re.compile(r"(?:\bN\.º\.?|\bN°\.?|\bn°|\bNos?\.|\bpp?\.|\bUSD|\bEUR|\bCHF)$")
BODY_SIZE = 11.5
MARGIN = _Layout().margin  # the house values, by which these PDFs are built


def pdf_lines(path) -> list[tuple[int, str, float]]:
    """Every line under the running head, page by page: (page, text with calls as [n], main size)."""
    out = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            chars = [c for c in page.chars if c["bottom"] >= MARGIN]
            for line in _lines(chars, 9.5):
                sizes = sorted(c["size"] for c in line if c["text"].strip())
                out.append((number, _line_text(line, 9.5), sizes[len(sizes) // 2] if sizes else 0))
    return out


def bad_breaks(lines: list[tuple[int, str, float]], lang: str) -> list[str]:
    """Each bad break, as "page N: …end of a line | start of the next…"."""
    months = MONTHS[lang].split()
    found = []
    for (page, before, _), (_, after, size) in zip(lines, lines[1:], strict=False):
        end, start = before.rstrip(), after.lstrip()
        first = start.split(" ", 1)[0].strip("().,;:")
        reasons = []
        if re.match(r"\[\d+\]", start) and (size > BODY_SIZE or re.fullmatch(r"(\[\d+\])+", start)):
            # (a note's own number starts its line at 10 pt; a call alone on a line is all small)
            reasons.append("a note call starts a line")
        if re.search(r"[A-Z0-9]/$", end) and re.match(r"[A-Z0-9]", start):
            reasons.append("a symbol split at a slash")
        if (re.search(r"\b\d{1,2}$", end) or re.search(r"\b\d{1,2} de$", end)) and (
                first in months or (first == "de" and start.split(" ")[1].strip("().,;:") in months)):
            reasons.append("a day split from its month")
        if re.search(r"\d$", end) and first in UNITS:
            reasons.append("a number split from its unit")
        if BEFORE_NUMBER.search(end) and re.match(r"\d", start):
            reasons.append("an abbreviation or currency split from its number")
        found += [f"page {page}: {reason}: …{end[-30:]} | {start[:30]}…" for reason in reasons]
    return found


def test_the_checker_sees_each_kind_of_bad_break():
    lines = [(1, "the Council (MC/INF/", 12), (1, "259) on 18", 12), (1, "décembre and 50", 12),
             (1, "% of it, N°", 12), (1, "12 and so on.", 12), (1, "[3] and the rest", 12),
             (2, "[4] A note's own number", 10)]
    assert [b.split(": ")[1] for b in bad_breaks(lines, "fr")] == [
        "a symbol split at a slash", "a day split from its month", "a number split from its unit",
        "an abbreviation or currency split from its number", "a note call starts a line"]
    assert bad_breaks([(1, "el 12 de", 12), (1, "noviembre de", 12)], "es") != []
    assert bad_breaks([(1, "el 12", 12), (1, "de noviembre", 12)], "es") != []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc", DOCUMENTS)
def test_no_bad_break_in_any_pdf(real_project, doc, lang):
    lines = pdf_lines(real_project / f"output/{doc}/{lang}/{doc}.pdf")
    assert len(lines) > 50
    assert bad_breaks(lines, lang) == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc", DOCUMENTS)
def test_every_note_call_is_glued_to_what_precedes_it(real_project, doc, lang):
    folder = real_project / f"output/{doc}/{lang}"
    page = html.parse(str(folder / f"{doc}.html")).getroot()
    calls = page.xpath("//a[@class='note-call']")
    assert calls
    for call in calls:
        before = call.getprevious()
        text = before.tail if before is not None else call.getparent().text
        is_second = before is not None and before.get("class") == "note-sep"
        assert is_second or (text or "").endswith(WJ) or not (text or "").strip(), html.tostring(call.getparent())[:200]
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(folder / f"{doc}.docx") as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    references = list(body.iter(f"{w}footnoteReference"))
    assert references
    for reference in references:
        run = reference.getparent()
        texts = [t.text or "" for r in run.itersiblings(preceding=True) for t in r.iter(f"{w}t")][:1]
        assert texts and (texts[0].endswith(WJ) or texts[0] == ","), etree.tostring(run.getparent())[:300]


def test_known_limitation_a_loose_line_after_a_reference(real_project):
    """docs/pdf.md: WeasyPrint 70 ends a line after the reference "paragraph 10," in C/111/INF/7 en,
    paragraph 27, although the next word fits. This measures it; it fails once WeasyPrint fixes it."""
    with pdfplumber.open(real_project / "output/c-111-inf-7/en/c-111-inf-7.pdf") as pdf:
        lines = [line for page in pdf.pages for line in _lines(page.chars, 9.5)]
    texts = ["".join(c["text"] for c in line) for line in lines]
    index = texts.index("on legal advice described in paragraph 10,")
    line, following = lines[index], lines[index + 1]
    measure = line[-1]["x1"] - line[0]["x0"]
    glyphs = sum(c["x1"] - c["x0"] for c in line if c["text"] != " ")
    spaces = texts[index].count(" ")
    word = following[len("including") - 1]["x1"] - following[0]["x0"]
    assert texts[index + 1].startswith("including ")
    natural = glyphs + (spaces + 1) * 3.0  # a space of Liberation Serif 12 pt is 3 pt
    print(f"measure {measure:.1f} pt, glyphs {glyphs:.1f} pt, {spaces} spaces, 'including' {word:.1f} pt")
    assert natural + word < measure, "the next word would fit: WeasyPrint's inline-box line breaking"


def test_a_note_call_once_set_at_a_lines_start_is_glued_to_its_word(project):
    """A document the property test drew (tests/test_properties.py), where WeasyPrint set note 1 of
    annex II at the start of a line, after "See … 1 (b) (ii) a. i.." at the right margin."""
    import shutil

    from conftest import FIXTURES, add_document

    from councildoc.cli import main

    folder = add_document(project, "doc", {}, meta="symbol: MC/RND/1\ndate: 2026-11-28\nsession: 117\n"
                                                   "original-language: en\n")
    shutil.copy(FIXTURES / "call-at-line-start/en.md", folder / "en.md")
    assert main(["--format", "pdf", "--project", str(project)]) == 0
    assert bad_breaks(pdf_lines(project / "output/doc/en/doc.pdf"), "en") == []
