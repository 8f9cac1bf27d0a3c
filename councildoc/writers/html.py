"""WRITING HTML: inlines rendered in code, the page laid out by a Jinja template.

As in Sphinx's HTML builder: render the body pieces, build a context dict,
hand it to the page template. Autoescape is on; only :class:`Markup` made here
from escaped pieces goes into the page unescaped.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from .. import languages
from ..model import (
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
    TableCell,
    TableRow,
    Text,
)
from ..transforms import iter_sections, plain_text
from ..typography import WORD_JOINER
from ..visitor import Visitor

PAGE_TEMPLATE = "document.html.j2"
STYLESHEET = "council.css"


@dataclass(frozen=True)
class HtmlContext:
    """What rendering needs beyond the node itself: the part's notes and language."""

    part: Part
    """The part being rendered (note calls link to its notes)."""
    language: languages.Language
    """The words of the part's language (an annex in English uses English punctuation)."""
    for_print: bool = False
    """True for the page WeasyPrint lays out: each note's text then stands at its call."""
    relaxed: frozenset[str] = frozenset()
    """Anchors of paragraphs whose widows and orphans the PDF layout relaxes (see writers.pdf)."""
    id_prefix: str = ""
    """Put before every id and link, where several editions share a page (the side-by-side view)."""
    image_prefix: str = ""
    """Put before a figure's file name: the side-by-side view stands a folder above the editions'."""

    def id(self, anchor: str | None) -> str:
        return f"{self.id_prefix}{anchor}"


class HtmlWriter(Visitor):
    """The model as HTML, one method per node type (docutils' ``HTMLTranslator``, without the state).

    Block methods go through :meth:`element`, so that :class:`FootnoteWriter` can set the same
    blocks with inline-level elements inside a paragraph.
    """

    marker_space = Markup(" ")
    """Between a sub-paragraph's marker and its text (the marker's box makes the visible gap)."""

    def __init__(self, ctx: HtmlContext, depth: int = 1) -> None:
        self.ctx = ctx
        self.depth = depth
        """Added to a section's level to give its heading's rank (the masthead's title is the h1)."""
        self.table: Table | None = None
        """The table being written (its note calls link to the notes under it)."""

    # -- runs of nodes

    def inlines(self, inlines: tuple[Inline, ...]) -> Markup:
        return Markup("").join(self.visit(inline) for inline in inlines)

    def blocks(self, blocks: tuple) -> Markup:
        return Markup("").join(self.visit(block) for block in blocks)

    def children(self, children: tuple) -> Markup:
        """A part's or a section's paragraphs and sub-sections, one a line."""
        return Markup("\n").join(self.visit(child) for child in children)

    def element(self, tag: str, css: str, content: Markup, anchor: str | None = None) -> Markup:
        attributes = Markup(' class="{}"').format(css)
        if anchor:
            attributes += Markup(' id="{}"').format(self.ctx.id(anchor))
        return Markup("<{0}{1}>{2}</{0}>").format(Markup(tag), attributes, content)

    # -- inlines

    def visit_Text(self, node: Text) -> Markup:
        return escape(node.text)

    def visit_Emphasis(self, node: Emphasis) -> Markup:
        return Markup("<em>{}</em>").format(self.inlines(node.children))

    def visit_Strong(self, node: Strong) -> Markup:
        return Markup("<strong>{}</strong>").format(self.inlines(node.children))

    def visit_Code(self, node: Code) -> Markup:
        return Markup("<code>{}</code>").format(node.text)

    def visit_Link(self, node: Link) -> Markup:
        return Markup('<a href="{}">{}</a>').format(node.url, self.inlines(node.children))

    def visit_Span(self, node: Span) -> Markup:
        return Markup('<span lang="{}">{}</span>').format(node.lang, self.inlines(node.children))

    def visit_LineBreak(self, node: LineBreak) -> Markup:
        return Markup("<br>")

    def visit_NoteCall(self, node: NoteCall) -> Markup:
        call = self.table_note_call(node) if node.letter else self.note_call(node.number)
        # Glued to what precedes it: no line starts with a note call (nor breaks after the comma between two).
        return Markup('<sup class="note-sep">,</sup>') + WORD_JOINER + call if node.follows_call else WORD_JOINER + call

    def visit_CrossRef(self, node: CrossRef) -> Markup:
        if node.text is None:
            return Markup('<span class="unresolved">¿{}?</span>').format(node.label)
        return Markup('<a class="xref" href="#{}">{}</a>').format(self.ctx.id(node.anchor), node.text)

    def table_note_call(self, node: NoteCall) -> Markup:
        """A table note's letter, linking to the note under the table (on paper too: it is not a footnote)."""
        note = next((n for n in self.table.notes if n.letter == node.letter), None) if self.table else None
        if note is None:
            return Markup('<span class="unresolved">¿note?</span>')
        return Markup('<a class="table-note-call" href="#{}" id="{}" role="doc-noteref"><sup>{}</sup></a>').format(
            self.ctx.id(note.anchor), self.ctx.id(note.call_anchor), note.letter)

    def note_call(self, number: int | None) -> Markup:
        """The superscript link to note ``number`` of the part; for print, the note's text follows it.

        WeasyPrint floats that text (``float: footnote``) to the foot of the page
        that calls it; the link stays the visible, live note call.
        """
        ctx = self.ctx
        note = next((n for n in ctx.part.notes if n.number == number), None)
        if note is None:
            return Markup('<span class="unresolved">¿note?</span>')
        call = Markup('<a class="note-call" href="#{}" id="{}" role="doc-noteref"><sup>{}</sup></a>').format(
            ctx.id(note.anchor), ctx.id(note.call_anchor), note.number
        )
        if not ctx.for_print:
            return call
        # A space after the note's number (the ::footnote-marker): a word space of the note's text,
        # which justification stretches like the line's others, as Word sets "¹ En el…". The note
        # is laid out at the page's foot, away from its part's element: it says its part's language
        # itself (the tagged PDF's Note takes it as its /Lang).
        return call + Markup('<span class="footnote" id="{}" data-n="{}" role="note" lang="{}"> {}</span>').format(
            ctx.id(note.anchor), note.number, ctx.part.lang, FootnoteWriter(ctx, self.depth).blocks(note.blocks)
        )

    # -- blocks

    def visit_Paragraph(self, node: Paragraph) -> Markup:
        css = "para entry" if node.term is not None else "para"
        if node.anchor in self.ctx.relaxed:
            css += " relaxed"
        html = self.paragraph(node, css)
        if node.attachments:
            return self.element("div", "para-group", html + self.blocks(node.attachments))
        return html

    def paragraph(self, node: Paragraph, css: str) -> Markup:
        """The paragraph's own text, numbered where it has a number, without what is attached to it."""
        parts: list[str] = []
        if node.number is not None:
            parts.append(Markup('<a class="para-num" href="#{0}">{1}.</a>').format(self.ctx.id(node.anchor),
                                                                                  node.number))
        if node.term is not None:
            parts.append(Markup('<strong class="entry-term">{}{}</strong>').format(
                self.inlines(node.term), self.ctx.language.entry_separator
            ))
            if node.inlines and not isinstance(node.inlines[0], NoteCall):
                parts.append(" ")
        parts.append(self.inlines(node.inlines))
        return self.element("p", css, Markup("").join(parts), node.anchor)

    def visit_ListBlock(self, node: ListBlock) -> Markup:
        items = Markup("").join(self.element("li", "bullet", self.blocks(item)) for item in node.items)
        return self.element("ul", "bullets", items)

    def visit_Quote(self, node: Quote) -> Markup:
        return self.element("blockquote", "quote", self.blocks(node.blocks))

    def visit_SubParagraphList(self, node: SubParagraphList) -> Markup:
        return self.element("ol", f"subparas degree-{node.degree}", self.blocks(node.items))

    def visit_SubParagraph(self, node: SubParagraph) -> Markup:
        """Its marker as text, in a box that hangs before its first paragraph (see the stylesheets)."""
        content = Markup('<span class="subpara-marker">{}</span>').format(node.marker or "") + self.marker_space
        rest = node.blocks
        if rest and isinstance(rest[0], Paragraph):
            content += self.paragraph(rest[0], "subpara-text")
            rest = rest[1:]
        return self.element("li", "subpara", content + self.blocks(rest), node.anchor)

    def visit_Table(self, node: Table) -> Markup:
        """Number and title in the caption; the table in a box of its own that scrolls sideways on a
        phone; the source line and the lettered notes under it."""
        outer, self.table = self.table, node
        try:
            words = self.ctx.language
            caption = Markup('<caption><span class="table-number">{} {}</span> <span class="table-title">{}</span>'
                             '</caption>').format(words.table, node.number or "", self.inlines(node.caption))
            head = Markup("").join(self.visit(row, node, True, index) for index, row in enumerate(node.head))
            body = Markup("").join(self.visit(row, node, False, index)
                                   for index, row in enumerate(node.body, start=len(node.head)))
            table = Markup('<table class="council-table">{}<thead>{}</thead><tbody>{}</tbody></table>').format(
                caption, head, body)
            html = Markup('<div class="table-scroll" role="region" tabindex="0" aria-label="{} {}">{}</div>').format(
                words.table, node.number or "", table)
            if node.source is not None:
                html += Markup('<p class="table-source"{}><span class="table-source-word">{}</span> {}</p>').format(
                    self.print_id(f"{node.anchor}-source"), words.table_source, self.inlines(node.source))
            if node.notes:
                notes = TableNoteWriter(self.ctx, self.depth)
                html += self.element("ol", "table-notes", Markup("").join(
                    Markup('<li id="{}"><span class="table-note-letter">{}</span> {}</li>').format(
                        self.ctx.id(note.anchor), note.letter, notes.blocks(note.blocks))
                    for note in node.notes))
            if self.ctx.for_print:
                html += Markup('<div class="table-end"{}></div>').format(self.print_id(f"{node.anchor}-end"))
            return self.element("div", "table-block landscape" if node.landscape else "table-block", html, node.anchor)
        finally:
            self.table = outer

    def visit_Figure(self, node: Figure) -> Markup:
        """Number and title above the image, which keeps its proportions within the text block. The
        screen page shows the file written beside it; the print page carries the checked bytes
        themselves (a ``data:`` URL), so WeasyPrint reads no file for it."""
        words = self.ctx.language
        if self.ctx.for_print:
            mime = {"png": "image/png", "jpeg": "image/jpeg", "svg": "image/svg+xml"}[node.kind]
            src = f"data:{mime};base64,{base64.b64encode(node.data).decode('ascii')}"
        else:
            src = f"{self.ctx.image_prefix}{node.file_name}"
        caption = Markup('<figcaption><span class="figure-number">{} {}</span> <span class="figure-title">{}</span>'
                         '</figcaption>').format(words.figure, node.number or "", self.inlines(node.caption))
        image = Markup('<img src="{}" alt="{}" width="{}" height="{}"{}>').format(
            src, node.alt, node.width, node.height, self.print_id(f"{node.anchor}-image"))
        end = Markup('<div class="figure-end"{}></div>').format(self.print_id(f"{node.anchor}-end")) \
            if self.ctx.for_print else Markup("")
        return self.element("figure", "figure", caption + image + end, node.anchor)

    def print_id(self, anchor: str) -> Markup:
        """An id on the print page only: WeasyPrint writes it as a named destination (page, x, y),
        which is how ``textconv`` finds a table's rows and columns in the PDF."""
        return Markup(' id="{}"').format(self.ctx.id(anchor)) if self.ctx.for_print else Markup("")

    def visit_TableRow(self, node: TableRow, table: Table, head: bool, index: int) -> Markup:
        cells = Markup("").join(self.visit(cell, table, head, column, index == 0)
                                for column, cell in enumerate(node.cells))
        return Markup("<tr{}>{}</tr>").format(self.print_id(f"{table.anchor}-row-{index}"), cells)

    def visit_TableCell(self, node: TableCell, table: Table, head: bool, column: int, first: bool) -> Markup:
        """A head cell is a column's ``th``; the first cell of a row of a text column heads its row."""
        align = table.aligns[column] if column < len(table.aligns) else "left"
        if head:
            where = self.print_id(f"{table.anchor}-col-{column}") if first else Markup("")
            return Markup('<th scope="col" class="align-{}"{}>{}</th>').format(align, where,
                                                                             self.inlines(node.inlines))
        if column == 0 and align == "left":
            return Markup('<th scope="row" class="align-left">{}</th>').format(self.inlines(node.inlines))
        if node.point is not None and column < len(table.decimals) and table.decimals[column]:
            return Markup('<td class="align-{} decimal">{}</td>').format(align,
                                                                         self.decimal(node, table.decimals[column]))
        return Markup('<td class="align-{}">{}</td>').format(align, self.inlines(node.inlines))

    def decimal(self, node: TableCell, width: int) -> Markup:
        """A figure aligned on the decimal separator: its integer part, then its fraction (and what
        follows on its line, a note call) in a box as wide as the column's widest fraction,
        left-aligned in it. The cell's further lines (a grid cell's paragraphs) follow the box: in
        it, the integer would stand on the baseline of the box's last line."""
        first, rest = node.inlines[0], node.inlines[1:]
        assert isinstance(first, Text) and node.point is not None
        end = next((i for i, inline in enumerate(rest) if isinstance(inline, LineBreak)), len(rest))
        box = Markup('<span class="integer">{}</span><span class="fraction" style="min-width: {}ch">{}</span>')
        return box.format(self.inlines((Text(first.text[:node.point]),)), width,
                          self.inlines((Text(first.text[node.point:]), *rest[:end]))) + self.inlines(rest[end:])

    def visit_Section(self, node: Section) -> Markup:
        level = min(self.depth + node.level, 6)
        heading = Markup('<h{0} class="heading level-{1}">{2}</h{0}>').format(level, node.level,
                                                                            self.heading_text(node))
        return Markup('<section id="{}">\n{}\n{}\n</section>').format(self.ctx.id(node.anchor), heading,
                                                                     self.children(node.children))

    def heading_text(self, node: Section) -> Markup:
        number = Markup('<span class="sec-num">{}.</span> ').format(node.number) if node.number else Markup("")
        return number + self.inlines(node.title)

    # -- notes at the end of the part (the screen page)

    def note(self, note: Note) -> Markup:
        """One note as a list item: its number, its text and a link back to its call."""
        return Markup(
            '<li id="{0}" value="{1}"><span class="note-num">{1}</span>{2}'
            '<a class="backref" href="#{3}" role="doc-backlink" aria-label="↩ {1}">↩</a></li>'
        ).format(self.ctx.id(note.anchor), note.number, self.blocks(note.blocks), self.ctx.id(note.call_anchor))

    def notes(self, part: Part) -> Markup:
        return Markup("\n").join(self.note(note) for note in part.notes)


class FootnoteWriter(HtmlWriter):
    """A note's blocks inside its call's paragraph, where the print page floats them to the page foot.

    Every element is a ``span`` (a ``p`` or a list there would close the paragraph that calls the
    note); the print stylesheet sets the ones after the first as blocks. The class names are those
    of the screen page, so one set of rules lays out sub-paragraphs in both places.
    """

    marker_space = Markup("")  # the marker is an inline box there: a space would push the text off the tab

    def element(self, tag: str, css: str, content: Markup, anchor: str | None = None) -> Markup:
        return super().element("span", css, content, anchor)

    def visit_Paragraph(self, node: Paragraph) -> Markup:
        return self.paragraph(node, "note-para") + self.blocks(node.attachments)

    def paragraph(self, node: Paragraph, css: str) -> Markup:
        return Markup('<span class="{}">{}</span>').format(css, self.inlines(node.inlines))


class TableNoteWriter(HtmlWriter):
    """A table note's blocks under its table: its first paragraph runs on after the letter."""

    def visit_Paragraph(self, node: Paragraph) -> Markup:
        return self.element("span", "table-note-para", self.inlines(node.inlines)) + self.blocks(node.attachments)


def entries_by_heading(part: Part, writer: HtmlWriter) -> list[dict]:
    """The annex entries grouped under the heading they stand in (MC/INF/298's regions)."""
    groups = []
    for section in iter_sections(part.children):
        entries = [
            {"term": writer.inlines(child.term), "anchor": child.anchor}
            for child in section.children
            if isinstance(child, Paragraph) and child.term is not None
        ]
        if entries:
            groups.append({"title": writer.inlines(section.title), "anchor": section.anchor, "entries": entries})
    return groups


def edition_links(document: Document, editions: tuple[str, ...], published: tuple[str, ...]) -> dict:
    """The web page's links to the document's other language editions (by their CLDR names, in
    their own language), to this edition's other formats and to the side-by-side view: paths
    relative to ``output/<document>/<lang>/``, where the build writes them."""
    from babel import Locale

    from ..formats import REGISTRY

    name = quote(document.name)
    others = [{"lang": lang, "name": Locale.parse(lang.replace("-", "_")).display_name,
               "href": f"../{quote(lang)}/{name}.html"} for lang in editions if lang != document.meta.lang]
    return {
        "languages": others,
        "formats": [{"name": fmt.name.upper(), "href": f"{name}{fmt.suffix}"}
                    for fmt in REGISTRY.values() if fmt.name != "html" and fmt.name in published],
        "side_by_side": f"../{name}.side-by-side.html" if others and "html" in published else None,
    }


def part_context(part: Part, part_writer: HtmlWriter, lang: str, index: int) -> dict:
    """What the page template shows of one part (the ``index``-th), written by ``part_writer``."""
    for_print = part_writer.ctx.for_print
    return {
        "kind": part.kind,
        "anchor": part_writer.ctx.id(part.anchor) if part.anchor else "body",
        "lang": part.lang if part.lang != lang else None,
        "designation": part.designation,
        "title": part_writer.inlines(part.title) if part.title else None,
        "content": part_writer.children(part.children),
        "notes": part_writer.notes(part) if part.notes and not for_print else None,
        "entries": entries_by_heading(part, part_writer) if part.kind == "annex" and not for_print else [],
        "page_name": f"annex{index}" if part.kind == "annex" else "body",
        "change": None,
    }


def page_context(
    document: Document, stylesheet: str, *, for_print: bool = False, relaxed: frozenset[str] = frozenset(),
    editions: tuple[str, ...] = (), published: tuple[str, ...] = (),
    writer: Callable[[HtmlContext], HtmlWriter] = HtmlWriter, only: int | None = None,
) -> dict:
    """Everything the page template shows, already rendered or plain; ``writer`` makes each part's
    writer (the in-place redline's writes its changes, see ``writers.redline_html``). ``only``: the
    page of that part alone (the body's with the cover), which the PDF writer lays out by parts."""
    meta = document.meta
    language = document.language
    body = document.body
    body_writer = writer(HtmlContext(body, language, for_print, relaxed))
    title_note = None
    if meta.title_note:
        note = next(n for n in body.notes if n.label == meta.title_note)
        # On screen the note hangs on the masthead's title; on paper, on the body's first page.
        title_note = {
            "call": Markup("") if for_print else WORD_JOINER + body_writer.note_call(note.number),
            "print_call": WORD_JOINER + body_writer.note_call(note.number) if for_print else Markup(""),
        }
    parts = [part_context(part, writer(HtmlContext(part, part.language, for_print, relaxed)), meta.lang, index)
             for index, part in enumerate(document.parts) if only is None or index == only]
    return {
        "cover": only is None or document.parts[only].kind == "body",
        "lang": meta.lang,
        "symbol": meta.symbol,
        "original": f"{language.original} {language.language_name(meta.original_lang)}",
        "date_iso": meta.date.isoformat(),
        "date": language.long_date(meta.date),
        "session": meta.session_title,
        "title": body_writer.inlines(meta.title),
        "title_text": plain_text(meta.title),
        "subtitle": body_writer.inlines(meta.subtitle) if meta.subtitle else None,
        "title_note": title_note,
        "words": language,
        "parts": parts,
        "stylesheet": Markup(stylesheet),
        "for_print": for_print,
        "links": None if for_print else edition_links(document, editions, published),
    }



def css_string(value: str) -> Markup:
    """``value`` as a quoted CSS string, safe inside a ``<style>`` element."""
    escaped = "".join(ch if ch.isalnum() or ch in " ./:-_()," else f"\\{ord(ch):x} " for ch in value)
    return Markup(f'"{escaped}"')


def make_environment(templates: Path) -> jinja2.Environment:
    # Sandboxed: templates come with the project, and a pull request can change them.
    environment = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["css_string"] = css_string
    return environment


def write_html(
    document: Document,
    environment: jinja2.Environment,
    stylesheet: str,
    *,
    for_print: bool = False,
    relaxed: frozenset[str] = frozenset(),
    editions: tuple[str, ...] = (),
    published: tuple[str, ...] = (),
    only: int | None = None,
) -> str:
    """The page of one edition, as text; ``for_print`` gives the page WeasyPrint lays out; ``only``
    gives the page of the ``only``-th part alone (see :func:`page_context`)."""
    context = page_context(document, stylesheet, for_print=for_print, relaxed=relaxed, editions=editions,
                           published=published, only=only)
    return environment.get_template(PAGE_TEMPLATE).render(context)
