"""``textconv``: the review text read back out of a built HTML, DOCX or PDF.

``git diff`` calls it (``diff.councildoc.textconv``) to show what changed inside
binary outputs. Each reader knows councildoc's own outputs — the HTML's classes,
the DOCX's styles, the PDF's layout — and gives the same text as
``--format txt`` (see ``writers/text.py``): a round trip the tests check.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from .languages import small_letter
from .writers.text import EMPTY_CELL, TABLE_CELL_SEPARATOR, normalize

SUPERSCRIPT = re.compile(r"\[(\d+)\]")


class TextconvError(Exception):
    """The file is not one councildoc can read back."""


def _sniff(path: Path) -> str:
    """The kind of a file by its first bytes (git hands textconv a temporary file)."""
    with path.open("rb") as stream:
        head = stream.read(512)
    if head.startswith(b"%PDF"):
        return ".pdf"
    if head.startswith(b"PK"):
        return ".docx"
    if b"<html" in head.lower() or head.lstrip().lower().startswith(b"<!doctype html"):
        return ".html"
    return ".txt"


def textconv(path: Path) -> str:
    """The canonical review text of a built ``.html``, ``.docx``, ``.pdf`` (or ``.txt``)."""
    suffix = path.suffix.lower() if path.suffix.lower() in (".html", ".docx", ".pdf", ".txt") else _sniff(path)
    if suffix == ".txt":
        return path.read_text(encoding="utf-8")
    readers = {".html": lambda: from_html(path.read_bytes()), ".docx": lambda: from_docx(path),
               ".pdf": lambda: from_pdf(path)}
    try:
        return readers[suffix]()
    except TextconvError:
        raise
    except Exception as exc:  # a damaged file, or one shaped unlike an edition  # noqa: BLE001
        raise TextconvError(f"not a council edition: its {suffix[1:].upper()} is not laid out as "
                            f"councildoc writes one ({type(exc).__name__}: {exc})") from exc


def _join(blocks: list[list[str]]) -> str:
    return "\n\n".join("\n".join(block) for block in blocks if block) + "\n"


# --------------------------------------------------------------------------
# HTML


def _html_text(element, skip=("para-num", "note-num", "backref", "subpara-marker", "note-sep")) -> str:
    out: list[str] = []

    def walk(node, top: bool) -> None:
        classes = (node.get("class") or "").split()
        if any(c in skip for c in classes):
            if not top:
                out.append(node.tail or "")
            return
        if node.tag == "sup":
            out.append(f"[{node.text_content().strip()}]")
        elif node.tag == "br":
            out.append(" ")
        else:
            out.append(node.text or "")
            for child in node:
                walk(child, False)
        if not top:
            out.append(node.tail or "")

    walk(element, True)
    return normalize("".join(out))


_HTML_BLOCKS = ("p", "ul", "ol", "blockquote", "div")


def _lead(mark: str, lines: list[str]) -> list[str]:
    """``lines`` with ``mark`` before the first (as the review text writes sub-paragraphs and notes)."""
    return [normalize(f"{mark} {lines[0]}"), *lines[1:]] if lines else [mark]


def _html_lines(container) -> list[str]:
    """The review lines of the blocks in ``container`` (a list item, a quote, a note): a line per
    paragraph, ``- `` per list item, ``> `` per quoted line, a sub-paragraph's marker before its text."""
    blocks = [child for child in container if child.tag in _HTML_BLOCKS]
    if not blocks:
        return [_html_text(container)]
    lines: list[str] = []
    for block in blocks:
        classes = (block.get("class") or "").split()
        if block.tag == "p" or block.tag == "div":
            lines += [_html_text(block)] if block.tag == "p" else _html_lines(block)
        elif block.tag == "blockquote":
            lines += [f"> {line}" for line in _html_lines(block)]
        elif "subparas" in classes:
            for item in block.xpath("li"):
                lines += _lead(item.xpath("string(span[@class='subpara-marker'])").strip(), _html_lines(item))
        else:
            lines += [f"- {line}" for item in block.xpath("li") for line in _html_lines(item)]
    return lines


def _html_table_lines(block) -> list[str]:
    """A ``table-block``: number, title, a line per row, the source line, the lettered notes."""
    lines = [_html_text(block.xpath(".//caption/span[@class='table-number']")[0]),
             _html_text(block.xpath(".//caption/span[@class='table-title']")[0])]
    for row in block.xpath(".//table/thead/tr | .//table/tbody/tr"):
        lines.append(TABLE_CELL_SEPARATOR.join(_html_text(cell) or EMPTY_CELL for cell in row.xpath("th|td")))
    lines += [_html_text(p) for p in block.xpath("p[@class='table-source']")]
    for item in block.xpath("ol[contains(@class,'table-notes')]/li"):
        letter = item.xpath("string(span[@class='table-note-letter'])").strip()
        lines += _lead(f"[{letter}]", [_html_text(span) for span in item.xpath("span[@class='table-note-para']")])
    return lines


def from_html(data: bytes) -> str:
    page = lxml_html.fromstring(data)
    if not page.xpath("//header[contains(@class,'masthead')]") or not page.xpath("//main"):
        raise TextconvError("not a council edition: an HTML page without a council masthead")
    masthead = page.xpath("//header[contains(@class,'masthead')]")[0]
    lines = [_html_text(p) for p in masthead.xpath("p")]
    lines[3:] = [line.upper() for line in lines[3:]]  # the session line is set in capitals
    title = masthead.xpath("h1")[0]
    subtitle = title.xpath("span[@class='subtitle']")
    title_only = normalize("".join(title.xpath("text()")))
    lines.append(title_only.upper())
    if subtitle:
        lines.append(_html_text(subtitle[0]).upper())
    blocks = [lines]
    body_title = page.xpath("//p[contains(@class,'body-title')]")[0]
    text = _html_text(body_title)
    # On screen the title's note hangs on the masthead's title; on paper, on the body's.
    calls = SUPERSCRIPT.findall(text) or SUPERSCRIPT.findall(_html_text(title))
    text = SUPERSCRIPT.sub("", text).upper() + "".join(f"[{n}]" for n in calls)
    blocks.append([text])
    inside = "ancestor::nav or ancestor::section[@role='doc-endnotes'] or ancestor::li or ancestor::blockquote"
    for part in page.xpath("//main/*[contains(@class,'part')]"):
        if "annex" in part.get("class"):
            blocks.append([_html_text(part.xpath(".//h2[@class='annex-designation']")[0])])
            for title in part.xpath(".//p[@class='annex-title']"):
                blocks.append([_html_text(title).upper()])
        for node in part.iter("h2", "h3", "h4", "h5", "h6", "p", "div", "figure"):
            classes = (node.get("class") or "").split()
            if node.xpath(inside) or "annex-designation" in classes:
                continue
            if "table-block" in classes:
                blocks.append(_html_table_lines(node))
            elif "figure" in classes:
                blocks.append([_html_text(node.xpath(f".//figcaption/span[@class='figure-{what}']")[0])
                               for what in ("number", "title")])
            elif "heading" in classes:
                text = _html_text(node)
                if "body" in part.get("class") and "level-1" in classes:
                    text = text.upper()
                blocks.append([text])
            elif "para" in classes:
                number = node.xpath("string(a[@class='para-num'])")
                text = _html_text(node)
                blocks.append([normalize(f"{number[:-1]}. {text}" if number else text)])
                if node.getparent().get("class") == "para-group":
                    blocks[-1] += _html_lines(node.getparent())[1:]
        notes = part.xpath("./section[@role='doc-endnotes']//li[@value]")
        if notes:
            blocks.append([line for li in notes for line in _lead(f"[{li.get('value')}]", _html_lines(li))])
    return _join(blocks)


# --------------------------------------------------------------------------
# DOCX

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_text(paragraph, marks: dict[str, int]) -> str:
    out = []
    for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}footnoteReference"):
        if node.tag == f"{W}t":
            if node.text == "," and out and out[-1].endswith("]") and _raised(node):
                continue  # the comma between two note calls (¹,²)
            if _raised(node) and _TABLE_NOTE_LETTER.fullmatch(node.text or ""):
                out.append(f"[{node.text}]")  # a table note's call or mark
                continue
            out.append(node.text or "")
        elif node.tag == f"{W}footnoteReference":
            out.append(f"[{marks[node.get(f'{W}id')]}]")
        else:
            out.append(" ")
    return normalize("".join(out))


_TABLE_NOTE_LETTER = re.compile(r"[a-z]{1,2}")
_TABLE_STYLES = ("TableTitle", "TableSource", "TableNote", "FigureTitle")
"""The paragraphs that go on a table's or a figure's block (its number paragraph opens it)."""


_DECIMAL_PADDING = str.maketrans("", "", "\u2007\u2008")
"""The figure and punctuation spaces the DOCX writer pads fractions with (to align decimal separators)."""


def _docx_table_rows(table, marks: dict[str, int]) -> list[str]:
    return [TABLE_CELL_SEPARATOR.join(" ".join(_docx_text(p, marks).translate(_DECIMAL_PADDING)
                                               for p in cell.findall(f"{W}p")).strip()
                                      or EMPTY_CELL for cell in row.findall(f"{W}tc"))
            for row in table.findall(f"{W}tr")]


def _raised(text) -> bool:
    """Whether a ``w:t`` is set in superscript."""
    run = text.getparent()
    align = run.find(f"{W}rPr/{W}vertAlign")
    return align is not None and align.get(f"{W}val") == "superscript"


def _note_marks(body) -> dict[str, int]:
    """Each footnote's number as Word shows it: in order, from 1 again where a section restarts."""
    paragraphs = body.findall(f"{W}p")
    ends = [p.find(f"{W}pPr/{W}sectPr") for p in paragraphs]
    sections = [s for s in ends if s is not None] + [body.find(f"{W}sectPr")]

    def restarts(index: int) -> bool:
        return index < len(sections) and sections[index].find(f"{W}footnotePr/{W}numRestart") is not None

    marks: dict[str, int] = {}
    count, section = 0, 0
    for paragraph, end in zip(paragraphs, ends, strict=True):
        for reference in paragraph.iter(f"{W}footnoteReference"):
            count += 1
            marks[reference.get(f"{W}id")] = count
        if end is not None:
            section += 1
            if restarts(section):
                count = 0
    return marks


_SUBPARAGRAPH_STYLE = re.compile(r"(Footnote )?Sub-paragraph \d( Continued)?")


def _docx_prefix(paragraph, name: str) -> str | None:
    """What a paragraph inside a block starts with in the review text (``- ``, ``> ``; nothing for a
    sub-paragraph, whose marker is its own text), or None for a paragraph that starts a block."""
    if _SUBPARAGRAPH_STYLE.fullmatch(name):
        return ""
    if name in ("Block Text", "Footnote Block Text"):
        return "> "
    if name == "Compact" or paragraph.find(f"{W}pPr/{W}numPr") is not None:
        return "- "
    return None


def _style_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each paragraph style's id → its name (``SubParagraph2`` → ``Sub-paragraph 2``)."""
    styles = etree.fromstring(archive.read("word/styles.xml"))
    return {style.get(f"{W}styleId"): style.find(f"{W}name").get(f"{W}val")
            for style in styles.iter(f"{W}style") if style.find(f"{W}name") is not None}


def _style(paragraph, names: dict[str, str]) -> tuple[str, str]:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    style = style.get(f"{W}val") if style is not None else ""
    return style, names.get(style, style)


def _docx_note_lines(footnote, names: dict[str, str]) -> list[str]:
    """A note's paragraphs, each a line: its first as written, the others with their prefixes."""
    lines = []
    for paragraph in footnote.findall(f"{W}p"):
        text = _docx_text(paragraph, {})
        if text:
            lines.append(f"{_docx_prefix(paragraph, _style(paragraph, names)[1]) or ''}{text}")
    return lines


def from_docx(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml")).find(f"{W}body")
        notes = etree.fromstring(archive.read("word/footnotes.xml"))
        names = _style_names(archive)
    if "MastheadSymbol" not in names or body is None:
        raise TextconvError("not a council edition: a DOCX without councildoc's masthead styles")
    marks = _note_marks(body)
    note_lines = {n.get(f"{W}id"): _docx_note_lines(n, names) for n in notes.findall(f"{W}footnote")}
    blocks: list[list[str]] = [[]]
    part_notes: list[str] = []
    upper = {"Session", "Title", "Subtitle", "AnnexTitle", "Heading2"}
    for paragraph in body.iterchildren(f"{W}p", f"{W}tbl"):
        if paragraph.tag == f"{W}tbl":
            blocks[-1] += _docx_table_rows(paragraph, marks)
            continue
        style, name = _style(paragraph, names)
        text = _docx_text(paragraph, marks)
        if not text:
            continue
        if style == "AnnexHeading" and part_notes:
            blocks.append(part_notes)
            part_notes = []
        if style in ("MastheadSymbol", "MastheadLine", "Session", "Title", "Subtitle"):
            blocks[0].append(text.upper() if style in upper else text)
            continue
        if style == "DocumentTitle":
            calls = SUPERSCRIPT.findall(text)
            text = SUPERSCRIPT.sub("", text).upper() + "".join(f"[{n}]" for n in calls)
        elif style in upper:
            text = text.upper()
        prefix = "" if style in _TABLE_STYLES else _docx_prefix(paragraph, name)
        if prefix is None:
            blocks.append([text])
        else:
            blocks[-1].append(prefix + text)
        for reference in paragraph.iter(f"{W}footnoteReference"):
            number = marks[reference.get(f"{W}id")]
            part_notes += _lead(f"[{number}]", note_lines[reference.get(f"{W}id")])
    if part_notes:
        blocks.append(part_notes)
    return _join(blocks)


# --------------------------------------------------------------------------
# PDF


class _Layout:
    """The lengths a PDF's pages were set by, in points: those its ``CouncildocLayout`` information
    entry declares (``writers/pdf.py`` writes the print stylesheet's ``:root`` values there), else
    the house's (a PDF built before the entry existed). The sizes that tell text apart follow from
    them: a character smaller than ``body_small`` on a body line is a note call; one smaller than
    ``note_small`` in the notes, a note's call or mark."""

    HOUSE = {"page-margin": 2.5 / 2.54 * 72, "text-size": 12.0, "line-pitch": 13.8, "space-after": 12.0,
             "number-tab": 1.27 / 2.54 * 72, "subpara-step": 1.27 / 2.54 * 72, "note-size": 10.0}

    def __init__(self, declared: str | None = None) -> None:
        values = dict(self.HOUSE)
        if declared:
            for item in declared.split():
                name, _, value = item.partition("=")
                if name in values:
                    values[name] = float(value)
        self.margin = values["page-margin"]
        self.body = values["text-size"]
        self.note = values["note-size"]
        self.body_small = 9.5 * self.body / 12
        self.note_small = 8.5 * self.note / 10
        self.body_threshold = (self.body + self.note) / 2
        self.note_low = self.note - 0.5
        self.paragraph_gap = values["line-pitch"] + values["space-after"] / 2
        """Lines further apart than this belong to two paragraphs (a paragraph's space after it)."""
        self.quote_indent = values["number-tab"]
        """A quotation stands at the paragraph text's indent, with no marker."""


LAYOUT_KEY = "/CouncildocLayout"
GENERATOR = re.compile(r"WeasyPrint")
"""Who writes councildoc's PDFs (their ``/Producer``): a PDF from anyone else is not an edition.
(A redline's PDF, WeasyPrint's too, says it is none: ``writers/pdf.py``'s ``PAGE_KEY``.)"""


def _lines(chars: list[dict], small: float) -> list[list[dict]]:
    """Characters grouped into lines by their baseline, each line left to right.

    Raised small characters (note calls and marks) join the line they stand on.
    """
    lines: dict[float, list[dict]] = {}
    raised = []
    for char in chars:
        if char["size"] < small and char["text"].strip():
            raised.append(char)
        else:
            lines.setdefault(round(char["bottom"], 0), []).append(char)
    for char in raised:
        near = [key for key, line in lines.items()
                if min(c["top"] for c in line) - 6 < char["top"] < key]
        key = min(near, key=lambda k: abs(char["bottom"] - k), default=round(char["bottom"], 0))
        lines.setdefault(key, []).append(char)
    return [sorted(lines[key], key=lambda c: c["x0"]) for key in sorted(lines)]


_SPACES = (" ", "\u00a0", "\u202f")
"""Spaces the PDF draws as characters: no gap beside them is another space."""


def _line_text(line: list[dict], small: float, letters: bool = False) -> str:
    """A line's text; runs of characters smaller than ``small`` (calls, marks) become ``[n]``
    (with ``letters``, a table's lettered calls and marks too: ``[a]``)."""
    out: list[str] = []
    previous = None
    in_call = False
    for index, char in enumerate(line):
        if in_call and char["text"] == "," and char["size"] < small and index + 1 < len(line) \
                and line[index + 1]["size"] < small and line[index + 1]["text"].isdigit():
            out.append("][")  # the comma between two note calls (¹,²)
            previous = char
            continue
        is_call = char["size"] < small and (char["text"].isalnum() if letters else char["text"].isdigit())
        if previous is not None and not in_call and not is_call and char["text"] not in _SPACES \
                and previous["text"] not in _SPACES and char["x0"] - previous["x1"] > 0.2 * char["size"]:
            out.append(" ")
        if is_call and not in_call:
            out.append("[")
        if in_call and not is_call:
            out.append("]")
            if char["x0"] - previous["x1"] > 0.2 * char["size"] and char["text"] != " ":
                out.append(" ")
        out.append(char["text"])
        in_call = is_call
        previous = char
    if in_call:
        out.append("]")
    return "".join(out)


def _join_lines(texts: list[str]) -> str:
    out = ""
    for text in texts:
        if not out:
            out = text
        elif out.endswith(("-", "/")) or re.match(r"\[\d+\]", text):
            # A line may break after a hyphen or a slash of the text, or before a note call (which
            # is glued to what precedes it, never spaced): nothing to put back.
            out += text.lstrip()
        else:
            out += " " + text
    return normalize(out)


_PDF_MARKER = re.compile(r"(\([a-z]+\)|[a-z]+[.)])(\s|$)")
"""A sub-paragraph's marker as the first word of a line: (a), (iv), a), a., iv."""


def _pdf_item(line: list[dict], text: str, new_paragraph: bool, layout: _Layout) -> str | None:
    """A line that starts an item of a block, as the review text writes it (``- `` for a bullet, a
    sub-paragraph's line with its marker), else None. A sub-paragraph starts at an indent, after a
    paragraph's spacing, with its marker; a bullet's mark is the first character of its line."""
    if text.startswith("•"):
        return "- " + text[1:].lstrip()
    if new_paragraph and line[0]["x0"] > layout.margin + 1 and _PDF_MARKER.match(text):
        return text
    return None


def _cover_lines(page, layout: _Layout, subtitle: float | None = None) -> list[str]:
    """The cover's lines, a centred line wrapped onto the next (a long title) joined to it: the next
    line's first word would not have fitted on it. The subtitle's first line, at ``subtitle`` (the top
    of the named destination the print page gives it), starts a line of its own whatever the width."""
    width = page.width - 2 * layout.margin
    out: list[str] = []
    previous = None
    for line in _lines(page.chars, layout.body_small):
        text = normalize(_line_text(line, layout.body_small))
        space = next((i for i, c in enumerate(line) if c["text"].isspace()), len(line))
        word = line[max(space - 1, 0)]["x1"] - line[0]["x0"]
        starts_subtitle = subtitle is not None and abs(line[0]["top"] - subtitle) < 4
        if previous is not None and not starts_subtitle and previous[-1]["x1"] - previous[0]["x0"] + 4 + word > width:
            out[-1] += " " + text
        else:
            out.append(text)
        previous = line
    return out


TABLE_SMALL = 8.5
"""In a table (10 pt; its caption 12, its source and notes 9), smaller characters are calls and marks."""
ROW_LINE = 13.0
"""A table's lines are 12 pt apart within a cell: a larger gap after a page's last row ends it."""


def _destinations(pdf) -> dict[str, tuple[int, float, float]]:
    """The PDF's named destinations (WeasyPrint writes one per HTML id): name → (page index, x, top)."""
    from pdfminer.pdftypes import resolve1

    pages = {page.page_obj.pageid: index for index, page in enumerate(pdf.pages)}
    found: dict[str, tuple[int, float, float]] = {}

    def walk(node) -> None:
        node = resolve1(node)
        for kid in node.get("Kids", ()):
            walk(kid)
        names = node.get("Names", ())
        for key, value in zip(names[::2], names[1::2], strict=True):
            target = resolve1(value)
            if isinstance(target, dict):
                target = resolve1(target["D"])
            key = key.decode("utf-8") if isinstance(key, bytes) else str(key)
            index = pages.get(target[0].objid)
            if index is not None:
                found[key] = (index, float(target[2]), pdf.pages[index].height - float(target[3]))

    catalog_names = resolve1(pdf.doc.catalog.get("Names"))
    if catalog_names and "Dests" in catalog_names:
        walk(catalog_names["Dests"])
    return found


class _PdfTable:
    """One table read back from the PDF by the named destinations the print page gives it (see
    ``writers/html.py``'s ``print_id``): the table block's top and end, each row's top, each
    column's left edge, the source line's and each note's top. Text alone cannot tell a table's
    columns apart (a right-aligned figure's position says nothing of its column's edges), nor the
    head rows WeasyPrint repeats on a page the table continues onto from the table's own."""

    def __init__(self, anchor: str, places: dict[str, tuple[int, float, float]], layout: _Layout) -> None:
        self.anchor = anchor
        self.layout = layout
        self.start = places[anchor]
        self.end = places[f"{anchor}-end"]
        rows = []
        while f"{anchor}-row-{len(rows)}" in places:
            rows.append(places[f"{anchor}-row-{len(rows)}"])
        self.rows = rows
        columns = []
        while f"{anchor}-col-{len(columns)}" in places:
            columns.append(places[f"{anchor}-col-{len(columns)}"][1])
        self.columns = columns
        notes: list[str] = []
        while f"{anchor}-note-{small_letter(len(notes) + 1)}" in places:
            notes.append(f"note-{small_letter(len(notes) + 1)}")
        names = (["source"] if f"{anchor}-source" in places else []) + notes
        self.marks = [(name, places[f"{anchor}-{name}"]) for name in names]
        self.lines: list[str] = []

    def span(self, page: int, chars: list[dict]) -> tuple[float, float] | None:
        """The band of page ``page`` the table takes (from its top, or the page's top, to its end, or to
        the last line of the page's last row), or None."""
        rows = [top for index, _, top in self.rows if index == page]
        if self.start[0] > page or self.end[0] < page or (not rows and self.start[0] != page != self.end[0]):
            return None
        top = self.start[2] if self.start[0] == page else self.layout.margin
        if self.end[0] == page:
            return top, self.end[2]
        # The page's last row, or the source line and notes the page holds of a table that ends on the
        # next (its notes split between two pages); a caption alone at a page's foot (the print style
        # keeps it with the first row): its lines.
        marks = [top for _, (index, _, top) in self.marks if index == page]
        if rows or marks:
            return top, self._row_bottom(max(rows + marks), chars)
        return top, self._row_bottom(top, chars, 15)

    @staticmethod
    def _row_bottom(top: float, chars: list[dict], pitch: float = ROW_LINE) -> float:
        bottom = top
        for line in _lines([c for c in chars if c["top"] >= top - 1], TABLE_SMALL):
            line_bottom = max(c["bottom"] for c in line)
            if line_bottom - bottom > pitch + (4 if bottom == top else 0):
                break
            bottom = line_bottom
        return bottom + 0.5

    def read(self, page: int, chars: list[dict]) -> None:
        """Add what page ``page`` holds of the table: its caption, its rows, its source and notes."""
        band = self.span(page, chars)
        inside = [c for c in chars if band[0] - 1 <= c["top"] and c["bottom"] <= band[1] + 1]
        cuts = [(top, "row") for p, _, top in self.rows if p == page]
        cuts += [(top, "mark") for _, (p, _, top) in self.marks if p == page]
        cuts.sort()
        if self.start[0] == page:
            first = cuts[0][0] if cuts else band[1]
            caption = [_line_text(line, TABLE_SMALL, letters=True)
                       for line in _lines([c for c in inside if c["top"] < first - 1], TABLE_SMALL)]
            # The number is a line of its own; the title may wrap.
            self.lines += [normalize(caption[0]), _join_lines(caption[1:])] if caption else []
        # What stands above the page's first row on a page the table continues onto is its repeated
        # head rows and the "continued" line: not the table's own text.
        for (top, kind), (bottom, _) in zip(cuts, [*cuts[1:], (band[1] + 1, None)], strict=True):
            part = [c for c in inside if top - 1 <= c["top"] < bottom - 1]
            if kind == "row":
                self.lines.append(self._row(part))
            else:
                texts = [_line_text(line, TABLE_SMALL, letters=True) for line in _lines(part, TABLE_SMALL)]
                self.lines.append(_join_lines(texts))

    def _row(self, chars: list[dict]) -> str:
        edges = [*self.columns[1:], float("inf")]
        cells = []
        for left, right in zip(self.columns, edges, strict=True):
            mine = [c for c in chars if left - 0.5 <= c["x0"] < right - 0.5]
            texts = [_line_text(line, TABLE_SMALL, letters=True) for line in _lines(mine, TABLE_SMALL)]
            cells.append(_join_lines(texts) or EMPTY_CELL)
        return TABLE_CELL_SEPARATOR.join(cells)


class _PdfFigure:
    """A figure read back from the PDF: its number and title, above the image, which is skipped
    (an SVG's labels are text in the PDF, but no text of the document's)."""

    def __init__(self, anchor: str, places: dict[str, tuple[int, float, float]], layout: _Layout) -> None:
        self.small = layout.body_small
        self.start, self.image, self.end = places[anchor], places[f"{anchor}-image"], places[f"{anchor}-end"]
        self.lines: list[str] = []

    def span(self, page: int, chars: list[dict]) -> tuple[float, float] | None:
        return (self.start[2], self.end[2]) if self.start[0] == page == self.end[0] else None

    def read(self, page: int, chars: list[dict]) -> None:
        caption = [c for c in chars if self.start[2] - 1 <= c["top"] and c["bottom"] <= self.image[2] + 1]
        texts = [_line_text(line, self.small) for line in _lines(caption, self.small)]
        self.lines = [normalize(texts[0]), _join_lines(texts[1:])] if texts else []


def _pdf_tables(places: dict[str, tuple[int, float, float]], layout: _Layout) -> list[_PdfTable | _PdfFigure]:
    """The tables and figures of the PDF, each by the named destinations its print page gives it."""
    return [_PdfTable(name, places, layout) for name in places
            if f"{name}-end" in places and f"{name}-row-0" in places] + \
        [_PdfFigure(name, places, layout) for name in places if f"{name}-end" in places and f"{name}-image" in places]


def _pdf_layout(path: Path, pdf) -> _Layout:
    """The layout the PDF declares (or the house's); a PDF councildoc did not write is refused."""
    info = pdf.doc.info[0] if pdf.doc.info else {}

    def text(key: str) -> str:
        from pdfminer.pdftypes import resolve1

        value = resolve1(info.get(key))
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value or "")

    if not GENERATOR.search(text("Producer")) or not pdf.pages:
        raise TextconvError("not a council edition: a PDF councildoc did not build")
    if text("CouncildocPage"):
        raise TextconvError("not a council edition: a page of councildoc's that is no edition (a redline)")
    return _Layout(text(LAYOUT_KEY.lstrip("/")) or None)


def from_pdf(path: Path) -> str:
    import pdfplumber

    blocks: list[list[str]] = []
    notes: list[list[str]] = []  # each note's lines (its text, its items), each the printed lines it joins
    with pdfplumber.open(path) as pdf:
        layout = _pdf_layout(path, pdf)
        cover = pdf.pages[0]
        places = _destinations(pdf)
        subtitle = places.get("cover-subtitle")
        blocks.append(_cover_lines(cover, layout, subtitle[2] if subtitle and subtitle[0] == 0 else None))
        tables = _pdf_tables(places, layout)
        right = cover.width - layout.margin
        current: list[list[str]] | None = None  # the lines of the block being read (a paragraph, its items)
        last_full = False  # the page's last line ran to the right margin: its paragraph goes on
        foot_full = False  # the same for the notes
        head_kind = None

        def flush(lines: list[list[str]] | None) -> None:
            if lines:
                blocks.append([_join_lines(texts) for texts in lines])

        for page in pdf.pages[1:]:
            # The running head stands at the right; a table's "(continued)" line at the left.
            head = [c for c in page.chars if c["top"] < layout.margin - 1 and c["x0"] > page.width / 2]
            kind = re.sub(r"\d", "", "".join(c["text"] for c in head))
            if head_kind is not None and kind != head_kind:
                # A new part (an annex): the previous part's notes come first.
                flush(current)
                current = None
                flush(notes)
                notes = []
                last_full = foot_full = False
            head_kind = kind
            chars = [c for c in page.chars if c["top"] >= layout.margin - 1]
            number = page.page_number - 1
            bands = [(band, table) for table in tables if (band := table.span(number, chars))]
            for _, table in bands:
                table.read(number, chars)
            chars = [c for c in chars if not any(top - 1 <= c["top"] and c["bottom"] <= bottom + 1
                                                 for (top, bottom), _ in bands)]
            note_top = min((c["top"] for c in chars if layout.note_low <= c["size"] < layout.body_threshold),
                           default=page.height)
            body = [c for c in chars if c["top"] < note_top - 1]
            foot = [c for c in chars if c["top"] >= note_top - 4]
            lines = _lines(body, layout.body_small)
            previous_bottom = None
            pending = sorted(bands, key=lambda item: item[0][0])
            for index, line in enumerate(lines):
                while pending and pending[0][0][0] < line[0]["top"]:
                    # A table stands here: it closes the block before it and is a block of its own.
                    (_, bottom), table = pending.pop(0)
                    flush(current)
                    current = None
                    if table.end[0] == number:
                        blocks.append(table.lines)
                    previous_bottom = bottom
                text = _line_text(line, layout.body_small)
                bottom = max(c["bottom"] for c in line)
                spaced = previous_bottom is not None and bottom - previous_bottom > layout.paragraph_gap
                starts_numbered = bool(re.match(r"\d+\.", text)) and abs(line[0]["x0"] - layout.margin) < 1
                item = _pdf_item(line, text, spaced or previous_bottom is None, layout)
                page_top_start = previous_bottom is None and not last_full  # a block that starts a page
                centred = abs((line[0]["x0"] - layout.margin) - (right - line[-1]["x1"])) < 2
                if current and item is None and (spaced or page_top_start) and not centred \
                        and abs(line[0]["x0"] - layout.margin - layout.quote_indent) < 1:
                    item = "> " + text
                if current and item is not None:
                    current.append([item])
                elif current is None or spaced or (previous_bottom is None and (not last_full or starts_numbered)):
                    flush(current)
                    current = [[text]]
                else:
                    current[-1].append(text)
                previous_bottom = bottom
                if index == len(lines) - 1:
                    last_full = max(c["x1"] for c in line) > right - 2
            for _, table in pending:  # a table that ends the page's text
                flush(current)
                current = None
                last_full = False
                if table.end[0] == number:
                    blocks.append(table.lines)
            for line in _lines(foot, layout.note_small):
                text = _line_text(line, layout.note_small)
                item = _pdf_item(line, text, not foot_full, layout)
                if text.startswith("[") and abs(line[0]["x0"] - layout.margin) < 1:
                    notes.append([re.sub(r"^\[(\d+)\]\s*", r"[\1] ", text)])
                elif notes and (item is not None or not foot_full):
                    notes.append([item or text])
                elif notes:
                    notes[-1].append(text)
                foot_full = max(c["x1"] for c in line) > right - 2
        flush(current)
        flush(notes)
    return _join(blocks)
