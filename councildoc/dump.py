"""A stable, indented text form of the model for golden tests (docutils' ``pformat``)."""

from __future__ import annotations

from .model import (
    INLINE_TYPES,
    Code,
    CrossRef,
    Document,
    Emphasis,
    Figure,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    NoteCall,
    Paragraph,
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


class InlineDump(Visitor):
    """Inlines as one line: ``*emphasis*``, ``[^1=label]``, ``{sec:x→IV}``."""

    covers = INLINE_TYPES

    def run(self, inlines: tuple[Inline, ...]) -> str:
        return "".join(self.visit(inline) for inline in inlines)

    def visit_Text(self, node: Text) -> str:
        return node.text

    def visit_Emphasis(self, node: Emphasis) -> str:
        return f"*{self.run(node.children)}*"

    def visit_Strong(self, node: Strong) -> str:
        return f"**{self.run(node.children)}**"

    def visit_Code(self, node: Code) -> str:
        return f"`{node.text}`"

    def visit_Link(self, node: Link) -> str:
        return f"[{self.run(node.children)}]<{node.url}>"

    def visit_Span(self, node: Span) -> str:
        return f"[{self.run(node.children)}]{{lang={node.lang}}}"

    def visit_LineBreak(self, node: LineBreak) -> str:
        return "\\n"

    def visit_NoteCall(self, node: NoteCall) -> str:
        return f"[^{node.letter or node.number}={node.label}]"

    def visit_CrossRef(self, node: CrossRef) -> str:
        return f"{{{node.label}→{node.text}}}"


def dump_inlines(inlines: tuple[Inline, ...]) -> str:
    return InlineDump().run(inlines)


class BlockDump(InlineDump):
    """Blocks one a line, indented by depth."""

    covers = InlineDump.covers + (Paragraph, ListBlock, Quote, SubParagraphList, SubParagraph, Section,
                                  Table, TableRow, TableCell, Figure)

    def __init__(self) -> None:
        self.lines: list[str] = []

    def blocks(self, blocks: tuple, indent: str) -> None:
        for block in blocks:
            self.visit(block, indent)

    def visit_Section(self, node: Section, indent: str) -> None:
        number = f"{node.number}. " if node.number else ""
        label = f" #{node.label}" if node.label else ""
        self.lines.append(f"{indent}section {number}{self.run(node.title)}{label}")
        self.blocks(node.children, indent + "  ")

    def visit_Paragraph(self, node: Paragraph, indent: str) -> None:
        head = f"{node.number}." if node.number is not None else "-"
        label = f" #{node.label}" if node.label else ""
        term = f"<{self.run(node.term)}> " if node.term is not None else ""
        self.lines.append(f"{indent}{head}{label} {term}{self.run(node.inlines)}")
        self.blocks(node.attachments, indent + "  ")

    def visit_ListBlock(self, node: ListBlock, indent: str) -> None:
        self.lines.append(f"{indent}list")
        for item in node.items:
            self.lines.append(f"{indent}  item")
            self.blocks(item, indent + "    ")

    def visit_Quote(self, node: Quote, indent: str) -> None:
        self.lines.append(f"{indent}quote")
        self.blocks(node.blocks, indent + "  ")

    def visit_SubParagraphList(self, node: SubParagraphList, indent: str) -> None:
        self.lines.append(f"{indent}sub-paragraphs, degree {node.degree}")
        self.blocks(node.items, indent + "  ")

    def visit_SubParagraph(self, node: SubParagraph, indent: str) -> None:
        label = f" #{node.label}" if node.label else ""
        cited = f" (cited {node.citation})" if node.citation else ""
        self.lines.append(f"{indent}{node.marker}{label}{cited}")
        self.blocks(node.blocks, indent + "  ")

    def visit_Table(self, node: Table, indent: str) -> None:
        label = (f" #{node.label}" if node.label else "") + (" landscape" if node.landscape else "")
        aligns = " ".join(node.aligns)
        self.lines.append(f"{indent}table {node.number or '-'}{label} [{aligns}] {self.run(node.caption)}")
        for row in node.head:
            self.visit(row, indent + "  ", "head")
        for row in node.body:
            self.visit(row, indent + "  ", "row")
        if node.source is not None:
            self.lines.append(f"{indent}  source {self.run(node.source)}")
        for note in node.notes:
            self.lines.append(f"{indent}  table note {note.letter} #{note.label}: "
                              + " / ".join(self.run(b.inlines) for b in note.blocks if isinstance(b, Paragraph)))

    def visit_Figure(self, node: Figure, indent: str) -> None:
        label = f" #{node.label}" if node.label else ""
        size = f" {node.width}x{node.height}" if node.kind else ""
        self.lines.append(f"{indent}figure {node.number or '-'}{label} [{node.src}{size}] {self.run(node.caption)}"
                          f" | alt: {node.alt}")

    def visit_TableRow(self, node: TableRow, indent: str, kind: str) -> None:
        self.lines.append(f"{indent}{kind} " + " | ".join(self.visit(cell) for cell in node.cells))

    def visit_TableCell(self, node: TableCell) -> str:
        return self.run(node.inlines)


def dump(document: Document) -> str:
    """The whole document, one node a line."""
    meta = document.meta
    out = BlockDump()
    out.lines += [
        f"document {document.name} [{meta.lang}] {meta.symbol} {meta.date.isoformat()} session {meta.session}"
        f" original {meta.original_lang}",
        f"  title {dump_inlines(meta.title)}" + (f" [^{meta.title_note}]" if meta.title_note else ""),
    ]
    if meta.subtitle:
        out.lines.append(f"  subtitle {dump_inlines(meta.subtitle)}")
    for part in document.parts:
        if part.kind == "body":
            out.lines.append("  body")
        else:
            title = f" {dump_inlines(part.title)}" if part.title else ""
            label = f" #{part.label}" if part.label else ""
            out.lines.append(f"  annex {part.number or '-'} [{part.lang}]{label}{title}")
        out.blocks(part.children, "    ")
        for note in part.notes:
            first, rest = note.blocks[0], note.blocks[1:]
            text = dump_inlines(first.inlines) if isinstance(first, Paragraph) else ""
            out.lines.append(f"    note {note.number} #{note.label}: {text}")
            out.blocks(rest if isinstance(first, Paragraph) else note.blocks, "      ")
    return "\n".join(out.lines) + "\n"
