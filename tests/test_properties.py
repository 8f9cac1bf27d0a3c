"""Properties over random valid documents: they build in every format, their numbers are
contiguous in every part, and the HTML, the PDF's text and the DOCX's XML carry the same ones."""

from __future__ import annotations

import re
import shutil
import zipfile

import pypdf
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree, html

from councildoc.cli import main

WORDS = st.sampled_from(["migration", "rights", "Council", "États", "niñez", "protección", "Member", "States",
                         "law", "«", "»", "–", "(2009)", "N.º", "1150", "and", "the", "of", "IOM’s", "50 %"])
# A sentence never starts with a number: "1150." alone on a line is a numbered list in Markdown.
SENTENCE = st.lists(WORDS, min_size=1, max_size=12).map(lambda words: "Text " + " ".join(words) + ".")
PARAGRAPH = st.tuples(SENTENCE, st.integers(min_value=0, max_value=2))  # text, notes it calls
SECTION = st.lists(PARAGRAPH, min_size=1, max_size=4)
DOCUMENT = st.tuples(
    st.lists(SECTION, min_size=1, max_size=4),                 # body sections
    st.lists(st.lists(PARAGRAPH, min_size=1, max_size=3), min_size=0, max_size=2),  # annex regions
)


def to_markdown(body, annex) -> tuple[str, list[int], list[int]]:
    """The source, and how many paragraphs and notes each part has."""
    lines = ["---", "lang: en", "title: Random document", "---", ""]
    counts = {"p": [0, 0], "n": [0, 0]}
    note = 0

    def paragraph(text, calls, part, lead=""):
        nonlocal note
        out = lead + text
        definitions = []
        for _ in range(calls):
            note += 1
            out += f"[^n{note}]"
            definitions.append(f"[^n{note}]: Note {note} {text}")
        counts["p"][part] += 1
        counts["n"][part] += calls
        return [out, ""] + [d for definition in definitions for d in (definition, "")]

    for index, section in enumerate(body, start=1):
        lines += [f"# Section {index}", ""]
        for text, calls in section:
            lines += paragraph(text, calls, 0)
    if annex:
        lines += ["::: {.annex #annex:a}", "# Annex title", ""]
        for index, region in enumerate(annex, start=1):
            lines += [f"## Region {index}", ""]
            for text, calls in region:
                lines += paragraph(text, calls, 1, lead=f"[Place {index}]{{.entry}} ")
        lines += [":::", ""]
    return "\n".join(lines), counts["p"], counts["n"]


def html_numbers(path):
    page = html.parse(str(path)).getroot()
    parts = page.xpath("//main/*[contains(@class,'part')]")
    return ([[int(a.text[:-1]) for a in part.xpath(".//a[@class='para-num']")] for part in parts],
            [[int(v) for v in part.xpath("./footer//li/@value")] for part in parts])


def pdf_numbers(path, parts):
    names = list(pypdf.PdfReader(path).named_destinations)
    prefixes = ["", "annex-"][:parts]
    return ([sorted(int(n[len(p) + 1:]) for n in names if re.fullmatch(rf"{p}p\d+", n)) for p in prefixes],
            [sorted(int(n[len(p) + 2:]) for n in names if re.fullmatch(rf"{p}fn\d+", n)) for p in prefixes])


def docx_numbers(path, parts):
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    paragraphs, notes, part = [[] for _ in range(parts)], [[] for _ in range(parts)], 0
    for p in body.iter(f"{w}p"):
        style = p.find(f"{w}pPr/{w}pStyle")
        style = style.get(f"{w}val") if style is not None else ""
        if style == "AnnexHeading":
            part = 1
        if style in ("NumberedParagraph", "AnnexEntry"):
            paragraphs[part].append(int("".join(t.text or "" for t in p.iter(f"{w}t")).split(".")[0]))
        for _ in p.iter(f"{w}footnoteReference"):
            notes[part].append(len(notes[part]) + 1)  # Word counts them, restarting in the annex section
    return paragraphs, notes


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(DOCUMENT)
def test_random_documents_build_with_contiguous_numbers_that_agree(tmp_path_factory, document):
    body, annex = document
    source, paragraph_counts, note_counts = to_markdown(body, annex)
    project = tmp_path_factory.mktemp("random")
    for folder in ("templates", "styles"):
        shutil.copytree(ROOT / folder, project / folder)
    (project / "source/doc").mkdir(parents=True)
    (project / "source/doc/document.yaml").write_text(
        "symbol: MC/RND/1\ndate: 2026-11-28\nsession: 117\noriginal-language: en\n", encoding="utf-8")
    (project / "source/doc/en.md").write_text(source, encoding="utf-8")
    assert main(["--format", "html,pdf,docx", "--jobs", "1", "--project", str(project)]) == 0, source

    parts = 2 if annex else 1
    expected_paragraphs = [list(range(1, n + 1)) for n in paragraph_counts[:parts]]
    expected_notes = [list(range(1, n + 1)) for n in note_counts[:parts]]
    out = project / "output/doc/en"
    assert html_numbers(out / "doc.html") == (expected_paragraphs, expected_notes)
    assert pdf_numbers(out / "doc.pdf", parts) == (expected_paragraphs, expected_notes)
    assert docx_numbers(out / "doc.docx", parts) == (expected_paragraphs, expected_notes)
