"""WRITING HTML: inlines rendered in code, the page laid out by a Jinja template.

As in Sphinx's HTML builder: render the body pieces, build a context dict,
hand it to the page template. Autoescape is on; only :class:`Markup` made here
from escaped pieces goes into the page unescaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from .. import languages
from ..model import (
    Code,
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
from ..transforms import iter_sections, plain_text

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

    def id(self, anchor: str | None) -> str:
        return f"{self.id_prefix}{anchor}"


def render_inlines(inlines: tuple[Inline, ...], ctx: HtmlContext) -> Markup:
    out: list[str] = []
    for inline in inlines:
        if isinstance(inline, Text):
            out.append(escape(inline.text))
        elif isinstance(inline, Emphasis):
            out.append(Markup("<em>{}</em>").format(render_inlines(inline.children, ctx)))
        elif isinstance(inline, Strong):
            out.append(Markup("<strong>{}</strong>").format(render_inlines(inline.children, ctx)))
        elif isinstance(inline, Code):
            out.append(Markup("<code>{}</code>").format(inline.text))
        elif isinstance(inline, Link):
            out.append(Markup('<a href="{}">{}</a>').format(inline.url, render_inlines(inline.children, ctx)))
        elif isinstance(inline, Span):
            out.append(Markup('<span lang="{}">{}</span>').format(inline.lang, render_inlines(inline.children, ctx)))
        elif isinstance(inline, LineBreak):
            out.append(Markup("<br>"))
        elif isinstance(inline, NoteCall):
            out.append(note_call(ctx, inline.number))
        elif isinstance(inline, CrossRef):
            if inline.text is None:
                out.append(Markup('<span class="unresolved">¿{}?</span>').format(inline.label))
            else:
                out.append(Markup('<a class="xref" href="#{}">{}</a>').format(ctx.id(inline.anchor), inline.text))
    return Markup("").join(out)


def note_call(ctx: HtmlContext, number: int | None, *, with_id: bool = True) -> Markup:
    """The superscript link to note ``number`` of the part; for print, the note's text follows it.

    WeasyPrint floats that text (``float: footnote``) to the foot of the page
    that calls it; the link stays the visible, live note call.
    """
    note = next((n for n in ctx.part.notes if n.number == number), None)
    if note is None:
        return Markup('<span class="unresolved">¿note?</span>')
    anchor = Markup(' id="{}"').format(ctx.id(note.call_anchor)) if with_id else Markup("")
    call = Markup('<a class="note-call" href="#{}"{} role="doc-noteref"><sup>{}</sup></a>').format(
        ctx.id(note.anchor), anchor, note.number
    )
    if not ctx.for_print:
        return call
    text = Markup("").join(
        Markup('<span class="note-para">{}</span>').format(render_inlines(b.inlines, ctx))
        for b in note.blocks
        if isinstance(b, Paragraph)
    )
    return call + Markup('<span class="footnote" id="{}" data-n="{}" role="note">{}</span>').format(
        note.anchor, note.number, text
    )


def render_block(block: Paragraph | ListBlock | Quote, ctx: HtmlContext) -> Markup:
    if isinstance(block, Paragraph):
        return render_paragraph(block, ctx)
    if isinstance(block, Quote):
        inner = Markup("").join(render_block(b, ctx) for b in block.blocks)
        return Markup("<blockquote>{}</blockquote>").format(inner)
    tag = "ol" if block.ordered else "ul"
    items = Markup("").join(
        Markup("<li>{}</li>").format(Markup("").join(render_block(b, ctx) for b in item)) for item in block.items
    )
    return Markup("<{0}>{1}</{0}>").format(Markup(tag), items)


def render_paragraph(paragraph: Paragraph, ctx: HtmlContext) -> Markup:
    parts: list[str] = []
    if paragraph.number is not None:
        parts.append(Markup('<a class="para-num" href="#{0}">{1}.</a>').format(ctx.id(paragraph.anchor),
                                                                              paragraph.number))
    if paragraph.term is not None:
        parts.append(Markup('<strong class="entry-term">{}{}</strong>').format(
            render_inlines(paragraph.term, ctx), ctx.language.entry_separator
        ))
        if paragraph.inlines and not isinstance(paragraph.inlines[0], NoteCall):
            parts.append(" ")
    parts.append(render_inlines(paragraph.inlines, ctx))
    css = "para entry" if paragraph.term is not None else "para"
    if paragraph.anchor in ctx.relaxed:
        css += " relaxed"
    anchor = Markup(' id="{}"').format(ctx.id(paragraph.anchor)) if paragraph.anchor else Markup("")
    html = Markup('<p class="{}"{}>{}</p>').format(css, anchor, Markup("").join(parts))
    if paragraph.attachments:
        attached = Markup("").join(render_block(b, ctx) for b in paragraph.attachments)
        return Markup('<div class="para-group">{}{}</div>').format(html, attached)
    return html


def render_children(children: tuple, ctx: HtmlContext, depth: int) -> Markup:
    out = []
    for child in children:
        if isinstance(child, Section):
            out.append(render_section(child, ctx, depth))
        else:
            out.append(render_block(child, ctx))
    return Markup("\n").join(out)


def render_section(section: Section, ctx: HtmlContext, depth: int) -> Markup:
    level = min(depth + section.level, 6)
    number = Markup('<span class="sec-num">{}.</span> ').format(section.number) if section.number else Markup("")
    heading = Markup('<h{0} class="heading level-{1}">{2}{3}</h{0}>').format(
        level, section.level, number, render_inlines(section.title, ctx)
    )
    body = render_children(section.children, ctx, depth)
    return Markup('<section id="{}">\n{}\n{}\n</section>').format(section.anchor, heading, body)


def render_note(note: Note, ctx: HtmlContext) -> Markup:
    """One note as a list item: its number, its text and a link back to its call."""
    text = Markup("").join(render_block(b, ctx) for b in note.blocks)
    return Markup(
        '<li id="{0}" value="{1}"><span class="note-num">{1}</span>{2}'
        '<a class="backref" href="#{3}" role="doc-backlink" aria-label="↩ {1}">↩</a></li>'
    ).format(ctx.id(note.anchor), note.number, text, ctx.id(note.call_anchor))


def render_notes(part: Part, ctx: HtmlContext) -> Markup:
    return Markup("\n").join(render_note(note, ctx) for note in part.notes)


def entries_by_heading(part: Part, ctx: HtmlContext) -> list[dict]:
    """The annex entries grouped under the heading they stand in (MC/INF/298's regions)."""
    groups = []
    for section in iter_sections(part.children):
        entries = [
            {"term": render_inlines(child.term, ctx), "anchor": child.anchor}
            for child in section.children
            if isinstance(child, Paragraph) and child.term is not None
        ]
        if entries:
            groups.append({"title": render_inlines(section.title, ctx), "anchor": section.anchor, "entries": entries})
    return groups


def page_context(
    document: Document, stylesheet: str, *, for_print: bool = False, relaxed: frozenset[str] = frozenset()
) -> dict:
    """Everything the page template shows, already rendered or plain."""
    meta = document.meta
    language = languages.load(meta.lang)
    body = document.body
    body_ctx = HtmlContext(body, language, for_print, relaxed)
    title_note = None
    if meta.title_note:
        note = next(n for n in body.notes if n.label == meta.title_note)
        # On screen the note hangs on the masthead's title; on paper, on the body's first page.
        title_note = {
            "call": Markup("") if for_print else note_call(body_ctx, note.number),
            "print_call": note_call(body_ctx, note.number) if for_print else Markup(""),
        }
    parts = []
    for part in document.parts:
        part_language = languages.load_or(part.lang, language)
        ctx = HtmlContext(part, part_language, for_print, relaxed)
        parts.append({
            "kind": part.kind,
            "anchor": part.anchor or "body",
            "lang": part.lang if part.lang != meta.lang else None,
            "designation": f"{language.annex} {part.number or ''}".strip() if part.kind == "annex" else None,
            "title": render_inlines(part.title, ctx) if part.title else None,
            "content": render_children(part.children, ctx, depth=1),
            "notes": render_notes(part, ctx) if part.notes and not for_print else None,
            "entries": entries_by_heading(part, ctx) if part.kind == "annex" and not for_print else [],
            "page_name": f"annex{len(parts)}" if part.kind == "annex" else "body",
        })
    return {
        "lang": meta.lang,
        "symbol": meta.symbol,
        "original": f"{language.original} {language.language_name(meta.original_lang)}",
        "date_iso": meta.date.isoformat(),
        "date": language.long_date(meta.date),
        "session": meta.session_title,
        "title": render_inlines(meta.title, body_ctx),
        "title_text": plain_text(meta.title),
        "subtitle": render_inlines(meta.subtitle, body_ctx) if meta.subtitle else None,
        "title_note": title_note,
        "words": language,
        "parts": parts,
        "stylesheet": Markup(stylesheet),
        "for_print": for_print,
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
) -> str:
    """The page of one edition, as text; ``for_print`` gives the page WeasyPrint lays out."""
    context = page_context(document, stylesheet, for_print=for_print, relaxed=relaxed)
    return environment.get_template(PAGE_TEMPLATE).render(context)
