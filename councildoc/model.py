"""The document model: frozen dataclasses, numbered once by the transforms.

Parsing builds this tree with every number left ``None``; the numbering
transforms return a new tree with the numbers filled in; writers only read.
Every node that an author wrote carries its :class:`SourcePos`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from .diagnostics import SourcePos
from .languages import Catalogue, Language

# --------------------------------------------------------------------------
# Inlines


@dataclass(frozen=True)
class Text:
    """Plain text; spaces and soft line breaks are folded into it."""

    text: str
    """The characters, as the author typed them."""


@dataclass(frozen=True)
class Emphasis:
    """Italics (``*…*``)."""

    children: tuple[Inline, ...]
    """What is emphasised."""


@dataclass(frozen=True)
class Strong:
    """Bold (``**…**``)."""

    children: tuple[Inline, ...]
    """What is in bold."""


@dataclass(frozen=True)
class Code:
    """Literal text (`` `…` ``)."""

    text: str
    """The characters, untouched."""


@dataclass(frozen=True)
class Link:
    """A hyperlink; the build never fetches it."""

    children: tuple[Inline, ...]
    """The link text."""
    url: str
    """Where it points."""


@dataclass(frozen=True)
class LineBreak:
    """A hard line break."""


@dataclass(frozen=True)
class Span:
    """A run of text in another language (``[…]{lang=en}``)."""

    children: tuple[Inline, ...]
    """The text."""
    lang: str
    """Its BCP 47 language tag."""


@dataclass(frozen=True)
class NoteCall:
    """The place where a footnote is called (``[^label]``)."""

    label: str
    """The note's label, as written between ``[^`` and ``]``."""
    pos: SourcePos
    """Where the call is."""
    number: int | None = None
    """The note's number in its part, set by ``number_notes``."""
    follows_call: bool = False
    """True when it stands right after another call: the writers set a comma between the two
    (``¹,²``, the UN editorial manual's rule), set by ``apply_typography``."""
    letter: str | None = None
    """The letter of a table note (``a``, ``b``…, per table; its ``number`` stays None), set by
    ``number_tables``: a note called from a table's caption or cells is set under the table."""


@dataclass(frozen=True)
class CrossRef:
    """A reference by label (``@note:x``, ``@para:x``, ``@sec:x``, ``@annex:x``, ``@tbl:x``)."""

    kind: str
    """``note``, ``para``, ``sec``, ``annex`` or ``tbl``."""
    name: str
    """The label without its kind, e.g. ``compendio`` for ``@note:compendio``."""
    pos: SourcePos
    """Where the reference is."""
    text: str | None = None
    """What it prints (a number, a designation or a title), set by ``resolve_references``."""
    anchor: str | None = None
    """The id of its target in the HTML, set by ``resolve_references``."""

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.name}"


Inline = Text | Emphasis | Strong | Code | Link | LineBreak | Span | NoteCall | CrossRef

# --------------------------------------------------------------------------
# Blocks


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; in the body and the annexes it is numbered unless marked."""

    inlines: tuple[Inline, ...]
    """Its text."""
    pos: SourcePos
    """Where it starts."""
    label: str | None = None
    """``para:…`` label, for ``@para:`` references."""
    numbered: bool = True
    """False for ``{.unnumbered}`` paragraphs and for text inside lists, quotes and notes."""
    term: tuple[Inline, ...] | None = None
    """The lead-in of an annex entry (``[Angola]{.entry}``), printed in bold with a separator."""
    attachments: tuple[Block, ...] = ()
    """Lists and block quotes that follow it and belong to it."""
    number: int | None = None
    """Its number in its part, set by ``number_paragraphs``."""
    anchor: str | None = None
    """Its stable id, set by ``number_paragraphs``."""


@dataclass(frozen=True)
class ListBlock:
    """A bulleted list attached to a paragraph (an ordered list is a :class:`SubParagraphList`)."""

    items: tuple[tuple[Block, ...], ...]
    """Each item's blocks (unnumbered paragraphs and nested lists)."""
    pos: SourcePos
    """Where it starts."""


@dataclass(frozen=True)
class SubParagraph:
    """One sub-paragraph: (a), (b)… of the first degree, (i), (ii)… of the second, a., i. below.

    The author writes an ordered list; the build letters it in the edition's language and
    never gives it a paragraph number: it belongs to the paragraph it follows.
    """

    blocks: tuple[Block, ...]
    """Its text (unnumbered paragraphs) and the sub-paragraphs of the next degree under it."""
    pos: SourcePos
    """Where the item starts."""
    label: str | None = None
    """``para:…`` label, for ``@para:`` references (``12 (b)``)."""
    marker: str | None = None
    """What stands before it, ``(b)`` or ``b)`` per the language, set by ``number_subparagraphs``."""
    citation: str | None = None
    """How a reference cites it, ``12 (b)`` or ``12 b) ii)``, set by ``number_subparagraphs``
    (``None`` under an unnumbered paragraph, which cannot be cited)."""
    anchor: str | None = None
    """Its stable id, set by ``number_subparagraphs``."""


@dataclass(frozen=True)
class SubParagraphList:
    """The sub-paragraphs of one degree under a paragraph or a sub-paragraph."""

    items: tuple[SubParagraph, ...]
    """The sub-paragraphs, in order."""
    degree: int
    """1 for (a), 2 for (i), 3 for a., 4 for i."""
    pos: SourcePos
    """Where the list starts."""


@dataclass(frozen=True)
class Quote:
    """A block quotation attached to a paragraph."""

    blocks: tuple[Block, ...]
    """What it quotes."""
    pos: SourcePos
    """Where it starts."""


@dataclass(frozen=True)
class Section:
    """A heading and everything under it up to the next heading of its level."""

    level: int
    """1 for ``#``, 2 for ``##``…"""
    title: tuple[Inline, ...]
    """The heading's text, as written (styles may set it in capitals)."""
    pos: SourcePos
    """Where the heading is."""
    children: tuple[Block | Section, ...]
    """Its paragraphs and sub-sections."""
    label: str | None = None
    """``sec:…`` label."""
    numbered: bool = True
    """False when the author opted out, and for annex headings not marked ``.numbered``."""
    number: str | None = None
    """``IV``, ``B``, ``3``…, set by ``number_sections``."""
    citation: str | None = None
    """How a reference cites it, with the numbers of the sections it stands in: ``IV``, ``IV.B``,
    ``IV.B.3``; set by ``number_sections``."""
    anchor: str | None = None
    """Its stable id (HTML id, PDF destination), set by ``number_sections``: the label when it has one,
    else made from the numbers of the sections above it, so two ids can never clash."""


@dataclass(frozen=True)
class TableCell:
    """One cell of a table: a line of text (a pipe table's cell holds inlines only)."""

    inlines: tuple[Inline, ...]
    """Its text; a note called here is a table note."""
    pos: SourcePos
    """Where the cell's text starts."""
    point: int | None = None
    """In a column aligned on the decimal separator, where the fraction starts in the cell's first text:
    at its decimal separator, or where the number ends when it has none (set by ``align_decimals``)."""


@dataclass(frozen=True)
class TableRow:
    """One row of a table, a cell for each column."""

    cells: tuple[TableCell, ...]
    """Its cells, left to right (as many as the table has columns)."""
    pos: SourcePos
    """Where the row starts."""


@dataclass(frozen=True)
class Figure:
    """An image with its number and title above it: ``![Title](chart.svg){#fig:x fig-alt="…"}``.

    The image is a file of the document's own folder, checked and read by ``councildoc.figures``
    before any writer sees it (its bytes are in the model: writers read no file).
    """

    src: str
    """The file's name as written, relative to the document's folder."""
    caption: tuple[Inline, ...]
    """The title (the image's description in the source)."""
    alt: str
    """The text alternative: ``fig-alt``, else the title's text."""
    pos: SourcePos
    """Where the image is written."""
    label: str | None = None
    """``fig:…`` label, for ``@fig:`` references."""
    number: int | None = None
    """Its number in the document (body and annexes run on), set by ``number_figures``."""
    anchor: str | None = None
    """Its stable id, set by ``number_figures``."""
    kind: str = ""
    """``png``, ``jpeg`` or ``svg``, from the file's own bytes (set by ``councildoc.figures``)."""
    data: bytes = b""
    """The file's bytes (set by ``councildoc.figures``)."""
    width: int = 0
    """Its width in pixels (an SVG's in CSS pixels), read from its header."""
    height: int = 0
    """Its height in pixels."""

    @property
    def file_name(self) -> str:
        """The name it is written under beside the HTML page: its own, in the folder's flat namespace."""
        return self.src.replace("/", "-")


@dataclass(frozen=True)
class Table:
    """A table (a pipe table in the source), its caption above it and its notes and source beneath.

    Laid out the UN way: number and title above, horizontal rules only, text columns left-aligned
    and number columns right-aligned; notes lettered a, b… per table under it.
    """

    head: tuple[TableRow, ...]
    """The column-head rows (repeated on each page the table crosses)."""
    body: tuple[TableRow, ...]
    """The rows of figures."""
    aligns: tuple[str, ...]
    """Each column's alignment: ``left``, ``right`` or ``center`` (a column of numbers the author
    left to the build is ``right``)."""
    caption: tuple[Inline, ...]
    """The title (``: Title {#tbl:x}`` under the table in the source)."""
    pos: SourcePos
    """Where the table starts."""
    label: str | None = None
    """``tbl:…`` label, for ``@tbl:`` references."""
    source: tuple[Inline, ...] | None = None
    """The "Source:" line's text (a ``{.source}`` paragraph right after the table), without the word."""
    notes: tuple[Note, ...] = ()
    """The table notes, in call order (caption first, then the cells row by row)."""
    number: int | None = None
    """Its number in the document (body and annexes run on), set by ``number_tables``."""
    anchor: str | None = None
    """Its stable id, set by ``number_tables``."""
    decimals: tuple[int, ...] = ()
    """Per column, the characters of its widest fraction (decimal separator included) when the column
    is aligned on the decimal separator, else 0 (set by ``align_decimals``)."""
    landscape: bool = False
    """Set on a landscape page of its own in the PDF (``{#tbl:x .landscape}``): a table wider than
    the portrait text block is an error otherwise."""

    @property
    def rows(self) -> tuple[TableRow, ...]:
        return self.head + self.body


Block = Paragraph | ListBlock | Quote | SubParagraphList | Table


@dataclass(frozen=True)
class Note:
    """A footnote: its text and where it is defined."""

    label: str
    """Its label (``title`` for the note hanging on the document title)."""
    blocks: tuple[Block, ...]
    """Its text."""
    pos: SourcePos
    """Where it is defined."""
    call_pos: SourcePos
    """Where it is called."""
    number: int | None = None
    """Its number in its part, set by ``number_notes`` (None for a table note)."""
    anchor: str | None = None
    """The stable id of the note text, set by ``number_notes`` (``number_tables`` for a table note)."""
    letter: str | None = None
    """A table note's letter (``a``, ``b``…), set by ``number_tables``."""
    call_anchor: str | None = None
    """The stable id of the note call, set by ``number_notes``."""


@dataclass(frozen=True)
class Part:
    """The body or one annex: numbering of paragraphs and notes restarts in each."""

    kind: str
    """``body`` or ``annex``."""
    children: tuple[Block | Section, ...]
    """Paragraphs before the first heading, then sections."""
    notes: tuple[Note, ...]
    """The notes called in this part, in call order."""
    pos: SourcePos
    """Where the part starts."""
    lang: str
    """The language of its text (an annex may differ from the edition)."""
    language: Language
    """That language's words and typography (the edition's when ``lang`` has no data)."""
    label: str | None = None
    """``annex:…`` label of an annex."""
    title: tuple[Inline, ...] | None = None
    """An annex's title."""
    number: str | None = None
    """An annex's number (``I``, ``II``…; empty when it is the only one), set by ``number_annexes``."""
    designation: str | None = None
    """What heads an annex and what ``@annex:`` prints, in the edition's language (``Anexo II``),
    set by ``number_annexes``."""
    anchor: str | None = None
    """Its stable id, set by ``number_annexes``."""

    @property
    def tables(self) -> tuple[Table, ...]:
        """Its tables, in order (they stand among the paragraphs, in sections or not)."""
        return self._blocks(Table)

    @property
    def figures(self) -> tuple[Figure, ...]:
        """Its figures, in order (they stand among the paragraphs, in sections or not)."""
        return self._blocks(Figure)

    def _blocks(self, kind: type) -> tuple:
        found: list = []

        def walk(children: tuple) -> None:
            for child in children:
                if isinstance(child, Section):
                    walk(child.children)
                elif isinstance(child, kind):
                    found.append(child)

        walk(self.children)
        return tuple(found)


@dataclass(frozen=True)
class Metadata:
    """What the masthead says; language-independent fields come from ``document.yaml``."""

    symbol: str
    """The document symbol, ``MC/INF/298``: the same in every edition."""
    date: datetime.date
    """The date of issue."""
    session: int
    """The session number (98 for the ninety-eighth session)."""
    original_lang: str
    """The language the document was written in."""
    lang: str
    """This edition's language."""
    title: tuple[Inline, ...]
    """The title, as written (the masthead sets it in capitals)."""
    subtitle: tuple[Inline, ...] | None = None
    """The subtitle."""
    session_title: str | None = None
    """The session line: the edition's ``session-title``, else spelt from the number where the
    language's data names a library that spells its ordinals (``Ninety-eighth session``)."""
    title_note: str | None = None
    """Label of the body note that hangs on the title, if any."""


@dataclass(frozen=True)
class Document:
    """One edition of one council document."""

    name: str
    """The document's folder name under ``source/``, e.g. ``mc-inf-298``."""
    path: str
    """The edition's source file, relative to the project."""
    meta: Metadata
    """The masthead."""
    language: Language
    """The edition's words and typography."""
    catalogue: Catalogue
    """Every language the project has data for (a phrase in another language is set in its own)."""
    parts: tuple[Part, ...] = field(default_factory=tuple)
    """The body first, then the annexes."""

    @property
    def body(self) -> Part:
        return self.parts[0]

    @property
    def annexes(self) -> tuple[Part, ...]:
        return self.parts[1:]


INLINE_TYPES: tuple[type, ...] = (Text, Emphasis, Strong, Code, Link, LineBreak, Span, NoteCall, CrossRef)
"""Every inline node type: each walker over the model has a method for each (see ``visitor``)."""
BLOCK_TYPES: tuple[type, ...] = (Paragraph, ListBlock, Quote, SubParagraphList, SubParagraph, Section,
                                 Table, TableRow, TableCell, Figure)
"""Every block node type, sections included."""
NODE_TYPES: tuple[type, ...] = INLINE_TYPES + BLOCK_TYPES
"""The closed set of nodes a document's text is made of."""
