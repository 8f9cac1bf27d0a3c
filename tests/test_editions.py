"""The three editions of MC/INF/298 carry the same numbers, in every format."""

from __future__ import annotations

import re
import zipfile

import pypdf
import pytest
from lxml import etree, html

LANGS = ("en", "es", "fr")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def outputs(real_project):
    return real_project / "output/mc-inf-298"


PARTS = ("//article[@id='body']", "//section[@id='annex']")


def html_numbers(path):
    page = html.parse(str(path)).getroot()
    return {
        "sections": [s.text.rstrip(".") for s in page.xpath(f"{PARTS[0]}//span[@class='sec-num']")],
        "paragraphs": [[a.text for a in page.xpath(f"{part}//a[@class='para-num']")] for part in PARTS],
        "notes": [page.xpath(f"{part}//section[@role='doc-endnotes']//li/@value") for part in PARTS],
    }


def pdf_numbers(path):
    reader = pypdf.PdfReader(path)
    names = list(reader.named_destinations)
    paragraphs = [sorted(int(n[len(prefix) + 1:]) for n in names if re.fullmatch(rf"{prefix}p\d+", n))
                  for prefix in ("", "annex-")]
    notes = [sorted(int(n.split("fn")[1]) for n in names if re.fullmatch(rf"{prefix}fn\d+", n))
             for prefix in ("", "annex-")]
    outline = [item.title.split(".")[0] for item in reader.outline[1]
               if not isinstance(item, list) and re.match(r"[IVX]+\.", item.title)]
    return {"paragraphs": paragraphs, "notes": notes, "sections": outline}


def docx_numbers(path):
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    sections, paragraphs, notes, part = [], [[], []], [0, 0], 0
    for p in body.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        style = style.get(f"{W}val") if style is not None else ""
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        if style == "AnnexHeading":
            part = 1
        if style == "Heading2":
            sections.append(text.split(".")[0])
        if style in ("NumberedParagraph", "AnnexEntry"):
            paragraphs[part].append(text.split(".")[0])
        notes[part] += sum(1 for _ in p.iter(f"{W}footnoteReference"))
    return {"sections": sections, "paragraphs": paragraphs, "notes": notes}


@pytest.mark.parametrize("reader", [html_numbers, pdf_numbers, docx_numbers], ids=["html", "pdf", "docx"])
def test_numbers_agree_across_languages(outputs, reader):
    fmt = {"html_numbers": "html", "pdf_numbers": "pdf", "docx_numbers": "docx"}[reader.__name__]
    numbers = {lang: reader(outputs / lang / f"mc-inf-298.{fmt}") for lang in LANGS}
    assert numbers["en"] == numbers["es"] == numbers["fr"]
    sample = numbers["es"]
    assert sample["sections"] == ["I", "II", "III", "IV", "V"]
    assert [len(p) for p in sample["paragraphs"]] == [24, 48]
    notes = sample["notes"]
    assert [len(n) if isinstance(n, list) else n for n in notes] == [15, 4]


def test_every_note_on_its_call_page_in_every_edition(outputs):
    for lang in LANGS:
        reader = pypdf.PdfReader(outputs / lang / "mc-inf-298.pdf")
        pages = {name: reader.get_destination_page_number(d) for name, d in reader.named_destinations.items()}
        for name in pages:
            if re.fullmatch(r"(annex-)?fn\d+", name):
                assert pages[name] == pages[name.replace("fn", "fnref")], f"{lang} {name}"


def test_side_by_side_view_sets_three_columns(outputs):
    page = html.parse(str(outputs / "mc-inf-298.side-by-side.html")).getroot()
    assert [th.get("lang") for th in page.xpath("//thead//th")] == ["en", "es", "fr"]
    assert page.xpath("//td[@class='missing']") == []
    rows = page.xpath("//tbody/tr[@class='paragraph']")
    assert len(rows) == 24 + 48
