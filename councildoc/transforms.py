"""TRANSFORMING: number everything once, then resolve references, then check.

Each transform is a pure function ``Document -> (Document, diagnostics)``; they
run in the order of :data:`TRANSFORMS` (markdown-it-py's rule list, not
priorities). Numbers are stored on the nodes; writers never count.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from . import languages
from .diagnostics import Diagnostic, SourcePos, error
from .model import (
    Block,
    CrossRef,
    Document,
    Emphasis,
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
    Text,
)
from .parse import REFERENCE_KINDS
from .typography import typeset

Transform = Callable[[Document], tuple[Document, list[Diagnostic]]]
Node = TypeVar("Node", Paragraph, ListBlock, Quote, Section)


# --------------------------------------------------------------------------
# Number styles


def roman(number: int) -> str:
    """``4`` → ``IV``."""
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, numeral in numerals:
        count, number = divmod(number, value)
        out += numeral * count
    return out


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


def map_blocks(children: tuple, on_paragraph: Callable[[Paragraph], Paragraph],
               on_section: Callable[[Section], Section] | None = None) -> tuple:
    """Rebuild a part's children, applying the callbacks in document order."""
    out = []
    for child in children:
        if isinstance(child, Section):
            if on_section is not None:
                child = on_section(child)
            child = replace(child, children=map_blocks(child.children, on_paragraph, on_section))
        elif isinstance(child, Paragraph):
            child = on_paragraph(child)
        out.append(child)
    return tuple(out)


def map_inlines(inlines: tuple[Inline, ...], fn: Callable[[Inline], Inline]) -> tuple[Inline, ...]:
    """Apply ``fn`` to every inline, depth first."""
    out = []
    for inline in inlines:
        if isinstance(inline, (Emphasis, Strong, Link, Span)):
            inline = replace(inline, children=map_inlines(inline.children, fn))
        out.append(fn(inline))
    return tuple(out)


def map_block_inlines(block: Block, fn: Callable[[Inline], Inline]) -> Block:
    """Apply ``fn`` to every inline of a block, its attachments included."""
    if isinstance(block, Paragraph):
        return replace(
            block,
            inlines=map_inlines(block.inlines, fn),
            term=map_inlines(block.term, fn) if block.term is not None else None,
            attachments=tuple(map_block_inlines(b, fn) for b in block.attachments),
        )
    if isinstance(block, Quote):
        return replace(block, blocks=tuple(map_block_inlines(b, fn) for b in block.blocks))
    return replace(block, items=tuple(tuple(map_block_inlines(b, fn) for b in item) for item in block.items))


def iter_sections(children: tuple):
    for child in children:
        if isinstance(child, Section):
            yield child
            yield from iter_sections(child.children)


def iter_paragraphs(children: tuple):
    """The part-level paragraphs (not those inside lists, quotes or notes)."""
    for child in children:
        if isinstance(child, Section):
            yield from iter_paragraphs(child.children)
        elif isinstance(child, Paragraph):
            yield child


def iter_inlines(inlines: tuple[Inline, ...]):
    for inline in inlines:
        yield inline
        if isinstance(inline, (Emphasis, Strong, Link, Span)):
            yield from iter_inlines(inline.children)


def plain_text(inlines: tuple[Inline, ...], *, note_calls: bool = False) -> str:
    """The text of some inlines, as a reader sees it without the markup.

    Note calls are left out (a section title as a reference prints it), or shown as
    ``[n]`` with ``note_calls`` (the review text).
    """
    out = []
    for inline in inlines:
        if isinstance(inline, Text):
            out.append(inline.text)
        elif isinstance(inline, (Emphasis, Strong, Link, Span)):
            out.append(plain_text(inline.children, note_calls=note_calls))
        elif isinstance(inline, CrossRef):
            out.append(inline.text or f"¿{inline.label}?")
        elif isinstance(inline, NoteCall):
            out.append(f"[{inline.number}]" if note_calls else "")
        elif isinstance(inline, LineBreak):
            out.append(" ")
        elif hasattr(inline, "text"):
            out.append(inline.text)
    return "".join(out)


# --------------------------------------------------------------------------
# Transforms


def number_annexes(document: Document) -> tuple[Document, list[Diagnostic]]:
    """Annex I, II… when there are several; a lone annex has no number."""
    annexes = document.annexes
    parts = [document.body]
    for index, part in enumerate(annexes, start=1):
        number = roman(index) if len(annexes) > 1 else ""
        parts.append(replace(part, number=number, anchor=f"annex{number}"))
    return replace(document, parts=tuple(parts)), []


def number_sections(document: Document) -> tuple[Document, list[Diagnostic]]:
    """I, II… for ``#``; A, B… for ``##`` inside each; annex headings only when asked."""
    return replace(document, parts=tuple(_number_sections_of(part) for part in document.parts)), []


def _number_sections_of(part: Part) -> Part:
    prefix = _prefix(part)
    counters = [0] * 10
    unnumbered = 0

    def on_section(section: Section) -> Section:
        nonlocal unnumbered
        if not section.numbered:
            unnumbered += 1
            return replace(section, anchor=_label_anchor(section.label) or f"{prefix}h{unnumbered}")
        level = min(section.level, len(counters) - 1)
        counters[level] += 1
        counters[level + 1 :] = [0] * (len(counters) - level - 1)
        number = SECTION_NUMBER_STYLES.get(level, str)(counters[level])
        return replace(section, number=number, anchor=_label_anchor(section.label) or f"{prefix}sec-{number}")

    return replace(part, children=map_blocks(part.children, lambda p: p, on_section))


def _label_anchor(label: str | None) -> str | None:
    return label.replace(":", "-") if label else None


def number_paragraphs(document: Document) -> tuple[Document, list[Diagnostic]]:
    """1…n through each part, skipping paragraphs marked unnumbered."""
    return replace(document, parts=tuple(_number_paragraphs_of(part) for part in document.parts)), []


def _number_paragraphs_of(part: Part) -> Part:
    prefix = _prefix(part)
    count = 0

    def on_paragraph(paragraph: Paragraph) -> Paragraph:
        nonlocal count
        if not paragraph.numbered:
            return replace(paragraph, anchor=_label_anchor(paragraph.label))
        count += 1
        return replace(paragraph, number=count, anchor=f"{prefix}p{count}")

    return replace(part, children=map_blocks(part.children, on_paragraph))


def number_notes(document: Document) -> tuple[Document, list[Diagnostic]]:
    """1…n through each part in the order the notes are called; calls get their note's number."""
    return replace(document, parts=tuple(_number_notes_of(part) for part in document.parts)), []


def _number_notes_of(part: Part) -> Part:
    prefix = _prefix(part)
    notes = tuple(
        replace(note, number=n, anchor=f"{prefix}fn{n}", call_anchor=f"{prefix}fnref{n}")
        for n, note in enumerate(part.notes, start=1)
    )
    by_call = {note.call_pos: note.number for note in notes}

    def number_call(inline: Inline) -> Inline:
        if isinstance(inline, NoteCall):
            return replace(inline, number=by_call.get(inline.pos))
        return inline

    children = map_blocks(
        part.children,
        lambda p: map_block_inlines(p, number_call),
        lambda s: replace(s, title=map_inlines(s.title, number_call)),
    )
    title = map_inlines(part.title, number_call) if part.title is not None else None
    return replace(part, children=children, notes=notes, title=title)


def _targets(document: Document) -> dict[str, tuple[str, str, str | None, SourcePos]]:
    """Every label → (kind, printed text, anchor, position); first definition wins."""
    annex_word = languages.load(document.meta.lang).annex
    targets: dict[str, tuple[str, str, str | None, SourcePos]] = {}
    for part in document.parts:
        if part.kind == "annex" and part.label:
            designation = f"{annex_word} {part.number}".strip()
            targets.setdefault(part.label, ("annex", designation, part.anchor, part.pos))
        for section in iter_sections(part.children):
            if section.label:
                text = section.number if section.numbered else plain_text(section.title)
                targets.setdefault(section.label, ("sec", text or "", section.anchor, section.pos))
        for paragraph in iter_paragraphs(part.children):
            if paragraph.label:
                text = str(paragraph.number) if paragraph.number is not None else ""
                targets.setdefault(paragraph.label, ("para", text, paragraph.anchor, paragraph.pos))
        for note in part.notes:
            targets.setdefault(f"note:{note.label}", ("note", str(note.number), note.anchor, note.pos))
    return targets


def resolve_references(document: Document) -> tuple[Document, list[Diagnostic]]:
    """Replace each ``@kind:label`` by its target's current number (pandoc-crossref's second pass)."""
    targets = _targets(document)
    by_name: dict[str, list[str]] = {}
    for label in targets:
        by_name.setdefault(label.split(":", 1)[1], []).append(label)
    diagnostics: list[Diagnostic] = []
    container: list[str | None] = [None]

    def resolve(inline: Inline) -> Inline:
        if not isinstance(inline, CrossRef):
            return inline
        target = targets.get(inline.label)
        if target is None:
            others = [label for label in by_name.get(inline.name, []) if label != inline.label]
            if others:
                kind = targets[others[0]][0]
                diagnostics.append(error(
                    inline.pos,
                    f"@{inline.label} refers to a {REFERENCE_KINDS[kind]}, not a {REFERENCE_KINDS[inline.kind]}",
                    f"write @{others[0]}",
                ))
            else:
                same_kind = [label for label in targets if label.startswith(inline.kind + ":")]
                close = difflib.get_close_matches(inline.label, same_kind, n=1, cutoff=0.6)
                diagnostics.append(error(
                    inline.pos,
                    f"unknown label '{inline.label}'",
                    f"did you mean '{close[0]}'?" if close else None,
                ))
            return inline
        if inline.label == container[0]:
            diagnostics.append(error(inline.pos, f"@{inline.label} refers to itself"))
        kind, text, anchor, _ = target
        if not text:
            diagnostics.append(error(inline.pos, f"@{inline.label} refers to an unnumbered {REFERENCE_KINDS[kind]}"))
            return inline
        return replace(inline, text=text, anchor=anchor)

    def in_paragraph(paragraph: Paragraph) -> Paragraph:
        container[0] = paragraph.label
        return map_block_inlines(paragraph, resolve)

    def in_section(section: Section) -> Section:
        container[0] = section.label
        return replace(section, title=map_inlines(section.title, resolve))

    parts = []
    for part in document.parts:
        container[0] = part.label
        title = map_inlines(part.title, resolve) if part.title is not None else None
        children = map_blocks(part.children, in_paragraph, in_section)
        notes = []
        for note in part.notes:
            container[0] = f"note:{note.label}"
            notes.append(replace(note, blocks=tuple(map_block_inlines(b, resolve) for b in note.blocks)))
        parts.append(replace(part, title=title, children=children, notes=tuple(notes)))
    container[0] = None
    meta = document.meta
    meta = replace(meta, title=map_inlines(meta.title, resolve),
                   subtitle=map_inlines(meta.subtitle, resolve) if meta.subtitle is not None else None)
    return replace(document, meta=meta, parts=tuple(parts)), diagnostics


def check(document: Document) -> tuple[Document, list[Diagnostic]]:
    """What numbering and resolving cannot see: duplicates and empty places."""
    diagnostics: list[Diagnostic] = []
    seen: dict[str, SourcePos] = {}

    def claim(label: str, pos: SourcePos, what: str) -> None:
        if label in seen:
            diagnostics.append(error(pos, f"{what} '{label}' is used twice", f"first used at {seen[label]}"))
        else:
            seen[label] = pos

    paragraphs = 0
    for part in document.parts:
        if part.label:
            claim(part.label, part.pos, "label")
        for section in iter_sections(part.children):
            if section.label:
                claim(section.label, section.pos, "label")
            if not any(True for _ in iter_paragraphs(section.children)):
                diagnostics.append(error(section.pos, "empty section: a heading with no paragraph under it"))
        for paragraph in iter_paragraphs(part.children):
            paragraphs += 1
            if paragraph.label:
                claim(paragraph.label, paragraph.pos, "label")
        called: dict[str, Note] = {}
        for note in part.notes:
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


def apply_typography(document: Document) -> tuple[Document, list[Diagnostic]]:
    """Set every text in its part's language: the edition's, or an annex's own."""
    edition = languages.load(document.meta.lang)
    parts = []
    for part in document.parts:
        language = languages.load_or(part.lang, edition)

        def set_block(block: Block, language: languages.Language = language) -> Block:
            if isinstance(block, Paragraph):
                return replace(
                    block,
                    inlines=typeset(block.inlines, language),
                    term=typeset(block.term, language) if block.term is not None else None,
                    attachments=tuple(set_block(b) for b in block.attachments),
                )
            if isinstance(block, Quote):
                return replace(block, blocks=tuple(set_block(b) for b in block.blocks))
            return replace(block, items=tuple(tuple(set_block(b) for b in item) for item in block.items))

        children = map_blocks(
            part.children, set_block, lambda s, language=language: replace(s, title=typeset(s.title, language))
        )
        notes = tuple(replace(n, blocks=tuple(set_block(b) for b in n.blocks)) for n in part.notes)
        title = typeset(part.title, language) if part.title is not None else None
        parts.append(replace(part, children=children, notes=notes, title=title))
    meta = document.meta
    meta = replace(meta, title=typeset(meta.title, edition),
                   subtitle=typeset(meta.subtitle, edition) if meta.subtitle is not None else None)
    return replace(document, meta=meta, parts=tuple(parts)), []


TRANSFORMS: list[Transform] = [
    number_annexes,
    number_sections,
    number_paragraphs,
    number_notes,
    resolve_references,
    apply_typography,
    check,
]
"""Run in this order: numbering before resolving, checks last."""


def apply_transforms(document: Document) -> tuple[Document, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    for transform in TRANSFORMS:
        document, found = transform(document)
        diagnostics.extend(found)
    return document, diagnostics
