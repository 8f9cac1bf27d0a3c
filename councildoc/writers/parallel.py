"""WRITING the side-by-side view: every edition of a document in columns, aligned.

For translators and reviewers: one row per section, paragraph and note, each
edition's text in its own column, aligned by the same skeleton the parity check
uses, so that a missing paragraph shows as an empty cell.
"""

from __future__ import annotations

import jinja2
from babel import Locale
from markupsafe import Markup

from ..model import Document, Part, Section
from ..parity import align, reference_edition, skeleton
from .html import HtmlContext, HtmlWriter

TEMPLATE = "side-by-side.html.j2"


class CellWriter(HtmlWriter):
    """One cell of the view: a paragraph as on the page; a section by its heading alone (its
    paragraphs have rows of their own)."""

    def visit_Section(self, node: Section) -> Markup:
        number = f"{node.number}. " if node.number else ""
        return Markup('<p class="heading" id="{}">{}{}</p>').format(self.ctx.id(node.anchor), number,
                                                                   self.inlines(node.title))

    def part_title(self, document: Document, part: Part) -> Markup:
        """The row that opens a part, in this column's language: the document's title (and its
        note's call) over the body; an annex's designation and title, with its anchor."""
        if part.kind == "body":
            meta = document.meta
            call = Markup("")
            if meta.title_note:
                note = next(n for n in part.notes if n.label == meta.title_note)
                call = self.note_call(note.number)
            return Markup('<p class="part-title" id="{}">{}{}</p>').format(self.ctx.id("body"),
                                                                           self.inlines(meta.title), call)
        title = Markup('<br><span class="annex-title">{}</span>').format(self.inlines(part.title)) if part.title else ""
        designation = part.designation or ""
        if part.lang != document.meta.lang:  # "Anexo" over an English annex is still Spanish
            designation = Markup('<span lang="{}">{}</span>').format(document.meta.lang, designation)
        return Markup('<p class="part-title" id="{}">{}{}</p>').format(self.ctx.id(part.anchor), designation, title)


def _part_rows(index: int, documents: dict[str, Document], langs: list[str],
               writers: dict[str, list[CellWriter]]) -> dict:
    """The rows of part ``index`` (the body, an annex): its sections and paragraphs, then its notes."""
    ref_lang = langs[0]

    def part_of(lang: str):
        parts = documents[lang].parts
        return parts[index] if index < len(parts) else None

    items = {lang: skeleton(part_of(lang)) if part_of(lang) else [] for lang in langs}
    alignments = {lang: align(items[ref_lang], items[lang]) for lang in langs[1:]}

    def cell(lang: str, position: int | None) -> dict | None:
        if position is None or part_of(lang) is None:
            return None
        return {"html": writers[lang][index].visit(items[lang][position].node), "lang": part_of(lang).lang}

    rows = []
    for i in range(len(items[ref_lang]) + 1):
        for lang in langs[1:]:
            for j in alignments[lang][1].get(i, []):
                rows.append({"kind": "paragraph", "cells": {other: cell(other, j if other == lang else None)
                                                            for other in langs}})
        if i < len(items[ref_lang]):
            cells = {ref_lang: cell(ref_lang, i)}
            cells.update({lang: cell(lang, alignments[lang][0].get(i)) for lang in langs[1:]})
            rows.append({"kind": items[ref_lang][i].kind, "cells": cells})
    labels = dict.fromkeys(note.label for lang in langs if part_of(lang) for note in part_of(lang).notes)
    notes = []
    for label in labels:
        cells = {}
        for lang in langs:
            note = next((n for n in part_of(lang).notes if n.label == label), None) if part_of(lang) else None
            cells[lang] = None if note is None else {
                "html": Markup('<ol class="note">{}</ol>').format(writers[lang][index].note(note)),
                "lang": part_of(lang).lang,
            }
        notes.append({"kind": "note", "cells": cells})
    title = {"kind": "part", "cells": {
        lang: {"html": writers[lang][index].part_title(documents[lang], part_of(lang)), "lang": part_of(lang).lang}
        if part_of(lang) else None for lang in langs}}
    return {"title": title, "rows": rows, "notes": notes}


def side_by_side_context(documents: dict[str, Document], stylesheet: str) -> dict:
    """Rows of cells, one column per edition, the reference edition first."""
    first = next(iter(documents.values()))
    ref_lang = reference_edition(documents, first.meta.original_lang)
    langs = [ref_lang] + sorted(lang for lang in documents if lang != ref_lang)
    columns, writers = [], {}
    for lang in langs:
        columns.append({"lang": lang, "name": Locale.parse(lang.replace("-", "_")).display_name})
        writers[lang] = [CellWriter(HtmlContext(part, part.language, id_prefix=f"{lang}-",
                                                  image_prefix=f"{lang}/"))
                         for part in documents[lang].parts]
    reference = documents[ref_lang]
    return {
        "symbol": reference.meta.symbol,
        "title": writers[ref_lang][0].inlines(reference.meta.title),
        "lang": reference.meta.lang,
        "columns": columns,
        "parts": [_part_rows(index, documents, langs, writers) for index in range(len(reference.parts))],
        "stylesheet": Markup(stylesheet),
    }



def write_side_by_side(documents: dict[str, Document], environment: jinja2.Environment, stylesheet: str) -> str:
    return environment.get_template(TEMPLATE).render(side_by_side_context(documents, stylesheet))
