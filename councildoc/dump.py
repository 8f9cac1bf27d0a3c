"""A stable, indented text form of the model for golden tests (docutils' ``pformat``)."""

from __future__ import annotations

from .model import (
    Block,
    Code,
    CrossRef,
    Document,
    Emphasis,
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
    Text,
)


def dump_inlines(inlines: tuple[Inline, ...]) -> str:
    out = []
    for inline in inlines:
        if isinstance(inline, Text):
            out.append(inline.text)
        elif isinstance(inline, Emphasis):
            out.append(f"*{dump_inlines(inline.children)}*")
        elif isinstance(inline, Strong):
            out.append(f"**{dump_inlines(inline.children)}**")
        elif isinstance(inline, Code):
            out.append(f"`{inline.text}`")
        elif isinstance(inline, Link):
            out.append(f"[{dump_inlines(inline.children)}]<{inline.url}>")
        elif isinstance(inline, Span):
            out.append(f"[{dump_inlines(inline.children)}]{{lang={inline.lang}}}")
        elif isinstance(inline, LineBreak):
            out.append("\\n")
        elif isinstance(inline, NoteCall):
            out.append(f"[^{inline.number}={inline.label}]")
        elif isinstance(inline, CrossRef):
            out.append(f"{{{inline.label}→{inline.text}}}")
    return "".join(out)


def _dump_block(block: Block | Section, indent: str, lines: list[str]) -> None:
    if isinstance(block, Section):
        number = f"{block.number}. " if block.number else ""
        label = f" #{block.label}" if block.label else ""
        lines.append(f"{indent}section {number}{dump_inlines(block.title)}{label}")
        for child in block.children:
            _dump_block(child, indent + "  ", lines)
    elif isinstance(block, Paragraph):
        head = f"{block.number}." if block.number is not None else "-"
        label = f" #{block.label}" if block.label else ""
        term = f"<{dump_inlines(block.term)}> " if block.term is not None else ""
        lines.append(f"{indent}{head}{label} {term}{dump_inlines(block.inlines)}")
        for attachment in block.attachments:
            _dump_block(attachment, indent + "  ", lines)
    elif isinstance(block, ListBlock):
        lines.append(f"{indent}{'ordered list' if block.ordered else 'list'}")
        for item in block.items:
            lines.append(f"{indent}  item")
            for child in item:
                _dump_block(child, indent + "    ", lines)
    elif isinstance(block, Quote):
        lines.append(f"{indent}quote")
        for child in block.blocks:
            _dump_block(child, indent + "  ", lines)


def dump(document: Document) -> str:
    """The whole document, one node a line."""
    meta = document.meta
    lines = [
        f"document {document.name} [{meta.lang}] {meta.symbol} {meta.date.isoformat()} session {meta.session}"
        f" original {meta.original_lang}",
        f"  title {dump_inlines(meta.title)}" + (f" [^{meta.title_note}]" if meta.title_note else ""),
    ]
    if meta.subtitle:
        lines.append(f"  subtitle {dump_inlines(meta.subtitle)}")
    for part in document.parts:
        if part.kind == "body":
            lines.append("  body")
        else:
            title = f" {dump_inlines(part.title)}" if part.title else ""
            label = f" #{part.label}" if part.label else ""
            lines.append(f"  annex {part.number or '-'} [{part.lang}]{label}{title}")
        for child in part.children:
            _dump_block(child, "    ", lines)
        for note in part.notes:
            text = " / ".join(dump_inlines(b.inlines) for b in note.blocks if isinstance(b, Paragraph))
            lines.append(f"    note {note.number} #{note.label}: {text}")
    return "\n".join(lines) + "\n"
