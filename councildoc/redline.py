"""Redlines between two revisions of an edition, matched by identity rather than by number.

A paragraph inserted in section II renumbers every paragraph after it; a
redline that compared paragraph 12 with paragraph 12 would show the rest of the
document rewritten. Here paragraphs are matched by what they say (their words,
with note calls and references by label, not by number), notes by their label,
and the changes are words inserted and deleted — plus the list of what was
renumbered, which is what a reviewer must check.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from .model import (
    Code,
    CrossRef,
    Document,
    Emphasis,
    Inline,
    LineBreak,
    Link,
    Note,
    NoteCall,
    Paragraph,
    Part,
    Span,
    Strong,
    Text,
)
from .transforms import iter_paragraphs, iter_sections

SAME_ENOUGH = 0.5
"""Two paragraphs whose words agree this much (difflib's ratio) are one paragraph, changed."""


@dataclass(frozen=True)
class Token:
    """A word as shown, and what it is (a note call or reference is its label, not its number)."""

    shown: str
    identity: str
    call: bool = False


def tokens(inlines: tuple[Inline, ...]) -> list[Token]:
    out: list[Token] = []
    for inline in inlines:
        if isinstance(inline, Text):
            out += [Token(word, word) for word in inline.text.split()]
        elif isinstance(inline, (Emphasis, Strong, Span, Link)):
            out += tokens(inline.children)
        elif isinstance(inline, Code):
            out += [Token(word, word) for word in inline.text.split()]
        elif isinstance(inline, LineBreak):
            continue
        elif isinstance(inline, NoteCall):
            out.append(Token(str(inline.number), f"[^{inline.label}]", call=True))
        elif isinstance(inline, CrossRef):
            out.append(Token(inline.text or inline.label, f"@{inline.label}"))
    return out


def paragraph_tokens(paragraph: Paragraph) -> list[Token]:
    found = tokens(paragraph.term or ()) + tokens(paragraph.inlines)
    for block in paragraph.attachments:
        if isinstance(block, Paragraph):
            found += tokens(block.inlines)
    return found


def note_tokens(note: Note) -> list[Token]:
    return [t for block in note.blocks if isinstance(block, Paragraph) for t in tokens(block.inlines)]


@dataclass
class Change:
    """One paragraph or note in the redline."""

    kind: str
    """``same``, ``changed``, ``added`` or ``removed``."""
    old_number: int | None
    new_number: int | None
    words: list[tuple[str, Token]] = field(default_factory=list)
    """The words with ``=``, ``+`` or ``-``."""
    section: str = ""
    """The heading it stands under (its new one), for the reader's bearings."""

    @property
    def renumbered(self) -> bool:
        return self.kind in ("same", "changed") and self.old_number != self.new_number


def word_diff(old: list[Token], new: list[Token]) -> list[tuple[str, Token]]:
    matcher = difflib.SequenceMatcher(a=[t.identity for t in old], b=[t.identity for t in new], autojunk=False)
    out: list[tuple[str, Token]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += [("=", t) for t in new[j1:j2]]
            continue
        out += [("-", t) for t in old[i1:i2]]
        out += [("+", t) for t in new[j1:j2]]
    return out


def _ratio(a: list[Token], b: list[Token]) -> float:
    return difflib.SequenceMatcher(a=[t.identity for t in a], b=[t.identity for t in b], autojunk=False).ratio()


def _section_names(part: Part) -> dict[int, str]:
    """id of each paragraph → the heading it stands under."""
    names: dict[int, str] = {}
    for section in iter_sections(part.children):
        title = " ".join(t.shown for t in tokens(section.title))
        label = f"{section.number}. {title}" if section.number else title
        for child in section.children:
            if isinstance(child, Paragraph):
                names[id(child)] = label
    return names


def compare_paragraphs(old: list[Paragraph], new: list[Paragraph], names: dict[int, str]) -> list[Change]:
    """Paragraphs matched by identity: equal words first, then the most alike, in order."""
    old_tokens = [paragraph_tokens(p) for p in old]
    new_tokens = [paragraph_tokens(p) for p in new]
    matcher = difflib.SequenceMatcher(a=[tuple(t.identity for t in ts) for ts in old_tokens],
                                      b=[tuple(t.identity for t in ts) for ts in new_tokens], autojunk=False)
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                changes.append(Change("same", old[i].number, new[j].number, [("=", t) for t in new_tokens[j]],
                                      names.get(id(new[j]), "")))
            continue
        # In a region that differs, pair each new paragraph with the most alike old one, keeping order.
        i = i1
        for j in range(j1, j2):
            best, best_ratio = None, SAME_ENOUGH
            for candidate in range(i, i2):
                ratio = _ratio(old_tokens[candidate], new_tokens[j])
                if ratio >= best_ratio:
                    best, best_ratio = candidate, ratio
            if best is None:
                changes.append(Change("added", None, new[j].number, [("+", t) for t in new_tokens[j]],
                                      names.get(id(new[j]), "")))
                continue
            for gone in range(i, best):
                changes.append(Change("removed", old[gone].number, None, [("-", t) for t in old_tokens[gone]]))
            changes.append(Change("changed", old[best].number, new[j].number,
                                  word_diff(old_tokens[best], new_tokens[j]), names.get(id(new[j]), "")))
            i = best + 1
        for gone in range(i, i2):
            changes.append(Change("removed", old[gone].number, None, [("-", t) for t in old_tokens[gone]]))
    return changes


def compare_notes(old: tuple[Note, ...], new: tuple[Note, ...]) -> list[Change]:
    """Notes matched by their label; removed ones stand where they were."""
    old_by_label = {n.label: n for n in old}
    new_labels = {n.label for n in new}
    changes: list[Change] = []
    pending_removed = [n for n in old if n.label not in new_labels]
    for note in new:
        while pending_removed and (old_by_label.get(note.label) is None
                                   or pending_removed[0].number < old_by_label[note.label].number):
            gone = pending_removed.pop(0)
            changes.append(Change("removed", gone.number, None, [("-", t) for t in note_tokens(gone)]))
        before = old_by_label.get(note.label)
        if before is None:
            changes.append(Change("added", None, note.number, [("+", t) for t in note_tokens(note)]))
            continue
        words = word_diff(note_tokens(before), note_tokens(note))
        kind = "same" if all(op == "=" for op, _ in words) else "changed"
        changes.append(Change(kind, before.number, note.number, words))
    for gone in pending_removed:
        changes.append(Change("removed", gone.number, None, [("-", t) for t in note_tokens(gone)]))
    return changes


@dataclass
class PartRedline:
    title: str
    paragraphs: list[Change]
    notes: list[Change]
    references: list[tuple[str, str, str]]
    """Labels whose printed text changed: (label, old text, new text)."""


@dataclass
class Redline:
    document: str
    lang: str
    symbol: str
    parts: list[PartRedline]

    def counts(self) -> dict[str, dict[str, int]]:
        out = {"paragraphs": {}, "notes": {}}
        for kind, attr in (("paragraphs", "paragraphs"), ("notes", "notes")):
            changes = [c for part in self.parts for c in getattr(part, attr)]
            out[kind] = {
                "added": sum(c.kind == "added" for c in changes),
                "removed": sum(c.kind == "removed" for c in changes),
                "changed": sum(c.kind == "changed" for c in changes),
                "renumbered": sum(c.renumbered for c in changes),
            }
        return out

    @property
    def changed(self) -> bool:
        """Whether anything was added, removed, changed or renumbered."""
        return any(value for counts in self.counts().values() for value in counts.values()) or any(
            part.references for part in self.parts)

    def summary(self) -> str:
        c = self.counts()
        p, n = c["paragraphs"], c["notes"]
        return (f"{self.document} [{self.lang}]: paragraphs {p['added']} added, {p['removed']} removed, "
                f"{p['changed']} changed, {p['renumbered']} renumbered; notes {n['added']} added, "
                f"{n['removed']} removed, {n['changed']} changed, {n['renumbered']} renumbered")


def _references(part: Part) -> dict[str, str]:
    found: dict[str, str] = {}

    def walk(inlines):
        for inline in inlines:
            if isinstance(inline, CrossRef) and inline.text:
                found[inline.label] = inline.text
            elif isinstance(inline, (Emphasis, Strong, Span, Link)):
                walk(inline.children)

    for paragraph in iter_paragraphs(part.children):
        walk(paragraph.inlines)
    for note in part.notes:
        for block in note.blocks:
            if isinstance(block, Paragraph):
                walk(block.inlines)
    return found


def compare(old: Document, new: Document) -> Redline:
    """The redline of ``new`` against ``old`` (two revisions of one edition)."""
    parts = []
    for index, part in enumerate(new.parts):
        before = old.parts[index] if index < len(old.parts) else Part(part.kind, (), (), part.pos, part.lang)
        names = _section_names(part)
        paragraphs = compare_paragraphs(list(iter_paragraphs(before.children)),
                                        list(iter_paragraphs(part.children)), names)
        notes = compare_notes(before.notes, part.notes)
        old_refs, new_refs = _references(before), _references(part)
        references = [(label, old_refs[label], text) for label, text in sorted(new_refs.items())
                      if label in old_refs and old_refs[label] != text]
        title = "" if part.kind == "body" else f"annex {part.number or ''}".strip()
        parts.append(PartRedline(title, paragraphs, notes, references))
    return Redline(new.name, new.meta.lang, new.meta.symbol, parts)


def render_words(words: list[tuple[str, Token]]) -> Markup:
    """Words with ``<ins>`` and ``<del>`` runs; note calls as superscripts."""
    out: list[str] = []
    run_op, run = "=", []

    def flush():
        if not run:
            return
        text = Markup(" ").join(Markup("<sup>{}</sup>").format(t.shown) if t.call else escape(t.shown) for t in run)
        if run_op == "+":
            out.append(Markup("<ins>{}</ins>").format(text))
        elif run_op == "-":
            out.append(Markup("<del>{}</del>").format(text))
        else:
            out.append(text)

    for op, token in words:
        if op != run_op:
            flush()
            run_op, run = op, []
        run.append(token)
    flush()
    return Markup(" ").join(out)
