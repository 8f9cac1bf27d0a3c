"""WRITING the review text: the canonical plain text of an edition, the form people diff.

One line per masthead line, heading, paragraph and note, blank lines between
blocks, each part's notes after it. A paragraph's block goes on with a line for
each list item (``- ``), quoted paragraph (``> ``) and sub-paragraph (its marker,
``(a) ``); a note is ``[n]`` and its first paragraph, then a line for each of its
further blocks. It shows what a reader sees (headings in capitals where the layout
sets them so, note calls as ``[n]``) and nothing of the markup, so that ``textconv``
can read the same text back out of a built HTML, DOCX or PDF and ``git diff``
shows changes inside binary outputs.
"""

from __future__ import annotations

import re

from ..model import (
    NODE_TYPES,
    Block,
    Document,
    Figure,
    Inline,
    ListBlock,
    Note,
    NoteCall,
    Paragraph,
    Part,
    Quote,
    Section,
    SubParagraph,
    SubParagraphList,
    Table,
    TableCell,
    TableRow,
)
from ..transforms import PlainText, plain_text
from ..typography import WORD_JOINER

_SPACE = re.compile(r"[^\S\u00a0\u202f]+")
"""Runs of white space but the no-break ones, which the typography set on purpose: they stay."""


TABLE_CELL_SEPARATOR = " | "
"""Between the cells of a table's row in the review text."""
EMPTY_CELL = "·"
"""An empty cell in the review text (so that every row shows every column)."""


def normalize(text: str) -> str:
    """One space for every run of white space; no-break spaces kept as they are (French « », the
    space before ; : ! ?, a number and its unit: the review text shows what the typography set);
    no word joiner (it prints nothing)."""
    return _SPACE.sub(" ", text.replace(WORD_JOINER, "")).strip()


def inline_text(inlines: tuple[Inline, ...]) -> str:
    """What a reader sees, note calls as ``[n]``."""
    return plain_text(inlines, note_calls=True)


def lead(mark: str, lines: list[str]) -> list[str]:
    """``lines`` with ``mark`` before the first: a sub-paragraph's marker, a note's ``[n]``."""
    if not lines:
        return [mark]
    return [normalize(f"{mark} {lines[0]}"), *lines[1:]]


class ReviewText(PlainText):
    """The lines of one part's blocks; a section gives its heading's block and its children's blocks."""

    covers = NODE_TYPES

    def __init__(self, part: Part) -> None:
        super().__init__(note_calls=True)
        self.part = part

    def lines(self, blocks: tuple[Block, ...]) -> list[str]:
        return [line for block in blocks for line in self.visit(block)]

    def children(self, children: tuple[Block | Section, ...]) -> list[list[str]]:
        """Each child's block of lines; a section's heading and its children are blocks of their own."""
        blocks: list[list[str]] = []
        for child in children:
            if isinstance(child, Section):
                blocks += self.visit(child)
            else:
                blocks.append(self.visit(child))
        return blocks

    def visit_Section(self, node: Section) -> list[list[str]]:
        return [[heading_text(node, self.part)], *self.children(node.children)]

    def visit_Paragraph(self, node: Paragraph) -> list[str]:
        text = self.text(node.inlines)
        if node.term is not None:
            separator = "" if node.inlines and isinstance(node.inlines[0], NoteCall) else " "
            text = f"{self.text(node.term)}{self.part.language.entry_separator}{separator}{text}"
        if node.number is not None:
            text = f"{node.number}. {text}"
        return [normalize(text), *self.lines(node.attachments)]

    def visit_ListBlock(self, node: ListBlock) -> list[str]:
        return [f"- {line}" for item in node.items for line in self.lines(item)]

    def visit_Quote(self, node: Quote) -> list[str]:
        return [f"> {line}" for line in self.lines(node.blocks)]

    def visit_SubParagraphList(self, node: SubParagraphList) -> list[str]:
        return self.lines(node.items)

    def visit_SubParagraph(self, node: SubParagraph) -> list[str]:
        return lead(node.marker or "", self.lines(node.blocks))

    def visit_Table(self, node: Table) -> list[str]:
        """``Table 1``, the title, a line per row (cells joined by `` | ``), the source, the notes ``[a]``."""
        words = self.part.language
        lines = [normalize(f"{words.table} {node.number or ''}"), normalize(self.text(node.caption))]
        lines += [self.visit(row) for row in node.rows]
        if node.source is not None:
            lines.append(normalize(f"{words.table_source} {self.text(node.source)}"))
        for note in node.notes:
            lines += lead(f"[{note.letter}]", self.lines(note.blocks))
        return lines

    def visit_Figure(self, node: Figure) -> list[str]:
        """``Figure 1`` and the title (the image itself has no review text; its alternative is in the model)."""
        return [normalize(f"{self.part.language.figure} {node.number or ''}"), normalize(self.text(node.caption))]

    def visit_TableRow(self, node: TableRow) -> str:
        return TABLE_CELL_SEPARATOR.join(self.visit(cell) for cell in node.cells)

    def visit_TableCell(self, node: TableCell) -> str:
        return normalize(self.text(node.inlines)) or EMPTY_CELL

    def note(self, note: Note) -> list[str]:
        return lead(f"[{note.number}]", self.lines(note.blocks))


def heading_text(section: Section, part: Part) -> str:
    """A heading as the page shows it: body sections of the first level in capitals."""
    title = normalize(inline_text(section.title))
    if part.kind == "body" and section.level == 1:
        title = title.upper()
    return f"{section.number}. {title}" if section.number else title


def masthead_lines(document: Document) -> list[str]:
    meta = document.meta
    words = document.language
    lines = [meta.symbol, f"{words.original} {words.language_name(meta.original_lang)}", words.long_date(meta.date)]
    if meta.session_title:
        lines.append(meta.session_title.upper())
    lines.append(inline_text(meta.title).upper())
    if meta.subtitle:
        lines.append(inline_text(meta.subtitle).upper())
    return [normalize(line) for line in lines]


def write_text(document: Document) -> str:
    """The canonical review text of one edition."""
    meta = document.meta
    blocks: list[list[str]] = [masthead_lines(document)]
    # The body's first page repeats the title, with the title's note.
    title = normalize(inline_text(meta.title) + (f" {inline_text(meta.subtitle)}" if meta.subtitle else "")).upper()
    if meta.title_note:
        title += f"[{next(n for n in document.body.notes if n.label == meta.title_note).number}]"
    blocks.append([title])
    for part in document.parts:
        if part.kind == "annex":
            blocks.append([part.designation or ""])
            if part.title:
                blocks.append([normalize(inline_text(part.title)).upper()])
        walker = ReviewText(part)
        blocks += walker.children(part.children)
        if part.notes:
            blocks.append([line for note in part.notes for line in walker.note(note)])
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"
