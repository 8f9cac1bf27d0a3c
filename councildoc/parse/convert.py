"""Pandoc's AST → the model, by tables of rules keyed by Pandoc's node type.

:data:`INLINE_RULES` convert inlines; :data:`BLOCK_RULES` convert the blocks of a part (where
headings open sections and lists hang under the paragraph before them); :data:`NESTED_BLOCK_RULES`
convert the blocks of a note, a list item or a quote. A node type that no table knows is a
positioned "not supported" error. Pandoc's AST keeps no footnote labels, so the label of each
note is read back from the source at the position Pandoc gives for the call.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .. import languages
from ..diagnostics import Diagnostic, SourcePos, error
from ..model import (
    Block,
    Code,
    CrossRef,
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
from ..read import SourceText
from . import pandoc
from .limits import MAX_HEADING_LEVEL, MAX_NESTING, MAX_PARAGRAPH, MAX_SUBPARAGRAPH_DEGREE
from .metadata import TITLE_NOTE_LABEL, Field, not_text
from .pandoc import Node
from .syntax import NOTE_CALL, REFERENCE, REFERENCE_KINDS

Attributes = dict[str, Any]
"""A block's attributes as the rules read them: ``id``, ``classes`` and the ``key=value`` pairs,
with those of Pandoc's position wrapper merged in."""

_BARE_REFERENCE = re.compile(r"(?<![\w.@\\])@(\w[\w-]*)(?![\w:-])")
_UNPAIRED_ASTERISK = re.compile(r"(?<!\S)\*+(?=\S)|(?<=\S)\*+(?!\w)")
_TYPED_MARKER = re.compile(r"^(?:\(?(?:[a-z]|[ivx]{1,5}|\d{1,2})\)|(?:[a-z]|[ivx]{1,5})\.)$")
"""A sub-paragraph marker as authors type it: (a) a) a. (iv) iv) iv. (1) 1)."""
_LINK_SCHEME = re.compile(r"(?i)(https?:|mailto:)")

_BLOCK_NAMES = {
    "CodeBlock": "a code block",
    "Table": "a table",
    "HorizontalRule": "a horizontal rule",
    "DefinitionList": "a definition list",
    "LineBlock": "a line block",
    "Figure": "a figure",
}
_BLOCK_HINTS = {"Table": "a table stands on its own in the body or an annex, not in a note, a list or a quote"}
_LINE_BREAK: Node = {"t": "LineBreak"}
_ALIGNS = {"AlignLeft": "left", "AlignRight": "right", "AlignCenter": "center"}
_NUMBER_CELL = re.compile(r"^[(\-−–+]?\s?[\d][\d\s.,\u00a0\u202f']*\)?\s?%?$|^[-–—…]$|^\.\.\.?$|^$")
"""What a cell of a number column holds: a number (``1,234.5``, ``(12)``, ``−3 %``), a dash or nothing."""


@dataclass
class _TextRun:
    """Consecutive text with the source position of each piece, for finding references."""

    pieces: list[tuple[str, SourcePos]] = field(default_factory=list)


class _Outline:
    """The blocks of a part as they are read: sections opened by headings, closed by the next
    heading of the same or a higher level."""

    def __init__(self, annex: bool) -> None:
        self.annex = annex
        """Whether the part is an annex (whose headings are unnumbered unless marked)."""
        self.top: list[Block | Section] = []
        self.open: list[tuple[int, dict[str, Any], list]] = []
        """The open sections: level, fields, children."""

    def current(self) -> list:
        """Where the next block goes."""
        return self.open[-1][2] if self.open else self.top

    def open_section(self, level: int, **fields: Any) -> None:
        self.close_to(level)
        self.open.append((level, fields, []))

    def close_to(self, level: int) -> None:
        while self.open and self.open[-1][0] >= level:
            lvl, info, children = self.open.pop()
            section = Section(lvl, info["title"], info["pos"], tuple(children), info["label"], info["numbered"])
            self.current().append(section)

    def finish(self) -> tuple[Block | Section, ...]:
        self.close_to(1)
        return tuple(self.top)


class Converter:
    """Walks Pandoc's JSON AST once, building model nodes and collecting notes in call order."""

    def __init__(self, source: SourceText, lang: str) -> None:
        self.source = source
        self.lines = source.text.split("\n")
        self.lang = lang
        self.diagnostics: list[Diagnostic] = []
        self.notes: list[Note] = []
        self.in_note = False
        self.depth = 0
        self.degree = 0
        """The degree of the sub-paragraphs being read (0 outside any)."""
        self.labels: set[str] = set()
        """Every label that found its node, to catch one that Pandoc dropped."""
        self.table_notes: list[Note] | None = None
        """While a table's caption or cells are read: the notes they call (table notes)."""

    # -- an edition ---------------------------------------------------------

    def title(self, meta: dict[str, Node],
              fields: dict[str, Field]) -> tuple[tuple[Inline, ...], tuple[Inline, ...] | None]:
        """The title and subtitle; a title note joins the body's notes."""
        title = self.metadata_inlines(meta, fields, "title") or ()
        subtitle = self.metadata_inlines(meta, fields, "subtitle")
        if "title-note" in fields:
            note_pos = fields["title-note"].pos
            self.in_note = True
            note_text = self.metadata_inlines(meta, fields, "title-note") or ()
            self.in_note = False
            self.notes.append(
                Note(TITLE_NOTE_LABEL, (Paragraph(note_text, note_pos, numbered=False),), note_pos,
                     fields["title"].pos if "title" in fields else note_pos)
            )
        return title, subtitle

    def metadata_inlines(self, meta: dict[str, Node], fields: dict[str, Field], key: str) -> tuple[Inline, ...] | None:
        if key not in fields:
            return None
        nodes = pandoc.metadata_inlines(meta.get(key, {}))
        if nodes is None:
            self.diagnostics.append(not_text(fields[key].pos, key))
            return None
        return self.inlines(nodes, fields[key].pos)

    def parts(self, blocks: Iterable[Node], pos: SourcePos, edition: languages.Language,
              catalogue: languages.Catalogue) -> list[Part]:
        """The body, then each ``::: {.annex}`` div.

        ``blocks`` is read once, in order, each block converted as it comes and not kept (Pandoc's
        JSON is decoded a block at a time: :class:`.pandoc.Ast`). The diagnostics come in the same
        order as if the blocks had been sorted first: body text after an annex, then the body's,
        then each annex's.
        """
        before, self.diagnostics = self.diagnostics, []
        misplaced: list[Diagnostic] = []
        first_annex: list[tuple[Node, Attributes, SourcePos]] = []
        remaining = iter(blocks)

        def body() -> Iterator[Node]:  # the blocks up to the first annex
            for raw in remaining:
                node, attrs, here = self.unwrap(raw, pos)
                if pandoc.kind(node) == "Div" and "annex" in attrs.get("classes", []):
                    first_annex.append((node, attrs, here))
                    return
                yield raw

        parts = [Part("body", self.part_children(body(), pos, annex=False), tuple(self.notes), pos,
                      self.lang, edition)]
        converted = [self.diagnostics]
        annexes = iter([first_annex.pop()] if first_annex else [])  # the list keeps none: converted, it is freed
        for node, attrs, here in itertools.chain(annexes, (self.unwrap(raw, pos) for raw in remaining)):
            if pandoc.kind(node) == "Div" and "annex" in attrs.get("classes", []):
                self.diagnostics = []
                parts.append(self.annex(node, attrs, here, edition, catalogue))
                converted.append(self.diagnostics)
            else:
                misplaced.append(
                    error(here, "body text after an annex", "annexes come last: move this before the first annex")
                )
            del node
        self.diagnostics = before + misplaced + [d for found in converted for d in found]
        return parts

    def annex(self, node: Node, attrs: Attributes, here: SourcePos, edition: languages.Language,
              catalogue: languages.Catalogue) -> Part:
        self.notes = []
        self.check_attributes(attrs, here, "an annex", ("annex",), ("lang",))
        annex_lang = attrs.get("lang", self.lang)
        if not languages.is_cldr_language(annex_lang):
            self.diagnostics.append(error(here, f"unknown language '{annex_lang}'"))
            annex_lang = self.lang
        label = self.label(attrs, here, "annex", "an annex's")
        inner = pandoc.Div.read(node).blocks
        annex_title = None
        if inner:
            first, _, first_pos = self.unwrap(inner[0], here)
            if pandoc.kind(first) == "Header" and (heading := pandoc.Header.read(first)).level == 1:
                annex_title = self.inlines(heading.inlines, first_pos)
                inner = inner[1:]
        children = self.part_children(inner, here, annex=True)
        return Part("annex", children, tuple(self.notes), here, annex_lang,
                    catalogue.load_or(annex_lang, edition), label, annex_title)

    # -- positions and attributes -------------------------------------------

    def pos_of(self, pairs: dict[str, str], fallback: SourcePos) -> SourcePos:
        start = pandoc.data_pos(pairs)
        return self.source.pos(*start) if start else fallback

    def check_attributes(self, attrs: Attributes, pos: SourcePos, what: str,
                         classes: tuple[str, ...] = (), keys: tuple[str, ...] = ()) -> None:
        """Refuse attributes the pipeline does not know (``style=`` and the like)."""
        for name in attrs.get("classes", []):
            if name not in classes:
                self.diagnostics.append(error(pos, f"class '.{name}' is not supported on {what}",
                                              "known: " + (", ".join(f".{c}" for c in classes) or "none")))
        for name in attrs:
            if name not in ("id", "classes", "data-pos", "wrapper", *keys):
                self.diagnostics.append(error(pos, f"attribute '{name}' is not supported on {what}"))

    def label(self, attrs: Attributes, pos: SourcePos, prefix: str, whose: str) -> str | None:
        """The node's ``{#prefix:…}`` label; another is refused."""
        label = attrs.get("id") or None
        self.labels.add(label or "")  # it reached a node, even if refused below
        if label and not label.startswith(f"{prefix}:"):
            self.diagnostics.append(error(pos, f"{whose} label must start with '{prefix}:', not '{label}'"))
            return None
        return label

    def unsupported(self, what: str, pos: SourcePos, hint: str | None = None) -> None:
        self.diagnostics.append(error(pos, f"{what} is not supported", hint))

    def unwrap(self, node: Node, pos: SourcePos) -> tuple[Node, Attributes, SourcePos]:
        """The block with its attributes and position, Pandoc's wrapper div removed."""
        kind = pandoc.kind(node)
        attr = pandoc.attr_of(node)
        if kind == "Div" and attr.wrapper and len(blocks := pandoc.Div.read(node).blocks) == 1:
            inner, inner_attrs, _ = self.unwrap(blocks[0], pos)
            # Block attributes written before a paragraph ({#para:x .unnumbered}) sit on the wrapper.
            merged = {
                "id": attr.identifier or inner_attrs.get("id", ""),
                "classes": attr.classes + inner_attrs.get("classes", []),
                **{k: v for k, v in attr.pairs.items() if k not in ("wrapper", "data-pos")},
            }
            return inner, merged, self.pos_of(attr.pairs, pos)
        if kind in ("Div", "Header"):
            return node, {"id": attr.identifier, "classes": attr.classes, **attr.pairs}, self.pos_of(attr.pairs, pos)
        if kind in ("CodeBlock", "Table", "Figure"):
            return node, {"id": "", "classes": []}, self.pos_of(attr.pairs, pos)
        return node, {"id": "", "classes": []}, pos

    def unwrap_all(self, nodes: Iterable[Node], pos: SourcePos) -> Iterator[tuple[Node, Attributes, SourcePos]]:
        for node in nodes:
            yield self.unwrap(node, pos)

    # -- blocks ---------------------------------------------------------------

    def part_children(self, nodes: Iterable[Node], pos: SourcePos, *, annex: bool) -> tuple[Block | Section, ...]:
        """Paragraphs and nested sections from a flat run of blocks."""
        outline = _Outline(annex)
        for node, attrs, here in self.unwrap_all(nodes, pos):
            kind = pandoc.kind(node)
            BLOCK_RULES.get(kind, Converter.unknown_block)(self, node, attrs, here, outline)
        return outline.finish()

    def heading(self, node: Node, attrs: Attributes, here: SourcePos, outline: _Outline) -> None:
        header = pandoc.Header.read(node)
        level = header.level
        if level > MAX_HEADING_LEVEL:
            self.diagnostics.append(error(
                here, f"a level-{level} heading: the build numbers headings to level {MAX_HEADING_LEVEL} "
                      "(# I., ## A., ### 1.)",
                "use ### at most; below that, write sub-paragraphs (a), (b)… or an unnumbered paragraph"))
            level = MAX_HEADING_LEVEL
        label = self.label(attrs, here, "sec", "a heading's")
        classes = attrs.get("classes", [])
        self.check_attributes(attrs, here, "a heading", ("numbered",) if outline.annex else ("unnumbered",))
        numbered = ("numbered" in classes) if outline.annex else ("unnumbered" not in classes)
        title = self.inlines(header.inlines, here)
        outline.open_section(level, title=title, pos=here, label=label, numbered=numbered)

    def numbered_paragraph(self, node: Node, attrs: Attributes, here: SourcePos, outline: _Outline) -> None:
        siblings = outline.current()
        table = siblings[-1] if siblings and isinstance(siblings[-1], Table) else None
        if self.is_caption(here):
            if table is None or table.caption:
                self.diagnostics.append(error(here, "a table caption (': Title') must follow its table",
                                              "write it on the line after the table's last row, a blank line between"))
                return
            siblings[-1] = self.caption(node, attrs, here, table)
            return
        if "source" in attrs.get("classes", []):
            if table is None or table.source is not None:
                self.diagnostics.append(error(here, "a {.source} paragraph must follow a table (or its caption)"))
                return
            self.check_attributes(attrs, here, "a table's source line", ("source",))
            source, table = self.table_text(pandoc.Para.read(node).inlines, here, table)
            siblings[-1] = dataclasses.replace(table, source=source)
            return
        inlines = [n for n in pandoc.Para.read(node).inlines if pandoc.kind(n) not in ("Space", "SoftBreak")]
        if len(inlines) == 1 and pandoc.kind(inlines[0]) == "Image":
            self.check_attributes(attrs, here, "a figure")
            outline.current().append(self.figure(inlines[0], here))
            return
        outline.current().append(self.paragraph(node, attrs, here))

    def figure(self, node: Node, here: SourcePos) -> Figure:
        """``![Title](chart.svg){#fig:label fig-alt="…"}``, alone in its paragraph."""
        image = pandoc.Image.read(node)
        attr, inlines, src = image.attr, image.inlines, image.url
        here = self.pos_of(attr.pairs, here)
        found = {"id": attr.identifier, "classes": attr.classes, **attr.pairs}
        self.check_attributes(found, here, "a figure", keys=("fig-alt",))
        label = self.label(found, here, "fig", "a figure's")
        caption = self.inlines(inlines, here)
        alt = " ".join(attr.pairs.get("fig-alt", "").split())
        if not alt and not caption:
            self.diagnostics.append(error(here, "a figure without a text alternative",
                                          "write its title, ![Title](chart.svg), or fig-alt=\"what it shows\""))
        # Without fig-alt, the title is the text alternative (``number_figures`` sets it).
        return Figure(src=src, caption=caption, alt=alt, pos=here, label=label)

    # -- tables ---------------------------------------------------------------

    def is_caption(self, here: SourcePos) -> bool:
        """Pandoc's caption syntax (``: Title``), which CommonMark reads as a paragraph."""
        line = self.lines[here.line - 1] if here.line <= len(self.lines) else ""
        return line[here.column - 1:].startswith(": ")

    def table_text(self, nodes: list[Node], pos: SourcePos, table: Table) -> tuple[tuple[Inline, ...], Table]:
        """The inlines of a caption, a cell or a source line, and the table with the notes they call."""
        outer, self.table_notes = self.table_notes, list(table.notes)
        try:
            inlines = self.inlines(nodes, pos)
            return inlines, dataclasses.replace(table, notes=tuple(self.table_notes))
        finally:
            self.table_notes = outer

    def caption(self, node: Node, attrs: Attributes, here: SourcePos, table: Table) -> Table:
        """``: Title {#tbl:label}``: the table's title and label."""
        self.check_attributes(attrs, here, "a table caption")
        nodes = list(pandoc.Para.read(node).inlines)
        nodes = nodes[1:]  # the ':'
        if nodes and pandoc.first_inline(nodes)[0] == pandoc.SPACE:
            nodes = nodes[1:]
        label = None
        landscape = False
        for index, inline in enumerate(nodes):
            if pandoc.kind(inline) == "Span" and ((span := pandoc.Span.read(inline)).attr.identifier
                                                  or (span.attr.wrapper and span.attr.classes)):
                found = {"id": span.attr.identifier, "classes": span.attr.classes}
                self.check_attributes(found, here, "a table caption", classes=("landscape",))
                label = self.label(found, here, "tbl", "a table's")
                landscape = "landscape" in span.attr.classes
                del nodes[index]
                break
        caption, table = self.table_text(nodes, here, table)
        caption = _strip_trailing(caption)
        if not caption:
            self.diagnostics.append(error(here, "a table caption is empty", "write ': Title {#tbl:label}'"))
        return dataclasses.replace(table, caption=caption, label=label, landscape=landscape)

    def table(self, node: Node, attrs: Attributes, here: SourcePos, outline: _Outline) -> None:
        raw = pandoc.Table.read(node)
        table = Table((), (), (), (), here)
        rows: dict[str, list[TableRow]] = {"head": [], "body": []}
        for where, source_rows in (("head", raw.head), ("body", raw.body)):
            for cells in source_rows:
                converted = []
                for blocks in cells:
                    start = pandoc.first_data_pos(blocks)
                    cell_pos = self.source.pos(*start) if start else here
                    inlines, table = self.table_text(self.cell_lines(blocks, cell_pos), cell_pos, table)
                    converted.append(TableCell(inlines, cell_pos))
                row_pos = converted[0].pos if converted else here
                rows[where].append(TableRow(tuple(converted), row_pos))
        if not rows["head"]:
            self.diagnostics.append(error(here, "a table without column heads", "write a head row"))
        aligns = tuple(_ALIGNS.get(align) or _column_alignment(rows["body"], column)
                       for column, align in enumerate(raw.aligns))
        outline.current().append(dataclasses.replace(table, head=tuple(rows["head"]), body=tuple(rows["body"]),
                                                     aligns=aligns))

    def cell_lines(self, blocks: list[Node], pos: SourcePos) -> list[Node]:
        """A cell's inlines: a pipe table's one line, or a grid table cell's paragraphs, each set on a
        line of its own (a line break between two)."""
        lines: list[list[Node]] = []
        for node, _, here in self.unwrap_all(blocks, pos):
            if pandoc.kind(node) in ("Para", "Plain"):
                lines.append(pandoc.Para.read(node).inlines)
                continue
            kind = pandoc.kind(node)
            what = {"BulletList": "a list", "OrderedList": "a list", "BlockQuote": "a block quote",
                    "Header": "a heading"}.get(kind) or _BLOCK_NAMES.get(kind, kind)
            self.unsupported(f"{what} in a table cell", here,
                             "write the cell's text as paragraphs, a blank line between: each is set on a line "
                             "of its own")
        return [inline for index, line in enumerate(lines) for inline in ([_LINE_BREAK] if index else []) + line]

    def attach(self, node: Node, attrs: Attributes, here: SourcePos, outline: _Outline) -> None:
        """A list or a quote hangs under the paragraph before it."""
        siblings = outline.current()
        if siblings and isinstance(siblings[-1], Paragraph):
            previous = siblings[-1]
            siblings[-1] = dataclasses.replace(previous, attachments=(*previous.attachments,
                                                                      self.attachment(node, here)))
            return
        kind = pandoc.kind(node)
        what = "a block quote" if kind == "BlockQuote" else "a list"
        hint = "write the paragraph before it"
        if kind == "OrderedList":
            hint += "; a line that starts with a number and a full stop is a numbered list " \
                    "in Markdown: write 1150\\. to keep it text"
        self.diagnostics.append(error(here, f"{what} must follow the paragraph it belongs to", hint))

    def div(self, node: Node, attrs: Attributes, here: SourcePos, outline: _Outline) -> None:
        if "annex" in attrs.get("classes", []):
            self.diagnostics.append(error(here, "an annex must stand at the top level, after the body"))
        else:
            self.unsupported("this fenced div", here, "only ::: {.annex} divs are known")

    def raw_block(self, node: Node, attrs: Attributes, here: SourcePos, outline: _Outline) -> None:
        self.unsupported(f"a raw {pandoc.Raw.read(node).format} block", here, "write plain text")

    def unknown_block(self, node: Node, attrs: Attributes, here: SourcePos, outline: _Outline) -> None:
        kind = pandoc.kind(node)
        self.unsupported(_BLOCK_NAMES.get(kind, kind), here, _BLOCK_HINTS.get(kind))

    def paragraph(self, node: Node, attrs: Attributes, pos: SourcePos) -> Paragraph:
        self.check_attributes(attrs, pos, "a paragraph", ("unnumbered",))
        nodes = pandoc.Para.read(node).inlines
        term = None
        first, first_pairs = pandoc.first_inline(nodes)
        entry = pandoc.Span.read(first) if first is not None and pandoc.kind(first) == "Span" else None
        if entry is not None and "entry" in entry.attr.classes:
            term_pos = self.pos_of(first_pairs, pos)
            term = self.inlines(entry.inlines, term_pos)
            self.check_entry_term(term, term_pos)
            nodes = nodes[1:]
        label = self.label(attrs, pos, "para", "a paragraph's")
        self.check_typed_subparagraphs(nodes, pos)
        inlines = self.inlines(nodes, pos)
        length = sum(len(i.text) for i in inlines if isinstance(i, Text))
        if length > MAX_PARAGRAPH:
            self.diagnostics.append(error(pos, f"paragraph of {length:,} characters (at most {MAX_PARAGRAPH:,})",
                                          "split it: a page holds about 3,000 characters"))
        if inlines and isinstance(inlines[0], Text) and term is not None:
            inlines = (Text(inlines[0].text.lstrip()), *inlines[1:])
        return Paragraph(inlines, pos, label, "unnumbered" not in attrs.get("classes", []), term)

    def check_entry_term(self, term: tuple[Inline, ...], pos: SourcePos) -> None:
        """The build sets an entry's term in bold and adds its separator: the author writes neither."""
        if any(not isinstance(inline, Text) for inline in term):
            self.diagnostics.append(error(pos, "an entry's term is set in bold by the build: write it without markup",
                                          "[Kenya]{.entry}, not [**Kenya**]{.entry}"))
        text = "".join(inline.text for inline in term if isinstance(inline, Text)).strip()
        if text.endswith((":", "\u00a0:")):
            self.diagnostics.append(error(pos, "an entry's term ends with ':': the build adds the separator",
                                          "write [Kenya]{.entry}, not [Kenya:]{.entry}"))
        if not term:
            self.diagnostics.append(error(pos, "an entry's term is empty"))

    def check_typed_subparagraphs(self, nodes: list[Node], pos: SourcePos) -> None:
        """``(a)`` typed on a line of its own inside a paragraph: Markdown does not start a list
        there, and the text would print as one paragraph with the author's letters in it."""
        flat = list(pandoc.leaves(nodes))
        for index, (node, _) in enumerate(flat):
            if pandoc.kind(node) != "SoftBreak":
                continue
            word = ""
            for position in range(index + 1, len(flat)):  # sourcepos splits "(a)" into "(", "a", ")"
                following = flat[position][0]
                if pandoc.kind(following) != "Str":
                    break
                word += pandoc.Str.read(following).text
            if _TYPED_MARKER.match(word):
                self.diagnostics.append(error(
                    self.pos_of(flat[index + 1][1], pos),
                    f"'{word}' starts a line inside a paragraph: sub-paragraphs are a list",
                    "leave a blank line before each sub-paragraph (before a nested one too); "
                    "the build letters them itself"))
                return

    # -- blocks in a note, a list item or a quote -------------------------------

    def note_blocks(self, nodes: list[Node], pos: SourcePos) -> tuple[Block, ...]:
        blocks: list[Block] = []
        for node, attrs, here in self.unwrap_all(nodes, pos):
            block = NESTED_BLOCK_RULES.get(pandoc.kind(node), Converter.unknown_nested)(self, node, attrs, here)
            if block is not None:
                blocks.append(block)
        return tuple(blocks)

    def unnumbered_paragraph(self, node: Node, attrs: Attributes, here: SourcePos) -> Block:
        inlines = pandoc.Para.read(node).inlines
        self.check_typed_subparagraphs(inlines, here)
        return Paragraph(self.inlines(inlines, here), here, numbered=False)

    def nested_attachment(self, node: Node, attrs: Attributes, here: SourcePos) -> Block:
        return self.attachment(node, here)

    def nested_heading(self, node: Node, attrs: Attributes, here: SourcePos) -> None:
        self.diagnostics.append(error(here, "a heading cannot stand inside a note, a list or a quote"))

    def unknown_nested(self, node: Node, attrs: Attributes, here: SourcePos) -> None:
        kind = pandoc.kind(node)
        self.unsupported(f"{_BLOCK_NAMES.get(kind, kind)} in a note, a list or a quote", here)

    def attachment(self, node: Node, pos: SourcePos) -> Block:
        """A bullet list, a quote or sub-paragraphs, at most :data:`MAX_NESTING` deep."""
        self.depth += 1
        try:
            if self.depth > MAX_NESTING:
                if self.depth == MAX_NESTING + 1:
                    self.diagnostics.append(error(
                        pos, f"lists and quotes nest more than {MAX_NESTING} deep", "flatten them"))
                return Quote((), pos)
            return ATTACHMENT_RULES[pandoc.kind(node)](self, node, pos)
        finally:
            self.depth -= 1

    def quote(self, node: Node, pos: SourcePos) -> Quote:
        return Quote(self.note_blocks(pandoc.Blocks.read(node).blocks, pos), pos)

    def bullets(self, node: Node, pos: SourcePos) -> ListBlock:
        return ListBlock(tuple(self.note_blocks(item, pos) for item in pandoc.BulletList.read(node).items), pos)

    def subparagraphs(self, node: Node, pos: SourcePos) -> SubParagraphList:
        """An ordered list: sub-paragraphs of the next degree, lettered by the build."""
        ordered = pandoc.OrderedList.read(node)
        start = ordered.start
        if start != 1:
            typed = {"Decimal": str(start), "LowerAlpha": chr(ord("a") + start - 1) if start <= 26 else str(start),
                     "UpperAlpha": chr(ord("A") + start - 1) if start <= 26 else str(start)}.get(ordered.style, start)
            self.diagnostics.append(error(
                pos, f"a list that starts at '{typed}' is read as sub-paragraphs lettered by the build",
                "start sub-paragraphs with (a) or 1.; a line that starts with a number or a letter and a full "
                f"stop is a list in Markdown: write {typed}\\. to keep it text"))
        self.degree += 1
        try:
            if self.degree > MAX_SUBPARAGRAPH_DEGREE:
                self.diagnostics.append(error(
                    pos, f"sub-paragraphs nest {self.degree} deep; the UN editorial manual defines four degrees "
                         "((a), (i), a., i.)", "restructure the text, or make the deeper items a bulleted list"))
            subs = []
            for item in ordered.items:
                label = None
                here = pos
                if item:
                    _, attrs, here = self.unwrap(item[0], pos)
                    label = self.label(attrs, here, "para", "a sub-paragraph's")
                    self.check_attributes(attrs, here, "a sub-paragraph")
                subs.append(SubParagraph(self.note_blocks(item, here), here, label))
            return SubParagraphList(tuple(subs), self.degree, pos)
        finally:
            self.degree -= 1

    # -- inlines --------------------------------------------------------------

    def inlines(self, nodes: list[Node], pos: SourcePos) -> tuple[Inline, ...]:
        out: list[Inline | _TextRun] = []
        self._inlines(nodes, pos, out)
        return tuple(self._finish(out))

    def _inlines(self, nodes: list[Node], pos: SourcePos, out: list) -> None:
        for node in nodes:
            kind = pandoc.kind(node)
            if kind in ("Image", "Link", "Code"):  # the position of what follows, too
                pos = self.pos_of(pandoc.attr_of(node).pairs, pos)
            INLINE_RULES.get(kind, Converter.unknown_inline)(self, node, pos, out)

    def _text(self, out: list, text: str, pos: SourcePos) -> None:
        if out and isinstance(out[-1], _TextRun):
            out[-1].pieces.append((text, pos))
        else:
            out.append(_TextRun([(text, pos)]))

    def string(self, node: Node, pos: SourcePos, out: list) -> None:
        self._text(out, pandoc.Str.read(node).text, pos)

    def space(self, node: Node, pos: SourcePos, out: list) -> None:
        self._text(out, " ", pos)

    def line_break(self, node: Node, pos: SourcePos, out: list) -> None:
        out.append(LineBreak())

    def emphasis(self, node: Node, pos: SourcePos, out: list) -> None:
        out.append(Emphasis(self.inlines(pandoc.Styled.read(node).inlines, pos)))

    def strong(self, node: Node, pos: SourcePos, out: list) -> None:
        out.append(Strong(self.inlines(pandoc.Styled.read(node).inlines, pos)))

    def code(self, node: Node, pos: SourcePos, out: list) -> None:
        out.append(Code(pandoc.Code.read(node).text))

    def link(self, node: Node, pos: SourcePos, out: list) -> None:
        link = pandoc.Link.read(node)
        if not _LINK_SCHEME.match(link.url):
            self.diagnostics.append(error(
                pos, f"a link may point only to an http:, https: or mailto: address, not '{link.url[:60]}'",
                "link to the published address of the document",
            ))
        out.append(Link(self.inlines(link.inlines, pos), link.url))

    def span(self, node: Node, pos: SourcePos, out: list) -> None:
        wrapped = pandoc.position_wrapper(node)
        if wrapped is not None:  # most spans: a word's position
            pairs, inlines = wrapped
            self._inlines(inlines, self.pos_of(pairs, pos), out)
            return
        span = pandoc.Span.read(node)
        identifier, classes, pairs = span.attr.identifier, span.attr.classes, span.attr.pairs
        here = self.pos_of(pairs, pos)
        if span.attr.wrapper and not identifier and not classes:
            self._inlines(span.inlines, here, out)
        elif "lang" in pairs and not identifier and not classes:
            if not languages.is_cldr_language(pairs["lang"]):
                self.diagnostics.append(error(here, f"unknown language '{pairs['lang'][:40]}'"))
            out.append(Span(self.inlines(span.inlines, here), pairs["lang"]))
        elif "entry" in classes:
            self.diagnostics.append(error(
                here, "an entry lead-in must open its paragraph", "start the paragraph with [Term]{.entry}"
            ))
        else:
            self.unsupported("this span", here, "only [text]{lang=xx} and [Term]{.entry} are known")

    def note(self, node: Node, pos: SourcePos, out: list) -> None:
        label = self._call_label(pos)
        out.append(NoteCall(label, pos))
        if self.in_note:
            self.diagnostics.append(error(pos, f"note [^{label}] is called inside another note"))
            return
        blocks = pandoc.Blocks.read(node).blocks
        self.in_note = True
        outer, self.degree = self.degree, 0  # a note called from a sub-paragraph starts its own degrees
        in_table, self.table_notes = self.table_notes, None  # a note's own text is no table's
        converted = self.note_blocks(blocks, pos)
        self.in_note, self.degree, self.table_notes = False, outer, in_table
        first = pandoc.first_data_pos(blocks)
        definition = self.source.pos(first[0], 1) if first else pos
        (self.notes if self.table_notes is None else self.table_notes).append(Note(label, converted, definition, pos))

    def image(self, node: Node, pos: SourcePos, out: list) -> None:
        self.unsupported("an image inside a paragraph's text", pos,
                         "a figure stands alone in its paragraph: ![Title](chart.svg){#fig:label}")

    def raw_inline(self, node: Node, pos: SourcePos, out: list) -> None:
        raw = pandoc.Raw.read(node)
        self.unsupported(f"raw {raw.format} ('{raw.text.strip()[:40]}')", pos, "write plain text")

    def math(self, node: Node, pos: SourcePos, out: list) -> None:
        self.unsupported("math", pos)

    def unknown_inline(self, node: Node, pos: SourcePos, out: list) -> None:
        self.unsupported(f"{pandoc.kind(node)} markup", pos)

    def _call_label(self, pos: SourcePos) -> str:
        line = self.lines[pos.line - 1] if pos.line <= len(self.lines) else ""
        match = re.match(r"\[\^([^\]]+)\]", line[pos.column - 1 :])
        return match[1] if match else "?"

    # -- text: references and stray markup ---------------------------------------

    def escaped(self, where: SourcePos) -> bool:
        """Whether the author wrote a backslash before the character at ``where``."""
        line = self.lines[where.line - 1] if where.line <= len(self.lines) else ""
        # The position is the character's, or that of the backslash before it (Pandoc's piece starts there).
        return line[where.column - 1 : where.column] == "\\" or (
            where.column >= 2 and line[where.column - 2 : where.column - 1] == "\\")

    def _finish(self, out: list[Inline | _TextRun]) -> list[Inline]:
        """Merge text runs, check them and split out the ``@kind:label`` references in them."""
        result: list[Inline] = []
        for item in out:
            if not isinstance(item, _TextRun):
                result.append(item)
                continue
            text = "".join(piece for piece, _ in item.pieces)
            starts, offset = [], 0
            for piece, pos in item.pieces:
                starts.append((offset, pos))
                offset += len(piece)
            position = _position_finder(starts)
            for check in TEXT_CHECKS:
                check(self, text, position)
            result += self.references(text, position)
        return result

    def unpaired_asterisks(self, text: str, position: Callable[[int], SourcePos]) -> None:
        """An asterisk that could open or close emphasis but found no pair (not "7*7", not "a * b")."""
        for match in _UNPAIRED_ASTERISK.finditer(text):
            where = position(match.start())
            if self.escaped(where):
                continue  # written \* on purpose
            self.diagnostics.append(error(where, f"unmatched '{match[0]}': emphasis opened or closed "
                                                 "without its pair", "close it, or write \\* for an asterisk"))

    def undefined_notes(self, text: str, position: Callable[[int], SourcePos]) -> None:
        """Pandoc leaves the call of a note never defined as text."""
        for match in NOTE_CALL.finditer(text):
            self.diagnostics.append(
                error(position(match.start()), f"note [^{match[1]}] is called but never defined")
            )

    def bare_references(self, text: str, position: Callable[[int], SourcePos]) -> None:
        for match in _BARE_REFERENCE.finditer(text):
            if self.escaped(position(match.start())):
                continue
            self.diagnostics.append(error(
                position(match.start()), f"'@{match[1]}' is not a reference: a reference names its kind",
                "write @sec:, @para:, @note:, @annex: or @tbl: before the label, or \\@ for an at sign"))

    def references(self, text: str, position: Callable[[int], SourcePos]) -> list[Inline]:
        """The text with each ``@kind:label`` made a :class:`CrossRef`."""
        result: list[Inline] = []
        last = 0
        for match in REFERENCE.finditer(text):
            kind, name = match[1], match[2]
            if kind not in REFERENCE_KINDS:
                self.diagnostics.append(
                    error(
                        position(match.start()),
                        f"unknown reference kind '@{kind}:'",
                        "references are @" + ", @".join(f"{k}:" for k in REFERENCE_KINDS),
                    )
                )
                continue
            if match.start() > last:
                result.append(Text(text[last : match.start()]))
            result.append(CrossRef(kind, name, position(match.start())))
            last = match.end()
        if last < len(text):
            result.append(Text(text[last:]))
        return result


def _strip_trailing(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Without the space a label left at the end."""
    if inlines and isinstance(inlines[-1], Text):
        text = inlines[-1].text.rstrip()
        return (*inlines[:-1], Text(text)) if text else inlines[:-1]
    return inlines


def _column_alignment(rows: list[TableRow], column: int) -> str:
    """``right`` for a column whose body cells are all numbers (or dashes), else ``left``."""
    texts = ["".join(i.text for i in row.cells[column].inlines if isinstance(i, Text)).strip()
             for row in rows if column < len(row.cells)]
    numeric = [t for t in texts if t and _NUMBER_CELL.match(t)]
    return "right" if numeric and all(_NUMBER_CELL.match(t) for t in texts) else "left"


def _position_finder(starts: list[tuple[int, SourcePos]]) -> Callable[[int], SourcePos]:
    """Maps an index into merged text back to the source position of that character.

    ``starts`` is in increasing order of offset; a lookup is a bisection (a scan per lookup
    made 20 000 references in one paragraph take a minute).
    """
    offsets = [offset for offset, _ in starts]

    def position(index: int) -> SourcePos:
        start, pos = starts[bisect.bisect_right(offsets, index) - 1]
        return pos.shifted(index - start)

    return position


# --------------------------------------------------------------------------
# The rules, by Pandoc node type

BLOCK_RULES: dict[str, Callable[[Converter, Node, Attributes, SourcePos, _Outline], None]] = {
    "Header": Converter.heading,
    "Para": Converter.numbered_paragraph,
    "Plain": Converter.numbered_paragraph,
    "BulletList": Converter.attach,
    "OrderedList": Converter.attach,
    "BlockQuote": Converter.attach,
    "Div": Converter.div,
    "RawBlock": Converter.raw_block,
    "Table": Converter.table,
}
"""The blocks of a part (the body or an annex); any other is "not supported"."""

NESTED_BLOCK_RULES: dict[str, Callable[[Converter, Node, Attributes, SourcePos], Block | None]] = {
    "Para": Converter.unnumbered_paragraph,
    "Plain": Converter.unnumbered_paragraph,
    "BulletList": Converter.nested_attachment,
    "OrderedList": Converter.nested_attachment,
    "BlockQuote": Converter.nested_attachment,
    "Header": Converter.nested_heading,
}
"""The blocks of a note, a list item or a quote; any other is "not supported"."""

ATTACHMENT_RULES: dict[str, Callable[[Converter, Node, SourcePos], Block]] = {
    "BulletList": Converter.bullets,
    "OrderedList": Converter.subparagraphs,
    "BlockQuote": Converter.quote,
}
"""What hangs under a paragraph (or sits in a note, a list item or a quote)."""

INLINE_RULES: dict[str, Callable[[Converter, Node, SourcePos, list], None]] = {
    "Str": Converter.string,
    "Space": Converter.space,
    "SoftBreak": Converter.space,
    "LineBreak": Converter.line_break,
    "Emph": Converter.emphasis,
    "Strong": Converter.strong,
    "Code": Converter.code,
    "Link": Converter.link,
    "Span": Converter.span,
    "Note": Converter.note,
    "Image": Converter.image,
    "RawInline": Converter.raw_inline,
    "Math": Converter.math,
}
"""Inlines; any other is "<type> markup is not supported"."""

TEXT_CHECKS: tuple[Callable[[Converter, str, Callable[[int], SourcePos]], None], ...] = (
    Converter.unpaired_asterisks,
    Converter.undefined_notes,
    Converter.bare_references,
)
"""What is checked in each run of text, before its references are read."""
