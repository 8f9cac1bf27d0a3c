"""CONSISTENCY CHECK across editions: the same sections, paragraphs, notes and references.

Editions of one document must carry the same numbers so that delegates can cite
"paragraph 12" in any language. Each edition is reduced to its skeleton (what
is numbered, and the labels it calls), the skeletons are aligned with difflib,
and every difference is reported with its position in both files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .diagnostics import Diagnostic, SourcePos, error
from .model import (
    Block,
    CrossRef,
    Document,
    Figure,
    Inline,
    ListBlock,
    NoteCall,
    Paragraph,
    Part,
    Quote,
    Section,
    SubParagraph,
    SubParagraphList,
    Table,
)
from .numbers import compare_figures
from .transforms import iter_inlines, plain_text
from .visitor import Visitor


@dataclass(frozen=True)
class Item:
    """One numbered thing of an edition, or one thing attached to a paragraph, as the parity check sees it."""

    kind: str
    """``section``, ``paragraph``, ``table``, ``sub-paragraph``, ``list item`` or ``quote``."""
    key: tuple
    """What must be equal across editions (labels, levels, the notes and references it calls)."""
    pos: SourcePos
    """Where it is."""
    name: str
    """How a message names it (``paragraph 12``, ``section IV (sec:partners)``, ``sub-paragraph 12 (b)``)."""
    notes: tuple[str, ...] = ()
    """The labels of the notes its own text calls."""
    refs: tuple[str, ...] = ()
    """The labels its own text refers to."""
    node: Section | Paragraph | Table | None = field(default=None, compare=False)
    """The section or paragraph itself (the side-by-side view sets it in its column)."""
    label: str | None = None
    """Its ``para:`` label (a sub-paragraph's)."""
    items: tuple[Item, ...] = ()
    """What hangs on a paragraph, in order: its sub-paragraphs, list items and quotes, nested ones after
    the one they stand in; each is compared with its counterpart in the other edition."""
    numbers: frozenset[str] = field(default=frozenset(), compare=False)
    """The numbers its text writes (years, resolution numbers, amounts): the same in every language."""
    share: float = field(default=0.0, compare=False)
    """Its text's share of its part's text: a translation is longer or shorter as a whole, not by paragraph."""


_NUMBER = re.compile(r"\d+")


def _calls(inlines: list[Inline]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    found = list(iter_inlines(tuple(inlines)))
    return (tuple(i.label for i in found if isinstance(i, NoteCall)),
            tuple(i.label for i in found if isinstance(i, CrossRef)))


class _Attached(Visitor):
    """The items hanging on one paragraph: each sub-paragraph, list item and quote, with the calls
    of its own text (an item nested in it is an item of its own)."""

    covers = (Paragraph, ListBlock, Quote, SubParagraphList, SubParagraph)

    def __init__(self, owner: str) -> None:
        self.owner = owner
        """How messages name what the items stand in (``paragraph 12``)."""
        self.items: list[Item] = []
        self.inlines: list[Inline] = []
        """The text of the item being read."""

    def item(self, kind: str, slot: tuple, pos: SourcePos, name: str, blocks: tuple[Block, ...],
             label: str | None = None) -> None:
        """Read ``blocks`` as the text of one item; the items nested in them follow it."""
        index = len(self.items)
        outer_text, outer_owner = self.inlines, self.owner
        self.inlines, self.owner = [], name
        try:
            for block in blocks:
                self.visit(block)
            notes, refs = _calls(self.inlines)
        finally:
            self.inlines, self.owner = outer_text, outer_owner
        self.items.insert(index, Item(kind, (*slot, label, notes, refs), pos, name, notes, refs, label=label))

    def visit_Paragraph(self, node: Paragraph) -> None:
        self.inlines += [*(node.term or ()), *node.inlines]
        for block in node.attachments:
            self.visit(block)

    def visit_ListBlock(self, node: ListBlock) -> None:
        for number, blocks in enumerate(node.items, start=1):
            pos = blocks[0].pos if blocks else node.pos
            self.item("list item", ("list item",), pos, f"list item {number} in {self.owner}", blocks)

    def visit_Quote(self, node: Quote) -> None:
        self.item("quote", ("quote",), node.pos, f"the quote in {self.owner}", node.blocks)

    def visit_SubParagraphList(self, node: SubParagraphList) -> None:
        for item in node.items:
            self.visit(item, node.degree)

    def visit_SubParagraph(self, node: SubParagraph, degree: int) -> None:
        name = f"sub-paragraph {node.citation}" if node.citation else f"sub-paragraph {node.marker} in {self.owner}"
        self.item("sub-paragraph", ("sub-paragraph", degree), node.pos, name, node.blocks, node.label)


class _Skeleton(_Attached):
    """A part's sections and paragraphs, in order; each paragraph with its attached items."""

    covers = (*_Attached.covers, Section, Table, Figure)

    def __init__(self) -> None:
        super().__init__("the part")
        self.section = ""

    def visit_Section(self, node: Section) -> None:
        key = node.label or f"{node.level}:{node.number or ''}"
        name = f"section {node.number}" if node.number else "heading"
        if node.label:
            name += f" ({node.label})"
        self.items.append(Item("section", ("section", node.level, key), node.pos, name, node=node))
        outer, self.section = self.section, key
        try:
            for child in node.children:
                self.visit(child)
        finally:
            self.section = outer

    def visit_Paragraph(self, node: Paragraph) -> None:
        name = f"paragraph {node.number}" if node.number is not None else "unnumbered paragraph"
        notes, refs = _calls([*(node.term or ()), *node.inlines])
        attached = _Attached(name)
        for block in node.attachments:
            attached.visit(block)
        key = ("paragraph", self.section, node.number is not None, node.term is not None, notes, refs)
        text = plain_text((*(node.term or ()), *node.inlines))
        self.items.append(Item("paragraph", key, node.pos, name, notes, refs, node=node, items=tuple(attached.items),
                               numbers=frozenset(_NUMBER.findall(text)), share=float(len(text))))

    def visit_Table(self, node: Table) -> None:
        """A table by its shape (columns, head rows, rows) and what its caption and cells call."""
        name = f"table {node.number}" + (f" ({node.label})" if node.label else "")
        inlines = [*node.caption, *(i for row in node.rows for cell in row.cells for i in cell.inlines),
                   *(node.source or ())]
        notes, refs = _calls(inlines)
        shape = (len(node.aligns), len(node.head), len(node.body))
        key = ("table", self.section, node.label, shape, notes, refs)
        self.items.append(Item("table", key, node.pos, name, notes, refs, node=node, label=node.label))


    def visit_Figure(self, node: Figure) -> None:
        """A figure by its place and label, and what its title calls (its file may be the edition's own)."""
        name = f"figure {node.number}" + (f" ({node.label})" if node.label else "")
        notes, refs = _calls(list(node.caption))
        key = ("figure", self.section, node.label, notes, refs)
        self.items.append(Item("figure", key, node.pos, name, notes, refs, node=node, label=node.label))


def skeleton(part: Part) -> list[Item]:
    """A part's sections and paragraphs, in order (a paragraph's sub-paragraphs, lists and quotes are its
    ``items``)."""
    walker = _Skeleton()
    for child in part.children:
        walker.visit(child)
    total = sum(item.share for item in walker.items) or 1.0
    return [replace(item, share=item.share / total) if item.kind == "paragraph" else item for item in walker.items]


def _part_name(part: Part) -> str:
    return "the body" if part.kind == "body" else f"annex {part.label or part.number or ''}".strip()


def compare(reference: Document, other: Document) -> list[Diagnostic]:
    """Every way ``other`` is out of step with ``reference``, reported in ``other``'s file."""
    found: list[Diagnostic] = []
    ref_lang = reference.meta.lang
    if len(reference.parts) != len(other.parts):
        found.append(error(
            other.body.pos,
            f"{len(other.annexes)} annex(es) here, {len(reference.annexes)} in the {ref_lang} edition",
            f"see {reference.path}",
        ))
    for ref_part, part in zip(reference.parts, other.parts, strict=False):
        if ref_part.label != part.label:
            found.append(error(part.pos, f"annex label '{part.label}' here, '{ref_part.label}' in the "
                                         f"{ref_lang} edition ({ref_part.pos})"))
        found += _compare_items(skeleton(ref_part), skeleton(part), ref_part.pos, part.pos, _part_name(part),
                                ref_lang)
        found += _compare_notes(ref_part, part, ref_lang)
    return found + compare_figures(reference, other)


def _slot(item: Item) -> tuple:
    """Where an item stands, whatever it calls: its kind, section, numbering, entry-ness (a paragraph);
    its kind and degree (what hangs on a paragraph)."""
    if item.kind in ("paragraph", "table"):
        return item.key[:4] if item.kind == "paragraph" else item.key[:2]
    return item.key if item.kind == "section" else item.key[:-3]


def _identity(item: Item) -> tuple:
    """Everything that must be equal: its key and those of the items hanging on it."""
    return item.key, tuple(_identity(i) for i in item.items)


def likeness(a: Item, b: Item) -> float:
    """How alike two paragraphs' texts are across languages, from 0 to 1: the numbers they write, and
    their shares of their parts' text."""
    if a.kind != "paragraph" or b.kind != "paragraph":
        return 0.0
    numbers = len(a.numbers & b.numbers) / len(a.numbers | b.numbers) if a.numbers or b.numbers else 0.5
    longer = max(a.share, b.share)
    length = 1 - abs(a.share - b.share) / longer if longer else 1.0
    return (numbers + length) / 2


LIKENESS_WEIGHT = 0.3
"""How much the likeness of two texts adds to a pairing: less than any difference in what they call,
so it only chooses between pairings that are otherwise as good."""
GUESS_MARGIN = 0.1
"""Below this lead in likeness over the next best choice, the paragraph blamed is a guess."""


def _pair_score(a: Item, b: Item) -> float:
    """How well two items correspond: all the same, the same calls in the same place, or only the same place;
    then how alike their texts are."""
    if a.key == b.key:
        base = 3 if _identity(a) == _identity(b) else 2
    else:
        base = 1 if _slot(a) == _slot(b) else -1
    return base + LIKENESS_WEIGHT * likeness(a, b) if base > 0 else base


def align(ref: list[Item], mine: list[Item]) -> tuple[dict[int, int], dict[int, list[int]]]:
    """The best correspondence of ``mine`` to ``ref`` (a global alignment where gaps cost nothing).

    Returns which of ``mine`` stands for each of ``ref``, and which of ``mine`` stand
    unmatched before ref item i. Items calling the same notes are the anchors;
    between them, items in the same place (section, numbering) pair up in order.
    """
    n, m = len(ref), len(mine)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            score = _pair_score(ref[i], mine[j])
            paired = best[i + 1][j + 1] + score if score > 0 else -1
            best[i][j] = max(paired, best[i + 1][j], best[i][j + 1])
    matched: dict[int, int] = {}
    inserted: dict[int, list[int]] = {}
    i = j = 0
    while i < n or j < m:
        if i < n and j < m and _pair_score(ref[i], mine[j]) > 0 \
                and best[i][j] == best[i + 1][j + 1] + _pair_score(ref[i], mine[j]):
            matched[i] = j
            i, j = i + 1, j + 1
        elif i < n and (j == m or best[i][j] == best[i + 1][j]):
            i += 1
        else:
            inserted.setdefault(i, []).append(j)
            j += 1
    return matched, inserted


def _compare_items(ref: list[Item] | tuple[Item, ...], mine: list[Item] | tuple[Item, ...], ref_at: SourcePos,
                   at: SourcePos, within: str, ref_lang: str) -> list[Diagnostic]:
    """Align the two skeletons (or what hangs on two paragraphs), then report what is missing, extra or
    different; ``ref_at`` and ``at`` are the parts' (or the paragraphs') positions, ``within`` names mine."""
    found: list[Diagnostic] = []
    if [_slot(a) for a in ref] == [_slot(b) for b in mine]:
        # The same things in the same places: what differs is in them (a note call moved to the next item).
        matched, inserted = dict(enumerate(range(len(mine)))), {}
    else:
        matched, inserted = align(ref, mine)
    for i in range(len(ref) + 1):
        for j in inserted.get(i, []):
            near = ref[i].pos if i < len(ref) else (ref[-1].pos if ref else ref_at)
            found.append(error(mine[j].pos, f"{mine[j].name} has no counterpart in the {ref_lang} edition "
                                            f"(near {near}){_guess(mine, ref, _inverse(matched), j)}"))
        if i == len(ref):
            break
        a = ref[i]
        if i in matched:
            b = mine[matched[i]]
            if a.key != b.key:
                found.append(_difference(a, b, ref_lang))
            found += _compare_items(a.items, b.items, a.pos, b.pos, b.name, ref_lang)
            continue
        following = [matched[k] for k in range(i + 1, len(ref)) if k in matched]
        here = mine[following[0]].pos if following else (mine[-1].pos if mine else at)
        found.append(error(
            here,
            f"{a.name} of the {ref_lang} edition ({a.pos}) has no counterpart in {within} here"
            f"{_guess(ref, mine, matched, i)}",
            f"translate it, or remove it from {a.pos.path}",
        ))
    return found


def _inverse(matched: dict[int, int]) -> dict[int, int]:
    return {j: i for i, j in matched.items()}


def _guess(side: list | tuple, other: list | tuple, matched: dict[int, int], lone: int) -> str:
    """`` (a guess: …)`` when the item ``lone`` of ``side`` left without a counterpart could as well be
    one of its neighbours: items alike in all they call, paired in order with ``other``, whose texts'
    likeness does not tell which is the extra one; else nothing."""
    key = side[lone].key

    def paired(k: int) -> bool:
        return k in matched and side[k].key == key and other[matched[k]].key == key

    lo, hi = lone, lone
    while lo - 1 >= 0 and paired(lo - 1):
        lo -= 1
    while hi + 1 < len(side) and paired(hi + 1):
        hi += 1
    run = range(lo, hi + 1)
    if len(run) == 1 or side[lone].kind != "paragraph":
        return ""
    partners = [matched[k] for k in run if k != lone]

    def score(left_out: int) -> float:
        return sum(likeness(side[k], other[p]) for k, p in zip([k for k in run if k != left_out], partners,
                                                               strict=True))

    chosen = score(lone)
    rivals = [k for k in run if k != lone and chosen - score(k) < GUESS_MARGIN]
    if not rivals:
        return ""
    names = " or ".join(side[k].name for k in sorted([lone, *rivals]))
    return (f" (a guess: it may be {names}; they call the same notes and references, and their numbers and "
            "lengths do not tell which one is extra)")


def _difference(a: Item, b: Item, ref_lang: str) -> Diagnostic:
    """Why two aligned items differ."""
    where = f"the {ref_lang} edition ({a.pos})"
    if a.kind != b.kind:
        return error(b.pos, f"{b.name} stands where {where} has {a.name}")
    if a.notes != b.notes:
        missing = [n for n in a.notes if n not in b.notes]
        extra = [n for n in b.notes if n not in a.notes]
        if missing:
            return error(b.pos, f"{b.name} does not call note [^{missing[0]}], which {where} calls")
        if extra:
            return error(b.pos, f"{b.name} calls note [^{extra[0]}], which {where} does not")
        return error(b.pos, f"{b.name} calls its notes in another order than {where}")
    if a.refs != b.refs:
        return error(b.pos, f"{b.name} refers to {', '.join(b.refs) or 'nothing'}; {where}: "
                            f"{', '.join(a.refs) or 'nothing'}")
    if a.kind == "table" and a.key[3] != b.key[3]:
        return error(b.pos, "{} has {} columns, {} head rows and {} rows; {}: {}, {} and {}".format(
            b.name, *b.key[3], where, *a.key[3]))
    if a.label != b.label:
        return error(b.pos, f"{b.name} is labelled {b.label or 'nothing'}; {where}: {a.label or 'nothing'}")
    return error(b.pos, f"{b.name} is not {a.name} of {where}: a section, an entry or a number differs")


def _compare_notes(ref_part: Part, part: Part, ref_lang: str) -> list[Diagnostic]:
    """Notes defined in one edition and not the other (calls are compared with their paragraphs)."""
    mine = {n.label: n for n in part.notes}
    theirs = {n.label: n for n in ref_part.notes}
    found = [
        error(part.pos if part.kind == "annex" else SourcePos(part.pos.path, 1, 1),
              f"note [^{label}] of the {ref_lang} edition ({theirs[label].pos}) is missing from {_part_name(part)}")
        for label in theirs if label not in mine
    ]
    found += [
        error(note.pos, f"note [^{label}] is not in {_part_name(ref_part)} of the {ref_lang} edition")
        for label, note in mine.items() if label not in theirs
    ]
    return found


def reference_edition(documents: dict[str, Document], original: str) -> str:
    """The edition others are compared with: the original language's, else the first."""
    return original if original in documents else sorted(documents)[0]


def check_parity(documents: dict[str, Document]) -> list[Diagnostic]:
    """Compare every edition of one document with its reference edition."""
    if len(documents) < 2:
        return []
    first = next(iter(documents.values()))
    ref = reference_edition(documents, first.meta.original_lang)
    found: list[Diagnostic] = []
    for lang, document in sorted(documents.items()):
        if lang != ref:
            found += compare(documents[ref], document)
    return found
