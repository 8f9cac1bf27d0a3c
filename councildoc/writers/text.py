"""WRITING the review text: the canonical plain text of an edition, the form people diff.

One line per masthead line, heading, paragraph and note, blank lines between
blocks, each part's notes after it. It shows what a reader sees (headings in
capitals where the layout sets them so, note calls as ``[n]``) and nothing of
the markup, so that ``textconv`` can read the same text back out of a built
HTML, DOCX or PDF and ``git diff`` shows changes inside binary outputs.
"""

from __future__ import annotations

import re

from .. import languages
from ..model import (
    Block,
    Document,
    Inline,
    NoteCall,
    Paragraph,
    Part,
    Quote,
    Section,
)
from ..transforms import plain_text

_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """One space for every run of white space, no-break ones included."""
    return _SPACE.sub(" ", text).strip()


def inline_text(inlines: tuple[Inline, ...]) -> str:
    """What a reader sees, note calls as ``[n]``."""
    return plain_text(inlines, note_calls=True)


def _block_lines(block: Block, part: Part, language: languages.Language) -> list[str]:
    if isinstance(block, Paragraph):
        text = inline_text(block.inlines)
        if block.term is not None:
            separator = "" if block.inlines and isinstance(block.inlines[0], NoteCall) else " "
            text = f"{inline_text(block.term)}{language.entry_separator}{separator}{text}"
        if block.number is not None:
            text = f"{block.number}. {text}"
        lines = [normalize(text)]
        for attachment in block.attachments:
            lines += _block_lines(attachment, part, language)
        return lines
    if isinstance(block, Quote):
        return [f"> {line}" for b in block.blocks for line in _block_lines(b, part, language)]
    return [f"- {line}" for item in block.items for b in item for line in _block_lines(b, part, language)]


def heading_text(section: Section, part: Part) -> str:
    """A heading as the page shows it: body sections of the first level in capitals."""
    title = normalize(inline_text(section.title))
    if part.kind == "body" and section.level == 1:
        title = title.upper()
    return f"{section.number}. {title}" if section.number else title


def _children(children: tuple, part: Part, language: languages.Language) -> list[list[str]]:
    blocks: list[list[str]] = []
    for child in children:
        if isinstance(child, Section):
            blocks.append([heading_text(child, part)])
            blocks += _children(child.children, part, language)
        else:
            blocks.append(_block_lines(child, part, language))
    return blocks



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
        language = part.language
        if part.kind == "annex":
            blocks.append([part.designation or ""])
            if part.title:
                blocks.append([normalize(inline_text(part.title)).upper()])
        blocks += _children(part.children, part, language)
        if part.notes:
            blocks.append([
                normalize(f"[{note.number}] " + " ".join(line for b in note.blocks
                                                          for line in _block_lines(b, part, language)))
                for note in part.notes
            ])
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"
