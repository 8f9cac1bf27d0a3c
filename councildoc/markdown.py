"""An edition written back as councildoc Markdown, its text unit by unit from a translation.

The importers' writer (XLIFF today): it walks a built edition and writes a source that builds to
the same structure — sections with their levels and labels, paragraphs with ``{#para:…}`` and
``{.unnumbered}``, annex entries, sub-paragraphs, lists, quotes, notes, tables (pipe tables with
their caption, source line and table notes), annexes and the front matter. Each piece of text is a
*unit* with an id made from its label or its numbers (``para-12``, ``para:funding``, ``para-12-b``,
``note:mandato``, ``annex:field/sec-nn2``, ``tbl:summary/r2c1``); what is
written for it is the :attr:`MarkdownWriter.text` hook's answer — the edition's own text by
default, the translator's text when importing. The same walk lists the units for the exporter,
so the ids of an export and of the import that follows can never disagree.

Sub-paragraphs are written as decimal ordered lists (``1.``, ``2.``): the build letters them in the
edition's language whatever marker is typed (docs/authoring.md).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from .diagnostics import SourcePos
from .model import (
    BLOCK_TYPES,
    INLINE_TYPES,
    Block,
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
from .visitor import Visitor


@dataclass(frozen=True)
class Unit:
    """One piece of text a translator translates: a heading, a paragraph, a sub-paragraph, a note's paragraph."""

    id: str
    """Made from the label or the numbers: stable while the structure is."""
    inlines: tuple[Inline, ...]
    """The edition's text."""
    pos: SourcePos
    """Where it is in the edition's source."""


TextHook = Callable[[Unit], tuple[Inline, ...]]

_ESCAPE = re.compile(r"([\\`*_\[\]{}<>#@$^~|&])")
# At the start of a paragraph, what Markdown would read as a list, a quote, a heading or a div.
_LIST_MARKER = re.compile(r"^(\(?(?:\d+|[A-Za-z]|[ivxlcdm]+|[IVXLCDM]+))([.)])(?=\s|$)")
_BLOCK_START = re.compile(r"^([-+:=])")
_ALIGN_RULE = {"left": ":--", "right": "--:", "center": ":-:"}
"""A pipe table's delimiter cell for each column alignment."""


def _grid_table(rows: list[list[str]], head: int, aligns: tuple[str, ...]) -> list[str]:
    """A grid table of the cells' Markdown (a cell's lines one under the other), ``+===+`` under the head."""
    cells = [[cell.split("\n") for cell in row] for row in rows]
    widths = [max(3, *(len(line) for row in cells for line in row[column])) for column in range(len(aligns))]

    def rule(char: str, aligned: bool = False) -> str:
        def segment(width: int, align: str) -> str:
            left = ":" if aligned and align in ("left", "center") else char
            right = ":" if aligned and align in ("right", "center") else char
            return left + char * width + right
        return "+" + "+".join(segment(width, align) for width, align in zip(widths, aligns, strict=True)) + "+"

    lines = [rule("-")]
    for number, row in enumerate(cells, start=1):
        for index in range(max(len(cell) for cell in row)):
            lines.append("|" + "|".join(" " + (cell[index] if index < len(cell) else "").ljust(width) + " "
                                        for cell, width in zip(row, widths, strict=True)) + "|")
        lines.append(rule("=", aligned=True) if number == head else rule("-"))
    return lines


def escape(text: str) -> str:
    """``text`` as Markdown that reads back as exactly ``text``."""
    return _ESCAPE.sub(r"\\\1", text)


class InlineMarkdown(Visitor):
    """Inlines as councildoc Markdown: ``*…*``, ``[^label]``, ``@para:label``, ``[…]{lang=en}``…"""

    covers = INLINE_TYPES

    def __init__(self, indent: str = "") -> None:
        self.indent = indent

    def write(self, inlines: tuple[Inline, ...]) -> str:
        return "".join(self.visit(inline) for inline in inlines)

    def visit_Text(self, node: Text) -> str:
        return escape(node.text)

    def visit_Emphasis(self, node: Emphasis) -> str:
        return f"*{self.write(node.children)}*"

    def visit_Strong(self, node: Strong) -> str:
        return f"**{self.write(node.children)}**"

    def visit_Code(self, node: Code) -> str:
        fence = "``" if "`" in node.text else "`"
        pad = " " if "`" in node.text else ""
        return f"{fence}{pad}{node.text}{pad}{fence}"

    def visit_Link(self, node: Link) -> str:
        return f"[{self.write(node.children)}](<{node.url}>)"

    def visit_LineBreak(self, node: LineBreak) -> str:
        return f"\\\n{self.indent}"

    def visit_Span(self, node: Span) -> str:
        return f"[{self.write(node.children)}]{{lang={node.lang}}}"

    def visit_NoteCall(self, node: NoteCall) -> str:
        return f"[^{node.label}]"

    def visit_CrossRef(self, node: CrossRef) -> str:
        return f"@{node.kind}:{node.name}"


def paragraph_text(inlines: tuple[Inline, ...], indent: str) -> str:
    """A paragraph's inlines, guarded at the start against being read as a list or a heading."""
    text = InlineMarkdown(indent).write(inlines)
    return _BLOCK_START.sub(r"\\\1", _LIST_MARKER.sub(r"\1\\\2", text, count=1), count=1)


class MarkdownWriter(Visitor):
    """One part's blocks as Markdown lines; each block method returns the lines of its block
    (inlines are :class:`InlineMarkdown`'s)."""

    covers = BLOCK_TYPES

    def __init__(self, part: Part, prefix: str, text: TextHook) -> None:
        self.part = part
        self.prefix = prefix
        """Before every unit id of the part: empty in the body, ``annex:field/`` in an annex."""
        self.text = text
        self.unnumbered: Counter = Counter()

    def unit(self, unit_id: str, inlines: tuple[Inline, ...], pos: SourcePos) -> tuple[Inline, ...]:
        return self.text(Unit(f"{self.prefix}{unit_id}", inlines, pos))

    def counted(self, kind: str) -> str:
        self.unnumbered[kind] += 1
        return f"{kind}-nn{self.unnumbered[kind]}"

    # -- a run of blocks, one unit id each

    def blocks(self, blocks: tuple[Block, ...], base: str, indent: str) -> list[str]:
        """Blocks inside a note, an item or a quote: the first paragraph is ``base``, the next ``base.2``…"""
        lines: list[str] = []
        count = 0
        for block in blocks:
            if isinstance(block, Paragraph):
                count += 1
                lines += self.paragraph(block, base if count == 1 else f"{base}.{count}", indent, attributes="")
            else:
                lines += self.attached(block, base, indent, count)
            lines.append("")
        return lines[:-1]

    def attached(self, block: Block, base: str, indent: str, index: int) -> list[str]:
        return self.visit(block, f"{base}/{index}", indent)

    # -- blocks

    def paragraph(self, node: Paragraph, unit_id: str, indent: str, attributes: str) -> list[str]:
        inlines = self.unit(unit_id, node.inlines, node.pos)
        text = paragraph_text(inlines, indent)
        if node.term is not None:
            term = InlineMarkdown(indent).write(self.unit(f"{unit_id}/term", node.term, node.pos))
            separator = "" if inlines and isinstance(inlines[0], NoteCall) else " "
            text = f"[{term}]{{.entry}}{separator}{InlineMarkdown(indent).write(inlines)}"
        lines = [f"{indent}{attributes}"] if attributes else []
        lines.append(f"{indent}{text}")
        for index, attachment in enumerate(node.attachments, start=1):
            lines.append("")
            lines += self.visit(attachment, f"{unit_id}/{index}", indent)
        return lines

    def visit_Paragraph(self, node: Paragraph, indent: str = "") -> list[str]:
        """A paragraph of a part or a section."""
        if node.number is None:
            unit_id, classes = node.label or self.counted("para"), " .unnumbered"
        else:
            unit_id, classes = node.label or f"para-{node.number}", ""
        label = f"#{node.label}" if node.label else ""
        attributes = f"{{{label}{classes}}}".replace("{ ", "{") if label or classes else ""
        return self.paragraph(node, unit_id, indent, attributes)

    def visit_ListBlock(self, node: ListBlock, base: str, indent: str) -> list[str]:
        lines: list[str] = []
        for index, item in enumerate(node.items, start=1):
            body = self.blocks(item, f"{base}-{index}", indent + "  ")
            lines += [f"{indent}- {body[0][len(indent) + 2:]}", *body[1:], ""]
        return lines[:-1]

    def visit_Quote(self, node: Quote, base: str, indent: str) -> list[str]:
        body = self.blocks(node.blocks, base, "")
        return [f"{indent}> {line}".rstrip() for line in body]

    def visit_SubParagraphList(self, node: SubParagraphList, base: str, indent: str) -> list[str]:
        parent = base.rsplit("/", 1)[0]
        lines: list[str] = []
        for index, item in enumerate(node.items, start=1):
            marker = f"{index}."
            inner = indent + " " * (len(marker) + 1)
            letters = re.sub(r"[^0-9A-Za-z]", "", item.marker or str(index))
            unit_id = item.label or f"{parent}-{letters}"
            body = self.blocks(item.blocks, unit_id, inner)
            if item.label:
                lines += [f"{indent}{marker} {{#{item.label}}}", *body, ""]
            else:
                lines += [f"{indent}{marker} {body[0][len(inner):]}", *body[1:], ""]
        return lines[:-1]

    def visit_SubParagraph(self, node: SubParagraph, base: str, indent: str) -> list[str]:
        raise AssertionError("sub-paragraphs are written by their list")  # pragma: no cover

    def visit_Section(self, node: Section, indent: str = "") -> list[str]:
        if node.number:
            unit_id = node.label or f"sec-{node.citation}"
        else:
            unit_id = node.label or self.counted("sec")
        attributes = [f"#{node.label}"] if node.label else []
        if self.part.kind == "body" and not node.numbered:
            attributes.append(".unnumbered")
        if self.part.kind == "annex" and node.numbered:
            attributes.append(".numbered")
        title = InlineMarkdown().write(self.unit(unit_id, node.title, node.pos))
        heading = "#" * node.level + " " + title + (f" {{{' '.join(attributes)}}}" if attributes else "")
        return [heading, "", *self.children(node.children)]

    def visit_Table(self, node: Table) -> list[str]:
        """A pipe table — a grid table when a cell holds several lines —, its caption ``: Title {#tbl:x}``
        after it and its ``{.source}`` paragraph (docs/authoring.md); the caption is unit ``tbl:x``, a
        cell ``tbl:x/r2c1`` (rows counted from the head's), the source ``tbl:x/source``. The table notes
        are defined with the part's notes."""
        base = node.label or f"tbl-{node.number}"
        rows = [self.visit(row, base, number) for number, row in enumerate(node.rows, start=1)]
        if any("\n" in cell for row in rows for cell in row):
            table = _grid_table(rows, len(node.head), node.aligns)
        else:
            rule = "|" + "|".join(_ALIGN_RULE[align] for align in node.aligns) + "|"
            lines = ["| " + " | ".join(row) + " |" for row in rows]
            table = [*lines[:len(node.head)], rule, *lines[len(node.head):]]
        caption = InlineMarkdown().write(self.unit(base, node.caption, node.pos))
        label = f" {{#{node.label}}}" if node.label else ""
        lines = [*table, "", f": {caption}{label}"]
        if node.source is not None:
            lines += ["", "{.source}", paragraph_text(self.unit(f"{base}/source", node.source, node.pos), "")]
        return lines

    def visit_Figure(self, node: Figure) -> list[str]:
        """``![Title](file){#fig:x fig-alt="…"}`` (docs/authoring.md); the title is unit ``fig:x``, the
        text alternative ``fig:x/alt`` (translated too: a reader of the edition hears it)."""
        base = node.label or f"fig-{node.number}"
        caption = InlineMarkdown().write(self.unit(base, node.caption, node.pos))
        alt = "".join(i.text for i in self.unit(f"{base}/alt", (Text(node.alt),), node.pos) if isinstance(i, Text))
        attributes = [f"#{node.label}"] if node.label else []
        attributes.append('fig-alt="' + alt.replace("\\", "\\\\").replace('"', '\\"') + '"')
        return [f"![{caption}]({node.src}){{{' '.join(attributes)}}}"]

    def visit_TableRow(self, node: TableRow, base: str, number: int) -> list[str]:
        return [self.visit(cell, f"{base}/r{number}c{column}") for column, cell in enumerate(node.cells, start=1)]

    def visit_TableCell(self, node: TableCell, unit_id: str) -> str:
        """A cell's text (a unit when it has any); a ``|`` in it is escaped by :func:`escape`. The lines
        of a grid table's cell are its paragraphs, a blank line between two."""
        if not node.inlines:
            return ""
        inlines = self.unit(unit_id, node.inlines, node.pos)
        lines: list[list[Inline]] = [[]]
        for inline in inlines:
            if isinstance(inline, LineBreak):
                lines.append([])
            else:
                lines[-1].append(inline)
        return "\n\n".join(InlineMarkdown().write(tuple(line)) for line in lines)

    def children(self, children: tuple) -> list[str]:
        """Paragraphs and sections, a blank line between two."""
        lines: list[str] = []
        for child in children:
            lines += [*self.visit(child), ""]
        return lines[:-1]

    def note(self, note: Note) -> list[str]:
        body = self.blocks(note.blocks, f"note:{note.label}", "    ")
        return [f"[^{note.label}]: {body[0][4:]}", *body[1:]]



def write_markdown(document: Document, text: TextHook | None = None, lang: str | None = None,
                   annex_langs: dict[str, str] | None = None) -> str:
    """The source of ``document`` — in language ``lang``, with each unit's text from ``text`` — as Markdown.

    ``annex_langs`` gives an annex's language by its unit prefix when it is not the edition's.
    """
    text = text or (lambda unit: unit.inlines)
    lang = lang or document.meta.lang
    meta = document.meta
    body = MarkdownWriter(document.body, "", text)
    title = InlineMarkdown().write(body.unit("title", meta.title, document.body.pos))
    front: dict[str, str] = {"lang": lang, "title": title}
    if meta.subtitle:
        front["subtitle"] = InlineMarkdown().write(body.unit("subtitle", meta.subtitle, document.body.pos))
    if meta.session_title:
        session = body.unit("session-title", (Text(meta.session_title),), document.body.pos)
        front["session-title"] = "".join(n.text for n in session if isinstance(n, Text))
    title_note = next((n for n in document.body.notes if n.label == meta.title_note), None) if meta.title_note else None
    if title_note is not None:
        front["title-note"] = InlineMarkdown().write(
            body.unit(f"note:{title_note.label}", title_note.blocks[0].inlines, title_note.pos))
    lines = ["---", yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=10_000).rstrip("\n"), "---", ""]
    lines += part_lines(body, title_note)
    for index, part in enumerate(document.annexes, start=1):
        prefix = f"{part.label}/" if part.label else f"annex-{index}/"
        part_lang = (annex_langs or {}).get(prefix, part.lang if part.lang != meta.lang else lang)
        attributes = [".annex"] + ([f"#{part.label}"] if part.label else []) + (
            [f"lang={part_lang}"] if part_lang != lang else [])
        lines.append(f"::: {{{' '.join(attributes)}}}")
        writer = MarkdownWriter(part, prefix, text)
        if part.title:
            lines += [f"# {InlineMarkdown().write(writer.unit('title', part.title, part.pos))}", ""]
        lines += part_lines(writer, None)
        lines += [":::", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def part_lines(writer: MarkdownWriter, skip: Note | None) -> list[str]:
    """A part's paragraphs and sections, then its notes' definitions and its tables' notes', each block
    followed by a blank line."""
    lines = [*writer.children(writer.part.children), ""]
    table_notes = [note for table in writer.part.tables for note in table.notes]
    for note in [*writer.part.notes, *table_notes]:
        if note is not skip:
            lines += [*writer.note(note), ""]
    return lines


def units(document: Document) -> list[Unit]:
    """Every unit of ``document``, in the order of its source."""
    found: list[Unit] = []

    def record(unit: Unit) -> tuple[Inline, ...]:
        found.append(unit)
        return unit.inlines

    write_markdown(document, record)
    return found
