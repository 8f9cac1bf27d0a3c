"""Properties over random valid documents that use every construct.

Hypothesis draws a document's structure — sections, sub-sections, numbered and unnumbered
paragraphs, sub-paragraphs to four degrees, bullet lists, quotes, notes (some holding a list),
entries, one to three annexes, tables (pipe or grid, with figures written each language's way
and lettered table notes) and figures (SVG or PNG), and references of every kind across parts —
and this module writes
it as Markdown and works out, from the structure alone, what every number, marker and reference
must print. The build must then agree in every format: the review text, the HTML, the PDF and the
DOCX carry those numbers; ``textconv`` of each format gives back the review text; and ``check``
finds a second edition of the same structure in step with the first.

CI runs a modest number of examples, the same on every run; ``COUNCILDOC_EXAMPLES=200
COUNCILDOC_RANDOM=1`` runs more, new ones each time (docs/reliability.md).
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field

import pypdf
from conftest import ROOT
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from lxml import etree, html

from councildoc.cli import main
from councildoc.textconv import textconv

EXAMPLES = int(os.environ.get("COUNCILDOC_EXAMPLES", "6"))
# CI draws the same examples on every run (a red CI names a fault, not a dice roll);
# COUNCILDOC_RANDOM=1 draws new ones, as the larger runs in docs/reliability.md do.
DERANDOMIZE = os.environ.get("COUNCILDOC_RANDOM") != "1"
# Shrinking a failure rebuilds PDFs for minutes; COUNCILDOC_SHRINK=1 asks for it when debugging.
PHASES = [p for p in Phase if p is not Phase.shrink or os.environ.get("COUNCILDOC_SHRINK") == "1"]

# The oracle's own number styles (not councildoc's): the UN manual's four degrees, in English.
LETTERS = "abcdefghijklmnopqrstuvwxyz"
ROMANS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
MARKERS = [lambda k: f"({LETTERS[k]})", lambda k: f"({ROMANS[k]})", lambda k: f"{LETTERS[k]}.",
           lambda k: f"{ROMANS[k]}."]
SECTION_STYLES = [lambda k: ["I", "II", "III", "IV", "V"][k], lambda k: "ABCDE"[k], lambda k: str(k + 1)]
ANNEX_NUMBERS = ["I", "II", "III"]

WORDS = st.lists(st.sampled_from(["migration", "rights", "Council", "États", "niñez", "Member", "States", "law",
                                  "–", "(2009)", "and", "the", "of", "IOM’s", "50 %", "«", "»"]),
                 min_size=1, max_size=8).map(" ".join)

# --------------------------------------------------------------------------
# The structure Hypothesis draws


@dataclass
class Item:
    """A sub-paragraph: its words, its sub-paragraphs, whether it carries a label."""

    words: str
    children: list[Item]
    labelled: bool
    label: str = ""
    citation: str = ""


@dataclass
class Para:
    words: str
    numbered: bool
    labelled: bool
    notes: int
    note_list: bool
    items: list[Item]
    bullets: list[str]
    quote: str | None
    entry: str | None = None
    label: str = ""
    number: int | None = None
    refs: list[int] = field(default_factory=list)


@dataclass
class Tbl:
    """A table: its rows' figures (tenths), which rows' first cell calls a note, whether the title calls
    one, whether it is written as a grid table; in a grid table, how many paragraphs each row's first
    cell holds after its first (0 to 2) and which rows' figure a paragraph follows ("(est.)")."""

    values: list[int]
    row_notes: list[bool]
    caption_note: bool
    grid: bool
    more: list[int]
    estimated: list[bool]
    label: str = ""
    number: int = 0
    letters: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    """Its rows as the review text must print them (from the drawing, not the build)."""


@dataclass
class Fig:
    svg: bool
    label: str = ""
    number: int = 0


@dataclass
class Sec:
    level: int
    paras: list[Para]
    subs: list[Sec]
    tables: list[Tbl] = field(default_factory=list)
    figures: list[Fig] = field(default_factory=list)
    label: str = ""
    citation: str = ""
    title: str = ""


@dataclass
class Doc:
    body: list[Sec]
    annexes: list[list[Sec]]


def items(degree: int):
    child = items(degree + 1) if degree < 4 else st.just([])
    return st.lists(st.builds(Item, WORDS, st.one_of(st.just([]), child) if degree < 4 else st.just([]),
                              st.booleans()), min_size=1, max_size=3 if degree == 1 else 2)


@st.composite
def paragraphs(draw, entry: bool = False):
    numbered = entry or draw(st.integers(0, 5)) > 0
    return Para(
        words=draw(WORDS), numbered=numbered, labelled=numbered and draw(st.booleans()),
        notes=draw(st.integers(0, 2)), note_list=draw(st.booleans()),
        items=draw(st.one_of(st.just([]), items(1))) if numbered else [],
        bullets=draw(st.lists(WORDS, max_size=2)), quote=draw(st.one_of(st.none(), WORDS)),
        entry=draw(st.sampled_from(["Angola", "Kenya", "Peru"])) if entry else None,
    )


@st.composite
def tables(draw):
    rows = draw(st.integers(1, 3))
    grid = draw(st.booleans())
    return Tbl(values=draw(st.lists(st.integers(0, 99_999_999), min_size=rows, max_size=rows)),
               row_notes=draw(st.lists(st.booleans(), min_size=rows, max_size=rows)),
               caption_note=draw(st.booleans()), grid=grid,
               more=draw(st.lists(st.integers(0, 2 if grid else 0), min_size=rows, max_size=rows)),
               estimated=draw(st.lists(st.booleans() if grid else st.just(False), min_size=rows, max_size=rows)))


@st.composite
def sections(draw, level: int, annex: bool = False):
    subs = draw(st.lists(sections(level + 1, annex), max_size=2)) if level < (2 if annex else 3) else []
    paras = draw(st.lists(paragraphs(entry=annex and level == 2), min_size=0 if subs else 1, max_size=3))
    return Sec(level, paras, subs, draw(st.lists(tables(), max_size=1)),
               draw(st.lists(st.builds(Fig, st.booleans()), max_size=1)))


DOCUMENTS = st.builds(Doc, st.lists(sections(1), min_size=1, max_size=3),
                      st.lists(st.lists(sections(2, annex=True), min_size=1, max_size=2), max_size=3))

# --------------------------------------------------------------------------
# The oracle: numbers, markers, citations and designations, from the structure


@dataclass
class Expected:
    paragraphs: list[list[int]] = field(default_factory=list)
    notes: list[list[int]] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)
    targets: dict[str, str] = field(default_factory=dict)
    """label → what a reference to it prints."""
    tables: list[Tbl] = field(default_factory=list)
    """In document order: numbered 1, 2… through the body and the annexes."""
    figures: list[Fig] = field(default_factory=list)


def number(doc: Doc) -> Expected:
    expected = Expected()
    counter = 0

    def label(kind: str) -> str:
        nonlocal counter
        counter += 1
        return f"{kind}:x{counter}"

    def walk_items(items_: list[Item], degree: int, citation: str) -> None:
        for k, item in enumerate(items_):
            marker = MARKERS[degree - 1](k)
            expected.markers.append(marker)
            item.citation = f"{citation} {marker}"
            if item.labelled:
                item.label = label("para")
                expected.targets[item.label] = item.citation
            walk_items(item.children, degree + 1, item.citation)

    def walk(sections_: list[Sec], path: list[str], numbered: bool, counts: list[int]) -> None:
        for k, sec in enumerate(sections_):
            sec.label = label("sec")
            here = [*path, SECTION_STYLES[sec.level - 1](k)] if numbered else path
            sec.title = f"Heading {counter}"
            sec.citation = ".".join(here) if numbered else sec.title
            expected.targets[sec.label] = sec.citation
            for para in sec.paras:
                if para.numbered:
                    counts[0] += 1
                    para.number = counts[0]
                    if para.labelled:
                        para.label = label("para")
                        expected.targets[para.label] = str(para.number)
                walk_items(para.items, 1, str(para.number))
                for _ in range(para.notes):
                    counts[1] += 1
                    expected.targets[label("note")] = str(counts[1])
            for table in sec.tables:  # after the section's paragraphs, as to_markdown writes them
                expected.tables.append(table)
                table.number, table.label = len(expected.tables), label("tbl")
                expected.targets[table.label] = str(table.number)
                calls = [table.caption_note, *table.row_notes]  # the title is above the table: its note first
                table.letters = list(LETTERS[:sum(calls)])
                table.rows = review_rows(table)
            for figure in sec.figures:
                expected.figures.append(figure)
                figure.number, figure.label = len(expected.figures), label("fig")
                expected.targets[figure.label] = str(figure.number)
            walk(sec.subs, here, numbered, counts)

    parts = [(doc.body, True)] + [(annex, False) for annex in doc.annexes]
    for index, (sections_, numbered) in enumerate(parts):
        counts = [0, 0]
        if index:
            designation = "Annex" if len(doc.annexes) == 1 else f"Annex {ANNEX_NUMBERS[index - 1]}"
            expected.targets[f"annex:a{index}"] = designation
        walk(sections_, [], numbered, counts)
        expected.paragraphs.append(list(range(1, counts[0] + 1)))
        expected.notes.append(list(range(1, counts[1] + 1)))
    return expected


# --------------------------------------------------------------------------
# Markdown


def to_markdown(doc: Doc, expected: Expected, references: list[tuple[int, str]], lang: str) -> str:
    """The source; ``references`` puts ``REF<k> @label`` in the k-th numbered paragraph's text."""
    lines = ["---", f"lang: {lang}", "title: Random document", "---", ""]
    notes = iter(label for label in expected.targets if label.startswith("note:"))
    paragraph_index = 0

    def item_lines(items_: list[Item], indent: str) -> list[str]:
        out = []
        for k, item in enumerate(items_):
            marker = f"{k + 1}."
            pad = indent + " " * (len(marker) + 1)
            if item.label:
                out += [f"{indent}{marker} {{#{item.label}}}", f"{pad}Item {item.words}.", ""]
            else:
                out += [f"{indent}{marker} Item {item.words}.", ""]
            out += item_lines(item.children, pad)
        return out

    def paragraph(para: Para) -> list[str]:
        nonlocal paragraph_index
        text = f"Text {para.words}."
        if para.numbered:
            for k, label in references:
                if k == paragraph_index and label != para.label:
                    text += f" See REF{len(text)}x @{label}."
            paragraph_index += 1
        calls = [next(notes) for _ in range(para.notes)]
        text += "".join(f"[^{label[5:]}]" for label in calls)
        if para.entry:
            text = f"[{para.entry}]{{.entry}} {text}"
        head = [f"{{#{para.label}}}"] if para.label else ([] if para.numbered else ["{.unnumbered}"])
        out = [*head, text, ""]
        out += item_lines(para.items, "")
        out += [f"- Point {words}." for words in para.bullets] + ([""] if para.bullets else [])
        out += [f"> Quoted {para.quote}.", ""] if para.quote else []
        for label in calls:
            out += [f"[^{label[5:]}]: Note {para.words}.", ""]
            if para.note_list:
                out += ["    - Listed in a note.", "    - Another point.", ""]
        return out

    def table(table: Tbl) -> list[str]:
        notes = iter(f"[^t{table.number}n{k}]" for k in range(4))
        caption_call = next(notes) if table.caption_note else ""
        rows = [["Item", "Amount", "Count"]]
        for k, (value, noted) in enumerate(zip(table.values, table.row_notes, strict=True)):
            rows.append([f"Row {k + 1}" + (next(notes) if noted else ""), figure(value, lang), str(k + 7)])
        if table.grid:
            # The first cell's first paragraph over two lines ("Row", "1[^…]"), then its further
            # paragraphs ("Part 2", "Part 3"), a blank line before each; a figure's own paragraph after it.
            cells = [[[cell] for cell in rows[0]]]
            for k, row in enumerate(rows[1:]):
                more = [line for j in range(table.more[k]) for line in ("", f"Part {j + 2}")]
                cells.append([["Row", row[0][4:], *more], [row[1], *(["", "(est.)"] if table.estimated[k] else [])],
                              [row[2]]])
            widths = [max(len(line) for row in cells for line in row[c]) for c in range(3)]
            out = ["+" + "+".join("-" * (w + 2) for w in widths) + "+"]
            for k, row in enumerate(cells):
                height = max(map(len, row))
                out += ["| " + " | ".join((column[n] if n < len(column) else "").ljust(w)
                                          for column, w in zip(row, widths, strict=True)) + " |"
                        for n in range(height)]
                # under the heads, the pipe table's alignments (|:--|--:|--:|): the figures' column aligned on
                # the decimal separator, as in a pipe table
                head = "+:" + "=" * (widths[0] + 1) + "".join(f"+{'=' * (w + 1)}:" for w in widths[1:]) + "+"
                out.append(head if k == 0 else out[0])
        else:
            out = ["| " + " | ".join(rows[0]) + " |", "|:--|--:|--:|", *("| " + " | ".join(row) + " |"
                                                                     for row in rows[1:])]
        out += ["", f": Table title {table.number}{caption_call} {{#{table.label}}}", ""]
        for k in range(len(table.letters)):
            out += [f"[^t{table.number}n{k}]: Table note {table.number}.{k}.", ""]
        return out

    def section(sec: Sec, annex: bool) -> list[str]:
        out = ["#" * sec.level + f" {sec.title} {{#{sec.label}}}", ""]
        for para in sec.paras:
            out += paragraph(para)
        for tbl in sec.tables:
            out += table(tbl)
        for fig in sec.figures:
            out += [f"![Figure title {fig.number}](chart.{'svg' if fig.svg else 'png'}){{#{fig.label}}}", ""]
        for sub in sec.subs:
            out += section(sub, annex)
        return out

    for sec in doc.body:
        lines += section(sec, False)
    for index, annex in enumerate(doc.annexes, start=1):
        lines += [f"::: {{.annex #annex:a{index}}}", f"# Annex title {index}", ""]
        for sec in annex:
            lines += section(sec, True)
        lines += [":::", ""]
    return "\n".join(lines)


def review_rows(table: Tbl) -> list[str]:
    """The table's rows as the English review text prints them: a cell's paragraphs joined by a
    space, a row's note call as its letter (the title's, if it calls one, is the first)."""
    letters = iter(table.letters[int(table.caption_note):])
    rows = zip(table.values, table.row_notes, table.more, table.estimated, strict=True)
    return [" | ".join((f"Row {k + 1}" + (f"[{next(letters)}]" if noted else "")
                        + "".join(f" Part {j + 2}" for j in range(more)),
                        figure(value, "en") + (" (est.)" if estimated else ""), str(k + 7)))
            for k, (value, noted, more, estimated) in enumerate(rows)]


def figure(tenths: int, lang: str) -> str:
    """A figure with one decimal, written the language's way (the oracle's own formatting)."""
    whole, tenth = divmod(tenths, 10)
    groups = f"{whole:,}"
    return f"{groups}.{tenth}" if lang == "en" else f"{groups.replace(',', ' ')},{tenth}"


# --------------------------------------------------------------------------
# What each format carries


def text_numbers(text: str) -> tuple[list[int], list[int], list[str]]:
    lines = text.splitlines()
    return ([int(m[1]) for line in lines if (m := re.match(r"(\d+)\. (?!Heading \d+$)", line))],
            [int(m[1]) for line in lines if (m := re.match(r"\[(\d+)\] ", line))],
            [m[1] for line in lines if (m := re.match(r"(\([a-z]+\)|[a-z]+\.) Item ", line))])


def html_numbers(path) -> tuple[list[list[int]], list[list[int]], list[str]]:
    page = html.parse(str(path)).getroot()
    parts = page.xpath("//main/*[contains(@class,'part')]")
    return ([[int(a.text[:-1]) for a in part.xpath(".//a[@class='para-num']")] for part in parts],
            [[int(v) for v in part.xpath("./section[@role='doc-endnotes']//li/@value")] for part in parts],
            [m.text for m in page.xpath("//main//span[@class='subpara-marker']")])


def pdf_numbers(path, annexes: int) -> tuple[list[list[int]], list[list[int]]]:
    names = list(pypdf.PdfReader(path).named_destinations)
    prefixes = [""] + (["annex-"] if annexes == 1 else [f"annex{n}-" for n in ANNEX_NUMBERS[:annexes]])
    return ([sorted(int(n[len(p) + 1:]) for n in names if re.fullmatch(rf"{p}p\d+", n)) for p in prefixes],
            [sorted(int(n[len(p) + 2:]) for n in names if re.fullmatch(rf"{p}fn\d+", n)) for p in prefixes])


def docx_numbers(path, parts: int) -> list[list[int]]:
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    paragraphs: list[list[int]] = [[] for _ in range(parts)]
    part = 0
    for p in body.iter(f"{w}p"):
        style = p.find(f"{w}pPr/{w}pStyle")
        style = style.get(f"{w}val") if style is not None else ""
        if style == "AnnexHeading":
            part += 1
        if style in ("NumberedParagraph", "AnnexEntry"):
            paragraphs[part].append(int("".join(t.text or "" for t in p.iter(f"{w}t")).split(".")[0]))
    return paragraphs


def text_tables(text: str) -> tuple[list[int], list[int], list[tuple[str, str]]]:
    """Table numbers, figure numbers and table notes (letter, which note), as the review text prints them."""
    lines = text.splitlines()
    return ([int(m[1]) for line in lines if (m := re.fullmatch(r"Table (\d+)", line))],
            [int(m[1]) for line in lines if (m := re.fullmatch(r"Figure (\d+)", line))],
            [(m[1], m[2]) for line in lines if (m := re.match(r"\[([a-z])\] Table note (\d+\.\d+)\.", line))])


def html_tables(path) -> tuple[list[str], list[str], list[list[str]]]:
    page = html.parse(str(path)).getroot()
    return ([" ".join(e.text_content().split()) for e in page.xpath("//main//span[@class='table-number']")],
            [" ".join(e.text_content().split()) for e in page.xpath("//main//span[@class='figure-number']")],
            [[e.text for e in block.xpath(".//span[@class='table-note-letter']")]
             for block in page.xpath("//main//div[contains(@class,'table-block')]")])


def docx_tables(path) -> tuple[list[str], list[str]]:
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    found: dict[str, list[str]] = {"TableNumber": [], "FigureNumber": []}
    for p in body.iter(f"{w}p"):
        style = p.find(f"{w}pPr/{w}pStyle")
        if style is not None and style.get(f"{w}val") in found:
            found[style.get(f"{w}val")].append("".join(t.text or "" for t in p.iter(f"{w}t")))
    return found["TableNumber"], found["FigureNumber"]


def _project(tmp_path_factory):
    project = tmp_path_factory.mktemp("random")
    for folder in ("templates", "styles"):
        shutil.copytree(ROOT / folder, project / folder)
    (project / "source/doc").mkdir(parents=True)
    (project / "source/doc/document.yaml").write_text(
        "symbol: MC/RND/1\ndate: 2026-11-28\nsession: 117\noriginal-language: en\n", encoding="utf-8")
    (project / "source/doc/chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">'
        '<rect x="10" y="20" width="40" height="80" fill="#204f7a"/></svg>\n', encoding="utf-8")
    from PIL import Image

    Image.new("RGB", (120, 60), (32, 79, 122)).save(project / "source/doc/chart.png")
    return project


@settings(max_examples=EXAMPLES, deadline=None, phases=PHASES, derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(DOCUMENTS, st.data())
def test_random_documents_agree_in_every_format(tmp_path_factory, doc, data):
    expected = number(doc)
    # pytest --hypothesis-show-statistics shows what was drawn
    event(f"{len(expected.tables)} table(s), {sum(t.grid for t in expected.tables)} grid, "
          f"{len(expected.figures)} figure(s), {sum(m > 0 for t in expected.tables for m in t.more)} cell(s) of "
          f"several paragraphs, {sum(e for t in expected.tables for e in t.estimated)} figure(s) with one after")
    labels = sorted(expected.targets)
    numbered = sum(len(part) for part in expected.paragraphs)
    references = data.draw(st.lists(st.tuples(st.integers(0, max(numbered - 1, 0)), st.sampled_from(labels)),
                                    max_size=6)) if numbered else []
    source = to_markdown(doc, expected, references, "en")
    if os.environ.get("COUNCILDOC_KEEP"):
        (tmp_path_factory.getbasetemp() / "last.md").write_text(source, encoding="utf-8")
    project = _project(tmp_path_factory)
    (project / "source/doc/en.md").write_text(source, encoding="utf-8")
    (project / "source/doc/fr.md").write_text(to_markdown(doc, expected, references, "fr"), encoding="utf-8")
    assert main(["check", "--project", str(project)]) == 0, source  # two editions of one structure: in step
    assert main(["--lang", "en", "--jobs", "1", "--project", str(project)]) == 0, source

    out = project / "output/doc/en"
    review = (out / "doc.txt").read_text(encoding="utf-8")
    flat = [n for part in expected.paragraphs for n in part]
    assert text_numbers(review) == (flat, [n for part in expected.notes for n in part], expected.markers), source
    for match in re.finditer(r"REF(\d+)x @(\w+:\w+)", source):
        assert f"REF{match[1]}x {expected.targets[match[2]]}." in review, (match[0], source)
    assert html_numbers(out / "doc.html") == (expected.paragraphs, expected.notes, expected.markers), source
    assert pdf_numbers(out / "doc.pdf", len(doc.annexes)) == (expected.paragraphs, expected.notes), source
    assert docx_numbers(out / "doc.docx", 1 + len(doc.annexes)) == expected.paragraphs, source
    numbers = [t.number for t in expected.tables]
    figures = [f.number for f in expected.figures]
    letters = [t.letters for t in expected.tables]
    # Note t<N>n<k> is table N's k-th call (the title's first): it is lettered the k-th letter.
    notes = [(letter, f"{t.number}.{k}") for t in expected.tables for k, letter in enumerate(t.letters)]
    assert text_tables(review) == (numbers, figures, notes), source
    assert [line for line in review.splitlines() if line.startswith("Row ")] == [
        row for t in expected.tables for row in t.rows], source
    assert html_tables(out / "doc.html") == ([f"Table {n}" for n in numbers], [f"Figure {n}" for n in figures],
                                             letters), source
    assert docx_tables(out / "doc.docx") == ([f"Table {n}" for n in numbers], [f"Figure {n}" for n in figures])
    destinations = set(pypdf.PdfReader(out / "doc.pdf").named_destinations)
    assert {x.label.replace(":", "-") for x in [*expected.tables, *expected.figures]} <= destinations, source
    for fmt in ("html", "pdf", "docx"):
        assert textconv(out / f"doc.{fmt}") == review, (fmt, source)
