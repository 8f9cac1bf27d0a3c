"""TRANSFORMING: number everything once, then resolve references, then check.

Each transform is a pure function ``Document -> (Document, diagnostics)``; they
run in the order of :data:`TRANSFORMS` (markdown-it-py's rule list, not
priorities). Numbers are stored on the nodes; writers never count.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from babel import Locale
from babel.numbers import NumberFormatError, get_decimal_symbol, get_group_symbol, parse_decimal

from . import languages
from .diagnostics import Diagnostic, SourcePos, error
from .languages import Language, small_letter
from .model import (
    INLINE_TYPES,
    CrossRef,
    Document,
    Figure,
    Inline,
    LineBreak,
    Note,
    NoteCall,
    Paragraph,
    Part,
    Section,
    SubParagraph,
    SubParagraphList,
    Table,
    TableCell,
    Text,
)
from .parse import REFERENCE_KINDS
from .typography import typeset
from .visitor import Rebuilder, Visitor

Transform = Callable[[Document], tuple[Document, list[Diagnostic]]]


# --------------------------------------------------------------------------
# Number styles


def roman(number: int) -> str:
    """``4`` → ``IV`` (sections and annexes; sub-paragraphs take the small ones)."""
    return languages.small_roman(number).upper()


def letter(number: int) -> str:
    """``1`` → ``A``, ``27`` → ``AA``."""
    out = ""
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


SECTION_NUMBER_STYLES: dict[int, Callable[[int], str]] = {1: roman, 2: letter, 3: str}
"""How each heading level is numbered: I, II…; A, B…; 1, 2…"""


def _prefix(part: Part) -> str:
    """What the HTML ids of a part's paragraphs and notes start with."""
    if part.kind == "body":
        return ""
    return f"annex{part.number or ''}-"


# --------------------------------------------------------------------------
# Walking the tree


def iter_sections(children: tuple):
    """Every section of a part, depth first."""
    for child in children:
        if isinstance(child, Section):
            yield child
            yield from iter_sections(child.children)


def iter_paragraphs(children: tuple):
    """The part-level paragraphs (not those inside lists, quotes, sub-paragraphs or notes)."""
    for child in children:
        if isinstance(child, Section):
            yield from iter_paragraphs(child.children)
        elif isinstance(child, Paragraph):
            yield child


def iter_subparagraphs(blocks: tuple):
    """Every sub-paragraph under some blocks (a paragraph's attachments), depth first."""
    for block in blocks:
        if isinstance(block, SubParagraphList):
            for item in block.items:
                yield item
                yield from iter_subparagraphs(item.blocks)


class _Inlines(Visitor):
    """Every inline of a run, depth first (the calls and references of a paragraph)."""

    covers = INLINE_TYPES

    def walk(self, inlines: tuple[Inline, ...]):
        for inline in inlines:
            yield inline
            yield from self.visit(inline)

    def _children(self, node):
        return self.walk(node.children)

    visit_Emphasis = visit_Strong = visit_Link = visit_Span = _children

    def _leaf(self, node):
        return iter(())

    visit_Text = visit_Code = visit_LineBreak = visit_NoteCall = visit_CrossRef = _leaf


def iter_inlines(inlines: tuple[Inline, ...]):
    return _Inlines().walk(inlines)


class PlainText(Visitor):
    """The text of some inlines as a reader sees it without the markup.

    Note calls are left out (a section title as a reference prints it), or shown as
    ``[n]`` with ``note_calls`` (the review text).
    """

    covers = INLINE_TYPES

    def __init__(self, note_calls: bool = False) -> None:
        self.note_calls = note_calls

    def text(self, inlines: tuple[Inline, ...]) -> str:
        return "".join(self.visit(inline) for inline in inlines)

    def visit_Text(self, node: Text) -> str:
        return node.text

    visit_Code = visit_Text

    def _children(self, node) -> str:
        return self.text(node.children)

    visit_Emphasis = visit_Strong = visit_Link = visit_Span = _children

    def visit_CrossRef(self, node: CrossRef) -> str:
        return node.text or f"¿{node.label}?"

    def visit_NoteCall(self, node: NoteCall) -> str:
        return f"[{node.letter or node.number}]" if self.note_calls else ""

    def visit_LineBreak(self, node: LineBreak) -> str:
        return " "


def plain_text(inlines: tuple[Inline, ...], *, note_calls: bool = False) -> str:
    """The text of some inlines, as a reader sees it (see :class:`PlainText`)."""
    return PlainText(note_calls).text(inlines)


def _rebuild_part(part: Part, walker: Rebuilder) -> Part:
    """A part with its title, children and notes rebuilt by ``walker``."""
    return replace(
        part,
        title=walker.visit_value(part.title) if part.title is not None else None,
        children=walker.visit_value(part.children),
        notes=tuple(replace(note, blocks=walker.visit_value(note.blocks)) for note in part.notes),
    )


# --------------------------------------------------------------------------
# Transforms


def number_annexes(document: Document) -> tuple[Document, list[Diagnostic]]:
    """Annex I, II… when there are several; a lone annex has no number. Its designation is stored."""
    annexes = document.annexes
    parts = [document.body]
    for index, part in enumerate(annexes, start=1):
        number = roman(index) if len(annexes) > 1 else ""
        designation = f"{document.language.annex} {number}".strip()
        parts.append(replace(part, number=number, designation=designation, anchor=f"annex{number}"))
    return replace(document, parts=tuple(parts)), []


class _SectionNumbers(Rebuilder):
    """I, II… for ``#``; A, B… for ``##`` inside each; 1, 2… for ``###``.

    A section's id is its label, or the numbers of the sections it stands in (``sec-II-B``),
    so that two sub-sections B under different sections never share one.
    """

    def __init__(self, part: Part) -> None:
        self.prefix = _prefix(part)
        self.counters = [0] * 10
        self.unnumbered = 0
        self.path: list[str] = []

    def visit_Section(self, section: Section) -> Section:
        if not section.numbered:
            self.unnumbered += 1
            anchor = _label_anchor(section.label) or f"{self.prefix}h{self.unnumbered}"
            return replace(self.rebuild(section), anchor=anchor)
        level = min(section.level, len(self.counters) - 1)
        self.counters[level] += 1
        self.counters[level + 1 :] = [0] * (len(self.counters) - level - 1)
        number = SECTION_NUMBER_STYLES.get(level, str)(self.counters[level])
        outer = self.path[: level - 1]
        self.path = [*outer, number]
        anchor = _label_anchor(section.label) or f"{self.prefix}sec-{'-'.join(self.path)}"
        citation = ".".join(self.path)  # before the sub-sections below move the path on
        return replace(self.rebuild(section), number=number, citation=citation, anchor=anchor)

    def _keep(self, node):
        return node  # numbering sections looks at no text

    visit_Paragraph = visit_ListBlock = visit_Quote = visit_SubParagraphList = visit_Table = visit_Figure = _keep


def number_sections(document: Document) -> tuple[Document, list[Diagnostic]]:
    """Number every part's sections (see :class:`_SectionNumbers`)."""
    parts = tuple(replace(part, children=_SectionNumbers(part).visit_value(part.children)) for part in document.parts)
    return replace(document, parts=parts), []


def _label_anchor(label: str | None) -> str | None:
    return label.replace(":", "-") if label else None


class _ParagraphNumbers(Rebuilder):
    """1…n through a part, skipping paragraphs marked unnumbered; then their sub-paragraphs."""

    def __init__(self, part: Part) -> None:
        self.prefix = _prefix(part)
        self.language = part.language
        self.count = 0

    def visit_Paragraph(self, paragraph: Paragraph) -> Paragraph:
        if paragraph.numbered:
            self.count += 1
            number, anchor = self.count, f"{self.prefix}p{self.count}"
        else:
            number, anchor = None, _label_anchor(paragraph.label)
        attachments = tuple(
            _SubParagraphNumbers(self.language, str(number) if number else None, anchor).visit(block)
            for block in paragraph.attachments
        )
        return replace(paragraph, number=number, anchor=anchor, attachments=attachments)

    def _keep(self, node):
        return node

    visit_ListBlock = visit_Quote = visit_SubParagraphList = _keep

    def visit_Table(self, node: Table) -> Table:
        """A table takes no paragraph number; the sub-paragraphs in its notes are lettered, not cited."""
        return replace(node, notes=tuple(
            replace(note, blocks=_SubParagraphNumbers(self.language, None, None).visit_value(note.blocks))
            for note in node.notes))


class _SubParagraphNumbers(Rebuilder):
    """Markers (a), (b)… in the part's language, and how each sub-paragraph is cited: ``12 (b) (ii)``."""

    def __init__(self, language: Language, citation: str | None, anchor: str | None) -> None:
        self.language = language
        self.citation = citation
        self.anchor = anchor

    def visit_SubParagraphList(self, node: SubParagraphList) -> SubParagraphList:
        items = []
        for index, item in enumerate(node.items, start=1):
            marker = self.language.subparagraph_marker(node.degree, index)
            citation = f"{self.citation} {marker}" if self.citation else None
            anchor = _label_anchor(item.label) or (
                f"{self.anchor}-{marker.strip('().')}" if self.anchor else None)
            inner = _SubParagraphNumbers(self.language, citation, anchor)
            items.append(replace(item, marker=marker, citation=citation, anchor=anchor,
                                 blocks=tuple(inner.visit(block) for block in item.blocks)))
        return replace(node, items=tuple(items))

    def _uncited(self, node):
        """Sub-paragraphs inside a bullet or a quote are lettered, but cannot be cited."""
        return _SubParagraphNumbers(self.language, None, None).rebuild(node)

    visit_ListBlock = visit_Quote = _uncited

    def visit_Paragraph(self, node: Paragraph) -> Paragraph:
        return node  # a paragraph inside a sub-paragraph has no attachments of its own


def number_paragraphs(document: Document) -> tuple[Document, list[Diagnostic]]:
    """Number every part's paragraphs and letter their sub-paragraphs (those in notes too)."""
    return replace(document, parts=tuple(
        replace(part, children=_ParagraphNumbers(part).visit_value(part.children),
                notes=tuple(replace(note, blocks=_SubParagraphNumbers(part.language, None, None).visit_value(
                    note.blocks)) for note in part.notes))
        for part in document.parts
    )), []


class _NoteCallNumbers(Rebuilder):
    """Each note call gets its note's number."""

    def __init__(self, numbers: dict[SourcePos, int | None]) -> None:
        self.numbers = numbers

    def visit_NoteCall(self, call: NoteCall) -> NoteCall:
        return replace(call, number=self.numbers.get(call.pos))


def number_notes(document: Document) -> tuple[Document, list[Diagnostic]]:
    """1…n through each part in the order the notes are called; calls get their note's number."""
    return replace(document, parts=tuple(_number_notes_of(part) for part in document.parts)), []


def _number_notes_of(part: Part) -> Part:
    prefix = _prefix(part)
    notes = tuple(
        replace(note, number=n, anchor=f"{prefix}fn{n}", call_anchor=f"{prefix}fnref{n}")
        for n, note in enumerate(part.notes, start=1)
    )
    walker = _NoteCallNumbers({note.call_pos: note.number for note in notes})
    return replace(_rebuild_part(part, walker), notes=notes)


class _TableNumbers(Rebuilder):
    """Table 1, 2… through the whole document; the notes of each table lettered a, b…"""

    def __init__(self) -> None:
        self.count = 0

    def visit_Table(self, table: Table) -> Table:
        self.count += 1
        anchor = _label_anchor(table.label) or f"tbl{self.count}"
        # Lettered in reading order: the caption (printed above the table) first, then the rows.
        in_caption = {call.pos for call in iter_inlines(table.caption) if isinstance(call, NoteCall)}
        ordered = sorted(table.notes, key=lambda note: note.call_pos not in in_caption)
        notes = tuple(replace(note, letter=small_letter(n), anchor=f"{anchor}-note-{small_letter(n)}",
                              call_anchor=f"{anchor}-call-{small_letter(n)}")
                      for n, note in enumerate(ordered, start=1))
        letters = _TableNoteLetters({note.call_pos: note.letter for note in notes})
        return replace(letters.rebuild(replace(table, notes=())), notes=notes, number=self.count, anchor=anchor)

    def _keep(self, node):
        return node  # no table stands in a paragraph, a list, a quote or a sub-paragraph

    visit_Paragraph = visit_ListBlock = visit_Quote = visit_SubParagraphList = _keep


class _TableNoteLetters(Rebuilder):
    """Each note call in a table gets its table note's letter."""

    def __init__(self, letters: dict[SourcePos, str | None]) -> None:
        self.letters = letters

    def visit_NoteCall(self, call: NoteCall) -> NoteCall:
        return replace(call, letter=self.letters.get(call.pos))


def number_tables(document: Document) -> tuple[Document, list[Diagnostic]]:
    """Number the tables through the document, the annexes' running on from the body's.

    One sequence, not one per part as paragraphs have: a table is cited from anywhere
    ("see table 5"), and the UN editorial manual numbers a report's tables consecutively;
    a reader looking for table 5 finds one table 5, wherever it stands.
    """
    walker = _TableNumbers()
    return replace(document, parts=tuple(replace(part, children=walker.visit_value(part.children))
                                         for part in document.parts)), []


class _FigureNumbers(Rebuilder):
    """Figure 1, 2… through the whole document, as tables are (and for the same reason)."""

    def __init__(self) -> None:
        self.count = 0

    def visit_Figure(self, figure: Figure) -> Figure:
        self.count += 1
        return replace(figure, number=self.count, anchor=_label_anchor(figure.label) or f"fig{self.count}",
                       alt=figure.alt or plain_text(figure.caption))

    def _keep(self, node):
        return node  # no figure stands in a paragraph, a list, a quote, a sub-paragraph or a table

    visit_Paragraph = visit_ListBlock = visit_Quote = visit_SubParagraphList = visit_Table = _keep


def number_figures(document: Document) -> tuple[Document, list[Diagnostic]]:
    """Number the figures through the document, the annexes' running on from the body's; without
    ``fig-alt``, a figure's text alternative is its title."""
    walker = _FigureNumbers()
    return replace(document, parts=tuple(replace(part, children=walker.visit_value(part.children))
                                         for part in document.parts)), []


def _targets(document: Document) -> dict[str, tuple[str, str, str | None, SourcePos]]:
    """Every label → (kind, printed text, anchor, position); first definition wins."""
    targets: dict[str, tuple[str, str, str | None, SourcePos]] = {}
    for part in document.parts:
        if part.kind == "annex" and part.label:
            targets.setdefault(part.label, ("annex", part.designation or "", part.anchor, part.pos))
        for section in iter_sections(part.children):
            if section.label:
                text = section.citation if section.numbered else plain_text(section.title)
                targets.setdefault(section.label, ("sec", text or "", section.anchor, section.pos))
        for paragraph in iter_paragraphs(part.children):
            if paragraph.label:
                text = str(paragraph.number) if paragraph.number is not None else ""
                targets.setdefault(paragraph.label, ("para", text, paragraph.anchor, paragraph.pos))
            for item in iter_subparagraphs(paragraph.attachments):
                if item.label:
                    targets.setdefault(item.label, ("para", item.citation or "", item.anchor, item.pos))
        for note in part.notes:
            targets.setdefault(f"note:{note.label}", ("note", str(note.number), note.anchor, note.pos))
        for table in part.tables:
            if table.label:
                targets.setdefault(table.label, ("tbl", str(table.number or ""), table.anchor, table.pos))
            for note in table.notes:
                targets.setdefault(f"note:{note.label}", ("note", note.letter or "", note.anchor, note.pos))
        for figure in part.figures:
            if figure.label:
                targets.setdefault(figure.label, ("fig", str(figure.number or ""), figure.anchor, figure.pos))
    return targets


class _References(Rebuilder):
    """Each ``@kind:label`` gets its target's number and id (pandoc-crossref's second pass)."""

    def __init__(self, targets: dict[str, tuple[str, str, str | None, SourcePos]]) -> None:
        self.targets = targets
        self.by_name: dict[str, list[str]] = {}
        for label in targets:
            self.by_name.setdefault(label.split(":", 1)[1], []).append(label)
        self.diagnostics: list[Diagnostic] = []
        self.container: str | None = None
        self.in_note = False
        """In a note, every block is the note's text: a reference to the note is to itself."""

    def within(self, label: str | None, node):
        """Visit ``node`` as the text of the labelled thing ``label`` (a reference to it is to itself)."""
        if self.in_note:
            return self.rebuild(node)
        outer, self.container = self.container, label
        try:
            return self.rebuild(node)
        finally:
            self.container = outer

    def visit_Paragraph(self, node: Paragraph) -> Paragraph:
        return self.within(node.label, node)

    def visit_SubParagraph(self, node: SubParagraph) -> SubParagraph:
        return self.within(node.label, node)

    def visit_Section(self, node: Section) -> Section:
        titled = self.within(node.label, replace(node, children=()))
        return replace(titled, children=self.visit_value(node.children))

    def visit_Table(self, node: Table) -> Table:
        table = self.within(node.label, replace(node, notes=()))
        outer, self.in_note = self.in_note, True
        try:
            notes = tuple(replace(note, blocks=self.visit_value(note.blocks)) for note in node.notes)
        finally:
            self.in_note = outer
        return replace(table, notes=notes)

    def visit_CrossRef(self, inline: CrossRef) -> CrossRef:
        target = self.targets.get(inline.label)
        if target is None:
            others = [label for label in self.by_name.get(inline.name, []) if label != inline.label]
            if others:
                kind = self.targets[others[0]][0]
                self.diagnostics.append(error(
                    inline.pos,
                    f"@{inline.label} refers to a {REFERENCE_KINDS[kind]}, not a {REFERENCE_KINDS[inline.kind]}",
                    f"write @{others[0]}",
                ))
            else:
                same_kind = [label for label in self.targets if label.startswith(inline.kind + ":")]
                close = difflib.get_close_matches(inline.label, same_kind, n=1, cutoff=0.6)
                self.diagnostics.append(error(
                    inline.pos, f"unknown label '{inline.label}'", f"did you mean '{close[0]}'?" if close else None,
                ))
            return inline
        if inline.label == self.container:
            self.diagnostics.append(error(inline.pos, f"@{inline.label} refers to itself"))
        kind, text, anchor, _ = target
        if not text:
            what = REFERENCE_KINDS[kind]
            self.diagnostics.append(error(inline.pos, f"@{inline.label} refers to an unnumbered {what}"))
            return inline
        return replace(inline, text=text, anchor=anchor)


def resolve_references(document: Document) -> tuple[Document, list[Diagnostic]]:
    """Replace each ``@kind:label`` by its target's current number (see :class:`_References`)."""
    walker = _References(_targets(document))
    parts = []
    for part in document.parts:
        walker.container = part.label
        title = walker.visit_value(part.title) if part.title is not None else None
        walker.container = None
        children = walker.visit_value(part.children)
        notes = []
        walker.in_note = True
        for note in part.notes:
            walker.container = f"note:{note.label}"
            notes.append(replace(note, blocks=walker.visit_value(note.blocks)))
        walker.container, walker.in_note = None, False
        parts.append(replace(part, title=title, children=children, notes=tuple(notes)))
    meta = document.meta
    meta = replace(meta, title=walker.visit_value(meta.title),
                   subtitle=walker.visit_value(meta.subtitle) if meta.subtitle is not None else None)
    return replace(document, meta=meta, parts=tuple(parts)), walker.diagnostics


def check(document: Document) -> tuple[Document, list[Diagnostic]]:
    """What numbering and resolving cannot see: duplicates, empty places, ids used twice."""
    diagnostics: list[Diagnostic] = []
    seen: dict[str, SourcePos] = {}
    ids: dict[str, SourcePos] = {}

    def claim(label: str, pos: SourcePos, what: str) -> None:
        if label in seen:
            diagnostics.append(error(pos, f"{what} '{label}' is used twice", f"first used at {seen[label]}"))
        else:
            seen[label] = pos

    def claim_id(anchor: str | None, pos: SourcePos, label: str | None) -> None:
        # Generated ids are unique by construction; a label can still spell one ("sec:I-A").
        if anchor is None or (label is not None and seen.get(label) != pos):
            return  # a label used twice is reported as such
        if anchor in ids and ids[anchor] != pos:
            diagnostics.append(error(pos, f"the id '{anchor}' is also the id of what stands at {ids[anchor]}",
                                     "choose another label"))
        ids.setdefault(anchor, pos)

    paragraphs = 0
    for part in document.parts:
        if part.label:
            claim(part.label, part.pos, "label")
        for section in iter_sections(part.children):
            if section.label:
                claim(section.label, section.pos, "label")
            claim_id(section.anchor, section.pos, section.label)
            if not any(True for _ in iter_paragraphs(section.children)):
                diagnostics.append(error(section.pos, "empty section: a heading with no paragraph under it"))
        for paragraph in iter_paragraphs(part.children):
            paragraphs += 1
            if paragraph.label:
                claim(paragraph.label, paragraph.pos, "label")
            claim_id(paragraph.anchor, paragraph.pos, paragraph.label)
            for item in iter_subparagraphs(paragraph.attachments):
                if item.label:
                    claim(item.label, item.pos, "label")
                    if item.citation is None:
                        diagnostics.append(error(item.pos, f"'{item.label}' labels a sub-paragraph of an "
                                                           "unnumbered paragraph, which cannot be cited"))
                claim_id(item.anchor, item.pos, item.label)
        for table in part.tables:
            if table.label:
                claim(table.label, table.pos, "label")
            claim_id(table.anchor, table.pos, table.label)
            if not table.caption:
                diagnostics.append(error(table.pos, "a table without a title",
                                         "write ': Title {#tbl:label}' on the line after its last row, "
                                         "a blank line between"))
            widths = {len(row.cells) for row in table.rows}
            if len(widths) > 1:
                diagnostics.append(error(table.pos, "the rows of this table have different numbers of cells"))
        for figure in part.figures:
            if figure.label:
                claim(figure.label, figure.pos, "label")
            claim_id(figure.anchor, figure.pos, figure.label)
        called: dict[str, Note] = {}
        for note in [*part.notes, *(note for table in part.tables for note in table.notes)]:
            if note.label in called:
                diagnostics.append(error(
                    note.call_pos, f"note [^{note.label}] is called twice",
                    f"call it once and refer back with @note:{note.label}",
                ))
                continue
            called[note.label] = note
            claim(f"note:{note.label}", note.call_pos, "note label")
    if paragraphs == 0:
        diagnostics.append(error(SourcePos(document.path, 1, 1), "the document has no paragraphs"))
    return document, diagnostics


# --------------------------------------------------------------------------
# Typography


class _Typography(Rebuilder):
    """Every text set in its part's language: quotes, no-break spaces, note calls (see :func:`typeset`)."""

    def __init__(self, language: languages.Language, catalogue: languages.Catalogue) -> None:
        self.language = language
        self.catalogue = catalogue

    def set(self, inlines: tuple[Inline, ...] | None) -> tuple[Inline, ...] | None:
        return typeset(inlines, self.language, self.catalogue) if inlines is not None else None

    def visit_Paragraph(self, node: Paragraph) -> Paragraph:
        return replace(node, inlines=self.set(node.inlines), term=self.set(node.term),
                       attachments=self.visit_value(node.attachments))

    def visit_Section(self, node: Section) -> Section:
        return replace(node, title=self.set(node.title), children=self.visit_value(node.children))

    def visit_Table(self, node: Table) -> Table:
        return replace(self.rebuild(node), caption=self.set(node.caption), source=self.set(node.source))

    def visit_TableCell(self, node: TableCell) -> TableCell:
        return replace(node, inlines=self.set(node.inlines))

    def visit_Figure(self, node: Figure) -> Figure:
        return replace(node, caption=self.set(node.caption))


# --------------------------------------------------------------------------
# Number columns aligned on the decimal separator

_SPACES = "\u00a0\u202f\u2009 "
"""The spaces that group thousands: no-break, narrow no-break, thin, ordinary."""
_NO_FIGURE = re.compile(r"^(?:[-–—…]|\.\.\.?)$")
"""A cell of a number column that holds no figure: a dash or an ellipsis."""
_AROUND = re.compile(r"^([(+]?)(.*?)(\)?\s?%?)$")
"""A figure in parentheses (a negative amount), with a plus sign (a change) or a per cent sign."""


def locale_number(text: str, locale: Locale) -> Decimal | None:
    """``text``'s value written the way of ``locale``, or None when it is not (``1,243.5`` in French).

    Where the locale groups thousands with a space, any of :data:`_SPACES` groups them."""
    group = get_group_symbol(locale)
    if group in _SPACES:
        text = re.sub(f"[{_SPACES}]", group, text)
    try:
        return parse_decimal(text.replace("−", "-"), locale=locale, strict=True)
    except NumberFormatError:
        return None


def decimal_point(text: str, locale: Locale) -> int | None:
    """Where the fraction of the figure ``text`` starts (its decimal separator, or where its digits end),
    ``len(text)`` for a dash, None for anything else."""
    core = text.strip()
    if _NO_FIGURE.match(core):
        return len(text.rstrip())
    around = _AROUND.match(core)
    value = locale_number(around[2], locale) if core and around else None
    separator = get_decimal_symbol(locale)
    if value is None or (value.as_tuple().exponent < 0 and separator not in around[2]):
        return None  # no figure, or decimals after another separator (Babel reads 2.5 in French)
    digits = text.index(core) + len(around[1])
    if separator in around[2]:
        return digits + around[2].index(separator)
    return digits + len(around[2])


class _Decimals(Rebuilder):
    """Each number column whose figures have decimals is aligned on the decimal separator."""

    def __init__(self, locale: Locale) -> None:
        self.locale = locale
        self.separator = get_decimal_symbol(locale)

    def visit_Table(self, table: Table) -> Table:
        points: dict[tuple[int, int], int] = {}
        decimals = []
        for column, align in enumerate(table.aligns):
            cells = [(index, row.cells[column]) for index, row in enumerate(table.body) if column < len(row.cells)]
            found = {}
            for index, cell in cells:
                first = cell.inlines[0] if cell.inlines else None
                point = decimal_point(first.text, self.locale) if isinstance(first, Text) else None
                if point is not None:
                    found[index] = point
                elif cell.inlines:
                    break
            else:
                fractions = [len(table.body[i].cells[column].inlines[0].text[p:].rstrip()) for i, p in found.items()]
                has_decimals = any(table.body[i].cells[column].inlines[0].text[p:p + 1] == self.separator
                                   for i, p in found.items())
                if align == "right" and has_decimals:
                    decimals.append(max(fractions))
                    points.update({(i, column): p for i, p in found.items()})
                    continue
            decimals.append(0)
        body = tuple(replace(row, cells=tuple(replace(cell, point=points.get((index, column)))
                                              for column, cell in enumerate(row.cells)))
                     for index, row in enumerate(table.body))
        return replace(table, body=body, decimals=tuple(decimals))

    def _keep(self, node):
        return node  # no table stands in a paragraph, a list, a quote or a sub-paragraph

    visit_Paragraph = visit_ListBlock = visit_Quote = visit_SubParagraphList = visit_Figure = _keep


def align_decimals(document: Document) -> tuple[Document, list[Diagnostic]]:
    """Mark the number columns aligned on the decimal separator (the UN editorial manual: figures with
    decimals line up on it), the separator the part's language writes (``.`` in English, ``,`` in
    French and Spanish); the writers set the fraction of each figure in a box as wide as the column's
    widest."""
    parts = tuple(replace(part, children=_Decimals(part.language.locale).visit_value(part.children))
                  for part in document.parts)
    return replace(document, parts=parts), []


def apply_typography(document: Document) -> tuple[Document, list[Diagnostic]]:
    """Set every text in its part's language: the edition's, or an annex's own."""
    parts = []
    for part in document.parts:
        walker = _Typography(part.language, document.catalogue)
        parts.append(replace(_rebuild_part(replace(part, title=None), walker), title=walker.set(part.title)))
    edition = _Typography(document.language, document.catalogue)
    meta = replace(document.meta, title=edition.set(document.meta.title), subtitle=edition.set(document.meta.subtitle))
    return replace(document, meta=meta, parts=tuple(parts)), []


TRANSFORMS: list[Transform] = [
    number_annexes,
    number_sections,
    number_paragraphs,
    number_notes,
    number_tables,
    number_figures,
    resolve_references,
    apply_typography,
    align_decimals,
    check,
]
"""Run in this order: numbering before resolving, checks last."""


def apply_transforms(document: Document) -> tuple[Document, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    for transform in TRANSFORMS:
        document, found = transform(document)
        diagnostics.extend(found)
    return document, diagnostics
