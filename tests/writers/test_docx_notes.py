"""Notes in the DOCX as Word and LibreOffice number them, for any number of annexes, and the
references to them as Word ``NOTEREF`` fields. The expected numbers come from the fixture
``tests/fixtures/three-annexes/en.md``, whose notes say which they are ("Annex II, note 3.")."""

from __future__ import annotations

import itertools
import re
import shutil
import zipfile

import pdfplumber
import pytest
from conftest import FIXTURES, add_document
from libreoffice import pages, render
from lxml import etree

from councildoc.cli import main

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
SOURCE = (FIXTURES / "three-annexes/en.md").read_text(encoding="utf-8")
NOTES = dict(re.findall(r"^\[\^([\w-]+)\]: (.*)$", SOURCE, re.M))
"""Each note's label and text, as the fixture defines them (in the order they are called)."""


def number_in_text(text: str) -> str:
    """The number a note of the fixture says it has: "Annex II, note 3." → ``3``."""
    return re.match(r"(?:Body|Annex [IVX]+), note (\d+)\.", text)[1]


def printed(text: str) -> str:
    """A note's text as printed: a reference to a note prints the number that note's text gives."""
    return re.sub(r"@note:([\w-]+)", lambda m: number_in_text(NOTES[m[1]]), text)


REFERENCES = re.findall(r"note @note:([\w-]+)((?: \w+){1,3})", SOURCE)
"""Each ``note @note:x`` of the fixture and the words that follow it."""


@pytest.fixture(scope="module")
def docx(tmp_path_factory):
    from conftest import ROOT

    project = tmp_path_factory.mktemp("three")
    for folder in ("templates", "styles"):
        shutil.copytree(ROOT / folder, project / folder)
    folder = add_document(project, "three", {})
    shutil.copy(FIXTURES / "three-annexes/en.md", folder / "en.md")
    assert main(["--format", "docx", "--project", str(project)]) == 0
    return project / "output/three/en/three.docx"


def test_libreoffice_numbers_the_notes_of_three_annexes_as_the_house(docx, tmp_path):
    """Body 1…4, then each annex from 1: every call and every note at the foot bear the number
    the note's own text gives, on the same page (LibreOffice 7.4 printed 0, 0 in annexes II and III)."""
    rendered = pages(render([docx], tmp_path)[0])
    notes = [note for page in rendered for note in page.notes]
    assert [text for _, text in notes] == [printed(text) for text in NOTES.values()]
    assert [mark for mark, _ in notes] == [number_in_text(text) for text in NOTES.values()]
    for page in rendered:
        assert page.calls == [mark for mark, _ in page.notes], f"page {page.number}"


def test_libreoffice_shows_the_numbers_of_references_to_notes(docx, tmp_path):
    """LibreOffice 7.4 keeps a NOTEREF field as it finds it and shows its result: the build's number."""
    rendered = pages(render([docx], tmp_path)[0])
    text = " ".join(" ".join(page.text.split()) for page in rendered)
    text += " " + " ".join(t for page in rendered for _, t in page.notes)
    for label, after in REFERENCES:
        assert f"note {number_in_text(NOTES[label])}{after}" in text


def test_references_to_notes_are_noteref_fields_on_the_notes_bookmarked_calls(docx):
    """A ``NOTEREF`` field per ``@note:`` reference, naming a bookmark that encloses the call of that
    very note; its result, until Word updates it, the number the note's text gives."""
    with zipfile.ZipFile(docx) as archive:
        body = archive.read("word/document.xml").decode()
        footnotes_xml = archive.read("word/footnotes.xml")
    footnotes = {n.get(f"{{{W}}}id"): "".join(n.itertext()).strip()
                 for n in etree.fromstring(footnotes_xml).findall("w:footnote", NS)}
    called = {}
    for name, inside in re.findall(r'<w:bookmarkStart w:id="(?:\d+)" w:name="([^"]+)" />(.*?)<w:bookmarkEnd', body):
        ref = re.search(r'<w:footnoteReference w:id="(\d+)"', inside)
        if ref:
            called[name] = footnotes[ref[1]]
    fields = re.findall(r"NOTEREF (\S+) \\h </w:instrText>.*?<w:t>(\d+)</w:t>",
                        body + footnotes_xml.decode(), re.S)
    assert sorted((called[name], result) for name, result in fields) == sorted(
        (NOTES[label], number_in_text(NOTES[label])) for label, _ in REFERENCES)


EDITIONS = [f"{doc}/{lang}/{doc}.docx" for doc in ("mc-inf-298", "c-111-inf-7", "c-111-3")
            for lang in ("en", "es", "fr")]


@pytest.fixture(scope="module")
def rendered(real_project, tmp_path_factory):
    """Every DOCX the build writes and the PDF LibreOffice makes of it (in one run)."""
    folder = tmp_path_factory.mktemp("libreoffice")
    copies = []
    for edition in EDITIONS:  # one name per edition: LibreOffice names its PDF after the file
        copy = folder / "docx" / edition.replace("/", "-")
        copy.parent.mkdir(exist_ok=True)
        shutil.copy(real_project / "output" / edition, copy)
        copies.append(copy)
    return dict(zip(EDITIONS, zip(copies, render(copies, folder / "pdf"), strict=True), strict=True))


def test_every_note_starts_on_its_calls_page_in_libreoffice(rendered):
    """Every DOCX the build writes, rendered by LibreOffice: on each page the notes that start at
    the foot are those called in its text, in order; and each part numbers its notes 1…n, as many
    as the DOCX has footnotes. (Annex note 2 of MC/INF/298 printed a page after its call: the note
    style's widow control made the two-line note unsplittable, and LibreOffice, where Word would
    move the calling line, moves such a note whole to the next page.)"""
    for docx_path, pdf in rendered.values():
        rendered_pages = pages(pdf)
        for page in rendered_pages:
            assert page.calls == [mark for mark, _ in page.notes], f"{docx_path.name}, page {page.number}"
        marks = [int(mark) for page in rendered_pages for mark, _ in page.notes]
        with zipfile.ZipFile(docx_path) as archive:
            body = archive.read("word/document.xml").decode()
        # The house's numbers: each part (a section of the DOCX) counts its notes from 1.
        per_part = [section.count("<w:footnoteReference") for section in body.split("<w:sectPr")]
        assert marks == [n for count in per_part for n in range(1, count + 1)], docx_path.name


def _pages(pdf_path) -> list[list[tuple[str, float]]]:
    """The lines of each page (the PDF read once): their text, and their distance below the page's first line."""
    with pdfplumber.open(pdf_path) as pdf:
        pages = [page.extract_text_lines() for page in pdf.pages]
    return [[(" ".join(line["text"].split()), round(line["top"] - lines[0]["top"], 1)) for line in lines]
            for lines in pages]


def test_cover_and_first_page_spaced_as_the_pdf(real_project, rendered):
    """The cover (masthead, session, title, subtitle) and the body's first lines (title, heading I,
    paragraph 1) stand where the PDF sets them: the same lines, each at the same distance below
    the first, within a point (the two renderers place a line's top 2.3 pt apart, alike on every line)."""
    for edition, (_, pdf) in rendered.items():
        house_pdf = real_project / "output" / edition.replace(".docx", ".pdf")
        # The cover, the body's first page and each annex's first page (its page's first line is
        # the running head, then the annex's designation: "Annex II", "Anexo"), in the PDF and LibreOffice's.
        # The body may take another number of pages in each (a long table breaks elsewhere): pages
        # are paired in order.
        both = _pages(pdf), _pages(house_pdf)
        annexes = [[i for i, lines in enumerate(pages) if _annex_opening([text for text, _ in lines])]
                   for pages in both]
        assert len(annexes[0]) == len(annexes[1]) > 0, edition
        for page, house_page in ((0, 0), (1, 1), *zip(*annexes, strict=True)):
            ours = both[0][page][:8]
            house = both[1][house_page][:8]
            assert [text for text, _ in ours] == [text for text, _ in house], (edition, page + 1)
            far = [(text, a, b) for (text, a), (_, b) in zip(ours, house, strict=True) if abs(a - b) > 1]
            assert not far, (edition, page + 1, far)


def _annex_opening(lines: list[str]) -> bool:
    """A page whose head says it is an annex's first page ("Annex II, page 1", "Anexo, página 1")."""
    return any(re.fullmatch(r"(Annex|Anexo|Annexe)( [IVX]+)?, (page|página) 1", line) for line in lines[:3])


_SECTION_NUMBER = re.compile(r"([IVX]+|[A-H])\.")


def _heading_gaps(pdf_path) -> dict[str, float]:
    """Each section heading's words ("I." → "INTRODUCTION"; "A." → "Origins of the Framework") and
    the gap between its number's full stop and its first word, in points."""
    gaps = {}
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            for line in page.extract_text_lines(return_chars=True):
                chars = [c for c in line["chars"] if c["text"].strip()]
                words = line["text"].split()
                if len(words) < 2 or not _SECTION_NUMBER.fullmatch(words[0]) or chars[0]["size"] < 11:
                    continue
                stop = len(words[0])
                gaps[" ".join(words[1:])] = chars[stop]["x0"] - chars[stop - 1]["x1"]
    return gaps


def test_section_numbers_spaced_from_their_titles_as_the_pdf(real_project, rendered):
    """A body section's number stands as far from its title in LibreOffice as in the PDF, which sets
    half an em more than a word space ("I.  INTRODUCTION"; the DOCX had one space, 6 pt short)."""
    for edition, (_, pdf) in rendered.items():
        house = _heading_gaps(real_project / "output" / edition.replace(".docx", ".pdf"))
        ours = _heading_gaps(pdf)
        assert house and house.keys() == ours.keys(), edition
        assert all(gap > 8 for gap in house.values()), (edition, house)  # a space and half an em of 12 pt
        far = {words: (ours[words], gap) for words, gap in house.items() if abs(ours[words] - gap) > 0.5}
        assert not far, (edition, far)


def _gaps_after_table_blocks(pdf_path) -> dict[str, float]:
    """The first words of each paragraph that follows a table's source or notes (set in 9 pt), and
    the space between that block's last line and the paragraph's first, in points."""
    gaps = {}
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            lines = page.extract_text_lines(return_chars=True)
            for above, below in itertools.pairwise(lines):
                if max(c["size"] for c in above["chars"]) < 9.5 and below["chars"][0]["size"] > 11:
                    gaps[below["text"][:20]] = below["top"] - above["bottom"]
    return gaps


def test_a_tables_block_is_followed_by_a_paragraphs_space_as_in_the_pdf(real_project, rendered):
    """After a table's source and notes, the next paragraph stands a paragraph's space below, as
    the print page sets it (`.table-block`: 12 pt after). The DOCX set the notes with no space after
    them and the next paragraph ran into them (1.4 pt in LibreOffice against the PDF's 14.1)."""
    compared = 0
    for edition, (_, pdf) in rendered.items():
        house = _gaps_after_table_blocks(real_project / "output" / edition.replace(".docx", ".pdf"))
        ours = _gaps_after_table_blocks(pdf)
        both = house.keys() & ours.keys()  # a page may break before the paragraph in one of them
        far = {words: (round(ours[words], 1), round(house[words], 1)) for words in both
               if abs(ours[words] - house[words]) > 1}
        assert not far, (edition, far)
        compared += len(both)
    assert compared >= 6  # C/111/3: at least two tables with notes in each of its editions
