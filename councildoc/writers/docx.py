"""WRITING DOCX: Pandoc's JSON AST built from the model, one Pandoc run, then OOXML for the rest.

Pandoc (the one pypandoc-binary bundles, always with ``--sandbox``) writes the
text, the named styles (``custom-style``) and real Word footnotes. What Pandoc
cannot express is added to its output afterwards: the section breaks (cover,
body, each annex) with their page-number and footnote restarts, the running
heads with a PAGE field, and the document properties. The paragraph numbers
are text, and so are the sub-paragraphs' markers (Pandoc drops custom numbering from a
reference document).
"""

from __future__ import annotations

import base64
import functools
import io
import re
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import pypandoc
from lxml import etree

from ..diagnostics import Diagnostic, SourcePos, error
from ..model import (
    Code,
    CrossRef,
    Document,
    Emphasis,
    Figure,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Note,
    NoteCall,
    Paragraph,
    Part,
    Quote,
    Section,
    Span,
    Strong,
    SubParagraph,
    SubParagraphList,
    Table,
    TableCell,
    TableRow,
    Text,
)
from ..transforms import plain_text
from ..typography import WORD_JOINER
from ..visitor import Visitor

DOCX_STYLES = "docx-styles.xml"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
"""Every zip entry's date: the same bytes from the same sources."""

TWIPS_PER_CM = 1440 / 2.54
PAGE = {"width": 11906, "height": 16838}  # A4
MARGIN = round(2.5 * TWIPS_PER_CM)
"""2.5 cm as Word keeps it, 1417 twips (the print stylesheet's 70.85 pt): its text block, 9072 twips, is a
little wider than 16 cm, and lines of the 2009 edition need it (docs/pdf.md). 567 twips a cm gave 1418."""
HEADER_DISTANCE = round(1.25 * TWIPS_PER_CM)
HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
HEADER_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
SECTION_MARK = "councildoc-section-"
"""Pandoc copies raw OOXML through: a section break is marked, then filled in afterwards."""


# --------------------------------------------------------------------------
# Pandoc's AST, from the model


def _attr(identifier: str = "", classes: list[str] | None = None, **pairs: str) -> list:
    return [identifier, classes or [], [[k.replace("_", "-"), v] for k, v in pairs.items()]]


def _div(blocks: list, **pairs: str) -> dict:
    return {"t": "Div", "c": [_attr(**pairs), blocks]}


def _styled(style: str, inlines: list, **pairs: str) -> dict:
    """One paragraph in a named style."""
    return _div([{"t": "Para", "c": inlines}], custom_style=style, **pairs)


def _str(text: str) -> dict:
    return {"t": "Str", "c": text}


TAB = {"t": "RawInline", "c": ["openxml", "<w:r><w:tab/></w:r>"]}
_PANDOC_ALIGN = {"left": "AlignLeft", "right": "AlignRight", "center": "AlignCenter"}


FIGURE_SPACE = "\u2007"
"""As wide as a digit: pads a shorter fraction in a column aligned on the decimal separator."""
PUNCTUATION_SPACE = "\u2008"
"""As wide as a full stop or a comma: stands for the separator of a figure without decimals."""


@dataclass(frozen=True)
class _Place:
    """Where some blocks stand, which decides how their paragraphs are written."""

    part: Part
    """The part they belong to (its notes, its language)."""
    top: bool = False
    """The part's own paragraphs: numbered, in the house paragraph styles, with their attachments."""
    compact: bool = False
    """In a bulleted list: Pandoc's ``Plain`` (Word's ``Compact``), as before sub-paragraphs existed."""
    note: bool = False
    """In a footnote: sub-paragraphs take the ``Footnote Sub-paragraph`` styles (10 pt, like the note)."""
    style: str | None = None
    """The named style of a sub-paragraph's paragraph (``Sub-paragraph 2``, ``… Continued``)."""
    lead: tuple[dict, ...] = ()
    """What the paragraph starts with: a sub-paragraph's marker and a tab."""
    decimals: tuple[int, ...] = ()
    """In a table's rows: the table's ``decimals`` (each column's widest fraction, 0 when not aligned on it)."""
    column: int = 0
    """In a table cell: its column."""

    def inside(self, **changes: Any) -> _Place:
        """The place of blocks nested in a block that stands here."""
        return replace(self, **{"top": False, "style": None, "lead": (), **changes})


class _AstBuilder(Visitor):
    """The model → Pandoc's JSON AST, for one edition.

    Inlines are visited as ``visit_X(node, place)`` and give one Pandoc inline; blocks as
    ``visit_X(node, place)`` and give a list of Pandoc blocks.
    """

    def __init__(self, document: Document) -> None:
        self.document = document
        self.language = document.language
        self.footnotes = {note.anchor for part in document.parts for note in part.notes if note.anchor}
        """The anchors of the notes that are Word footnotes (a table's lettered notes are not)."""
        self.pngs: dict[tuple[bytes, int, int], bytes] = {}
        """Each SVG figure's PNG, drawn once for the edition however many figures show the same
        image at the same size (the drawing is the same, byte for byte)."""

    # Inlines

    def inlines(self, inlines: tuple[Inline, ...], place: _Place) -> list:
        return [self.visit(inline, place) for inline in inlines]

    def visit_Text(self, node: Text, place: _Place) -> dict:
        return _str(node.text)

    def visit_Emphasis(self, node: Emphasis, place: _Place) -> dict:
        return {"t": "Emph", "c": self.inlines(node.children, place)}

    def visit_Strong(self, node: Strong, place: _Place) -> dict:
        return {"t": "Strong", "c": self.inlines(node.children, place)}

    def visit_Code(self, node: Code, place: _Place) -> dict:
        return {"t": "Code", "c": [_attr(), node.text]}

    def visit_Link(self, node: Link, place: _Place) -> dict:
        return {"t": "Link", "c": [_attr(), self.inlines(node.children, place), [node.url, ""]]}

    def visit_Span(self, node: Span, place: _Place) -> dict:
        return {"t": "Span", "c": [_attr(lang=node.lang), self.inlines(node.children, place)]}

    def visit_LineBreak(self, node: LineBreak, place: _Place) -> dict:
        return {"t": "LineBreak"}

    def visit_NoteCall(self, node: NoteCall, place: _Place) -> dict:
        if node.letter:  # a table note: its letter, raised; the note stands under the table
            note = {"t": "Superscript", "c": [_str(node.letter)]}
        else:
            note = self.note(place.part, node.number)
        if not node.follows_call:
            # Glued to what precedes it: no line starts with a note call.
            return {"t": "Span", "c": [_attr(), [_str(WORD_JOINER), note]]}
        # Two calls at one place are separated by a raised comma (¹,²).
        return {"t": "Span", "c": [_attr(), [{"t": "Superscript", "c": [_str(",")]}, note]]}

    def visit_CrossRef(self, node: CrossRef, place: _Place) -> dict:
        if node.text is None:
            return _str(f"¿{node.label}?")
        if node.kind == "note" and node.anchor in self.footnotes:
            # A Word field that follows the note when an editor inserts or moves notes; its
            # result, until Word updates it, is the number the build gave.
            lang = place.part.lang if place.part.lang != self.document.meta.lang else None
            return {"t": "RawInline", "c": ["openxml", field_runs(f"NOTEREF {note_bookmark(node.anchor)} \\h",
                                                                   node.text, lang=lang)]}
        return _str(node.text)

    def note_blocks(self, part: Part, note: Note) -> list:
        """The blocks a footnote holds (the redline adds what the note lost)."""
        return self.blocks(note.blocks, _Place(part, note=True))

    def note(self, part: Part, number: int | None) -> dict:
        """A real Word footnote holding every block of the note, its call bookmarked."""
        # Its language is the annex's: Pandoc tags a note's text with the div it is called in.
        note = next(n for n in part.notes if n.number == number)
        footnote = {"t": "Note", "c": self.note_blocks(part, note)}
        # Its call bookmarked (Pandoc writes a span's id as a bookmark) for the NOTEREF fields citing it.
        return {"t": "Span", "c": [_attr(note_bookmark(note.anchor or "")), [footnote]]}

    # Blocks

    def blocks(self, blocks: tuple, place: _Place) -> list:
        return [out for block in blocks for out in self.visit(block, place)]

    def visit_Paragraph(self, node: Paragraph, place: _Place) -> list:
        if place.top:
            return self.house_paragraph(node, place)
        text = [*place.lead, *self.inlines(node.inlines, place)]
        if place.style:
            written = _styled(place.style, text)
        else:
            written = {"t": "Plain" if place.compact else "Para", "c": text}
        return [written, *self.blocks(node.attachments, place.inside())]

    def house_paragraph(self, paragraph: Paragraph, place: _Place) -> list:
        """A paragraph of the part: its number and a tab, or an annex entry's bold lead-in."""
        inlines: list = []
        if paragraph.number is not None:
            inlines += [_str(f"{paragraph.number}."), TAB]
        if paragraph.term is not None:
            term = self.inlines(paragraph.term, place) + [_str(place.part.language.entry_separator)]
            inlines.append({"t": "Span", "c": [_attr(custom_style="Entry Term"), term]})
            if paragraph.inlines and not isinstance(paragraph.inlines[0], NoteCall):
                inlines.append(_str(" "))
        inlines += self.inlines(paragraph.inlines, place)
        if paragraph.term is not None:
            style = "Annex Entry"
        elif paragraph.number is not None:
            style = "Numbered Paragraph"
        else:
            style = "Unnumbered Paragraph"
        return [_styled(style, inlines), *self.blocks(paragraph.attachments, place.inside())]

    def visit_ListBlock(self, node: ListBlock, place: _Place) -> list:
        inner = place.inside(compact=True)
        return [{"t": "BulletList", "c": [self.blocks(item, inner) for item in node.items]}]

    def visit_Quote(self, node: Quote, place: _Place) -> list:
        return [{"t": "BlockQuote", "c": self.blocks(node.blocks, place.inside(compact=False))}]

    def visit_SubParagraphList(self, node: SubParagraphList, place: _Place) -> list:
        style = f"{'Footnote ' if place.note else ''}Sub-paragraph {node.degree}"
        return [out for item in node.items for out in self.visit(item, place.inside(compact=False, style=style))]

    def visit_SubParagraph(self, node: SubParagraph, place: _Place) -> list:
        """Its first paragraph in the degree's style after the marker and a tab, the others ``… Continued``."""
        lead = (_str(node.marker or ""), TAB)
        blocks = node.blocks
        if blocks and isinstance(blocks[0], Paragraph):
            head, blocks = self.visit(blocks[0], replace(place, lead=lead)), blocks[1:]
        else:
            head = [_styled(place.style or "", list(lead))]  # an item that opens with a list: its marker alone
        return [*head, *self.blocks(blocks, replace(place, style=f"{place.style} Continued"))]

    def visit_Table(self, node: Table, place: _Place) -> list:
        """Number and title above, a real Word table (style ``Table``, named "Council Table": rules
        top, under the heads and at the bottom), then the source and the lettered notes, each a
        paragraph in its named style. ``finish`` marks the rows (heads repeat, no row splits)."""
        words = place.part.language
        cells = place.inside()
        above = [_styled("Table Number", [_str(f"{words.table} {node.number or ''}")]),
                 _styled("Table Title", self.inlines(node.caption, cells))]
        colspecs = [[{"t": _PANDOC_ALIGN[align]}, {"t": "ColWidthDefault"}] for align in node.aligns]
        table = {"t": "Table", "c": [
            _attr(node.anchor or ""), [None, []], colspecs,
            [_attr(), [self.visit(row, cells) for row in node.head]],
            [[_attr(), 0, [], [self.visit(row, cells.inside(decimals=node.decimals)) for row in node.body]]],
            [_attr(), []],
        ]}
        below = []
        if node.source is not None:
            below.append(_styled("Table Source", [_str(words.table_source), _str(" "),
                                                  *self.inlines(node.source, cells)]))
        for note in node.notes:
            lead = ({"t": "Superscript", "c": [_str(note.letter or "")]}, TAB)
            below += self.blocks(note.blocks, cells.inside(style="Table Note", lead=lead))
        # The print page leaves a paragraph's space after the table's block (`.table-block`); Word
        # sets none after a table or a note of 0 after: an empty paragraph of 1 pt and 11 pt after.
        # (An empty run in it: Pandoc drops an empty paragraph.)
        end = _styled("Table End", [{"t": "RawInline", "c": ["openxml", "<w:r><w:t></w:t></w:r>"]}])
        return [*above, table, *below, end]

    def visit_Figure(self, node: Figure, place: _Place) -> list:
        """Number and title above (``Figure Number``, ``Figure Title``), then the picture in a paragraph
        of its own (``Figure``), at most the text block's width, its text alternative as Word's
        description. Word and LibreOffice both show a PNG or a JPEG; an SVG goes in as the PNG
        WeasyPrint and PDFium draw of it (see :func:`svg_to_png`)."""
        words = place.part.language
        if node.kind == "svg":
            key = (node.data, node.width, node.height)
            if key not in self.pngs:
                self.pngs[key] = svg_to_png(*key)
            data, mime = self.pngs[key], "image/png"
        else:
            data, mime = node.data, f"image/{node.kind}"
        url = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
        width_cm = min(node.width / 96 * 2.54, TEXT_WIDTH_CM)
        image = {"t": "Image", "c": [_attr(width=f"{width_cm:.2f}cm"), [_str(node.alt)], [url, ""]]}
        return [_styled("Figure Number", [_str(f"{words.figure} {node.number or ''}")]),
                _styled("Figure Title", self.inlines(node.caption, place.inside())),
                _styled("Figure", [image])]

    def visit_TableRow(self, node: TableRow, place: _Place) -> list:
        return [_attr(), [self.visit(cell, replace(place, column=column)) for column, cell in enumerate(node.cells)]]

    def visit_TableCell(self, node: TableCell, place: _Place) -> list:
        """A cell; in a column aligned on the decimal separator, the figure's fraction is padded to the
        column's widest with figure spaces (a digit's width) and, when it has no separator, a
        punctuation space (the separator's): right-aligned, the separators line up in Word and
        LibreOffice alike (Times New Roman and Liberation Serif have both spaces and equal digits)."""
        inlines = node.inlines
        width = place.decimals[place.column] if place.column < len(place.decimals) else 0
        if width and node.point is not None and inlines and isinstance(inlines[0], Text):
            fraction = len(inlines[0].text[node.point:].rstrip())
            padding = FIGURE_SPACE * (width - fraction) if fraction else PUNCTUATION_SPACE + FIGURE_SPACE * (width - 1)
            inlines = (Text(inlines[0].text.rstrip() + padding), *inlines[1:])
        return [_attr(), {"t": "AlignDefault"}, 1, 1, [{"t": "Plain", "c": self.inlines(inlines, place)}]]

    def visit_Section(self, node: Section, place: _Place) -> list:
        title = self.inlines(node.title, place)
        if node.number:
            # The print page sets half an em more after a body section's number ("I.  INTRODUCTION",
            # `.body .heading .sec-num`): the space after it is widened by its character style.
            gap = _str(" ") if place.part.kind == "annex" else \
                {"t": "Span", "c": [_attr(custom_style="Heading Number Gap"), [_str(" ")]]}
            title = [_str(f"{node.number}."), gap, *title]
        if place.part.kind == "annex":
            heading = _styled("Annex Region Heading", title)
        else:
            # One level below the document's title, which is the body's top level
            # (as "Anexo" is the annex's): Word's outline reads title > I. > A.
            heading = {"t": "Header", "c": [min(node.level + 1, 4), _attr(node.anchor or ""), title]}
        return [heading, *self.blocks(node.children, place)]

    # The document

    def masthead(self) -> list:
        meta, words = self.document.meta, self.language
        body = _Place(self.document.body)
        blocks = [
            _styled("Masthead Symbol", [_str(meta.symbol)]),
            _styled("Masthead Line", [_str(f"{words.original} {words.language_name(meta.original_lang)}")]),
            _styled("Masthead Line", [_str(words.long_date(meta.date))]),
        ]
        if meta.session_title:
            blocks.append(_styled("Session", [_str(meta.session_title)]))
        blocks.append(_styled("Title", self.inlines(meta.title, body)))
        if meta.subtitle:
            blocks.append(_styled("Subtitle", self.inlines(meta.subtitle, body)))
        return blocks

    def body_title(self) -> dict:
        meta, body = self.document.meta, self.document.body
        inlines = self.inlines(meta.title, _Place(body))
        if meta.subtitle:
            inlines += [{"t": "LineBreak"}, *self.inlines(meta.subtitle, _Place(body))]
        if meta.title_note:
            note = next(n for n in body.notes if n.label == meta.title_note)
            inlines += [_str(WORD_JOINER), self.note(body, note.number)]
        return _styled("Document Title", inlines)

    def ast(self) -> dict:
        body = self.document.body
        blocks = self.masthead()
        blocks.append(_section_mark(0))
        blocks.append(self.body_title())
        blocks += self.blocks(body.children, _Place(body, top=True))
        for index, part in enumerate(self.document.annexes, start=1):
            blocks.append(_section_mark(index))
            head = [_div([_styled("Annex Heading", self.annex_designation(part))], lang=self.document.meta.lang)]
            if part.title:
                head.append(_styled("Annex Title", self.inlines(part.title, _Place(part))))
            content = head + self.blocks(part.children, _Place(part, top=True))
            blocks.append(_div(content, lang=part.lang) if part.lang != self.document.meta.lang else _div(content))
        return {
            "pandoc-api-version": [1, 23, 1, 1],
            "meta": {"lang": {"t": "MetaString", "c": self.document.meta.lang}},
            "blocks": blocks,
        }


    def annex_designation(self, part: Part) -> list:
        """What heads an annex: ``Anexo``, ``Annex II``."""
        return [_str(part.designation or "")]


def _section_mark(index: int) -> dict:
    """Ends section ``index`` (0 is the cover); replaced by its ``w:sectPr`` afterwards."""
    return {"t": "RawBlock", "c": ["openxml", f"<w:p><w:r><w:t>{SECTION_MARK}{index}</w:t></w:r></w:p>"]}


def to_pandoc(document: Document) -> dict:
    """The edition as Pandoc's JSON AST."""
    return _AstBuilder(document).ast()


# --------------------------------------------------------------------------
# The reference document


@functools.cache
def pandoc_default_reference() -> bytes:
    """Pandoc's own reference.docx, from the Pandoc that pypandoc-binary bundles."""
    result = subprocess.run(
        [pypandoc.get_pandoc_path(), "--sandbox", "--print-default-data-file", "reference.docx"],
        capture_output=True, check=True,
    )
    return result.stdout


def build_reference(styles_dir: Path) -> bytes:
    """Pandoc's reference document with the council styles of ``styles/docx-styles.xml``."""
    return _reference_from((styles_dir / DOCX_STYLES).read_bytes())


@functools.cache
def _reference_from(styles_xml: bytes) -> bytes:
    """Made once per process for given styles (every edition of a build shares it)."""
    ours = etree.fromstring(styles_xml)
    source = zipfile.ZipFile(io.BytesIO(pandoc_default_reference()))
    styles = etree.fromstring(source.read("word/styles.xml"))
    defaults = styles.find("w:docDefaults", NS)
    styles.replace(defaults, ours.find("w:docDefaults", NS))
    existing = {s.get(f"{{{W}}}styleId"): s for s in styles.findall("w:style", NS)}
    for style in ours.findall("w:style", NS):
        old = existing.get(style.get(f"{{{W}}}styleId"))
        if old is not None:
            styles.replace(old, style)
        else:
            styles.append(style)
    parts = {name: source.read(name) for name in source.namelist()}
    parts["word/styles.xml"] = etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True)
    return _zip(parts)


def _zip(parts: dict[str, bytes]) -> bytes:
    """A zip with fixed dates and order: ``[Content_Types].xml`` first, as Word expects."""
    buffer = io.BytesIO()
    names = sorted(parts, key=lambda n: (n != "[Content_Types].xml", n))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, parts[name])
    return buffer.getvalue()


# --------------------------------------------------------------------------
# What Pandoc cannot express


def field_runs(instruction: str, result: str, *, lang: str | None = None) -> str:
    """A Word field (ECMA-376 §17.16.18, complex field): its instruction and its cached result."""
    props = f'<w:rPr><w:lang w:val="{lang}"/></w:rPr>' if lang else ""
    return (
        f'<w:r>{props}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{props}<w:instrText xml:space="preserve"> {xml_escape(instruction)} </w:instrText></w:r>'
        f'<w:r>{props}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{props}<w:t>{xml_escape(result)}</w:t></w:r>"
        f'<w:r>{props}<w:fldChar w:fldCharType="end"/></w:r>'
    )


def note_bookmark(anchor: str) -> str:
    """The bookmark on a note's call that ``NOTEREF`` cites: a letter, then letters, digits and
    underscores, at most 40 characters (Word's rule; Pandoc hashes any other name, and so would
    hide Word's own ``_Ref`` prefix)."""
    return "NoteRef_" + re.sub(r"[^A-Za-z0-9]", "_", anchor)[:32]


def _run(text: str, *, field: str | None = None) -> str:
    if field:
        return field_runs(field, text)
    return f'<w:r><w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r>'


def header_xml(symbol: str, page_label: str, lang: str) -> bytes:
    """A running head: the symbol, then the page label and a PAGE field."""
    lines = [_run(symbol), _run(page_label + " ") + _run("1", field="PAGE")]
    paragraphs = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="RunningHead"/><w:rPr><w:lang w:val="{lang}"/></w:rPr></w:pPr>{runs}</w:p>'
        for runs in lines
    )
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr xmlns:w="{W}" xmlns:r="{R}">'
            f"{paragraphs}</w:hdr>").encode()


NOTE_NUMBERS = {
    "cover": '<w:footnotePr><w:numFmt w:val="chicago"/></w:footnotePr>',
    "body": "",
    "annex": '<w:footnotePr><w:numRestart w:val="eachSect"/></w:footnotePr>',
    "last annex": '<w:footnotePr><w:numFmt w:val="decimal"/><w:numRestart w:val="eachSect"/></w:footnotePr>',
    "last body": '<w:footnotePr><w:numFmt w:val="decimal"/></w:footnotePr>',
}
"""How each section numbers its notes (``w:footnotePr``), read alike by Word and LibreOffice.

Word reads each section's own properties (ECMA-376 §17.11.11): the body continues from the
cover, which has no notes, so it counts 1…n in decimal; each annex restarts at 1
(``numRestart eachSect``). LibreOffice has one note numbering for the whole document and sets
it from each ``w:footnotePr`` as it reads it: ``eachSect`` becomes "restart at each top-level
heading" (the body's title, each annex's heading), right when it is set, but the notes it reads
afterwards under that setting are numbered 0 (LibreOffice 7.4). A setting changed after the last
note is read renumbers every note, so the cover's notes (there are none) take symbols
(``chicago``) and the last section sets decimal again: the one change LibreOffice makes after
reading every note. To Word the cover's symbols are the cover's, and an editor's note on the
cover would take ``*``, as a note on a title page often does.
"""


def section_properties(header_id: str | None, *, notes: str) -> str:
    """A section: A4, 2.5 cm margins, its running head, its notes' numbering (a key of
    :data:`NOTE_NUMBERS`); the body and each annex restart their pages at 1."""
    header = f'<w:headerReference w:type="default" r:id="{header_id}"/>' if header_id else ""
    pages = '<w:pgNumType w:start="1"/>' if header_id else ""
    return (
        f"<w:sectPr>{header}{NOTE_NUMBERS[notes]}"
        '<w:type w:val="nextPage"/>'
        f'<w:pgSz w:w="{PAGE["width"]}" w:h="{PAGE["height"]}"/>'
        f'<w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" w:left="{MARGIN}" '
        f'w:header="{HEADER_DISTANCE}" w:footer="{HEADER_DISTANCE}" w:gutter="0"/>'
        f"{pages}</w:sectPr>"
    )


def core_properties(document: Document) -> bytes:
    meta = document.meta
    stamp = f"{meta.date.isoformat()}T00:00:00Z"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{xml_escape(plain_text(meta.title))}</dc:title>"
        f"<dc:subject>{xml_escape(meta.symbol)}</dc:subject>"
        f"<dc:language>{xml_escape(meta.lang)}</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


def footnote_lists(footnotes: bytes) -> bytes:
    """A bulleted list in a note in ``Footnote List``, the note's size: Pandoc writes every list
    item in ``Compact``, the body's, whatever style its div asks for."""
    return footnotes.replace(b'<w:pStyle w:val="Compact" />', b'<w:pStyle w:val="FootnoteList" />')


_ROW = re.compile(r"<w:tr>(\s*<w:trPr>(.*?)</w:trPr>)?")


def table_rows(body: str) -> str:
    """Every table row kept on one page (``w:cantSplit``); the head rows, which Pandoc marks
    ``w:tblHeader``, repeat on each page the table crosses."""
    def row(match: re.Match) -> str:
        inside = match[2] or ""
        if "<w:cantSplit" not in inside:
            inside = "<w:cantSplit />" + inside
        return f"<w:tr><w:trPr>{inside}</w:trPr>"

    return _ROW.sub(row, body)


def used_styles(parts: dict[str, bytes], council: set[str]) -> bytes:
    """``word/styles.xml`` with only the styles the document's parts name, the council's own and the
    defaults, with what they are based on, linked to and followed by: Pandoc's reference document
    brings ~90 (KeywordTok, Bibliography…) and a ``Table`` based on a ``TableNormal`` it lacks."""
    styles = etree.fromstring(parts["word/styles.xml"])
    every = {s.get(f"{{{W}}}styleId"): s for s in styles.findall("w:style", NS)}
    wanted = set(council) | {i for i, s in every.items() if s.get(f"{{{W}}}default") == "1"}
    for name, data in parts.items():
        if name.startswith("word/") and name.endswith(".xml") and name != "word/styles.xml":
            wanted |= {v.decode() for v in re.findall(rb'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', data)}
    queue = [i for i in wanted if i in every]
    kept: set[str] = set()
    while queue:
        style_id = queue.pop()
        if style_id in kept:
            continue
        kept.add(style_id)
        for tag in ("basedOn", "link", "next"):
            for ref in every[style_id].findall(f"w:{tag}", NS):
                target = ref.get(f"{{{W}}}val")
                if target in every:
                    queue.append(target)
                else:
                    every[style_id].remove(ref)  # no reference to a style that is not there
    for style_id, style in every.items():
        if style_id not in kept:
            styles.remove(style)
    return etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True)


def finish(docx: bytes, document: Document, council: frozenset[str] = frozenset()) -> bytes:
    """Pandoc's DOCX with the section breaks, running heads and properties put in, and only the
    styles it uses (``council``: the ids of the council styles, kept whether used or not)."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    parts = {name: source.read(name) for name in source.namelist()}
    meta = document.meta
    words = document.language

    headers = {"rIdCouncilHead0": header_xml(meta.symbol, words.page, meta.lang)}
    for index, part in enumerate(document.annexes, start=1):
        label = f"{part.designation}, {words.page_in_annex}"
        headers[f"rIdCouncilHead{index}"] = header_xml(meta.symbol, label, meta.lang)
    relations = parts["word/_rels/document.xml.rels"].decode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    for number, (rid, xml) in enumerate(headers.items(), start=1):
        name = f"councilheader{number}.xml"
        parts[f"word/{name}"] = xml
        relations = relations.replace(
            "</Relationships>", f'<Relationship Id="{rid}" Type="{HEADER_RELATION}" Target="{name}"/></Relationships>'
        )
        types = types.replace(
            "</Types>", f'<Override PartName="/word/{name}" ContentType="{HEADER_TYPE}"/></Types>'
        )
    parts["word/_rels/document.xml.rels"] = relations.encode("utf-8")
    parts["[Content_Types].xml"] = types.encode("utf-8")

    body = parts["word/document.xml"].decode("utf-8")
    # Section 0 is the cover (no running head); section 1 the body; then one per annex.
    annexes = len(document.annexes)
    sections = [section_properties(None, notes="cover"),
                section_properties("rIdCouncilHead0", notes="body" if annexes else "last body")]
    sections += [section_properties(f"rIdCouncilHead{i}", notes="last annex" if i == annexes else "annex")
                 for i in range(1, annexes + 1)]
    # The last section's properties are the body's own, at its end; the others end a paragraph.
    last = body.rindex("<w:sectPr")
    body = body[:last] + sections[-1] + body[body.index("</w:body>", last):]
    for index in range(len(sections) - 1):
        mark = f"<w:p><w:r><w:t>{SECTION_MARK}{index}</w:t></w:r></w:p>"
        body = body.replace(mark, f"<w:p><w:pPr>{sections[index]}</w:pPr></w:p>")
    if 'xmlns:r="' not in body[:2000]:
        body = body.replace("<w:document ", f'<w:document xmlns:r="{R}" ', 1)
    parts["word/document.xml"] = table_rows(body).encode("utf-8")
    parts["word/footnotes.xml"] = footnote_lists(parts["word/footnotes.xml"])
    parts["docProps/core.xml"] = core_properties(document)
    # Pandoc marks spelling and grammar "clean", checked: nobody checked them; without the mark
    # Word proofreads the document when it opens it.
    parts["word/settings.xml"] = re.sub(rb"<w:proofState[^>]*/>", b"", parts["word/settings.xml"])
    parts["word/styles.xml"] = used_styles(parts, council)
    return _zip(parts)


TEXT_WIDTH_CM = 16.0
"""The text block of an A4 page with 2.5 cm margins."""
SVG_PNG_SCALE = 2
"""An SVG's PNG has twice its CSS pixels (192 dpi): sharp on paper and on screen."""


def svg_to_png(data: bytes, width: int, height: int) -> bytes:
    """The PNG of an SVG figure, with what the build already has: WeasyPrint draws the SVG into a
    one-page PDF (reading no file: the SVG is checked to refer to none), and PDFium (pypdfium2,
    which pdfplumber brings) renders that page. Neither Word nor LibreOffice needs the SVG then."""
    import pypdfium2
    from weasyprint import HTML

    from .pdf import make_url_fetcher

    page = (f'<style>@page {{ size: {width}px {height}px; margin: 0 }} body {{ margin: 0 }} img {{ display: block; '
            f'width: {width}px; height: {height}px }}</style><img src="data:image/svg+xml;base64,'
            f'{base64.b64encode(data).decode("ascii")}">')
    pdf = pypdfium2.PdfDocument(HTML(string=page, url_fetcher=make_url_fetcher(())).write_pdf())
    try:
        bitmap = pdf[0].render(scale=SVG_PNG_SCALE * 96 / 72)
        out = io.BytesIO()
        bitmap.to_pil().save(out, format="PNG", optimize=False)
        return out.getvalue()
    finally:
        pdf.close()


def write_docx(document: Document, styles_dir: Path, *, ast: dict | None = None
               ) -> tuple[bytes | None, list[Diagnostic]]:
    """The DOCX of one edition, or the diagnostic that stopped it; ``ast`` is the edition's Pandoc AST
    when it is not :func:`to_pandoc`'s (the redline's, with tracked changes)."""
    where = SourcePos(document.path, 1, 1)
    import json

    with tempfile.TemporaryDirectory(prefix="councildoc-") as scratch:
        reference = Path(scratch) / "reference.docx"
        output = Path(scratch) / "out.docx"
        try:
            reference.write_bytes(build_reference(styles_dir))
            pypandoc.convert_text(
                json.dumps(ast or to_pandoc(document)), "docx", format="json", outputfile=str(output),
                extra_args=["--sandbox", f"--reference-doc={reference}"],
            )
            council = frozenset(style.get(f"{{{W}}}styleId") for style in etree.fromstring(
                (styles_dir / DOCX_STYLES).read_bytes()).findall("w:style", NS))
            return finish(output.read_bytes(), document, council), []
        except (RuntimeError, OSError, ValueError, subprocess.CalledProcessError, etree.XMLSyntaxError) as exc:
            return None, [error(where, f"Pandoc could not write the DOCX: {str(exc).strip()}")]
