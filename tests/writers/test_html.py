"""The HTML edition, read back with XPath; and its fidelity to the 2009 Spanish edition."""

from __future__ import annotations

import pytest
from conftest import add_document
from lxml import html
from seed import SUPERSCRIPTS, plain, read_seed

from councildoc.cli import main


@pytest.fixture(scope="module")
def spanish(real_project):
    """MC/INF/298 in Spanish, as built by the real CLI."""
    return html.parse(str(real_project / "output/mc-inf-298/es/mc-inf-298.html")).getroot()


def text_of(element, skip=("para-num", "note-num", "backref")) -> str:
    """An element's text as a reader sees it, note calls as superscript digits (a word joiner prints nothing)."""
    out = []

    def walk(node):
        if node.get("class") in skip:
            out.append(node.tail or "")
            return
        if node.tag == "sup":
            out.append((node.text or "").translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")))
        else:
            out.append(node.text or "")
            for child in node:
                walk(child)
        if node is not element:
            out.append(node.tail or "")

    walk(element)
    return " ".join("".join(out).replace("\u2060", "").split())


def test_page_language_and_masthead(spanish):
    assert spanish.get("lang") == "es"
    masthead = spanish.xpath("//header[contains(@class,'masthead')]")[0]
    assert masthead.xpath("string(p[@class='symbol'])") == "MC/INF/298"
    assert masthead.xpath("string(p[@class='original'])") == "Original: inglés"
    assert masthead.xpath("string(.//time)") == "12 de noviembre de 2009"
    assert masthead.xpath("string(.//time/@datetime)") == "2009-11-12"
    assert masthead.xpath("string(p[@class='session'])") == "Nonagésima octava reunión"
    title = masthead.xpath("h1")[0]
    assert title.xpath("string(.//a[@class='note-call'])") == "1"
    assert spanish.xpath("string(//title)") == "MC/INF/298 – Derechos humanos de los migrantes"


def test_sections_are_numbered_one_to_five_with_partners_fourth(spanish):
    headings = [" ".join(h.text_content().split()) for h in spanish.xpath("//article[@id='body']//h2")]
    assert headings == ["I. Introducción", "II. Mandato", "III. Actividades", "IV. Asociados", "V. Conclusión"]


def test_paragraphs_are_numbered_per_part_and_linkable(spanish):
    body = spanish.xpath("//article[@id='body']//p[contains(@class,'para')]/a[@class='para-num']")
    annex = spanish.xpath("//section[@id='annex']//p[contains(@class,'para')]/a[@class='para-num']")
    assert [a.text for a in body] == [f"{n}." for n in range(1, 25)]
    assert [a.text for a in annex] == [f"{n}." for n in range(1, 49)]
    for a in body + annex:
        assert a.get("href") == "#" + a.getparent().get("id")
    assert len(set(spanish.xpath("//@id"))) == len(spanish.xpath("//@id")), "ids are unique"


def test_notes_are_numbered_per_part_and_linked_both_ways(spanish):
    for part, count, prefix in (("//article[@id='body']", 15, ""), ("//section[@id='annex']", 4, "annex-")):
        notes = spanish.xpath(f"{part}//section[@role='doc-endnotes']//li")
        assert [li.get("value") for li in notes] == [str(n) for n in range(1, count + 1)]
        for n, li in enumerate(notes, start=1):
            assert li.get("id") == f"{prefix}fn{n}"
            back = li.xpath("a[@class='backref']/@href")[0]
            call = spanish.xpath(f"//a[@id='{back[1:]}']")[0]
            assert call.get("href") == f"#{prefix}fn{n}" and call.xpath("string(sup)") == str(n)


def test_note_eleven_points_at_note_eight_through_its_label(spanish):
    note = spanish.xpath("//li[@id='fn11']")[0]
    assert text_of(note) == "Véase nota 8."
    assert note.xpath(".//a[@class='xref']/@href") == ["#fn8"]


def test_references_to_the_annex_and_to_a_region(spanish):
    paragraph = spanish.xpath("//p[@id='p19']")[0]
    assert paragraph.xpath("a[@class='xref']/@href") == ["#annex"]
    assert "En el Anexo del presente documento" in text_of(paragraph)
    note = spanish.xpath("//li[@id='annex-fn4']")[0]
    assert note.xpath(".//a[@class='xref']/@href") == ["#sec-middle-east"]
    assert "under the “Middle East” heading" in text_of(note)


def test_the_english_annex_is_tagged_english(spanish):
    annex = spanish.xpath("//section[@id='annex']")[0]
    assert annex.get("lang") == "en"
    assert annex.xpath("string(.//h2[@class='annex-designation'])") == "Anexo"
    assert annex.xpath("string(.//h2[@class='annex-designation']/@lang)") == "es"
    assert annex.xpath("string(.//p[@class='annex-title'])") == "IOM activities in the field"


def test_annex_entries_are_listed_by_region(spanish):
    groups = spanish.xpath("//nav[contains(@class,'entries')]/ul/li")
    regions = [g.xpath("string(a)") for g in groups]
    assert regions == ["Africa", "Middle East", "Latin America and the Caribbean", "Asia and Oceania", "Europe"]
    africa = [a.text_content() for a in groups[0].xpath("ul/li/a")]
    assert africa[:2] == ["CEN-SAD countries", "Southern African region"] and "Egypt" in africa
    for link in spanish.xpath("//nav[contains(@class,'entries')]//ul/li/ul/li/a"):
        target = spanish.xpath(f"//*[@id='{link.get('href')[1:]}']")[0]
        assert "entry" in target.get("class")
    assert len(spanish.xpath("//p[contains(@class,'entry')]/strong[@class='entry-term']")) == 31


def test_usable_without_javascript_and_on_a_phone(spanish):
    assert spanish.xpath("//script") == []
    assert spanish.xpath("//meta[@name='viewport']/@content") == ["width=device-width, initial-scale=1"]


# -- fidelity: every paragraph and note reads as in the seed ---------------------------------------


def _seed_and_built(spanish):
    seed = read_seed()
    built = {}
    for part, xpath in (("body", "//article[@id='body']"), ("annex", "//section[@id='annex']")):
        paragraphs = {
            int(p.xpath("string(a[@class='para-num'])").rstrip(".")): text_of(p)
            for p in spanish.xpath(f"{xpath}//p[contains(@class,'para')][a[@class='para-num']]")
        }
        notes = {int(li.get("value")): text_of(li)
                 for li in spanish.xpath(f"{xpath}//section[@role='doc-endnotes']//li")}
        built[part] = (paragraphs, notes)
    return seed, built


@pytest.mark.parametrize("part", ["body", "annex"])
def test_every_paragraph_reads_as_in_the_seed(spanish, part):
    seed, built = _seed_and_built(spanish)
    paragraphs, _ = built[part]
    assert sorted(paragraphs) == sorted(seed[part].paragraphs)
    for number, text in seed[part].paragraphs.items():
        assert paragraphs[number] == plain(text), f"{part} paragraph {number}"


@pytest.mark.parametrize("part", ["body", "annex"])
def test_every_note_reads_as_in_the_seed(spanish, part):
    seed, built = _seed_and_built(spanish)
    _, notes = built[part]
    assert sorted(notes) == sorted(seed[part].notes)
    for number, text in seed[part].notes.items():
        assert notes[number] == plain(text), f"{part} note {number}"


def test_seed_reader_sees_the_whole_seed():
    seed = read_seed()
    assert len(seed["body"].paragraphs) == 24 and len(seed["body"].notes) == 15
    assert len(seed["annex"].paragraphs) == 48 and len(seed["annex"].notes) == 4
    assert seed["body"].headings[3] == "V. ASOCIADOS"  # the 2009 typo the build corrects
    assert "⁴".translate(SUPERSCRIPTS) == "4"


def test_jinja_looking_text_prints_as_text(project):
    source = "---\nlang: en\ntitle: T\n---\n\n# S\n\nShow {{ 7*7 }} and {% if x %} as is.\n"
    add_document(project, "doc", {"en": source})
    assert main(["--project", str(project)]) == 0
    page = html.parse(str(project / "output/doc/en/doc.html")).getroot()
    assert text_of(page.xpath("//p[@id='p1']")[0]) == "Show {{ 7*7 }} and {% if x %} as is."
