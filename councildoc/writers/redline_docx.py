"""WRITING A DOCX WITH TRACKED CHANGES: the new revision as the DOCX writer writes it, each change a
Word revision (``w:ins``, ``w:del``) with the author and date of the revision, so that a reviewer
accepts or rejects it in Word or LibreOffice (the UN editorial directive asks for changes to a
revised text to be shown with Word's track changes).

Pandoc writes a ``Span`` of class ``insertion`` or ``deletion`` with ``author`` and ``date`` as a
tracked run; what Pandoc cannot track is marked afterwards (:func:`track_marks`): the paragraph mark
of a paragraph inserted or deleted whole (so that rejecting or accepting leaves no empty
paragraph), the runs such a paragraph holds outside the spans (the tab after a number), and a
table row inserted or deleted whole.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

from lxml import etree

from ..diagnostics import Diagnostic
from ..model import (
    CrossRef,
    Document,
    Figure,
    Link,
    ListBlock,
    Note,
    Paragraph,
    Quote,
    Section,
    SubParagraph,
    Table,
    TableCell,
    TableRow,
)
from ..redline import Change, ItemChange, Marks, Redline, Token, tokens
from .docx import NS, TAB, W, _AstBuilder, _attr, _div, _Place, _str, _styled, _zip, write_docx

PAGE_BREAK = '<w:r><w:br w:type="page"/></w:r>'
"""Before a removed annex's designation: it starts a page, as it did (the break deleted with it)."""

Words = list[tuple[str, Token]]


class RedlineAstBuilder(_AstBuilder):
    """The new revision's Pandoc AST with the redline's changes as tracked insertions and deletions."""

    def __init__(self, document: Document, redline: Redline, author: str, date: str) -> None:
        super().__init__(document)
        self.marks = {id(part.part): Marks(part) for part in redline.parts if part.part is not None}
        self.removed_parts = [part.old_part for part in redline.parts if part.part is None and part.old_part]
        """The annexes the new revision removed (written struck out after the last part)."""
        self.author, self.date = author, date
        self.caption: tuple[tuple, Words] | None = None
        """The title of the table being written and its words, where they changed."""

    def annex_designation(self, part) -> list:
        """An annex the old revision did not have: its designation inserted too."""
        marks = self.marks.get(id(part))
        written = super().annex_designation(part)
        return self.tracked("+", written) if marks is not None and marks.part_added else written

    def _marks(self, place: _Place) -> Marks | None:
        return self.marks.get(id(place.part))

    def tracked(self, op: str, inlines: list) -> dict | list:
        if op == "=" or not inlines:
            return inlines
        kind = "insertion" if op == "+" else "deletion"
        return [{"t": "Span", "c": [_attr(classes=[kind], author=self.author, date=self.date), inlines]}]

    def words(self, words: Words, place: _Place) -> list:
        """The words, runs of inserted and deleted ones tracked; the space before a changed run is
        part of the change, so that accepting or rejecting leaves single spaces. Words that stand in
        a link (a language span) stay in it."""
        out: list = []
        written = {"old": False, "new": False}  # whether each revision's text has a word yet
        for op, run in itertools.groupby(words, key=lambda pair: pair[0]):
            sides = {"=": ("old", "new"), "+": ("new",), "-": ("old",)}[op]
            pieces: list[tuple[Token, list]] = []
            for _, token in run:
                lead: list = []
                if any(written[side] for side in sides) and not token.glued:
                    if op == "=" and written["old"] != written["new"]:  # a run deleted (inserted) at the start
                        lead += self.tracked("-" if written["old"] else "+", [{"t": "Space"}])
                    else:
                        lead.append({"t": "Space"})
                pieces.append((token, [*lead, self.token(token, op, place)]))
                written.update(dict.fromkeys(sides, True))
            inlines = self.within(pieces, 0)
            out += inlines if op == "=" else self.tracked(op, inlines)
        return out

    def within(self, pieces: list[tuple[Token, list]], depth: int) -> list:
        """The pieces, those whose words stand in one link or span (at ``depth``) in it; the space
        before the first stays outside."""
        out: list = []
        for inline, group in itertools.groupby(
                pieces, key=lambda piece: piece[0].within[depth] if len(piece[0].within) > depth else None):
            group = list(group)
            if inline is None:
                out += [written for _, inlines in group for written in inlines]
                continue
            first = list(group[0][1])
            lead = [first.pop(0)] if first and first[0] == {"t": "Space"} else []
            inner = self.within([(group[0][0], first), *group[1:]], depth + 1)
            out += [*lead, {"t": "Link", "c": [_attr(), inner, [inline.url, ""]]} if isinstance(inline, Link)
                    else {"t": "Span", "c": [_attr(lang=inline.lang), inner]}]
        return out

    def token(self, token: Token, op: str, place: _Place) -> dict:
        if token.node is None:
            written = _str(token.shown) if "code" not in token.styles else {"t": "Code", "c": [_attr(), token.shown]}
            for style in reversed(token.styles):
                if style != "code":
                    written = {"t": "Emph" if style == "emphasis" else "Strong", "c": [written]}
            return written
        if op != "-":
            return self.visit(token.node, place)
        marks = self._marks(place)
        removed = marks.removed_notes.get(token.node.label) if marks and token.call and not token.node.letter else None
        if removed is not None:  # the deleted call of a deleted note: the note goes with its call
            return {"t": "Note", "c": self.blocks(removed.old_node.blocks, _Place(place.part, note=True))}
        return {"t": "Superscript", "c": [_str(token.shown)]} if token.call else _str(token.shown)

    def visit_CrossRef(self, node: CrossRef, place: _Place) -> dict:
        written = super().visit_CrossRef(node, place)
        marks = self._marks(place)
        old = marks.references.get(node.label) if marks else None
        if old is None or node.text is None or old == node.text:
            return written
        return {"t": "Span", "c": [_attr(), [*self.tracked("-", [_str(old)]), *self.tracked("+", [written])]]}

    def note_blocks(self, part, note) -> list:
        """A footnote's blocks, and after them the items it lost with none left, deleted."""
        blocks = super().note_blocks(part, note)
        marks = self.marks.get(id(part))
        if marks is not None:
            blocks += self.all_removed(marks.trailing.get(id(note), []), _Place(part, note=True))
        return blocks

    # -- what the new revision lost

    def lost(self, node: object, place: _Place, before: bool = True, in_list: bool = False) -> list:
        marks = self._marks(place)
        if marks is None:
            return []
        return self.all_removed((marks.before if before else marks.after).get(id(node), []), place, in_list)

    def all_removed(self, changes: list, place: _Place, in_list: bool = False) -> list:
        """What the new revision lost, deleted; list items in a bulleted list of their own unless
        they stand in one (rejecting the deletion brings back a list, bullets and all)."""
        out: list = []
        for is_item, run in itertools.groupby(changes, key=lambda c: isinstance(c, ItemChange) and isinstance(
                c.old_node, tuple)):
            blocks = [block for change in run for block in self.removed(change, place)]
            out += [{"t": "BulletList", "c": [[block] for block in blocks]}] if is_item and not in_list else blocks
        return out

    def removed(self, change, place: _Place) -> list:
        if isinstance(change, TableRow):
            return []  # rows are written by visit_Table
        if isinstance(change, Change) and isinstance(change.old_node, (Table, Figure)):
            return self.struck(self.visit(change.old_node, place))  # no mark is keyed by an old node
        deleted = self.words(change.words, place)
        if isinstance(change, ItemChange):
            if isinstance(change.old_node, SubParagraph):
                style = place.style or "Sub-paragraph 1"
                return [_styled(style, [*self.tracked("-", [_str(change.old_marker or ""), TAB]), *deleted])]
            if isinstance(change.old_node, Quote):
                return [{"t": "BlockQuote", "c": [{"t": "Para", "c": deleted}]}]
            return [{"t": "Plain", "c": deleted}]
        if isinstance(change.old_node, Section):
            number = [_str(f"{change.old_number}. ")] if change.old_number else []
            return [_styled("Unnumbered Paragraph", self.tracked("-", [*number, *deleted]))]
        if isinstance(change.old_node, Note):
            return []  # its call is deleted where it stood, the note with it
        lead = self.tracked("-", [_str(f"{change.old_number}."), TAB]) if change.old_number is not None else []
        style = "Numbered Paragraph" if change.old_number is not None else "Unnumbered Paragraph"
        items = self.all_removed(change.items, place.inside())
        return [_styled(style, [*lead, *deleted]), *items]

    def struck(self, blocks: list) -> list:
        """Pandoc blocks with all their text deleted (``track_marks`` then deletes their paragraph
        marks and table rows too)."""
        for block in blocks:
            kind, content = block.get("t"), block.get("c")
            if kind in ("Para", "Plain"):
                block["c"] = self.tracked("-", content)
            elif kind == "Header":
                content[2] = self.tracked("-", content[2])
            elif kind == "Div":
                self.struck(content[1])
            elif kind == "BlockQuote":
                self.struck(content)
            elif kind in ("BulletList", "OrderedList"):
                for item in content if kind == "BulletList" else content[1]:
                    self.struck(item)
            elif kind == "Table":
                for row in [*content[3][1], *(r for body in content[4] for r in body[3])]:
                    for cell in row[1]:
                        self.struck(cell[4])
        return blocks

    def ast(self) -> dict:
        """The new revision, then each annex it removed, struck out whole where it stood (after the
        last part, on a page of its own): rejecting every change brings it back."""
        written = super().ast()
        for part in self.removed_parts:
            place = _Place(part, top=True)
            head = [_styled("Annex Heading", [{"t": "RawInline", "c": ["openxml", PAGE_BREAK]},
                                              _str(part.designation or "")])]
            if part.title:
                head.append(_styled("Annex Title", _AstBuilder.inlines(self, part.title, place)))
            content = self.struck([*head, *self.blocks(part.children, place)])
            written["blocks"].append(_div(content, lang=part.lang) if part.lang != self.document.meta.lang
                                     else _div(content))
        return written

    def blocks(self, blocks: tuple, place: _Place) -> list:
        marks = self._marks(place) if place.top and blocks is place.part.children else None
        lead = self.all_removed(marks.leading, place) if marks else []
        return [*lead, *super().blocks(blocks, place)]

    # -- headings

    def visit_Section(self, node: Section, place: _Place) -> list:
        marks = self._marks(place)
        change = marks.headings.get(id(node)) if marks else None
        written = super().visit_Section(node, place)
        if change is not None and (change.kind != "same" or change.old_number != change.new_number):
            heading = written[0]
            title = self.words(change.words, place) if change.kind != "same" else self.inlines(node.title, place)
            number: list = []
            if node.number:
                if change.kind == "added" or change.old_number != change.new_number:
                    old = self.tracked("-", [_str(f"{change.old_number}. ")]) if change.old_number else []
                    number = [*old, *self.tracked("+", [_str(f"{node.number}. ")])]
                else:
                    number = [_str(f"{node.number}. ")]
            if heading["t"] == "Header":
                heading["c"][2] = [*number, *title]
            else:  # an annex's region heading: a styled div holding one paragraph
                heading["c"][1][0]["c"] = [*number, *title]
        return [*self.lost(node, place), *written]

    # -- paragraphs, items, notes

    def visit_Paragraph(self, node: Paragraph, place: _Place) -> list:
        marks = self._marks(place)
        words = marks.text.get(id(node)) if marks else None
        if words is not None and not place.top:
            text = [*place.lead, *self.words(words, place)]
            written = _styled(place.style, text) if place.style else {"t": "Plain" if place.compact else "Para",
                                                                     "c": text}
            return [written, *self.blocks(node.attachments, place.inside())]
        if not place.top:
            return super().visit_Paragraph(node, place)
        marks = self._marks(place)
        trailing = self.all_removed(marks.trailing.get(id(node), []), place.inside()) if marks else []
        return [*self.lost(node, place), *self.house_paragraph(node, place), *trailing, *self.lost(node, place, False)]

    def house_paragraph(self, paragraph: Paragraph, place: _Place) -> list:
        marks = self._marks(place)
        change = marks.paragraphs.get(id(paragraph)) if marks else None
        if change is None or (change.kind == "same" and not change.renumbered):
            return super().house_paragraph(paragraph, place)
        rewritten = change.kind == "added" or any(op != "=" for op, _ in change.words)
        inlines: list = []
        if paragraph.number is not None:
            number = [_str(f"{paragraph.number}.")]
            if change.kind == "added":
                inlines += self.tracked("+", [*number, TAB])
            else:
                if change.renumbered:
                    number = [*self.tracked("-", [_str(f"{change.old_number}.")]), *self.tracked("+", number)]
                inlines += [*number, TAB]
        if rewritten:
            inlines += self.words(change.words, place)
        else:
            if paragraph.term is not None:
                term = self.inlines(paragraph.term, place) + [_str(place.part.language.entry_separator)]
                inlines.append({"t": "Span", "c": [_attr(custom_style="Entry Term"), term]})
                inlines.append(_str(" "))
            inlines += self.inlines(paragraph.inlines, place)
        style = ("Annex Entry" if paragraph.term is not None else
                 "Numbered Paragraph" if paragraph.number is not None else "Unnumbered Paragraph")
        return [_styled(style, inlines), *self.blocks(paragraph.attachments, place.inside())]

    def visit_SubParagraph(self, node: SubParagraph, place: _Place) -> list:
        marks = self._marks(place)
        item = marks.items.get(id(node)) if marks else None
        if item is None or (item.kind == "same" and not item.renumbered):
            written = super().visit_SubParagraph(node, place)
        else:
            marker = [_str(node.marker or "")]
            if item.kind == "added":
                lead = tuple(self.tracked("+", [*marker, TAB]))
            elif item.renumbered:
                lead = (*self.tracked("-", [_str(item.old_marker or "")]), *self.tracked("+", marker), TAB)
            else:
                lead = (*marker, TAB)
            blocks = node.blocks
            head = self.visit(blocks[0], replace(place, lead=lead)) if blocks and isinstance(blocks[0], Paragraph) \
                else [_styled(place.style or "", list(lead))]
            rest = blocks[1:] if blocks and isinstance(blocks[0], Paragraph) else blocks
            written = [*head, *self.blocks(rest, replace(place, style=f"{place.style} Continued"))]
        return [*self.lost(node, place), *written, *self.lost(node, place, False)]

    def visit_ListBlock(self, node: ListBlock, place: _Place) -> list:
        inner = place.inside(compact=True)
        items = []
        for item in node.items:
            items += [[block] for block in self.lost(item, inner, in_list=True)]
            items.append(self.blocks(item, inner))
            items += [[block] for block in self.lost(item, inner, False, in_list=True)]
        return [{"t": "BulletList", "c": items}]

    def visit_Quote(self, node: Quote, place: _Place) -> list:
        return [*self.lost(node, place), *super().visit_Quote(node, place), *self.lost(node, place, False)]

    # -- tables

    def inlines(self, inlines: tuple, place: _Place) -> list:
        marks = self._marks(place)
        if marks is not None and marks.part_added and inlines and inlines is place.part.title:
            return self.tracked("+", super().inlines(inlines, place))
        if self.caption is not None and inlines and inlines is self.caption[0]:
            return self.words(self.caption[1], place)
        return super().inlines(inlines, place)

    def visit_Figure(self, node: Figure, place: _Place) -> list:
        return [*self.lost(node, place), *super().visit_Figure(node, place), *self.lost(node, place, False)]

    def visit_Table(self, node: Table, place: _Place) -> list:
        marks = self._marks(place)
        words = marks.captions.get(id(node)) if marks else None
        self.caption = (node.caption, words) if words is not None else None
        written = super().visit_Table(node, place)
        self.caption = None
        if marks is None:
            return written
        written = [*self.lost(node, place), *written, *self.lost(node, place, False)]
        table = next(block for block in written if block.get("t") == "Table")
        cells = place.inside()
        columns = len(table["c"][2])
        for section, rows in ((table["c"][3], node.head), (table["c"][4][0], node.body)):
            pandoc_rows = section[1] if section is table["c"][3] else section[3]
            out = []
            for row, pandoc_row in zip(rows, pandoc_rows, strict=True):
                out += [self.removed_row(gone, cells, columns) for gone in marks.before.get(id(row), [])]
                out.append(pandoc_row)
                out += [self.removed_row(gone, cells, columns) for gone in marks.after.get(id(row), [])]
            pandoc_rows[:] = out
        return written

    def removed_row(self, row: TableRow, place: _Place, columns: int) -> list:
        """A row the old revision had, struck, in as many cells as the new table has columns (Pandoc
        refuses a row of fewer): when the old table had fewer columns the row ends in empty cells;
        when it had more, its last cell holds the words of the old cells that have no column now."""
        words = [[("-", t) for t in tokens(cell.inlines)] for cell in row.cells]
        if len(words) > columns:
            words[columns - 1:] = [[word for cell in words[columns - 1:] for word in cell]]
        words += [[] for _ in range(columns - len(words))]
        return [_attr(), [[_attr(), {"t": "AlignDefault"}, 1, 1, [{"t": "Plain", "c": self.words(cell, place)}]]
                          for cell in words]]

    def visit_TableCell(self, node: TableCell, place: _Place) -> list:
        marks = self._marks(place)
        words = marks.cells.get(id(node)) if marks else None
        if words is None:
            return super().visit_TableCell(node, place)
        return [_attr(), {"t": "AlignDefault"}, 1, 1, [{"t": "Plain", "c": self.words(words, place)}]]


# --------------------------------------------------------------------------
# What Pandoc cannot track

_P, _R, _TR = f"{{{W}}}p", f"{{{W}}}r", f"{{{W}}}tr"
_INS, _DEL = f"{{{W}}}ins", f"{{{W}}}del"


def _tracked_by(run) -> str | None:
    for ancestor in run.iterancestors():
        if ancestor.tag in (_INS, _DEL):
            return ancestor.tag
        if ancestor.tag == _P:
            return None
    return None


def _revision(tag: str, author: str, date: str, ids: itertools.count):
    element = etree.Element(tag)
    element.set(f"{{{W}}}id", str(next(ids)))
    element.set(f"{{{W}}}author", author)
    element.set(f"{{{W}}}date", date)
    return element


def _whole(element) -> str | None:
    """``w:ins`` or ``w:del`` when every run with text (or a picture) in ``element`` is inserted, or deleted."""
    runs = [r for r in element.iter(_R) if any(r.find(f"w:{what}", NS) is not None
                                               for what in ("t", "delText", "drawing"))]
    kinds = {_tracked_by(r) for r in runs}
    return kinds.pop() if runs and len(kinds) == 1 and None not in kinds else None


def _links_outside(root) -> None:
    """A hyperlink Pandoc wrote inside a ``w:ins`` or ``w:del`` stands outside it, the revision
    inside the hyperlink, around its runs — as Word writes it (a revision holds runs only; LibreOffice
    drops a hyperlink inside one, text and all)."""
    for link in list(root.iter(f"{{{W}}}hyperlink")):
        revision = link.getparent()
        if revision.tag not in (_INS, _DEL):
            continue
        pieces, current = [], None
        for child in list(revision):
            if child.tag == f"{{{W}}}hyperlink":
                inner = etree.SubElement(child, revision.tag, dict(revision.attrib))
                for run in [c for c in child if c is not inner]:
                    inner.append(run)
                pieces.append(child)
                current = None
                continue
            if current is None:
                current = etree.Element(revision.tag, dict(revision.attrib))
                pieces.append(current)
            current.append(child)
        for piece in pieces:
            revision.addprevious(piece)
        revision.getparent().remove(revision)


def track_marks(xml: bytes, author: str, date: str, first_id: int = 1) -> bytes:
    """Paragraphs and table rows inserted or deleted whole get their mark tracked, and their
    untracked runs (a tab, a note's reference) go into the same revision; every revision gets an id
    of its own."""
    root = etree.fromstring(xml)
    _links_outside(root)
    ids = itertools.count(first_id)
    for row in root.iter(_TR):
        kind = _whole(row)
        if kind is None:
            continue
        properties = row.find("w:trPr", NS)
        if properties is None:
            properties = etree.SubElement(row, f"{{{W}}}trPr")
            row.insert(0, properties)
        properties.append(_revision(kind, author, date, ids))
    for paragraph in list(root.iter(_P)):
        kind = _whole(paragraph)
        if kind is None:
            continue
        for run in list(paragraph.iter(_R)):
            if _tracked_by(run) is None and run.getparent().tag != f"{{{W}}}rPr":
                wrapper = _revision(kind, author, date, ids)
                run.addprevious(wrapper)
                wrapper.append(run)
                if kind == _DEL:
                    for text in run.findall("w:t", NS):
                        text.tag = f"{{{W}}}delText"
        properties = paragraph.find("w:pPr", NS)
        if properties is None:
            properties = etree.Element(f"{{{W}}}pPr")
            paragraph.insert(0, properties)
        run_properties = properties.find("w:rPr", NS)
        if run_properties is None:
            run_properties = etree.SubElement(properties, f"{{{W}}}rPr")
        run_properties.insert(0, _revision(kind, author, date, ids))
    numbered = itertools.count(first_id)
    for element in root.iter(_INS, _DEL):
        element.set(f"{{{W}}}id", str(next(numbered)))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def write_redline_docx(document: Document, redline: Redline, styles_dir: Path, author: str,
                       date: str) -> tuple[bytes | None, list[Diagnostic]]:
    """The new revision's DOCX with the redline's changes tracked, by ``author`` on ``date`` (ISO 8601)."""
    import io
    import zipfile

    ast = RedlineAstBuilder(document, redline, author, date).ast()
    docx, problems = write_docx(document, styles_dir, ast=ast)
    if docx is None:
        return None, problems
    source = zipfile.ZipFile(io.BytesIO(docx))
    parts = {name: source.read(name) for name in source.namelist()}
    for first_id, name in ((1, "word/document.xml"), (1_000_000, "word/footnotes.xml")):
        if name in parts:  # revision ids are unique in the whole package
            parts[name] = track_marks(parts[name], author, date, first_id)
    return _zip(parts), problems
