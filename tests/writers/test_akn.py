"""The Akoma Ntoso edition: valid against the OASIS schema, every number in its place, every reference live."""

from __future__ import annotations

import json
import re

import pytest
from conftest import compile_text
from lxml import etree

from councildoc.writers.akn import AKN, validate, write_akn

NS = {"a": AKN}
EDITIONS = [(doc, lang) for doc in ("mc-inf-298", "c-111-inf-7", "c-111-3") for lang in ("en", "es", "fr")]


@pytest.fixture(scope="module")
def editions(real_project) -> dict[tuple[str, str], bytes]:
    return {(doc, lang): (real_project / f"output/{doc}/{lang}/{doc}.akn").read_bytes() for doc, lang in EDITIONS}


def tree(data: bytes) -> etree._Element:
    return etree.fromstring(data)


@pytest.mark.parametrize(("doc", "lang"), EDITIONS)
def test_every_edition_is_valid_akoma_ntoso(editions, doc, lang):
    assert validate(editions[doc, lang]) == []


def citation(target: etree._Element) -> set[str]:
    """What a reference to ``target`` may print, read from the AKN alone: its ``num`` s up the tree
    (``IV.B``, ``28 (b)``, ``12 b) ii)``), an attachment's designation, a note's marker, a heading."""
    tag = etree.QName(target).localname
    if tag == "authorialNote":
        return {target.get("marker")}
    if tag == "table":
        # "Table 3" in its caption: the number is the last word.
        return {target.findtext("a:caption/a:inline[@name='tableNumber']", namespaces=NS).split()[-1]}
    if tag == "img":
        # "Figure 2" before the image, in the same paragraph: the number is the last word.
        return {target.getparent().findtext("a:inline[@name='figureNumber']", namespaces=NS).split()[-1]}
    if tag == "attachment":
        return {target.findtext("a:num", namespaces=NS)}
    nums = []
    for node in (target, *target.iterancestors()):
        name = etree.QName(node).localname
        if name in ("attachment", "doc"):
            break
        if name in ("section", "subsection", "level", "paragraph", "point") and node.find("a:num", NS) is not None:
            nums.append((name, node.findtext("a:num", namespaces=NS)))
    nums.reverse()
    if tag in ("section", "subsection", "level"):
        heading = "".join(target.find("a:heading", NS).itertext())
        return {".".join(num.rstrip(".") for _, num in nums), heading}
    # A paragraph and its points: "28 (b)", without the sections it stands in.
    from_paragraph = [num for name, num in nums if name in ("paragraph", "point")]
    return {" ".join([from_paragraph[0].rstrip("."), *from_paragraph[1:]])}


@pytest.mark.parametrize(("doc", "lang"), EDITIONS)
def test_every_reference_points_at_the_element_it_cites(editions, doc, lang):
    root = tree(editions[doc, lang])
    by_eid = {node.get("eId"): node for node in root.iter() if node.get("eId")}
    refs = root.findall(".//a:ref", NS)
    assert refs
    for ref in refs:
        href = ref.get("href")
        assert href.startswith("#") and href[1:] in by_eid, href
        assert "".join(ref.itertext()) in citation(by_eid[href[1:]]), (href, ref.text)


@pytest.mark.parametrize(("doc", "lang"), EDITIONS)
def test_eids_are_unique_and_follow_the_naming_convention(editions, doc, lang):
    eids = [node.get("eId") for node in tree(editions[doc, lang]).iter() if node.get("eId")]
    assert len(eids) == len(set(eids))
    pattern = re.compile(r"^(?:[a-zA-Z]+_(?:nn_)?[0-9A-Za-z]+|intro|content|longTitle|iom)"
                         r"(?:__(?:[a-zA-Z]+_(?:nn_)?[0-9A-Za-z]+|intro|content|longTitle))*$")
    assert [eid for eid in eids if not pattern.match(eid)] == []


def test_the_spanish_mc_inf_298_has_its_paragraphs_and_notes_in_their_parts(editions):
    """The 2009 edition: 24 paragraphs and 15 notes in the body, 48 and 4 in the annex."""
    root = tree(editions["mc-inf-298", "es"])
    body = root.find("a:doc/a:mainBody", NS)
    (annex,) = root.findall("a:doc/a:attachments/a:attachment", NS)
    numbers = [p.findtext("a:num", namespaces=NS) for p in body.iter(f"{{{AKN}}}paragraph")]
    assert numbers == [f"{n}." for n in range(1, 25)]
    annex_numbers = [p.findtext("a:num", namespaces=NS) for p in annex.iter(f"{{{AKN}}}paragraph")]
    assert annex_numbers == [f"{n}." for n in range(1, 49)]
    attachment = f"{{{AKN}}}attachment"
    preface_and_body = [n for n in root.iter(f"{{{AKN}}}authorialNote") if not list(n.iterancestors(attachment))]
    assert [n.get("marker") for n in preface_and_body] == [str(n) for n in range(1, 16)]
    assert [n.get("marker") for n in annex.iter(f"{{{AKN}}}authorialNote")] == ["1", "2", "3", "4"]
    assert annex.findtext("a:num", namespaces=NS) == "Anexo"


def test_the_masthead_and_frbr_metadata(editions):
    root = tree(editions["c-111-inf-7", "fr"])
    ident = root.find("a:doc/a:meta/a:identification", NS)
    assert ident.find("a:FRBRWork/a:FRBRnumber", NS).get("value") == "C/111/INF/7"
    assert ident.find("a:FRBRWork/a:FRBRdate", NS).get("date") == "2020-11-02"
    assert ident.find("a:FRBRExpression/a:FRBRlanguage", NS).get("language") == "fra"
    assert ident.find("a:FRBRExpression/a:FRBRtranslation", NS).get("fromLanguage") == "eng"
    expression = ident.find("a:FRBRExpression/a:FRBRthis", NS).get("value")
    assert ident.find("a:FRBRManifestation/a:FRBRthis", NS).get("value") == f"{expression}.akn"
    assert expression.endswith("/c-111-inf-7/fra@")
    preface = root.find("a:doc/a:preface", NS)
    assert preface.find(".//a:docNumber", NS).text == "C/111/INF/7"
    assert preface.find(".//a:docDate", NS).get("date") == "2020-11-02"
    assert preface.find(".//a:session", NS).get("value") == "111"
    assert "".join(preface.find(".//a:docTitle", NS).itertext()).startswith("Rapport sur la mise en œuvre")
    # The English annex of the French edition says so.
    third = root.findall("a:doc/a:attachments/a:attachment", NS)[2]
    assert third.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert third.find(".//a:FRBRExpression/a:FRBRlanguage", NS).get("language") == "eng"


def test_sub_paragraphs_are_points_with_their_markers(editions):
    root = tree(editions["c-111-inf-7", "en"])
    para = root.find(".//a:paragraph[@eId='sec_I__para_2']", NS)
    assert para.find("a:intro/a:p", NS) is not None
    markers = [n.text for n in para.findall("a:list/a:point/a:num", NS)]
    assert markers == ["(a)", "(b)", "(c)", "(d)"]


SAMPLE = """---
lang: en
title: T
---

# Part {#sec:one}

Text with a quote, a list and sub-paragraphs,[^n] *emphasis*, **bold**, `code`, [a link](https://example.org)
and [latin]{lang=la}:

> Quoted words.

- A bullet.

(a) {#para:first}
    First;

    (i) deeper;

(b) Second.

> Quoted after them.

And text after them, see @para:first and @note:n.

{.unnumbered}
An unnumbered paragraph.

[^n]: A note with sub-paragraphs:

    (a) one;
    (b) two.
"""


def test_every_construct_is_written_and_valid():
    document, diagnostics = compile_text(SAMPLE)
    assert [d for d in diagnostics if d.severity.name == "ERROR"] == []
    data, problems = write_akn(document)
    assert problems == []
    assert validate(data) == []
    root = tree(data)
    para = root.find(".//a:paragraph[@eId='sec_I__para_1']", NS)
    assert [etree.QName(c).localname for c in para] == ["num", "intro", "hcontainer", "hcontainer", "list",
                                                         "hcontainer"]
    assert para.find(".//a:blockContainer[@class='quote']/a:p", NS).text == "Quoted words."
    assert para.find(".//a:ul/a:li/a:p", NS).text == "A bullet."
    assert [n.text for n in para.findall("a:list/a:point/a:num", NS)] == ["(a)", "(b)"]
    assert para.find("a:list/a:point/a:list/a:point/a:num", NS).text == "(i)"
    intro = para.find("a:intro/a:p", NS)
    assert [etree.QName(c).localname for c in intro] == ["authorialNote", "i", "b", "span", "a", "span"]
    note = intro.find("a:authorialNote", NS)
    assert [n.text for n in note.findall("a:blockList/a:item/a:num", NS)] == ["(a)", "(b)"]
    refs = {r.text: r.get("href") for r in root.iter(f"{{{AKN}}}ref")}
    assert refs == {"1 (a)": "#sec_I__para_1__list_nn_1__point_a", "1": f"#{note.get('eId')}"}
    assert para[-1].find(".//a:blockContainer/a:p", NS).text == "Quoted after them."
    unnumbered = root.findall(".//a:section/a:paragraph", NS)[2]
    assert unnumbered.find("a:num", NS) is None and unnumbered.get("eId") == "sec_I__para_nn_1"


TABLES = {
    # C/111/3 as typed in en.md: (number, title, head, first body row, rows, note markers and texts, source).
    "summary": ("1", "Administrative Part of the Budget", ["Item", "2020", "2021"],
                ["Staff costs", "18,734.6", "19,102.3"], 5, [("a", "In thousands of Swiss francs."),
                                                            ("b", "Including the post adjustment for Geneva.")],
                "Source: Budget estimates of the Administration, 2020 and 2021."),
    "offices": ("2", "Costs by country office", ["Country office", "2020", "2021"],
                ["Abuja", "3,343.2", "1,008.5"], 47, [("a", "In thousands of Swiss francs; offices funded from the "
                                                            "Administrative Part of the Budget only."),
                                                      ("b", "Liaison office.")], None),
    "grades": ("3", "Posts by grade, 2021", ["Grade", "Posts", "Change from 2020"], ["D-2", "2", "–"], 9,
               [("a", "Ungraded posts excluded."),
                ("b", "In full-time equivalents: a post shared by two part-time staff members counts as one half "
                      "each.")], None),
}


def own_text(node: etree._Element) -> str:
    """A node's text without the notes standing in it (lxml's ``strip_elements`` keeps their tails)."""
    copy = etree.fromstring(etree.tostring(node))
    etree.strip_elements(copy, f"{{{AKN}}}authorialNote", with_tail=False)
    return "".join(copy.itertext()).replace("\u2060", "")


@pytest.mark.parametrize("name", TABLES)
def test_a_table_is_a_table_with_its_caption_rows_notes_and_source(editions, name):
    number, title, head, first, rows, notes, source = TABLES[name]
    root = tree(editions["c-111-3", "en"])
    refs = {r.get("href") for r in root.iter(f"{{{AKN}}}ref") if r.text == number}
    tables = root.findall(".//a:hcontainer[@name='table']/a:content/a:table", NS)
    (table,) = [t for t in tables if f"#{t.get('eId')}" in refs]
    assert table.get("eId").endswith(f"__table_{number}")
    caption = table.find("a:caption", NS)
    assert own_text(caption) == f"Table {number} {title}"
    trs = table.findall("a:tr", NS)
    assert len(trs) == rows
    assert [own_text(c.find("a:p", NS)) for c in trs[0]] == head
    assert {etree.QName(c).localname for c in trs[0]} == {"th"}
    assert [own_text(c.find("a:p", NS)) for c in trs[1]] == first
    assert {etree.QName(c).localname for c in trs[1]} == {"td"}
    assert all(cell.find("a:p", NS) is not None for tr in trs for cell in tr)
    found = table.findall(".//a:authorialNote", NS)
    assert [(n.get("marker"), "".join(n.itertext())) for n in found] == notes
    assert all(n.get("placementBase") == f"#{table.get('eId')}" for n in found)
    after = table.getnext()
    if source is None:
        assert after is None or after.get("class") != "table-source"
    else:
        assert after.get("class") == "table-source" and "".join(after.itertext()) == source


def test_an_edition_whose_language_has_no_iso_639_2_code_is_refused(monkeypatch):
    from dataclasses import replace

    document, _ = compile_text("---\nlang: en\ntitle: T\n---\n\nText.\n")
    document = replace(document, language=replace(document.language, iso_639_2=""))
    data, problems = write_akn(document)
    assert data is None
    assert [str(p) for p in problems] == [
        "doc.md:1:1: error: Akoma Ntoso names an edition by its ISO 639-2 language code, and language 'en' has none\n"
        "  hint: add 'iso-639-2: <code>' to languages/en.yaml"
    ]


def test_the_akn_files_are_in_the_manifest_and_the_index(real_project):
    manifest = json.loads((real_project / "output/manifest.json").read_text(encoding="utf-8"))
    text = json.dumps(manifest)
    for doc, lang in EDITIONS:
        assert f"{doc}/{lang}/{doc}.akn" in text
    assert "mc-inf-298.akn" in (real_project / "output/index.html").read_text(encoding="utf-8")
