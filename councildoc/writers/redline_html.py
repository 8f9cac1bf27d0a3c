"""WRITING AN IN-PLACE REDLINE: the new revision in its council layout, each change marked where it stands.

The HTML writer writes the page; the subclasses here write, for every paragraph,
sub-paragraph, list item, quote, note and table cell that ``redline.compare``
matched to the old revision, its words with ``<ins>`` and ``<del>`` in place of
its text; what the old revision had and the new one lost stands struck out where
it was. Changed and renumbered paragraph numbers show the old number struck in
the margin, relettered sub-paragraphs both markers, changed references the old
text struck before the new. Every changed block carries ``rl-changed``: the
stylesheet (``styles/redline.css``) draws the change bar in the margin.
"""

from __future__ import annotations

import dataclasses
import itertools

from markupsafe import Markup, escape

from ..model import (
    CrossRef,
    Figure,
    Link,
    ListBlock,
    Note,
    Paragraph,
    Part,
    Quote,
    Section,
    Span,
    SubParagraph,
    Table,
    TableCell,
    TableRow,
)
from ..redline import Change, ItemChange, Marks, Token, render_words, tokens
from ..transforms import iter_paragraphs, iter_sections
from .html import FootnoteWriter, HtmlContext, HtmlWriter, part_context

OLD = "rl-old-"
"""Put before every id of what the new revision lost and the redline writes struck out (an old
annex's ids may be the new revision's)."""

_TAGS = {"emphasis": "em", "strong": "strong", "code": "code"}


def _changed_css(kind: str) -> str:
    """The classes of a changed block: the change bar's, and ``rl-added`` where it is new."""
    return " rl-changed" + (f" rl-{kind}" if kind != "changed" else "")


class _Redlining:
    """What the page's writer and the footnotes' writer share: words, references, items."""

    marks: Marks
    ctx: HtmlContext

    # -- words

    def words(self, words: list[tuple[str, Token]]) -> Markup:
        """Words with ``<ins>`` and ``<del>`` runs; calls and references written as the writer writes
        them, words in a link still in it."""
        return render_words(words, self.token, self.wrap)

    def wrap(self, inline: Link | Span, written: Markup) -> Markup:
        if isinstance(inline, Link):
            return Markup('<a href="{}">{}</a>').format(inline.url, written)
        return Markup('<span lang="{}">{}</span>').format(inline.lang, written)

    def token(self, token: Token, op: str) -> Markup:
        if token.node is None:
            written = escape(token.shown)
            for style in reversed(token.styles):
                written = Markup("<{0}>{1}</{0}>").format(Markup(_TAGS[style]), written)
            return written
        if op != "-":
            return self.visit(token.node)
        if token.call:
            removed = self.marks.removed_notes.get(token.node.label) if not token.node.letter else None
            call = Markup("<sup>{}</sup>").format(token.shown)
            if removed is not None and self.ctx.for_print:
                call += Markup('<span class="footnote rl-removed" data-n="{}" role="note">'
                               '<span class="note-para"><del>{}</del></span></span>').format(
                    removed.old_number, self.words(removed.words))
            return call
        anchor = self.marks.anchors.get(token.target) if token.target else None
        if anchor is not None:  # a reference the text no longer makes, to a target the new revision has
            return Markup('<a class="xref" href="#{}">{}</a>').format(self.ctx.id(anchor), token.shown)
        return escape(token.shown)

    def visit_CrossRef(self, node: CrossRef) -> Markup:
        written = super().visit_CrossRef(node)
        old = self.marks.references.get(node.label)
        if old is None or node.text is None or old == node.text:
            return written
        return Markup('<del class="rl-ref">{}</del><ins class="rl-ref">{}</ins>').format(old, written)

    # -- what the new revision lost

    def lost(self, changes: list, inside: str | None = None) -> Markup:
        """What the new revision lost, struck out; sub-paragraphs and list items in a list of their
        own unless they stand in one (``inside``: ``sub-paragraph``, ``list item``)."""
        out = Markup("")
        for kind, run in itertools.groupby(changes, key=lambda c: _item_kind(c) if isinstance(c, ItemChange) else None):
            written = Markup("").join(self.removed(change) for change in run)
            if kind == "sub-paragraph" and inside != kind:
                written = self.element("ol", "subparas rl-lost", written)
            elif kind == "list item" and inside != kind:
                written = self.element("ul", "bullets rl-lost", written)
            out += written
        return out

    def removed(self, change) -> Markup:
        """A paragraph, note, item or table row of the old revision, struck out where it stood."""
        if isinstance(change, TableRow):  # a row the new table lost, set as its rows are
            aligns = self.table.aligns if self.table is not None else ()
            cells = Markup("")
            for column, cell in enumerate(change.cells):
                align = aligns[column] if column < len(aligns) else "left"
                tag = "th" if column == 0 and align == "left" else "td"
                cells += Markup('<{0} class="align-{1}">{2}</{0}>').format(
                    Markup(tag), align, self.words([("-", t) for t in tokens(cell.inlines)]))
            return Markup('<tr class="rl-removed rl-changed">{}</tr>').format(cells)
        if isinstance(change, Change) and isinstance(change.old_node, (Table, Figure)):
            # As the old revision set it, struck out (its ids its own).
            old = OldWriter(dataclasses.replace(self.ctx, id_prefix=OLD), self.depth)
            return Markup('<del class="rl-block rl-removed">{}</del>').format(old.visit(change.old_node))
        text = self.words(change.words)
        if isinstance(change, ItemChange):
            if change.old_node is not None and isinstance(change.old_node, SubParagraph):
                marker = Markup('<span class="subpara-marker"><del>{}</del></span>').format(change.old_marker)
                return self.element("li", "subpara rl-removed rl-changed",
                                    marker + self.element("span", "subpara-text", text))
            if isinstance(change.old_node, Quote):
                return self.element("blockquote", "quote rl-removed rl-changed", self.element("p", "", text))
            return self.element("li", "bullet rl-removed rl-changed", text)
        if isinstance(change.old_node, Section):
            number = f"{change.old_number}. " if change.old_number else ""
            return Markup('<p class="heading level-{} rl-removed rl-changed"><del>{}{}</del></p>').format(
                change.old_node.level, number, text)
        if isinstance(change.old_node, Note):
            return Markup('<li class="rl-removed rl-changed" value="{0}"><span class="note-num"><del>{0}</del>'
                          '</span>{1}</li>').format(change.old_number, text)
        number = (Markup('<span class="para-num"><del>{}.</del></span>').format(change.old_number)
                  if change.old_number is not None else Markup(""))
        return self.element("p", "para rl-removed rl-changed", number + text) + self.lost(change.items)

    def around(self, node: object, written: Markup) -> Markup:
        """What was lost before and after ``node``, around what it is written as (and the items a
        paragraph lost with none left, after it; a note writes those inside it)."""
        inside = ("list item" if isinstance(node, tuple) else "sub-paragraph" if isinstance(node, SubParagraph)
                  else None)
        trailing = self.lost(self.marks.trailing.get(id(node), [])) if isinstance(node, Paragraph) else Markup("")
        return (self.lost(self.marks.before.get(id(node), []), inside) + written + trailing
                + self.lost(self.marks.after.get(id(node), []), inside))

    # -- sub-paragraphs, list items, quotes

    def item_css(self, node: object, css: str) -> str:
        item = self.marks.items.get(id(node))
        if item is not None and item.kind != "same":
            css += _changed_css(item.kind)
        return css

    def visit_SubParagraph(self, node: SubParagraph) -> Markup:
        item = self.marks.items.get(id(node))
        marker = escape(node.marker or "")
        if item is not None and item.kind == "added":
            marker = Markup("<ins>{}</ins>").format(marker)
        elif item is not None and item.renumbered:
            marker = Markup("<del>{}</del><ins>{}</ins>").format(item.old_marker, marker)
        content = Markup('<span class="subpara-marker">{}</span>').format(marker) + self.marker_space
        rest = node.blocks
        if rest and isinstance(rest[0], Paragraph):
            content += self.paragraph(rest[0], "subpara-text")
            rest = rest[1:]
        return self.around(node, self.element("li", self.item_css(node, "subpara"), content + self.blocks(rest),
                                              node.anchor))

    def visit_ListBlock(self, node: ListBlock) -> Markup:
        items = Markup("").join(self.around(item, self.element("li", self.item_css(item, "bullet"),
                                                               self.blocks(item))) for item in node.items)
        return self.element("ul", "bullets", items)

    def visit_Quote(self, node: Quote) -> Markup:
        return self.around(node, self.element("blockquote", self.item_css(node, "quote"), self.blocks(node.blocks)))

    def own_text(self, node: Paragraph) -> Markup | None:
        """The words written instead of a note's or an item's paragraph, or None to write it as it is."""
        words = self.marks.text.get(id(node))
        return None if words is None else self.words(words)


class RedlineFootnoteWriter(_Redlining, FootnoteWriter):
    """A note's blocks at its call, on paper, with the note's changes."""

    def __init__(self, ctx: HtmlContext, marks: Marks, depth: int = 1) -> None:
        super().__init__(ctx, depth)
        self.marks = marks

    def paragraph(self, node: Paragraph, css: str) -> Markup:
        text = self.own_text(node)
        if text is None:
            return super().paragraph(node, css)
        return Markup('<span class="{}">{}</span>').format(css, text)


class RedlineWriter(_Redlining, HtmlWriter):
    """The part as the HTML writer writes it, with the changes of its redline in place."""

    def __init__(self, ctx: HtmlContext, marks: Marks, depth: int = 1) -> None:
        super().__init__(ctx, depth)
        self.marks = marks

    def visit_Paragraph(self, node: Paragraph) -> Markup:
        return self.around(node, super().visit_Paragraph(node))

    def paragraph(self, node: Paragraph, css: str) -> Markup:
        text = self.own_text(node)
        if text is not None:
            return self.element("p", css, text, node.anchor)
        change = self.marks.paragraphs.get(id(node))
        if change is None or (change.kind == "same" and not change.renumbered):
            return super().paragraph(node, css)
        parts: list[Markup] = []
        rewritten = change.kind == "added" or any(op != "=" for op, _ in change.words)
        if rewritten:
            css += _changed_css(change.kind)
        if node.number is not None:
            number = Markup("{}.").format(node.number)
            if change.kind == "added":
                number = Markup("<ins>{}</ins>").format(number)
            elif change.renumbered:
                css += " rl-renumbered"
                parts.append(Markup('<span class="rl-old-num"><del>{}.</del></span>').format(change.old_number))
                number = Markup("<ins>{}</ins>").format(number)
            parts.append(Markup('<a class="para-num" href="#{0}">{1}</a>').format(self.ctx.id(node.anchor), number))
        if not rewritten:
            if node.term is not None:
                parts.append(Markup('<strong class="entry-term">{}{}</strong> ').format(
                    self.inlines(node.term), self.ctx.language.entry_separator))
            parts.append(self.inlines(node.inlines))
        else:
            parts.append(self.words(change.words))
        return self.element("p", css, Markup("").join(parts), node.anchor)

    # -- headings

    def visit_Section(self, node: Section) -> Markup:
        change = self.marks.headings.get(id(node))
        if change is None or change.kind == "same" and change.old_number == change.new_number:
            return self.around(node, super().visit_Section(node))
        level = min(self.depth + node.level, 6)
        number = Markup("")
        if node.number:
            number = Markup('<span class="sec-num">{}.</span> ').format(node.number)
            if change.kind == "added" or change.old_number != change.new_number:
                old = Markup("<del>{}.</del> ").format(change.old_number) if change.old_number else Markup("")
                number = old + Markup("<ins>{}</ins>").format(number)
        title = self.words(change.words) if change.kind != "same" else self.inlines(node.title)
        css = _changed_css(change.kind) if change.kind != "same" else ""
        heading = Markup('<h{0} class="heading level-{1}{2}">{3}{4}</h{0}>').format(level, node.level, css, number,
                                                                                   title)
        return self.around(node, Markup('<section id="{}">\n{}\n{}\n</section>').format(
            node.anchor, heading, self.children(node.children)))

    # -- notes

    def note_call(self, number: int | None) -> Markup:
        if not self.ctx.for_print:
            return super().note_call(number)
        note = next((n for n in self.ctx.part.notes if n.number == number), None)
        if note is None:
            return super().note_call(number)
        change = self.marks.notes.get(id(note))
        css = "footnote rl-changed" if change is not None and change.kind != "same" else "footnote"
        call = Markup('<a class="note-call" href="#{}" id="{}" role="doc-noteref"><sup>{}</sup></a>').format(
            self.ctx.id(note.anchor), self.ctx.id(note.call_anchor), note.number)
        return call + Markup('<span class="{}" id="{}" data-n="{}" role="note">{}</span>').format(
            css, note.anchor, note.number, self.footnote(note))

    def footnote(self, note: Note) -> Markup:
        """A note's blocks at its call, on paper, and the items it lost with none left, struck."""
        writer = RedlineFootnoteWriter(self.ctx, self.marks, self.depth)
        return writer.blocks(note.blocks) + writer.lost(self.marks.trailing.get(id(note), []))

    def note(self, note: Note) -> Markup:
        change = self.marks.notes.get(id(note))
        number = escape(str(note.number))
        css = ""
        if change is not None and change.kind == "added":
            number, css = Markup("<ins>{}</ins>").format(number), "rl-changed rl-added"
        elif change is not None:
            if change.renumbered:
                number = Markup("<del>{}</del><ins>{}</ins>").format(change.old_number, number)
            css = "rl-changed" if change.kind != "same" else ""
        written = Markup(
            '<li id="{0}" value="{1}" class="{5}"><span class="note-num">{4}</span>{2}'
            '<a class="backref" href="#{3}" role="doc-backlink" aria-label="↩ {1}">↩</a></li>'
        ).format(self.ctx.id(note.anchor), note.number,
                 self.blocks(note.blocks) + self.lost(self.marks.trailing.get(id(note), [])),
                 self.ctx.id(note.call_anchor), number, css)
        return self.around(note, written)

    # -- tables

    def visit_Table(self, node: Table) -> Markup:
        written = super().visit_Table(node)
        change = self.marks.tables.get(id(node))
        if change is not None and change.kind == "added":
            written = Markup('<div class="rl-changed rl-added">{}</div>').format(written)
        return self.around(node, written)

    def visit_Figure(self, node: Figure) -> Markup:
        return self.around(node, super().visit_Figure(node))

    def children(self, children: tuple) -> Markup:
        """The part's blocks; what the old revision had and the new one lost with nothing of the old
        left after it, first."""
        lead = Markup("")
        if self.marks.leading and children is self.ctx.part.children:
            lead = self.lost(self.marks.leading)
        return lead + super().children(children)

    def inlines(self, inlines: tuple) -> Markup:
        if self.marks.part_added and inlines and inlines is self.ctx.part.title:
            return Markup("<ins>{}</ins>").format(super().inlines(inlines))
        table = self.table
        if table is not None and inlines is table.caption and id(table) in self.marks.captions:
            return self.words(self.marks.captions[id(table)])
        return super().inlines(inlines)

    def visit_TableRow(self, node: TableRow, table: Table, head: bool, index: int) -> Markup:
        cells = Markup("").join(self.visit(cell, table, head, column, index == 0)
                                for column, cell in enumerate(node.cells))
        kind = self.marks.rows.get(id(node))
        css = Markup(' class="{}"').format(_changed_css(kind).strip()) if kind else Markup("")
        return self.around(node, Markup("<tr{}{}>{}</tr>").format(
            self.print_id(f"{table.anchor}-row-{index}"), css, cells))

    def visit_TableCell(self, node: TableCell, table: Table, head: bool, column: int, first: bool) -> Markup:
        words = self.marks.cells.get(id(node))
        if words is None:
            return super().visit_TableCell(node, table, head, column, first)
        align = table.aligns[column] if column < len(table.aligns) else "left"
        tag, scope = ("th", "col") if head else ("th", "row") if column == 0 and align == "left" else ("td", None)
        scope_attr = Markup(' scope="{}"').format(scope) if scope else Markup("")
        return Markup('<{0}{1} class="align-{2} rl-cell">{3}</{0}>').format(Markup(tag), scope_attr, align,
                                                                          self.words(words))


class OldWriter(HtmlWriter):
    """What the old revision had and the new one lost, as the HTML writer writes it (struck out
    around it): its ids prefixed, its references links where their target was lost with it (an
    annex's reference to its own region) and plain text where not (the new revision's target of
    that name is another), its figures' bytes in the page (no file of the old revision is written
    beside it)."""

    def __init__(self, ctx: HtmlContext, depth: int = 1, lost: frozenset[str] = frozenset()) -> None:
        super().__init__(ctx, depth)
        self.lost = lost
        """The anchors of what is written struck out with it."""

    def visit_CrossRef(self, node: CrossRef) -> Markup:
        if node.anchor in self.lost:
            return super().visit_CrossRef(node)
        return escape(node.text or node.label)

    def visit_Figure(self, node: Figure) -> Markup:
        return HtmlWriter.visit_Figure(OldWriter(dataclasses.replace(self.ctx, for_print=True), self.depth), node) \
            if not self.ctx.for_print else super().visit_Figure(node)


def removed_part(part: Part, lang: str, index: int, for_print: bool) -> dict:
    """An annex the new revision removed, for the page template: where it stood, struck out whole
    (the template wraps it in ``<del>``), its change bars from the stylesheet."""
    lost = frozenset(node.anchor for node in (*iter_sections(part.children), *iter_paragraphs(part.children),
                                              *part.notes, *part.tables, *part.figures) if node.anchor)
    context = part_context(part, OldWriter(HtmlContext(part, part.language, for_print, id_prefix=OLD), lost=lost),
                           lang, index)
    return {**context, "entries": [], "change": "removed"}


def writer_for(marks_by_part: dict[int, Marks]):
    """The writer factory ``page_context`` takes: a redline writer for each part of the new revision."""
    def make(ctx: HtmlContext) -> HtmlWriter:
        marks = marks_by_part.get(id(ctx.part))
        return HtmlWriter(ctx) if marks is None else RedlineWriter(ctx, marks)
    return make


def _item_kind(change: ItemChange) -> str:
    node = change.old_node
    return "sub-paragraph" if isinstance(node, SubParagraph) else "quote" if isinstance(node, Quote) else "list item"


__all__ = ["Marks", "OldWriter", "RedlineWriter", "RedlineFootnoteWriter", "removed_part", "writer_for"]
