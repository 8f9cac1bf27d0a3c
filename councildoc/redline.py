"""Redlines between two revisions of an edition, matched by identity rather than by number.

A paragraph inserted in section II renumbers every paragraph after it; a
redline that compared paragraph 12 with paragraph 12 would show the rest of the
document rewritten. Here paragraphs are matched by what they say (their words,
with note calls and references by label, not by number), notes by their label,
and the changes are words inserted and deleted — plus the list of what was
renumbered, which is what a reviewer must check.
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from .model import (
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
    TableRow,
    Text,
)
from .transforms import iter_paragraphs, iter_sections
from .visitor import Visitor

SAME_ENOUGH = 0.5
"""Two paragraphs whose words agree this much (difflib's ratio) are one paragraph, changed."""


@dataclass(frozen=True)
class Token:
    """A word as shown, and what it is (a note call or reference is its label, not its number)."""

    shown: str
    identity: str
    call: bool = False
    target: str | None = None
    """The label a resolved reference points to (its ``shown`` is what it prints)."""
    node: Inline | None = field(default=None, compare=False)
    """The note call or reference it was read from (an in-place redline writes it as the writer would)."""
    glued: bool = field(default=False, compare=False)
    """No space between it and the word before (``paragraph 4.``, a note call after its word)."""
    styles: tuple[str, ...] = field(default=(), compare=False)
    """How it is set: ``emphasis``, ``strong``, ``code``, outermost first (an in-place redline keeps them)."""
    within: tuple[Inline, ...] = field(default=(), compare=False)
    """The links and language spans it stands in, outermost first (an in-place redline keeps them:
    a link stays a link, a passage in another language keeps its language)."""


class _Tokens(Visitor):
    """The words of some inlines."""

    covers = INLINE_TYPES

    def __init__(self) -> None:
        self.spaced = True
        """Whether the text read so far ends with a space."""
        self.styles: tuple[str, ...] = ()
        """How the text being read is set."""
        self.within: tuple[Inline, ...] = ()
        """The links and spans the text being read stands in."""

    def run(self, inlines: tuple[Inline, ...]) -> list[Token]:
        return [token for inline in inlines for token in self.visit(inline)]

    def visit_Text(self, node: Text | Code, styles: tuple[str, ...] = ()) -> list[Token]:
        words = node.text.split()
        out = [Token(word, word, glued=index == 0 and not node.text[:1].isspace() and not self.spaced,
                     styles=self.styles + styles, within=self.within) for index, word in enumerate(words)]
        if node.text:
            self.spaced = node.text[-1:].isspace()
        return out

    def visit_Code(self, node: Code) -> list[Token]:
        return self.visit_Text(node, ("code",))

    def _styled(self, style: str, node: Emphasis | Strong) -> list[Token]:
        outer, self.styles = self.styles, (*self.styles, style)
        try:
            return self.run(node.children)
        finally:
            self.styles = outer

    def visit_Emphasis(self, node: Emphasis) -> list[Token]:
        return self._styled("emphasis", node)

    def visit_Strong(self, node: Strong) -> list[Token]:
        return self._styled("strong", node)

    def _children(self, node: Span | Link) -> list[Token]:
        outer, self.within = self.within, (*self.within, node)
        try:
            return self.run(node.children)
        finally:
            self.within = outer

    visit_Span = visit_Link = _children

    def visit_LineBreak(self, node: LineBreak) -> list[Token]:
        self.spaced = True
        return []

    def visit_NoteCall(self, node: NoteCall) -> list[Token]:
        self.spaced = False
        return [Token(node.letter or str(node.number), f"[^{node.label}]", call=True, node=node, glued=True,
                      within=self.within)]

    def visit_CrossRef(self, node: CrossRef) -> list[Token]:
        glued, self.spaced = not self.spaced, False
        return [Token(node.text or node.label, f"@{node.label}", target=node.label if node.text else None,
                      node=node, glued=glued, within=self.within)]


def tokens(inlines: tuple[Inline, ...]) -> list[Token]:
    return _Tokens().run(inlines)


@dataclass(frozen=True)
class Item:
    """A sub-paragraph, list item or quote hanging on a paragraph or in a note, as the redline sees it."""

    kind: str
    """``sub-paragraph``, ``list item`` or ``quote``."""
    marker: str
    """What the page shows before it: ``(b)``, ``•``, ``>``."""
    slot: tuple
    """What it must share with its counterpart: its kind and degree."""
    tokens: list[Token]
    """The words of its own text (an item nested in it is an item of its own)."""
    node: object = field(default=None, compare=False)
    """The sub-paragraph, quote or list item (its tuple of blocks) it was read from."""

    @property
    def identity(self) -> tuple:
        return (*self.slot, *(t.identity for t in self.tokens))


class _Text(Visitor):
    """The words of a paragraph or a note, and each item hanging on it with its own words."""

    covers = (Paragraph, ListBlock, Quote, SubParagraphList, SubParagraph)

    def __init__(self) -> None:
        self.tokens: list[Token] = []
        self.items: list[Item] = []

    def all_tokens(self) -> list[Token]:
        """Its own words, then those of its items."""
        return self.tokens + [t for item in self.items for t in item.tokens]

    def read(self, blocks: tuple[Block, ...]) -> _Text:
        for block in blocks:
            self.visit(block)
        return self

    def item(self, kind: str, marker: str, slot: tuple, blocks: tuple[Block, ...], node: object) -> None:
        index = len(self.items)
        outer, self.tokens = self.tokens, []
        self.read(blocks)
        self.items.insert(index, Item(kind, marker, slot, self.tokens, node))
        self.tokens = outer

    def visit_Paragraph(self, node: Paragraph) -> None:
        self.tokens += tokens(node.term or ()) + tokens(node.inlines)
        self.read(node.attachments)

    def visit_ListBlock(self, node: ListBlock) -> None:
        for blocks in node.items:
            self.item("list item", "•", ("list item",), blocks, blocks)

    def visit_Quote(self, node: Quote) -> None:
        self.item("quote", "›", ("quote",), node.blocks, node)

    def visit_SubParagraphList(self, node: SubParagraphList) -> None:
        for item in node.items:
            self.visit(item, node.degree)

    def visit_SubParagraph(self, node: SubParagraph, degree: int) -> None:
        self.item("sub-paragraph", node.marker or "", ("sub-paragraph", degree), node.blocks, node)


def paragraph_text(paragraph: Paragraph) -> _Text:
    return _Text().read((paragraph,))


def note_text(note: Note) -> _Text:
    return _Text().read(note.blocks)


@dataclass
class ItemChange:
    """One sub-paragraph, list item or quote of a paragraph or note in the redline."""

    kind: str
    """``same``, ``changed``, ``added`` or ``removed``."""
    old_marker: str | None
    new_marker: str | None
    words: list[tuple[str, Token]]
    """The words with ``=``, ``+`` or ``-``."""
    old_node: object = None
    new_node: object = None
    """The sub-paragraphs, quotes or list items (tuples of blocks) compared, or table rows."""

    @property
    def marker(self) -> str:
        return self.new_marker if self.new_marker is not None else self.old_marker or ""

    @property
    def renumbered(self) -> bool:
        return self.kind in ("same", "changed") and self.old_marker != self.new_marker

    @property
    def html(self) -> Markup:
        return render_words(self.words)


@dataclass
class Change:
    """One paragraph or note in the redline."""

    kind: str
    """``same``, ``changed``, ``added`` or ``removed``."""
    old_number: int | None
    new_number: int | None
    words: list[tuple[str, Token]] = field(default_factory=list)
    """The words of its own text with ``=``, ``+`` or ``-``."""
    section: str = ""
    """The heading it stands under (its new one), for the reader's bearings."""
    items: list[ItemChange] = field(default_factory=list)
    """Its sub-paragraphs, list items and quotes, matched by their words like paragraphs."""
    old_node: object = None
    new_node: object = None
    """The paragraphs, notes or tables compared (None where added or removed)."""

    @property
    def renumbered(self) -> bool:
        return self.kind in ("same", "changed") and self.old_number != self.new_number

    @property
    def changed_items(self) -> list[ItemChange]:
        return [item for item in self.items if item.kind != "same"]


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


def _ratio(a: tuple, b: tuple) -> float:
    return difflib.SequenceMatcher(a=a, b=b, autojunk=False).ratio()


def pair(old: list[tuple], new: list[tuple], alike=lambda a, b: True, ratio=None):
    """Old and new things matched by identity: equal ones first, then the most alike, in order.

    Yields ``(kind, i, j)``: ``same`` and ``changed`` with both indexes, ``added`` with ``i`` None,
    ``removed`` with ``j`` None. ``alike(a, b)`` says whether two things may pair at all, ``ratio(a, b)``
    how alike they are (by default difflib's ratio of the two).
    """
    ratio = ratio or _ratio
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            yield from (("same", i, j) for i, j in zip(range(i1, i2), range(j1, j2), strict=True))
            continue
        # In a region that differs, pair each new thing with the most alike old one, keeping order.
        i = i1
        for j in range(j1, j2):
            best, best_ratio = None, SAME_ENOUGH
            for candidate in range(i, i2):
                found = ratio(old[candidate], new[j])
                if found >= best_ratio and alike(old[candidate], new[j]):
                    best, best_ratio = candidate, found
            if best is None:
                yield "added", None, j
                continue
            yield from (("removed", gone, None) for gone in range(i, best))
            yield "changed", best, j
            i = best + 1
        yield from (("removed", gone, None) for gone in range(i, i2))


def compare_items(old: list[Item], new: list[Item]) -> list[ItemChange]:
    """What hangs on one paragraph (or note) in two revisions, matched like paragraphs."""
    changes = []
    for kind, i, j in pair([item.identity for item in old], [item.identity for item in new],
                           lambda a, b: a[:2] == b[:2]):
        before = old[i] if i is not None else None
        after = new[j] if j is not None else None
        if after is None:
            changes.append(ItemChange(kind, before.marker, None, [("-", t) for t in before.tokens], before.node))
        elif before is None:
            changes.append(ItemChange(kind, None, after.marker, [("+", t) for t in after.tokens], None, after.node))
        else:
            changes.append(ItemChange(kind, before.marker, after.marker, word_diff(before.tokens, after.tokens),
                                      before.node, after.node))
    return changes


def _change(kind: str, old_number: int | None, new_number: int | None, old: _Text | None, new: _Text | None,
            section: str = "", old_node: object = None, new_node: object = None) -> Change:
    """A paragraph's or note's change, its own words and its items compared."""
    words = word_diff(old.tokens if old else [], new.tokens if new else [])
    items = compare_items(old.items if old else [], new.items if new else [])
    if kind == "same" and (any(op != "=" for op, _ in words) or any(i.kind != "same" for i in items)):
        kind = "changed"
    return Change(kind, old_number, new_number, words, section, items, old_node, new_node)


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
    """Paragraphs matched by identity (their words and their items' words): equal first, then the most alike."""
    old_text = [paragraph_text(p) for p in old]
    new_text = [paragraph_text(p) for p in new]
    changes: list[Change] = []
    for kind, i, j in pair([_identity(t) for t in old_text], [_identity(t) for t in new_text],
                           ratio=_paragraph_ratio):
        before = old[i].number if i is not None else None
        after = new[j].number if j is not None else None
        section = names.get(id(new[j]), "") if j is not None else ""
        changes.append(_change(kind, before, after, old_text[i] if i is not None else None,
                               new_text[j] if j is not None else None, section,
                               old[i] if i is not None else None, new[j] if j is not None else None))
    return changes


def _identity(text: _Text) -> tuple:
    return (*(t.identity for t in text.tokens), *(i for item in text.items for i in (_ITEM, *item.identity)))


_ITEM = ("item",)
"""Where an item's words start in a paragraph's identity (no word is a tuple)."""


def _paragraph_ratio(a: tuple, b: tuple) -> float:
    """How alike two paragraphs are: as a whole, or by their own words (a paragraph that lost or
    gained its whole list is still the paragraph that introduced it)."""
    def own(identity: tuple) -> tuple:
        return identity[:identity.index(_ITEM)] if _ITEM in identity else identity
    return max(_ratio(a, b), _ratio(own(a), own(b)) if own(a) != a or own(b) != b else 0.0)


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
            changes.append(_change("removed", gone.number, None, note_text(gone), None, old_node=gone))
        before = old_by_label.get(note.label)
        if before is None:
            changes.append(_change("added", None, note.number, None, note_text(note), new_node=note))
            continue
        changes.append(_change("same", before.number, note.number, note_text(before), note_text(note),
                               old_node=before, new_node=note))
    for gone in pending_removed:
        changes.append(_change("removed", gone.number, None, note_text(gone), None, old_node=gone))
    return changes


def _row_tokens(row: TableRow) -> list[Token]:
    return [t for cell in row.cells for t in tokens(cell.inlines)]


def _cell_name(table: Table, row: TableRow, column: int) -> str:
    """``'Staff costs', 2009``: the row's first cell and the column's head, their words without
    their note calls (a head "Change from 2020ᵇ" names its column "Change from 2020")."""
    first = " ".join(t.shown for t in tokens(row.cells[0].inlines) if not t.call) if row.cells else ""
    head = " ".join(t.shown for r in table.head if column < len(r.cells)
                    for t in tokens(r.cells[column].inlines) if not t.call)
    return f"{first or '·'}, {head or column + 1}" if column else first or "·"


def compare_table(old: Table | None, new: Table | None, row: str = "row", note: str = "note") -> Change:
    """A table's title word by word, and its cells: rows matched like paragraphs, then each changed
    cell an item named by its row and column."""
    caption = word_diff(tokens(old.caption) if old else [], tokens(new.caption) if new else [])
    items: list[ItemChange] = []
    old_rows = list(old.rows) if old else []
    new_rows = list(new.rows) if new else []
    for kind, i, j in pair([tuple(t.identity for t in _row_tokens(r)) for r in old_rows],
                           [tuple(t.identity for t in _row_tokens(r)) for r in new_rows]):
        if kind == "same":
            continue
        if j is None:
            name = _cell_name(old, old_rows[i], 0)
            items.append(ItemChange("removed", f"{row} {name}", None, [("-", t) for t in _row_tokens(old_rows[i])]))
        elif i is None:
            name = _cell_name(new, new_rows[j], 0)
            items.append(ItemChange("added", None, f"{row} {name}", [("+", t) for t in _row_tokens(new_rows[j])]))
        else:
            before, after = old_rows[i], new_rows[j]
            for column in range(max(len(before.cells), len(after.cells))):
                a = tokens(before.cells[column].inlines) if column < len(before.cells) else []
                b = tokens(after.cells[column].inlines) if column < len(after.cells) else []
                words = word_diff(a, b)
                if any(op != "=" for op, _ in words):
                    name = _cell_name(new, after, column)
                    items.append(ItemChange("changed", name, name, words))
    notes = [change for o, n in _paired_notes(old, new) for change in [_change(
        "same" if o and n else ("added" if n else "removed"), None, None,
        note_text(o) if o else None, note_text(n) if n else None)] if change.kind != "same"]
    items += [ItemChange(c.kind, note, note, c.words) for c in notes]
    if old is None or new is None:
        kind = "added" if old is None else "removed"
    else:
        kind = "changed" if items or any(op != "=" for op, _ in caption) else "same"
    return Change(kind, old.number if old else None, new.number if new else None, caption, "", items, old, new)


def _paired_notes(old: Table | None, new: Table | None):
    before = {n.label: n for n in (old.notes if old else ())}
    after = {n.label: n for n in (new.notes if new else ())}
    for label in dict.fromkeys([*before, *after]):
        yield before.get(label), after.get(label)


def _by_label(old: tuple, new: tuple, compare_one) -> list[Change]:
    """Tables or figures matched by label, else in order, each compared by ``compare_one``."""
    labelled = {t.label: t for t in old if t.label}
    unlabelled = [t for t in old if not t.label]
    used: set[int] = set()
    changes = []
    for node in new:
        before = labelled.get(node.label) if node.label else (unlabelled.pop(0) if unlabelled else None)
        if before is not None:
            used.add(id(before))
        changes.append(compare_one(before, node))
    changes += [compare_one(gone, None) for gone in old if id(gone) not in used]
    return changes


def compare_tables(old: tuple[Table, ...], new: tuple[Table, ...], row: str = "row",
                   note: str = "note") -> list[Change]:
    """Tables matched by label, else in order (``row``, ``note``: the words that name them in the summary)."""
    return _by_label(old, new, lambda before, after: compare_table(before, after, row, note))


def compare_figure(old: Figure | None, new: Figure | None) -> Change:
    """A figure's title word by word; a changed image or text alternative is an item of its own."""
    caption = word_diff(tokens(old.caption) if old else [], tokens(new.caption) if new else [])
    items = []
    if old is not None and new is not None:
        if old.data != new.data or old.src != new.src:
            items.append(ItemChange("changed", "image", "image", [("-", Token(old.src, old.src)),
                                                                  ("+", Token(new.src, new.src))]))
        if old.alt != new.alt:
            items.append(ItemChange("changed", "text alternative", "text alternative",
                                    word_diff(_plain_tokens(old.alt), _plain_tokens(new.alt))))
        kind = "changed" if items or any(op != "=" for op, _ in caption) else "same"
    else:
        kind = "added" if old is None else "removed"
    return Change(kind, old.number if old else None, new.number if new else None, caption, "", items, old, new)


def _plain_tokens(text: str) -> list[Token]:
    return [Token(word, word) for word in text.split()]


def compare_figures(old: tuple[Figure, ...], new: tuple[Figure, ...]) -> list[Change]:
    """Figures matched by label, else in order."""
    return _by_label(old, new, compare_figure)


@dataclass
class PartRedline:
    title: str
    paragraphs: list[Change]
    notes: list[Change]
    references: list[tuple[str, str, str]]
    """Labels whose printed text changed: (label, old text, new text)."""
    tables: list[Change] = field(default_factory=list)
    """Each table: its title's words, and its changed cells as items (``'Staff costs', 2009``)."""
    figures: list[Change] = field(default_factory=list)
    """Each figure: its title's words; a changed image or text alternative as an item."""
    part: Part | None = None
    """The new revision's part (an in-place redline writes it)."""
    holders: dict[str, list[tuple[str, int | None]]] = field(default_factory=dict)
    """Each changed reference's label → where it stands in the new revision (``paragraph 4``, ``note 2``)."""
    added: bool = False
    """An annex the old revision did not have."""
    headings: list[Change] = field(default_factory=list)
    """Each heading, matched by its words like paragraphs (``old_number``, ``new_number``: I, II…)."""
    old_part: Part | None = None
    """The old revision's part (where a removed paragraph, heading, table or figure stood; an annex
    the new revision removed is written struck out from it)."""


@dataclass
class Redline:
    document: str
    lang: str
    symbol: str
    parts: list[PartRedline]

    def counts(self) -> dict[str, dict[str, int]]:
        """How many paragraphs, notes and items (sub-paragraphs, list items, quotes) were added, removed…"""
        changes = {
            "paragraphs": [c for part in self.parts for c in part.paragraphs],
            "notes": [c for part in self.parts for c in part.notes],
            "tables": [c for part in self.parts for c in part.tables],
            "figures": [c for part in self.parts for c in part.figures],
        }
        changes["items"] = [i for kind in ("paragraphs", "notes") for c in changes[kind] for i in c.items]
        changes["cells"] = [i for c in changes["tables"] for i in c.items]
        return {kind: {
            "added": sum(c.kind == "added" for c in found),
            "removed": sum(c.kind == "removed" for c in found),
            "changed": sum(c.kind == "changed" for c in found),
            "renumbered": sum(c.renumbered for c in found),
        } for kind, found in changes.items()}

    @property
    def changed(self) -> bool:
        """Whether anything was added, removed, changed or renumbered."""
        return any(value for counts in self.counts().values() for value in counts.values()) or any(
            part.references or any(c.kind != "same" for c in part.headings) for part in self.parts)

    def summary(self) -> str:
        c = self.counts()
        p, n, i = c["paragraphs"], c["notes"], c["items"]
        return (f"{self.document} [{self.lang}]: paragraphs {p['added']} added, {p['removed']} removed, "
                f"{p['changed']} changed, {p['renumbered']} renumbered; notes {n['added']} added, "
                f"{n['removed']} removed, {n['changed']} changed, {n['renumbered']} renumbered; "
                f"sub-paragraphs, list items and quotes {i['added']} added, {i['removed']} removed, "
                f"{i['changed']} changed, {i['renumbered']} relettered; tables {c['tables']['added']} added, "
                f"{c['tables']['removed']} removed, {c['tables']['changed']} changed; "
                f"table rows and cells {c['cells']['added']} added, {c['cells']['removed']} removed, "
                f"{c['cells']['changed']} changed; figures {c['figures']['added']} added, "
                f"{c['figures']['removed']} removed, {c['figures']['changed']} changed")


def _references(part: Part) -> dict[str, str]:
    """What each resolved reference of the part prints, by its label."""
    texts = [paragraph_text(p) for p in iter_paragraphs(part.children)] + [note_text(n) for n in part.notes]
    return {token.target: token.shown for text in texts for token in text.all_tokens() if token.target}


def compare_headings(old: list[Section], new: list[Section]) -> list[Change]:
    """Headings matched by their words and level, like paragraphs."""
    def identity(section: Section) -> tuple:
        return (section.level, *(t.identity for t in tokens(section.title)))

    changes = []
    for kind, i, j in pair([identity(s) for s in old], [identity(s) for s in new], lambda a, b: a[0] == b[0]):
        before = old[i] if i is not None else None
        after = new[j] if j is not None else None
        words = word_diff(tokens(before.title) if before else [], tokens(after.title) if after else [])
        if kind == "same" and any(op != "=" for op, _ in words):
            kind = "changed"
        changes.append(Change(kind, before.number if before else None, after.number if after else None, words,
                              old_node=before, new_node=after))
    return changes


def _holders(part: Part, labels: set[str]) -> dict[str, list[str]]:
    """Where each of ``labels`` is referred to in ``part``: ``("paragraph", 4)``, ``("note", 2)``."""
    found: dict[str, list[tuple[str, int | None]]] = {}
    places = [("paragraph", p.number, paragraph_text(p)) for p in iter_paragraphs(part.children)]
    places += [("note", n.number, note_text(n)) for n in part.notes]
    for kind, number, text in places:
        for token in text.all_tokens():
            if token.target in labels and (kind, number) not in found.setdefault(token.target, []):
                found[token.target].append((kind, number))
    return found


def pair_rows(old: tuple[TableRow, ...],
              new: tuple[TableRow, ...]) -> list[tuple[str, TableRow | None, TableRow | None]]:
    """A table's rows in two revisions matched like paragraphs: ``(kind, old row, new row)``."""
    return [(kind, old[i] if i is not None else None, new[j] if j is not None else None)
            for kind, i, j in pair([tuple(t.identity for t in _row_tokens(r)) for r in old],
                                   [tuple(t.identity for t in _row_tokens(r)) for r in new])]


def compare_part(before: Part, after: Part, title: str, shown: Part | None) -> PartRedline:
    """Two revisions of one part; ``shown`` is the part an in-place redline writes (None for an
    annex the new revision removed)."""
    paragraphs = compare_paragraphs(list(iter_paragraphs(before.children)), list(iter_paragraphs(after.children)),
                                    _section_names(after))
    old_refs, new_refs = _references(before), _references(after)
    references = [(label, old_refs[label], text) for label, text in sorted(new_refs.items())
                  if label in old_refs and old_refs[label] != text]
    words = (shown or before).language
    return PartRedline(title, paragraphs, compare_notes(before.notes, after.notes), references,
                       compare_tables(before.tables, after.tables, words.redline_row, words.redline_note),
                       compare_figures(before.figures, after.figures), part=shown,
                       holders=_holders(after, {label for label, _, _ in references}),
                       headings=compare_headings(list(iter_sections(before.children)),
                                                 list(iter_sections(after.children))), old_part=before)


def compare(old: Document, new: Document) -> Redline:
    """The redline of ``new`` against ``old`` (two revisions of one edition): parts in order, an
    annex added compared with nothing, an annex removed with nothing after it."""
    parts = []
    for index, part in enumerate(new.parts):
        before = old.parts[index] if index < len(old.parts) else dataclasses.replace(part, children=(), notes=())
        title = "" if part.kind == "body" else part.designation or f"annex {part.number or ''}".strip()
        parts.append(compare_part(before, part, title, part))
        parts[-1].added = index >= len(old.parts)
    for gone in old.parts[len(new.parts):]:
        parts.append(compare_part(gone, dataclasses.replace(gone, children=(), notes=()),
                                  gone.designation or "", None))
    return Redline(new.name, new.meta.lang, new.meta.symbol, parts)


class Marks:
    """One part's redline by node of the new revision, for the writers that write the changes in
    place (``writers.redline_html``, ``writers.redline_docx``)."""

    def __init__(self, redline: PartRedline) -> None:
        self.paragraphs: dict[int, Change] = {}
        """id of a new paragraph of the part → its change."""
        self.items: dict[int, ItemChange] = {}
        """id of a new sub-paragraph, quote or list item (its tuple of blocks) → its change."""
        self.notes: dict[int, Change] = {}
        """id of a new note → its change."""
        self.removed_notes: dict[str, Change] = {}
        """Label of a note the new revision dropped → its change (its struck call carries its text)."""
        self.text: dict[int, list[tuple[str, Token]]] = {}
        """id of a paragraph (of a note or an item) → the words written instead of its text."""
        self.before: dict[int, list] = {}
        """id of a new node → what the old revision had just before it and the new one lost."""
        self.after: dict[int, list] = {}
        """id of the last new node of a run → what was lost after it."""
        self.tables: dict[int, Change] = {}
        self.cells: dict[int, list[tuple[str, Token]]] = {}
        """id of a new table cell → its words against the old cell."""
        self.rows: dict[int, str] = {}
        """id of a new table row → ``added`` or ``changed``."""
        self.captions: dict[int, list[tuple[str, Token]]] = {}
        """id of a new table → its title's words, where they changed."""
        self.references = {label: old for label, old, _ in redline.references}
        """Label → what a reference to it printed in the old revision, where that changed."""

        self.part_added = redline.added
        """The whole part is new (its title is inserted too)."""
        self.headings: dict[int, Change] = {}
        """id of a new section → its heading's change."""
        self.anchors = {token.target: token.node.anchor
                        for text in ([paragraph_text(p) for p in iter_paragraphs(redline.part.children)]
                                     + [note_text(n) for n in redline.part.notes]) if redline.part is not None
                        for token in text.all_tokens() if token.target and token.node.anchor}
        """Label → the anchor a reference to it links to in the new revision (a struck reference links there too)."""
        self.trailing: dict[int, list] = {}
        """id of a new paragraph or note → the items (sub-paragraphs, list items, quotes) it lost, none left."""
        self.leading: list = []
        """What the old revision had and the new one lost, where nothing of the old revision is left to stand after."""
        self._place_blocks(redline)
        self._place(redline.notes)
        self.headings = {id(c.new_node): c for c in redline.headings if c.new_node is not None}
        for change in redline.paragraphs:
            if change.new_node is not None:
                self.paragraphs[id(change.new_node)] = change
            self._items(change)
        for change in redline.notes:
            if change.new_node is not None:
                self.notes[id(change.new_node)] = change
                if change.kind != "same":
                    self._own_text(change.new_node.blocks, change.words)
            elif change.old_node is not None:
                self.removed_notes[change.old_node.label] = change
            self._items(change)
        for change in redline.tables:
            if change.new_node is not None and change.kind != "same":
                self._table(change)

    def _place_blocks(self, redline: PartRedline) -> None:
        """Each removed heading, paragraph, table or figure goes before what the new revision kept
        of the next one in the old revision's order (so a removed section stands whole before the
        section that followed it), or after the last kept one."""
        changes = redline.paragraphs + redline.headings + redline.tables + redline.figures
        kept = {id(c.old_node): c.new_node for c in changes if c.old_node is not None and c.new_node is not None}
        removed = {id(c.old_node): c for c in changes if c.old_node is not None and c.new_node is None}
        pending, last = [], None
        for node in _blocks_in_order(redline.old_part.children if redline.old_part is not None else ()):
            if id(node) in removed:
                pending.append(removed[id(node)])
            elif id(node) in kept:
                if pending:
                    self.before.setdefault(id(kept[id(node)]), []).extend(pending)
                    pending = []
                last = kept[id(node)]
        if pending and last is not None:
            self.after.setdefault(id(last), []).extend(pending)
        elif pending:
            self.leading = pending

    def _place(self, changes: list) -> list:
        """Each removed thing goes before the next thing of the new revision, or after the last; what
        has no new thing to stand by is returned."""
        pending, last = [], None
        for change in changes:
            if change.new_node is None:
                pending.append(change)
                continue
            if pending:
                self.before.setdefault(id(change.new_node), []).extend(pending)
                pending = []
            last = change.new_node
        if pending and last is not None:
            self.after.setdefault(id(last), []).extend(pending)
            return []
        return pending

    def _own_text(self, blocks: tuple, words: list[tuple[str, Token]]) -> None:
        """A note's or an item's own words stand in place of its first paragraph's text (its later
        paragraphs' words are among them)."""
        paragraphs = [block for block in blocks if isinstance(block, Paragraph)]
        for index, paragraph in enumerate(paragraphs):
            self.text[id(paragraph)] = words if index == 0 else []

    def _items(self, change: Change) -> None:
        orphans = self._place(change.items)
        if orphans and change.new_node is not None:  # all its items removed: they stand after it
            self.trailing.setdefault(id(change.new_node), []).extend(orphans)
        for item in change.items:
            if item.new_node is None:
                continue
            self.items[id(item.new_node)] = item
            if item.kind != "same":
                blocks = item.new_node if isinstance(item.new_node, tuple) else item.new_node.blocks
                self._own_text(blocks, item.words)

    def _table(self, change: Change) -> None:
        old, new = change.old_node, change.new_node
        self.tables[id(new)] = change
        if any(op != "=" for op, _ in change.words) and new.caption:
            self.captions[id(new)] = change.words
        for old_rows, new_rows in ((old.head if old else (), new.head), (old.body if old else (), new.body)):
            pending, last = [], None
            for kind, before, after in pair_rows(old_rows, new_rows):
                if after is None:
                    pending.append(before)
                    continue
                if pending:
                    self.before.setdefault(id(after), []).extend(pending)
                    pending = []
                last = after
                if kind == "same":
                    continue
                self.rows[id(after)] = kind
                for column, cell in enumerate(after.cells):
                    was = before.cells[column] if before is not None and column < len(before.cells) else None
                    words = word_diff(tokens(was.inlines) if was else [], tokens(cell.inlines))
                    if any(op != "=" for op, _ in words):
                        self.cells[id(cell)] = words
            if pending and last is not None:
                self.after.setdefault(id(last), []).extend(pending)


def _blocks_in_order(children: tuple) -> list:
    """A part's headings (its sections), paragraphs, tables and figures in the order they stand."""
    found: list = []
    for child in children:
        if isinstance(child, (Paragraph, Table, Figure, Section)):
            found.append(child)
        if isinstance(child, Section):
            found += _blocks_in_order(child.children)
    return found


def _plain_token(token: Token, op: str) -> Markup:
    return Markup("<sup>{}</sup>").format(token.shown) if token.call else escape(token.shown)


def _plain_wrap(inline: Inline, written: Markup) -> Markup:
    return written


def render_words(words: list[tuple[str, Token]], write_token=_plain_token, wrap=_plain_wrap) -> Markup:
    """Words with ``<ins>`` and ``<del>`` runs; ``write_token(token, op)`` writes each word (by default
    note calls as superscripts, the rest as text; the in-place redline writes calls and references
    as its writer does), ``wrap(link_or_span, written)`` the words of a run that stand in one link
    or span (by default nothing: the summary's words link nowhere)."""
    out: list[Markup] = []
    run_op, run = "=", []

    def joined(tokens_: list[Token], depth: int) -> Markup:
        """The tokens, those standing in one link or span (at ``depth``) written in it."""
        written = Markup("")
        for index, (inline, group) in enumerate(itertools.groupby(
                tokens_, key=lambda t: t.within[depth] if len(t.within) > depth else None)):
            group = list(group)
            space = Markup("") if (index == 0 or group[0].glued) else Markup(" ")
            if inline is None:
                written += space + Markup("").join(
                    (Markup("") if i == 0 or t.glued else Markup(" ")) + write_token(t, run_op)
                    for i, t in enumerate(group))
            else:
                written += space + wrap(inline, joined(group, depth + 1))
        return written

    def flush():
        if not run:
            return
        text = joined(run, 0)
        if out and not run[0].glued:
            out.append(Markup(" "))
        tag = {"+": "ins", "-": "del"}.get(run_op)
        out.append(Markup("<{0}>{1}</{0}>").format(Markup(tag), text) if tag else text)

    for op, token in words:
        if op != run_op:
            flush()
            run_op, run = op, []
        run.append(token)
    flush()
    return Markup("").join(out)
