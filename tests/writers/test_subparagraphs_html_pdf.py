"""Sub-paragraphs (a), (i), a., i. and blocks inside notes, in the HTML (XPath) and the PDF (pdfplumber).

One document in three languages, built by the real CLI: a numbered paragraph, its sub-paragraphs
of four degrees (one labelled and cited from the next paragraph), and a note holding a bullet
list and sub-paragraphs. Every expected value below is counted from :data:`SOURCES`.
"""

from __future__ import annotations

import re
import shutil

import pdfplumber
import pypdf
import pytest
from conftest import ROOT, add_document, compile_text
from lxml import html

from councildoc.cli import main
from councildoc.writers.html import make_environment, write_html

MARGIN = 2.5 / 2.54 * 72  # 2.5 cm
TAB = 1.27 / 2.54 * 72    # 1.27 cm, the tab after a paragraph number

SOURCE = """---
lang: {lang}
title: {title}
---

# {heading}

{decides}[^list]

(a) {first}

(b) {{#para:x}}
    {second}

    1.  {part_one}

    2.  {part_two}

        1.  {alpha}

        2.  {beta}

            1.  {one}

            2.  {two}

(c) {third}

{refers}

[^list]: {note}

    - {bullet_one}
    - {bullet_two}

    {note_more}

    (a) {note_sub_one}

    (b) {note_sub_two}
"""

WORDS = {
    "en": dict(title="Measures", heading="Measures", decides="The Council decides on the following measures:",
               first="First measure for every region;", second="Second measure, in parts:",
               part_one="first part;", part_two="second part, in points:", alpha="point alpha;",
               beta="point beta, in items:", one="item one;", two="item two.", third="Third measure.",
               refers="The measures in @para:x apply at once.", note="The note holds a list:",
               bullet_one="bullet one;", bullet_two="bullet two.", note_more="And sub-paragraphs:",
               note_sub_one="note sub one;", note_sub_two="note sub two."),
    "es": dict(title="Medidas", heading="Medidas", decides="El Consejo decide las siguientes medidas:",
               first="Primera medida para cada región;", second="Segunda medida, en partes:",
               part_one="primera parte;", part_two="segunda parte, en puntos:", alpha="punto alfa;",
               beta="punto beta, en elementos:", one="elemento uno;", two="elemento dos.",
               third="Tercera medida.", refers="Las medidas del párrafo @para:x se aplican de inmediato.",
               note="La nota contiene una lista:", bullet_one="viñeta uno;", bullet_two="viñeta dos.",
               note_more="Y subpárrafos:", note_sub_one="subpárrafo uno;", note_sub_two="subpárrafo dos."),
    "fr": dict(title="Mesures", heading="Mesures", decides="Le Conseil décide des mesures suivantes :",
               first="Première mesure pour chaque région ;", second="Deuxième mesure, en parties :",
               part_one="première partie ;", part_two="deuxième partie, en points :", alpha="point alpha ;",
               beta="point bêta, en éléments :", one="élément un ;", two="élément deux.",
               third="Troisième mesure.", refers="Les mesures du paragraphe @para:x s’appliquent aussitôt.",
               note="La note contient une liste :", bullet_one="puce un ;", bullet_two="puce deux.",
               note_more="Et des sous-paragraphes :", note_sub_one="sous-paragraphe un ;",
               note_sub_two="sous-paragraphe deux."),
}
SOURCES = {lang: SOURCE.format(lang=lang, **words) for lang, words in WORDS.items()}

# Counted from SOURCE: three items of degree 1, two of each degree below; two numbered paragraphs.
EN_MARKERS = {1: ["(a)", "(b)", "(c)"], 2: ["(i)", "(ii)"], 3: ["a.", "b."], 4: ["i.", "ii."]}
ES_FR_MARKERS = {1: ["a)", "b)", "c)"], 2: ["i)", "ii)"], 3: ["a.", "b."], 4: ["i.", "ii."]}
MARKERS = {"en": EN_MARKERS, "es": ES_FR_MARKERS, "fr": ES_FR_MARKERS}
CITATION = {"en": "1 (b)", "es": "1 b)", "fr": "1 b)"}
PARAGRAPHS = 2
NOTE_TEXTS = ("bullet_one", "bullet_two", "note_sub_one", "note_sub_two")
"""What the note holds beyond its first paragraph: its list and its sub-paragraphs."""


def squeeze(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The document in en, es and fr, HTML and PDF, by the real CLI."""
    root = tmp_path_factory.mktemp("subparas")
    for folder in ("templates", "styles"):
        shutil.copytree(ROOT / folder, root / folder)
    add_document(root, "doc", SOURCES)
    assert main(["--format", "html,pdf", "--project", str(root)]) == 0
    return root


def page(built, lang: str):
    return html.parse(str(built / f"output/doc/{lang}/doc.html")).getroot()


def marker_of(item) -> str:
    return item.xpath("string(span[@class='subpara-marker'])")


# -- HTML -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_each_degree_is_an_ordered_list_of_its_markers(built, lang):
    root = page(built, lang)
    group = root.xpath("//div[@class='para-group'][p[@id='p1']]")[0]
    for degree, markers in MARKERS[lang].items():
        lists = group.xpath(f".//ol[@class='subparas degree-{degree}']")
        assert len(lists) == 1, f"one list of degree {degree}"
        items = lists[0].xpath("li[@class='subpara']")
        assert [marker_of(li) for li in items] == markers
        assert [li.xpath("string(p[@class='subpara-text'])") != "" for li in items] == [True] * len(markers)
    # each degree stands in an item of the degree above
    assert group.xpath("ol[@class='subparas degree-1']/li/ol[@class='subparas degree-2']/li"
                       "/ol[@class='subparas degree-3']/li/ol[@class='subparas degree-4']")


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_subparagraphs_take_no_paragraph_number(built, lang):
    root = page(built, lang)
    numbers = root.xpath("//a[@class='para-num']/text()")
    assert numbers == [f"{n}." for n in range(1, PARAGRAPHS + 1)]
    assert root.xpath("//li[@class='subpara']//a[@class='para-num']") == []
    second = root.xpath("//p[@id='p2']")[0]
    assert squeeze(second.text_content()).startswith("2.")


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_the_reference_prints_the_citation_and_links_to_the_item(built, lang):
    root = page(built, lang)
    refs = root.xpath("//p[@id='p2']/a[@class='xref']")
    assert [squeeze(a.text_content()) for a in refs] == [CITATION[lang]]
    target = root.xpath(f"//*[@id='{refs[0].get('href')[1:]}']")
    assert len(target) == 1 and target[0].get("class") == "subpara"
    assert marker_of(target[0]) == MARKERS[lang][1][1]  # the labelled item is the second of degree 1
    ids = root.xpath("//div[@class='para-group']//li[@class='subpara']/@id")
    assert len(ids) == sum(len(m) for m in MARKERS[lang].values()), "every sub-paragraph has an anchor"
    assert len(set(root.xpath("//@id"))) == len(root.xpath("//@id")), "ids are unique"
    for link in root.xpath("//a[starts-with(@href, '#')]"):
        assert root.xpath(f"//*[@id='{link.get('href')[1:]}']"), f"{link.get('href')} has a target"


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_the_screen_note_holds_its_list_and_subparagraphs(built, lang):
    note = page(built, lang).xpath("//section[@role='doc-endnotes']//li[@id='fn1']")[0]
    words = WORDS[lang]
    assert [squeeze(li.text_content()) for li in note.xpath("ul[@class='bullets']/li")] == [
        words["bullet_one"], words["bullet_two"]]
    items = note.xpath("ol[@class='subparas degree-1']/li[@class='subpara']")
    assert [squeeze(li.xpath("string(p[@class='subpara-text'])")) for li in items] == [
        words["note_sub_one"], words["note_sub_two"]]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_notes_subparagraphs_are_lettered(built, lang):
    note = page(built, lang).xpath("//li[@id='fn1']")[0]
    assert [marker_of(li) for li in note.xpath(".//li[@class='subpara']")] == MARKERS[lang][1][:2]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_print_footnote_holds_every_block_as_spans_inside_the_paragraph(lang):
    document, diagnostics = compile_text(SOURCES[lang], f"{lang}.md", lang)
    assert not diagnostics
    root = html.fromstring(write_html(document, make_environment(ROOT / "templates"), "", for_print=True))
    footnote = root.xpath("//p[@id='p1']/span[@class='footnote']")
    assert len(footnote) == 1, "the note's text stands in the paragraph that calls it"
    assert {e.tag for e in footnote[0].iter()} == {"span"}, "no p, ul or ol to close the calling paragraph"
    assert [squeeze(e.text_content()) for e in footnote[0].xpath("span[@class='bullets']/span[@class='bullet']")] \
        == [WORDS[lang]["bullet_one"], WORDS[lang]["bullet_two"]]
    assert [squeeze(e.text_content()) for e in footnote[0].xpath(
        "span[@class='subparas degree-1']/span[@class='subpara']/span[@class='subpara-text']")] \
        == [WORDS[lang]["note_sub_one"], WORDS[lang]["note_sub_two"]]


# -- PDF ------------------------------------------------------------------------------------------


def pdf_words(built, lang: str):
    path = built / f"output/doc/{lang}/doc.pdf"
    with pdfplumber.open(path) as pdf:
        pages = [p.extract_words(extra_attrs=["size"]) for p in pdf.pages]
    reader = pypdf.PdfReader(path)
    call_page = reader.get_destination_page_number(reader.named_destinations["fnref1"])
    return pages, call_page


def body(words):
    return [w for w in words if w["size"] > 11 and w["top"] > MARGIN - 1]


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_markers_and_the_notes_list_are_on_the_page_of_the_call(built, lang):
    pages, call_page = pdf_words(built, lang)
    words = pages[call_page]
    markers = [w["text"] for w in body(words)]
    for degree_markers in MARKERS[lang].values():
        for marker in degree_markers:
            assert marker in markers
    notes = squeeze(" ".join(w["text"] for w in words if w["size"] < 11 and w["top"] > MARGIN))
    for key in NOTE_TEXTS:
        assert WORDS[lang][key] in notes, f"{key} is at the foot of the call's page"


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_each_degree_hangs_one_tab_further_in(built, lang):
    pages, call_page = pdf_words(built, lang)
    words = body(pages[call_page])
    x0 = []
    for degree, markers in MARKERS[lang].items():
        found = [w for w in words if w["text"] == markers[0]]
        assert found, f"{markers[0]} is printed"
        x0.append(found[0]["x0"])
        text = min((w for w in words if abs(w["top"] - found[0]["top"]) < 1 and w["x0"] > found[0]["x1"]),
                   key=lambda w: w["x0"])
        assert abs(text["x0"] - (MARGIN + (degree + 1) * TAB)) < 1, "the text after a further tab"
    assert abs(x0[0] - (MARGIN + TAB)) < 1, "degree 1 at the paragraph text's tab"
    assert all(abs(later - earlier - TAB) < 1 for earlier, later in zip(x0, x0[1:], strict=False))


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_only_paragraphs_are_numbered_at_the_margin(built, lang):
    pages, _ = pdf_words(built, lang)
    at_margin = [w["text"] for words in pages[1:] for w in body(words) if abs(w["x0"] - MARGIN) < 1]
    assert [t for t in at_margin if re.fullmatch(r"\d+\.", t)] == [f"{n}." for n in range(1, PARAGRAPHS + 1)]
    assert not set(at_margin) & {m for markers in MARKERS[lang].values() for m in markers}
    text = squeeze(" ".join(w["text"] for words in pages[1:] for w in body(words)))
    assert f"2. {WORDS[lang]['refers'].split('@')[0].strip()} {CITATION[lang]}" in text
