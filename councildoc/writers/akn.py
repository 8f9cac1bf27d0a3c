"""WRITING Akoma Ntoso 3.0: one XML document per edition, for archives and legislative systems.

The edition is an AKN ``doc`` (the AKN4UN guidelines' type for a document that is not an act):
FRBR metadata in ``meta`` (the work is the document in every language, the expression is this
edition, the manifestation this file), the masthead in the ``preface``, the body in ``mainBody``
and each annex an ``attachment`` holding a ``doc`` of its own.

Sections are ``section`` (``subsection`` below, then ``level``), numbered paragraphs ``paragraph``
with their ``num``; sub-paragraphs ``list`` and ``point`` with their marker as ``num``; a note is
an ``authorialNote`` at its call, with its number as ``marker``; a cross-reference is a ``ref``
whose ``href`` is ``#`` and the target's ``eId``. Inside a note or a quotation, where AKN allows
only blocks, sub-paragraphs are a ``blockList`` of ``item``.

A table, which AKN's hierarchy holds only inside a ``content``, is an ``hcontainer`` named ``table``
whose ``content`` holds the ``table`` (eId ``table_`` and its number in the document): ``caption``
with the number (an ``inline`` named ``tableNumber``, ``Table 3``) and the title, a ``tr`` per row,
``th`` for the head rows' cells and ``td`` for the others, each with a ``p``; then the source line, a
``p`` of class ``table-source``. A table note is an ``authorialNote`` at its call with its letter as
``marker``, its eId under the table's and ``placementBase`` pointing at the table (it is set under
the table, not at the foot of the page); ``@tbl:`` refers to the ``table``.

``eId`` s follow the Akoma Ntoso Naming Convention 1.0 (chapter 5): the parent's ``eId``, ``__``,
the element's abbreviation (``sec``, ``subsec``, ``para``, ``list``, ``point``, ``att``…) and its
number stripped of punctuation (``(b)`` → ``b``), or, for an element without a number, ``nn_``
and its rank among its unnumbered siblings of that name. Everything inside an annex starts with
the attachment's ``eId`` (``att_2__para_3``): numbering restarts in each annex, the ids do not clash.

The schema (OASIS Akoma Ntoso 3.0, ``councildoc/schemas/akn``) is what the tests validate against;
:func:`validate` gives its verdict on a written file.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..diagnostics import Diagnostic, SourcePos, error
from ..model import (
    BLOCK_TYPES,
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
from ..visitor import Visitor

AKN = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
COUNCILDOC = "https://councildoc.invalid/ns/akn-metadata/1"
"""The namespace of what AKN has no element for (the session's number), in ``proprietary``."""
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "akn" / "akomantoso30.xsd"

AUTHOR = "iom"
"""The TLC organization that is author of every work, expression and manifestation."""
SECTION_ELEMENTS = {1: ("section", "sec"), 2: ("subsection", "subsec")}
"""A section's element and its eId abbreviation, by level; deeper sections are ``level``."""


def _q(name: str) -> str:
    return f"{{{AKN}}}{name}"


def element(parent: etree._Element | None, tag: str, text: str | None = None, **attributes: str
            ) -> etree._Element:
    node = etree.Element(_q(tag)) if parent is None else etree.SubElement(parent, _q(tag))
    for key, value in attributes.items():
        node.set(key, value)
    if text is not None:
        node.text = text
    return node


def eid_number(number: str) -> str:
    """A number as an eId has it: ``(b)`` → ``b``, ``IV.`` → ``IV``, ``ii)`` → ``ii``."""
    return re.sub(r"[^0-9A-Za-z]+", "", number) or "nn"


@dataclass
class Ids:
    """The eIds of one container's children: numbered ones by number, the others by rank."""

    prefix: str
    """The container's eId, or empty at the top of the document."""
    unnumbered: Counter = field(default_factory=Counter)

    def child(self, abbreviation: str, number: str | None) -> str:
        if number is None:
            self.unnumbered[abbreviation] += 1
            name = f"{abbreviation}_nn_{self.unnumbered[abbreviation]}"
        else:
            name = f"{abbreviation}_{eid_number(number)}"
        return f"{self.prefix}__{name}" if self.prefix else name


@dataclass
class PartState:
    """What the writers of one part share: the part, its eId prefix, and what the document collects."""

    part: Part
    prefix: str
    """The part's eId (``att_2``), empty for the body."""
    eids: dict[str, str]
    """The eId of every reference target written so far, by the model's anchor."""
    refs: list[tuple[etree._Element, CrossRef]]
    """Every ``ref`` written, to be pointed at its target once the whole document is written."""

    def numbered(self, parent: etree._Element, tag: str, ids: Ids, abbreviation: str, number: str | None,
                 num: str | None, anchor: str | None) -> tuple[etree._Element, str]:
        """A new element with its eId (recorded as the target of references to ``anchor``) and its ``num``."""
        eid = ids.child(abbreviation, number)
        if anchor:
            self.eids[anchor] = eid
        node = element(parent, tag, eId=eid)
        if num is not None:
            element(node, "num", num)
        return node, eid


class ContentWriter(Visitor):
    """Inlines and the blocks AKN allows inside ``content``, a note or a quotation.

    ``visit(node, parent, ids)`` appends to ``parent``: an inline as text or an inline element
    (lxml's text and tails), a block as one or more block elements. Sub-paragraphs are a
    ``blockList`` of ``item`` here, AKN having no hierarchy inside a block.
    """

    def __init__(self, state: PartState) -> None:
        self.state = state
        self.note_by_number = {note.number: note for note in state.part.notes}
        self.table: tuple[Table, str] | None = None
        """The table being written and its eId (a note called in it is a table note)."""

    def inlines(self, inlines: tuple[Inline, ...], parent: etree._Element) -> etree._Element:
        for inline in inlines:
            self.visit(inline, parent)
        return parent

    def blocks(self, blocks: tuple[Block, ...], parent: etree._Element, eid: str) -> None:
        ids = Ids(eid)
        for block in blocks:
            self.visit(block, parent, ids)

    # -- inlines

    def visit_Text(self, node: Text, parent: etree._Element) -> None:
        add_text(parent, node.text)

    def visit_Emphasis(self, node: Emphasis, parent: etree._Element) -> None:
        self.inlines(node.children, element(parent, "i"))

    def visit_Strong(self, node: Strong, parent: etree._Element) -> None:
        self.inlines(node.children, element(parent, "b"))

    def visit_Code(self, node: Code, parent: etree._Element) -> None:
        element(parent, "span", node.text, **{"class": "code"})

    def visit_Link(self, node: Link, parent: etree._Element) -> None:
        self.inlines(node.children, element(parent, "a", href=node.url))

    def visit_LineBreak(self, node: LineBreak, parent: etree._Element) -> None:
        element(parent, "eol")

    def visit_Span(self, node: Span, parent: etree._Element) -> None:
        self.inlines(node.children, element(parent, "span", **{XML_LANG: node.lang}))

    def visit_NoteCall(self, node: NoteCall, parent: etree._Element) -> None:
        """The note itself, at its call: AKN's ``authorialNote`` with its number as marker.
        Numbered in its part, its eId hangs on the part wherever it is called. A table note has its
        letter as marker, its eId hangs on the table's, and it is placed under the table
        (``placementBase``), not at the foot of the page."""
        if node.letter is not None:
            self.table_note(node, parent)
            return
        note = self.note_by_number[node.number]
        eid = Ids(self.state.prefix).child("authorialNote", str(note.number))
        self.state.eids[note.anchor] = eid
        call = element(parent, "authorialNote", marker=str(note.number), placement="bottom", eId=eid)
        self.blocks(note.blocks, call, eid)

    def table_note(self, node: NoteCall, parent: etree._Element) -> None:
        if self.table is None:
            raise ValueError(f"{node.pos}: a table note's call outside its table cannot be written")
        table, table_eid = self.table
        note = next(n for n in table.notes if n.letter == node.letter)
        eid = Ids(table_eid).child("authorialNote", note.letter)
        self.state.eids[note.anchor] = eid
        call = element(parent, "authorialNote", marker=note.letter, placement="bottom",
                       placementBase=f"#{table_eid}", eId=eid, **{"class": "table-note"})
        self.blocks(note.blocks, call, eid)

    def visit_CrossRef(self, node: CrossRef, parent: etree._Element) -> None:
        ref = element(parent, "ref", node.text, href="#")
        self.state.refs.append((ref, node))

    # -- blocks

    def visit_Paragraph(self, node: Paragraph, parent: etree._Element, ids: Ids) -> None:
        """The paragraph's own text as one ``p``, an annex entry's lead-in in bold before it,
        then what is attached to it."""
        p = element(parent, "p")
        if node.term is not None:
            term = self.inlines(node.term, element(p, "b"))
            add_text(term, self.state.part.language.entry_separator)
            if node.inlines and not isinstance(node.inlines[0], NoteCall):
                add_text(p, " ")
        self.inlines(node.inlines, p)
        for attachment in node.attachments:
            self.visit(attachment, parent, ids)

    def visit_ListBlock(self, node: ListBlock, parent: etree._Element, ids: Ids) -> None:
        ul = element(parent, "ul")
        for item in node.items:
            li = element(ul, "li")
            for child in item:
                self.visit(child, li, ids)

    def visit_Quote(self, node: Quote, parent: etree._Element, ids: Ids) -> None:
        eid = ids.child("blockContainer", None)
        self.blocks(node.blocks, element(parent, "blockContainer", eId=eid, **{"class": "quote"}), eid)

    def visit_SubParagraphList(self, node: SubParagraphList, parent: etree._Element, ids: Ids) -> None:
        eid = ids.child("list", None)
        block_list = element(parent, "blockList", eId=eid, **{"class": f"degree-{node.degree}"})
        self.blocks(node.items, block_list, eid)

    def visit_SubParagraph(self, node: SubParagraph, parent: etree._Element, ids: Ids) -> None:
        item, eid = self.state.numbered(parent, "item", ids, "item", node.marker, node.marker or "", node.anchor)
        self.blocks(node.blocks, item, eid)

    def visit_Section(self, node: Section, parent: etree._Element, ids: Ids) -> None:
        raise ValueError(f"{node.pos}: a heading inside a paragraph's text cannot be written")

    def visit_Table(self, node: Table, parent: etree._Element, ids: Ids) -> None:
        """A ``table``: its number and title as ``caption`` (the number an ``inline`` named
        ``tableNumber``), a ``tr`` per row, head cells ``th`` and the others ``td``, each holding a
        ``p``; the table notes at their calls; then the source line as a ``p``."""
        number = str(node.number) if node.number is not None else None
        eid = ids.child("table", number)
        if node.anchor:
            self.state.eids[node.anchor] = eid
        table = element(parent, "table", eId=eid, **{"class": "council-table"})
        words = self.state.part.language
        outer, self.table = self.table, (node, eid)
        try:
            caption = element(table, "caption")
            element(caption, "inline", f"{words.table} {number or ''}".rstrip(), name="tableNumber")
            add_text(caption, " ")
            self.inlines(node.caption, caption)
            for row in node.head:
                self.visit(row, table, node, True)
            for row in node.body:
                self.visit(row, table, node, False)
        finally:
            self.table = outer
        if node.source is not None:
            source = element(parent, "p", **{"class": "table-source"})
            element(source, "inline", words.table_source, name="tableSourceWord")
            add_text(source, " ")
            self.inlines(node.source, source)

    def visit_Figure(self, node: Figure, parent: etree._Element, ids: Ids) -> None:
        """A figure: a ``p`` with its number (an ``inline`` named ``figureNumber``), its title and the
        image as an ``img`` (the file beside the edition's other outputs, its text alternative as ``alt``)."""
        number = str(node.number) if node.number is not None else None
        eid = ids.child("img", number)
        if node.anchor:
            self.state.eids[node.anchor] = eid
        figure = element(parent, "p", **{"class": "figure"})
        element(figure, "inline", f"{self.state.part.language.figure} {number or ''}".rstrip(), name="figureNumber")
        add_text(figure, " ")
        self.inlines(node.caption, figure)
        element(figure, "img", eId=eid, src=node.src, alt=node.alt)

    def visit_TableRow(self, node: TableRow, parent: etree._Element, table: Table, head: bool) -> None:
        row = element(parent, "tr")
        for column, cell in enumerate(node.cells):
            self.visit(cell, row, table, head, column)

    def visit_TableCell(self, node: TableCell, parent: etree._Element, table: Table, head: bool,
                        column: int) -> None:
        align = table.aligns[column] if column < len(table.aligns) else "left"
        cell = element(parent, "th" if head else "td", **{"class": f"align-{align}"})
        self.inlines(node.inlines, element(cell, "p"))


class HierarchyWriter(Visitor):
    """Sections, numbered paragraphs and sub-paragraphs as AKN's hierarchy, each with its eId and ``num``;
    the text inside them is the :class:`ContentWriter`'s."""

    covers = BLOCK_TYPES

    def __init__(self, state: PartState) -> None:
        self.state = state
        self.content = ContentWriter(state)

    def children(self, children: tuple, parent: etree._Element, ids: Ids) -> None:
        for child in children:
            self.visit(child, parent, ids)

    def visit_Section(self, node: Section, parent: etree._Element, ids: Ids) -> None:
        name, abbreviation = SECTION_ELEMENTS.get(node.level, ("level", "level"))
        section, eid = self.state.numbered(parent, name, ids, abbreviation, node.number,
                                           f"{node.number}." if node.number else None, node.anchor)
        self.content.inlines(node.title, element(section, "heading"))
        if node.children:
            self.children(node.children, section, Ids(eid))
        else:
            element(element(section, "content", eId=f"{eid}__content"), "p")

    def visit_Paragraph(self, node: Paragraph, parent: etree._Element, ids: Ids) -> None:
        number = str(node.number) if node.number is not None else None
        paragraph, eid = self.state.numbered(parent, "paragraph", ids, "para", number,
                                             f"{number}." if number else None, node.anchor)
        self.body(paragraph, eid, (node,))

    def visit_SubParagraphList(self, node: SubParagraphList, parent: etree._Element, ids: Ids) -> None:
        eid = ids.child("list", None)
        self.children(node.items, element(parent, "list", eId=eid, **{"class": f"degree-{node.degree}"}), Ids(eid))

    def visit_SubParagraph(self, node: SubParagraph, parent: etree._Element, ids: Ids) -> None:
        point, eid = self.state.numbered(parent, "point", ids, "point", node.marker, node.marker or "", node.anchor)
        self.body(point, eid, node.blocks)

    def visit_ListBlock(self, node: ListBlock, parent: etree._Element, ids: Ids) -> None:
        self.text_container(node, parent, ids)

    def visit_Quote(self, node: Quote, parent: etree._Element, ids: Ids) -> None:
        self.text_container(node, parent, ids)

    def visit_Table(self, node: Table, parent: etree._Element, ids: Ids) -> None:
        """A table among the paragraphs of a part or a section: AKN's hierarchy holds a ``table``
        (a block) only in a ``content``, here that of an ``hcontainer`` named ``table``."""
        self.text_container(node, parent, ids, "table")

    def visit_Figure(self, node: Figure, parent: etree._Element, ids: Ids) -> None:
        self.text_container(node, parent, ids, "figure")

    def visit_TableRow(self, node: TableRow, parent: etree._Element, ids: Ids) -> None:
        raise AssertionError("a table's rows are written by its table")  # pragma: no cover

    def visit_TableCell(self, node: TableCell, parent: etree._Element, ids: Ids) -> None:
        raise AssertionError("a table's cells are written by its table")  # pragma: no cover

    def text_container(self, block: Block, parent: etree._Element, ids: Ids, name: str = "text") -> None:
        """A block between two lists of sub-paragraphs (or after one), or a table: AKN's hierarchy
        holds text only in a container of its own."""
        eid = ids.child("hcontainer", None)
        container = element(parent, "hcontainer", eId=eid, name=name)
        self.content.blocks((block,), element(container, "content", eId=f"{eid}__content"), f"{eid}__content")

    def body(self, parent: etree._Element, eid: str, blocks: tuple[Block, ...]) -> None:
        """A paragraph's or a point's text: one ``content`` when it has no sub-paragraphs; else its
        first text as ``intro``, each list of sub-paragraphs a ``list``, any text after in containers."""
        if not any(isinstance(piece, SubParagraphList) for block in blocks for piece in _unattached(block)):
            self.content.blocks(blocks, element(parent, "content", eId=f"{eid}__content"), f"{eid}__content")
            return
        blocks = tuple(piece for block in blocks for piece in _unattached(block))
        ids = Ids(eid)
        if not isinstance(blocks[0], SubParagraphList):
            self.content.blocks(blocks[:1], element(parent, "intro", eId=f"{eid}__intro"), f"{eid}__intro")
            blocks = blocks[1:]
        for block in blocks:
            if isinstance(block, Paragraph):
                self.text_container(block, parent, ids)
            else:
                self.visit(block, parent, ids)


def _unattached(block: Block) -> tuple[Block, ...]:
    """A paragraph's text and what is attached to it, side by side."""
    if isinstance(block, Paragraph) and block.attachments:
        return (Paragraph(block.inlines, block.pos, term=block.term, numbered=False), *block.attachments)
    return (block,)


def add_text(parent: etree._Element, text: str) -> None:
    """``text`` at the end of ``parent``'s mixed content."""
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


# --------------------------------------------------------------------------
# The document: metadata, preface, body, attachments


@dataclass(frozen=True)
class Uris:
    """The FRBR URIs of one edition (Naming Convention chapter 4)."""

    work: str
    expression: str
    manifestation: str

    @classmethod
    def of(cls, document: Document, language: str, component: str = "") -> Uris:
        meta = document.meta
        work = f"/akn/{AUTHOR}/doc/council/{meta.date.isoformat()}/{document.name}"
        expression = f"{work}/{language}@{component}"
        return cls(work + component, expression, f"{expression}.akn")


def frbr(meta_node: etree._Element, document: Document, language: str, original: str, component: str = "",
         text_language: str = "") -> None:
    """The FRBR identification; ``text_language`` is an annex's own language where it is not the edition's."""
    meta = document.meta
    uris = Uris.of(document, language, component)
    identification = element(meta_node, "identification", source=f"#{AUTHOR}")
    date = meta.date.isoformat()

    work = element(identification, "FRBRWork")
    element(work, "FRBRthis", value=uris.work)
    element(work, "FRBRuri", value=Uris.of(document, language).work)
    element(work, "FRBRalias", name="symbol", value=meta.symbol)
    element(work, "FRBRdate", date=date, name="issued")
    element(work, "FRBRauthor", href=f"#{AUTHOR}")
    element(work, "FRBRcountry", value=AUTHOR)
    element(work, "FRBRnumber", value=meta.symbol)

    expression = element(identification, "FRBRExpression")
    element(expression, "FRBRthis", value=uris.expression)
    element(expression, "FRBRuri", value=Uris.of(document, language).expression)
    element(expression, "FRBRdate", date=date, name="issued")
    element(expression, "FRBRauthor", href=f"#{AUTHOR}")
    element(expression, "FRBRauthoritative", value="true" if language == original else "false")
    element(expression, "FRBRlanguage", language=text_language or language)
    if language != original:
        element(expression, "FRBRtranslation", href=Uris.of(document, original).expression,
                fromLanguage=original, by=f"#{AUTHOR}")

    manifestation = element(identification, "FRBRManifestation")
    element(manifestation, "FRBRthis", value=uris.manifestation)
    element(manifestation, "FRBRuri", value=Uris.of(document, language).manifestation)
    element(manifestation, "FRBRdate", date=date, name="generated")
    element(manifestation, "FRBRauthor", href=f"#{AUTHOR}")
    element(manifestation, "FRBRformat", value="application/akn+xml")


def references(meta_node: etree._Element) -> None:
    refs = element(meta_node, "references", source=f"#{AUTHOR}")
    element(refs, "TLCOrganization", eId=AUTHOR, href=f"/akn/ontology/organizations/{AUTHOR}",
            showAs="International Organization for Migration")


def proprietary(meta_node: etree._Element, document: Document) -> None:
    node = element(meta_node, "proprietary", source=f"#{AUTHOR}")
    etree.SubElement(node, f"{{{COUNCILDOC}}}session", nsmap={"councildoc": COUNCILDOC}).text = str(
        document.meta.session)


def preface(doc: etree._Element, document: Document, writer: ContentWriter) -> None:
    """The masthead: symbol, original language, date, session, title and subtitle."""
    meta = document.meta
    words = document.language
    node = element(doc, "preface")
    element(element(node, "p", **{"class": "symbol"}), "docNumber", meta.symbol)
    element(node, "p", f"{words.original} {words.language_name(meta.original_lang)}", **{"class": "original"})
    element(element(node, "p", **{"class": "date"}), "docDate", words.long_date(meta.date), date=meta.date.isoformat())
    if meta.session_title:
        element(element(node, "p", **{"class": "session"}), "session", meta.session_title, value=str(meta.session))
    long_title = element(node, "longTitle", eId="longTitle")
    title = writer.inlines(meta.title, element(element(long_title, "p"), "docTitle"))
    if meta.title_note:
        note = next(n for n in document.body.notes if n.label == meta.title_note)
        if not any(isinstance(i, NoteCall) for i in meta.title):
            writer.visit(NoteCall(note.label, note.call_pos, note.number), title)
    if meta.subtitle:
        writer.inlines(meta.subtitle, element(element(long_title, "p", **{"class": "subtitle"}), "docTitle"))


def part_body(part: Part, parent: etree._Element, writer: HierarchyWriter, prefix: str) -> None:
    main = element(parent, "mainBody")
    if not part.children:
        element(main, "p")
        return
    writer.children(part.children, main, Ids(prefix))


def write_akn(document: Document) -> tuple[bytes | None, list[Diagnostic]]:
    """The Akoma Ntoso document of one edition, or the diagnostics that stopped it."""
    meta = document.meta
    language = document.language.iso_639_2
    if not language:
        return None, [error(SourcePos(document.path, 1, 1),
                            f"Akoma Ntoso names an edition by its ISO 639-2 language code, and language "
                            f"'{meta.lang}' has none",
                            hint=f"add 'iso-639-2: <code>' to languages/{meta.lang}.yaml")]
    original = _iso_639_2(document, meta.original_lang) or meta.original_lang
    eids: dict[str, str] = {}
    refs: list[tuple[etree._Element, CrossRef]] = []

    root = etree.Element(_q("akomaNtoso"), nsmap={None: AKN})
    doc = element(root, "doc", name="councilDocument")
    meta_node = element(doc, "meta")
    frbr(meta_node, document, language, original, "")
    references(meta_node)
    proprietary(meta_node, document)

    body = PartState(document.body, "", eids, refs)
    preface(doc, document, ContentWriter(body))
    part_body(document.body, doc, HierarchyWriter(body), "")

    if document.annexes:
        attachments = element(doc, "attachments")
        for index, part in enumerate(document.annexes, start=1):
            eid = f"att_{index}"
            eids[part.anchor] = eid
            attachment = element(attachments, "attachment", eId=eid)
            if part.designation:
                element(attachment, "num", part.designation)
            annex = element(attachment, "doc", name="annex")
            annex_meta = element(annex, "meta")
            frbr(annex_meta, document, language, original, f"/!annex_{index}",
                 (_iso_639_2(document, part.lang) or part.lang) if part.lang != meta.lang else "")
            state = PartState(part, eid, eids, refs)
            if part.title:
                annex_preface = element(annex, "preface")
                heading = element(annex_preface, "longTitle", eId=f"{eid}__longTitle")
                ContentWriter(state).inlines(part.title, element(element(heading, "p"), "docTitle"))
            part_body(part, annex, HierarchyWriter(state), eid)
            if part.lang != meta.lang:
                attachment.set(XML_LANG, part.lang)

    problems = []
    for ref, node in refs:
        target = eids.get(node.anchor or "")
        if target is None:
            problems.append(error(node.pos, f"'@{node.label}' has no element in the Akoma Ntoso document to point to"))
            continue
        ref.set("href", f"#{target}")
    if problems:
        return None, problems
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True), []


def _iso_639_2(document: Document, code: str) -> str:
    try:
        return document.catalogue.load(code).iso_639_2
    except KeyError:
        return ""


_schema: etree.XMLSchema | None = None


def validate(data: bytes) -> list[str]:
    """What the OASIS Akoma Ntoso 3.0 schema finds wrong with ``data`` (empty when it is valid)."""
    global _schema
    if _schema is None:
        _schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    tree = etree.fromstring(data)
    if _schema.validate(tree):
        return []
    return [f"line {e.line}: {e.message}" for e in _schema.error_log]
