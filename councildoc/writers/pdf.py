"""WRITING PDF: WeasyPrint over the page the HTML writer makes, with the print stylesheet.

One HTML truth for screen and paper: the same template and the same rendering
code, asked for its print form (each note's text at its call, floated to the
foot of the page). WeasyPrint is imported only when a PDF is written: it costs
about half a second.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import jinja2

from ..diagnostics import Diagnostic, SourcePos, error
from ..model import (
    Document,
    ListBlock,
    NoteCall,
    Paragraph,
    Quote,
    Section,
    SubParagraph,
    SubParagraphList,
)
from ..transforms import iter_paragraphs
from ..visitor import Visitor
from .html import write_html
from .keep_notes import notes_kept
from .pdfjoin import PART_LINK, PartPdf

PRINT_STYLESHEET = "council-print.css"
FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
"""Liberation Serif (Debian's fonts-liberation2, which setup.sh installs): Times New Roman's metrics."""
FONT_FILES = tuple(
    FONT_DIR / f"LiberationSerif-{style}.ttf" for style in ("Regular", "Bold", "Italic", "BoldItalic")
)
DEFAULT_VARIANT = "pdf/ua-1"
"""Every PDF is tagged and accessible unless asked otherwise (docs/pdf.md says why)."""
WEASYPRINT_VARIANTS = {None: DEFAULT_VARIANT, "pdf/ua-1": "pdf/ua-1", "pdf/a-2b": "pdf/a-2b", "untagged": None}
"""``--pdf-variant`` → the variant WeasyPrint writes."""


FIGURE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")
"""The ``data:`` URLs the fetcher serves: a figure's checked bytes (see :func:`make_url_fetcher`)."""


LAYOUT_KEY = "CouncildocLayout"
"""The document information entry that carries :data:`LAYOUT_PROPERTIES` (``textconv`` reads it back)."""
PAGE_KEY = "CouncildocPage"
"""The information entry that marks a PDF of councildoc's that is no edition (a redline)."""
LAYOUT_PROPERTIES = ("page-margin", "text-size", "line-pitch", "space-after", "number-tab", "subpara-step",
                     "note-size")
"""The print stylesheet's ``:root`` lengths a reader needs to read the PDF's pages back."""
_POINTS = {"pt": 1.0, "px": 0.75, "pc": 12.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "q": 72 / 101.6}


def layout_values(stylesheet: str) -> tuple[dict[str, float], list[str]]:
    """The :data:`LAYOUT_PROPERTIES` the stylesheet's ``:root`` sets, in points, and the names of
    those it does not set as a plain length (``2cm``, ``11pt``)."""
    import tinycss2

    found: dict[str, float] = {}
    for rule in tinycss2.parse_stylesheet(stylesheet, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule" or tinycss2.serialize(rule.prelude).strip() != ":root":
            continue
        for declaration in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                           skip_whitespace=True):
            name = declaration.type == "declaration" and declaration.name.removeprefix("--")
            if name not in LAYOUT_PROPERTIES:
                continue
            tokens = [t for t in declaration.value if t.type not in ("whitespace", "comment")]
            found.pop(name, None)
            if len(tokens) == 1 and tokens[0].type == "dimension" and tokens[0].lower_unit in _POINTS:
                found[name] = round(tokens[0].value * _POINTS[tokens[0].lower_unit], 3)
    return found, [name for name in LAYOUT_PROPERTIES if name not in found]


def layout_entry(values: dict[str, float]) -> str:
    """The information entry's text: ``page-margin=70.866 text-size=12.0 …`` (deterministic)."""
    return " ".join(f"{name}={values[name]:g}" for name in LAYOUT_PROPERTIES)


class RefusedResource(Exception):
    """A stylesheet asked for something outside what a build may read."""


def make_url_fetcher(allowed_dirs: tuple[Path, ...]):
    """A WeasyPrint URL fetcher that serves files under ``allowed_dirs`` and ``data:`` URLs of a
    figure's image types, and refuses the rest.

    Nothing a source or a style says can make the build fetch a URL or read another file;
    WeasyPrint logs each refusal, and :func:`write_pdf` turns the log into diagnostics. A
    figure's image comes as a ``data:`` URL of the bytes ``councildoc.figures`` checked (no file
    is read for it, and what is drawn is what was checked).
    """
    from weasyprint.urls import URLFetcher

    roots = tuple(d.resolve() for d in allowed_dirs)

    class ProjectFetcher(URLFetcher):
        def fetch(self, url: str, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "data" and url[5:].split(",", 1)[0].split(";", 1)[0] in FIGURE_TYPES:
                return super().fetch(url, headers)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if any(path.is_relative_to(root) for root in roots) and path.is_file():
                    return super().fetch(url, headers)
            raise RefusedResource(f"refused to load {url}: only the project's styles and fonts may be read")

    return ProjectFetcher(allowed_protocols={"file", "data"})


class _Collect(logging.Handler):
    """WeasyPrint reports what it could not do as log warnings: keep them as diagnostics."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def missing_fonts() -> list[Path]:
    return [path for path in FONT_FILES if not path.is_file()]


MAX_LAYOUT_PASSES = 6
"""How many times a layout may be redone to bring every note to its call's page."""
KEEP_NOTES_IN_FIRST_LAYOUT = True
"""Lay out with WeasyPrint's one note-moving rule off (:mod:`.keep_notes`): every note then
stands on its call's page in the first layout, and the repair passes are left for what that rule
does not cover. ``bench/run.py`` turns it off to measure the repair passes alone."""


class _CallPlaces(Visitor):
    """Which part-level paragraph each note call stands in: in its text or in what is attached to it."""

    def __init__(self) -> None:
        self.paragraph: str | None = None
        """The anchor of the part-level paragraph being walked."""
        self.found: dict[SourcePos, str] = {}
        """Note call's position → that paragraph's anchor."""

    def walk(self, nodes: tuple) -> None:
        for node in nodes:
            self.visit(node)

    def visit_Paragraph(self, node: Paragraph) -> None:
        outer = self.paragraph
        self.paragraph = outer or node.anchor
        self.walk((*(node.term or ()), *node.inlines, *node.attachments))
        self.paragraph = outer

    def visit_Section(self, node: Section) -> None:
        self.walk(node.children)  # a call in a heading stands in no paragraph

    def visit_ListBlock(self, node: ListBlock) -> None:
        for item in node.items:
            self.walk(item)

    def visit_Quote(self, node: Quote) -> None:
        self.walk(node.blocks)

    def visit_SubParagraphList(self, node: SubParagraphList) -> None:
        self.walk(node.items)

    def visit_SubParagraph(self, node: SubParagraph) -> None:
        self.walk(node.blocks)

    def visit_NoteCall(self, node: NoteCall) -> None:
        if self.paragraph:
            self.found[node.pos] = self.paragraph

    def _children(self, node) -> None:
        self.walk(node.children)

    visit_Emphasis = visit_Strong = visit_Link = visit_Span = _children

    def _leaf(self, node) -> None:
        pass

    visit_Text = visit_Code = visit_LineBreak = visit_CrossRef = _leaf
    # The calls in a table are table notes, set under the table: no footnote to place.
    visit_Table = visit_TableRow = visit_TableCell = _leaf
    visit_Figure = _leaf  # a call in a figure's title stands in no paragraph


def call_paragraphs(document: Document) -> dict[str, str]:
    """Note-call anchor → anchor of the paragraph that holds the call."""
    found: dict[str, str] = {}
    for part in document.parts:
        places = _CallPlaces()
        places.walk(part.children)
        found.update({note.call_anchor: places.found[note.call_pos]
                      for note in part.notes if note.call_pos in places.found})
    return found


def misplaced_notes(rendered, document: Document) -> list[tuple[str, int, int]]:
    """(call anchor, page of the call, page of the note) for every note off its call's page."""
    page_of: dict[str, int] = {}
    for number, page in enumerate(rendered.pages, start=1):
        for anchor in page.anchors:
            page_of.setdefault(anchor, number)
    return [
        (note.call_anchor, page_of.get(note.call_anchor, 0), page_of.get(note.anchor, 0))
        for part in document.parts
        for note in part.notes
        if page_of.get(note.call_anchor) != page_of.get(note.anchor)
    ]


def last_paragraph_on(rendered, page_number: int, order: dict[str, int]) -> str | None:
    """The anchor of the last paragraph that starts on page ``page_number``."""
    if not 1 <= page_number <= len(rendered.pages):
        return None
    anchors = [a for a in rendered.pages[page_number - 1].anchors if a in order]
    return max(anchors, key=order.__getitem__, default=None)


def continued_pages(rendered, document: Document) -> dict[int, str]:
    """Page number → the "Table 2 (continued)" line of a table whose rows run on onto that page.

    WeasyPrint repeats a table's head rows on each page it crosses, but has no way to show a line
    there only (a running element inside a table fails its layout; ``element(x, start)`` sees one
    the table's first page laid out before moving the table on). A laid-out page says which rows it
    holds, and the line goes in that page's top-left margin box, by ``@page :nth(n)``: it changes
    no line of the body, so one more layout shows it where the first put the rows.
    """
    page_of: dict[str, int] = {}
    for number, page in enumerate(rendered.pages, start=1):
        for anchor in page.anchors:
            page_of.setdefault(anchor, number)
    lines: dict[int, str] = {}
    for part in document.parts:
        words = part.language
        for table in part.tables:
            rows = {page_of.get(f"{table.anchor}-row-{index}") for index in range(len(table.rows))}
            for number in sorted(rows - {page_of.get(table.anchor), None}):
                lines.setdefault(number, f"{words.table} {table.number} {words.table_continued}")
    return lines


CSS_PX_PER_CM = 96 / 2.54


def _boxes(box, table_block: str | None = None):
    """Every laid-out box under ``box``, with the id of the table block it stands in."""
    element = getattr(box, "element", None)
    if element is not None and "table-block" in (element.get("class") or "").split():
        table_block = element.get("id")
    yield box, table_block
    for child in getattr(box, "children", ()):
        yield from _boxes(child, table_block)


def wide_tables(rendered, document: Document) -> list[Diagnostic]:
    """A table whose laid-out box is wider than its page's text block, at the table's place.

    WeasyPrint lets a table whose columns cannot shrink any further run past the right margin (and
    off the page): measured on the laid-out page, the only place the width is known.
    """
    tables = {table.anchor: table for part in document.parts for table in part.tables}
    found: dict[str, Diagnostic] = {}
    for page in rendered.pages:
        text_block = page._page_box.width
        for box, anchor in _boxes(page._page_box):
            if type(box).__name__ != "TableBox" or anchor not in tables or anchor in found:
                continue
            width = box.margin_width()
            if width <= text_block + 0.5:
                continue
            table = tables[anchor]
            hint = ("or fewer or narrower columns: shorter column heads, the unit in the title or a note"
                    if table.landscape else
                    "mark it for a landscape page (': Title {#tbl:x .landscape}'), or give it fewer or "
                    "narrower columns: shorter column heads, the unit in the title or a note")
            page_kind = "landscape" if table.landscape else "portrait"
            found[anchor] = error(
                table.pos, f"table {table.number} is {width / CSS_PX_PER_CM:.1f} cm wide, wider than the "
                f"{page_kind} page's text block ({text_block / CSS_PX_PER_CM:.1f} cm)", hint)
    return list(found.values())


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


CONTINUED_BOX = ('font: italic 10pt/12pt "Liberation Serif"; text-align: left; vertical-align: bottom; '
                 "padding-bottom: 6pt;")
"""The top-left margin box that says "Table 2 (continued)"."""
CONTINUED_STRING = "table-continued"


def continued_strings_css(document: Document) -> str:
    """The "Table 2 (continued)" lines in the first layout, by a named string: each table's body
    rows set it, what follows them (source line, table notes, the table's end) clears it, and every
    page's top-left box shows its value as the page begins (``string(…, start)``: the last one set
    on the pages before, unless the page begins by setting it). A page that begins inside a table's
    rows so shows that table's line; any other page, none. :func:`shown_continued` checks it."""
    rules = [f"@page {{ @top-left {{ content: string({CONTINUED_STRING}, start); {CONTINUED_BOX} }} }}\n",
             f'.table-source, .table-notes, .table-end {{ string-set: {CONTINUED_STRING} ""; }}\n']
    for part in document.parts:
        for table in part.tables:
            text = f"{part.language.table} {table.number} {part.language.table_continued}"
            rules.append(f"[id={_css_string(table.anchor)}] tbody > tr "
                         f"{{ string-set: {CONTINUED_STRING} {_css_string(text)}; }}\n")
    return "".join(rules)


def continued_css(lines: dict[int, str]) -> str:
    """The lines page by page (``@page :nth(n)``), from a layout that placed them wrongly by strings."""
    return "@page { @top-left { content: none; } }\n" + "".join(
        f"@page :nth({number}) {{ @top-left {{ content: {_css_string(text)}; {CONTINUED_BOX} }} }}\n"
        for number, text in sorted(lines.items()))


def shown_continued(rendered) -> dict[int, str]:
    """Page number → the text its top-left margin box shows (the pages that show one)."""
    shown: dict[int, str] = {}
    for number, page in enumerate(rendered.pages, start=1):
        for box in page._page_box.children:
            if getattr(box, "at_keyword", None) == "@top-left":
                text = "".join(getattr(b, "text", "") for b, _ in _boxes(box))
                if text.strip():
                    shown[number] = text
    return shown


def html_to_pdf(page: str, styles_dir: Path, where: SourcePos) -> tuple[bytes | None, list[Diagnostic]]:
    """Any page of councildoc's (a redline, say) as a PDF, under the same fetching rules."""
    missing = missing_fonts()
    if missing:
        return None, [error(where, f"font not installed: {missing[0]}", "run ./setup.sh")]
    from weasyprint import HTML

    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        rendered = HTML(string=page, base_url=styles_dir.resolve().as_uri() + "/",
                        url_fetcher=make_url_fetcher((styles_dir, FONT_DIR))).render()
        rendered.metadata.custom = {PAGE_KEY: "not an edition"}  # textconv refuses it, in so many words
        pdf = rendered.write_pdf(custom_metadata=True)
    except Exception as exc:  # noqa: BLE001 - WeasyPrint's failure becomes a diagnostic that quotes it
        return None, [error(where, f"WeasyPrint could not lay out the PDF: {exc}")]
    finally:
        logger.removeHandler(collector)
    problems = [error(where, f"WeasyPrint: {m}") for m in dict.fromkeys(collector.messages)]
    return (None if problems else pdf), problems


BY_PARTS = True
"""Lay an edition with annexes out part by part (the cover and body, then each annex: each begins
on a new page with its own numbering), the parts' PDFs joined (:mod:`.pdfjoin`), with one process
as with several: an edition's bytes then do not depend on ``--jobs`` or on how many editions a
build rebuilds (laid out at once, the parts give the bytes they give one after another). False:
one layout of the whole edition, with one process (docs/pdf.md gives what each costs)."""


@dataclass
class _Layout:
    """One layout's outcome: its PDF, or the problems that stopped it (page numbers its own)."""

    pdf: bytes | None
    problems: list[Diagnostic]
    misplaced: list[tuple[str, int, int]]
    """(call anchor, page of the call, page of the note), counted from this layout's first page."""
    page_count: int
    labels: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    """Its page-label runs (:func:`page_labels`)."""
    part: PartPdf | None = None
    """What the join needs (a part's layout only)."""


_FORKED: tuple | None = None
"""What a forked worker lays out a part of (set in the parent before the workers fork)."""


def write_pdf(
    document: Document,
    environment: jinja2.Environment,
    styles_dir: Path,
    variant: str | None = None,
    *,
    workers: int = 1,
    by_parts: bool | None = None,
) -> tuple[bytes | None, list[Diagnostic]]:
    """The PDF of one edition, or the diagnostics that stopped it.

    Every note must stand on the page of its call. WeasyPrint keeps orphans by
    moving a page's last notes to the next page; the layout runs with that rule off
    (:mod:`.keep_notes`: the paragraph moves instead), and is checked. Where a note
    still stands apart from its call (another WeasyPrint, a note too long for any
    page), the paragraph holding the call and the one ending its page are laid out
    again with widows and orphans relaxed to one line, and the layout is checked again.

    An edition with annexes is laid out by parts (``by_parts``, default :data:`BY_PARTS`),
    ``workers`` parts at a time in forked processes (largest first) when ``workers`` > 1, one
    after another otherwise, and the parts' PDFs joined (:mod:`.pdfjoin`); an edition without
    annexes, or ``by_parts=False``, is one layout. The diagnostics name the pages of the PDF
    either way, with the number each prints.

    ``variant`` is one of ``--pdf-variant``'s (:data:`WEASYPRINT_VARIANTS`); None is the default,
    a tagged PDF/UA-1.
    """
    return start_pdf(document, environment, styles_dir, variant, workers=workers, by_parts=by_parts).result()


class PendingPdf:
    """A PDF under way: its parts laid out in worker processes (or already laid out, with one
    process), the build's process free meanwhile. :meth:`result` waits for the parts, checks and
    joins them; :meth:`close` stops the workers of a PDF whose result is no longer wanted (an
    error or an interrupt in the build's process): no process is left behind either way."""

    def __init__(self, outcome: Callable[[], tuple[bytes | None, list[Diagnostic]]],
                 stop: Callable[[], None] = lambda: None) -> None:
        self._outcome = outcome
        self._stop = stop

    @classmethod
    def done(cls, data: bytes | None, problems: list[Diagnostic]) -> PendingPdf:
        return cls(lambda: (data, problems))

    def result(self) -> tuple[bytes | None, list[Diagnostic]]:
        """The PDF, or the diagnostics that stopped it (waiting for the parts still being laid out)."""
        try:
            return self._outcome()
        finally:
            self.close()

    def close(self) -> None:
        stop, self._stop = self._stop, (lambda: None)
        stop()


def start_pdf(
    document: Document,
    environment: jinja2.Environment,
    styles_dir: Path,
    variant: str | None = None,
    *,
    workers: int = 1,
    by_parts: bool | None = None,
) -> PendingPdf:
    """:func:`write_pdf` begun: with ``workers`` > 1 and parts to lay out, the parts are handed to
    forked worker processes and the build's process returns at once (to write the edition's other
    formats meanwhile: ``pipeline.run_job``); otherwise the PDF is made here, one layout after another."""
    where = SourcePos(document.path, 1, 1)
    variant = WEASYPRINT_VARIANTS[variant]
    missing = missing_fonts()
    if missing:
        hint = "run ./setup.sh (Debian package fonts-liberation2)"
        return PendingPdf.done(None, [error(where, f"font not installed: {missing[0]}", hint)])
    stylesheet = (styles_dir / PRINT_STYLESHEET).read_text(encoding="utf-8")
    values, unset = layout_values(stylesheet)
    if unset:
        lines = stylesheet.splitlines()

        def place(name: str) -> SourcePos:
            found = next(((n, line.index(f"--{name}:")) for n, line in enumerate(lines, 1) if f"--{name}:" in line),
                         (1, 0))
            return SourcePos(str(styles_dir / PRINT_STYLESHEET), found[0], found[1] + 1)

        return PendingPdf.done(None, [error(place(name), f":root must set --{name} to a length (such as 2.5cm or "
                                            "12pt)", "textconv reads the PDF's pages back by these values, which the "
                                            "PDF carries") for name in unset])
    import weasyprint  # noqa: F401 - imported before the workers fork, once

    parts = len(document.parts) if (BY_PARTS if by_parts is None else by_parts) else 1
    if parts == 1:
        layouts = [lay_out(document, environment, styles_dir, stylesheet, values, variant, None)]
    elif workers <= 1:
        layouts = [lay_out(document, environment, styles_dir, stylesheet, values, variant, index)
                   for index in range(parts)]  # each part's boxes are let go as it is written
    else:
        pool = _lay_out_at_once(document, environment, styles_dir, stylesheet, values, variant, workers)
        return PendingPdf(lambda: _joined(document, pool.layouts()), pool.stop)
    return PendingPdf.done(*_joined(document, layouts))


def _joined(document: Document, layouts: list[_Layout]) -> tuple[bytes | None, list[Diagnostic]]:
    """The layouts' problems, pages named as the joined PDF's; or their PDFs joined (one layout: its PDF)."""
    where = SourcePos(document.path, 1, 1)
    parts = len(layouts)
    problems: list[Diagnostic] = []
    first = 0
    for layout in layouts:
        problems += layout.problems
        for call, call_page, note_page in layout.misplaced:
            problems.append(error(where, f"note {call} is called on {page_name(first, call_page, layout.labels)} "
                                         f"but printed on {page_name(first, note_page, layout.labels)}"))
        first += layout.page_count
    if problems or any(layout.pdf is None for layout in layouts):
        return None, problems
    if parts == 1:
        return layouts[0].pdf, []
    from .pdfjoin import join_parts

    try:
        pdf, missing_anchors = join_parts([layout.part for layout in layouts])
    except Exception as exc:  # noqa: BLE001 - pikepdf's failure becomes a diagnostic that quotes it
        return None, [error(where, f"the parts' PDFs could not be joined: {exc}")]
    problems = [error(where, f"WeasyPrint: No anchor #{anchor} for internal URI reference")
                for anchor in dict.fromkeys(missing_anchors)]
    return (None if problems else pdf), problems


def page_name(first: int, number: int, labels: list[tuple[int, dict[str, str]]]) -> str:
    """Page ``number`` of a layout whose first page is the PDF's ``first + 1``-th, as an editor finds
    it: the PDF's page number (a viewer's "go to page") and the number its running head prints
    (its page label: "page 12 (Annex, page 3)")."""
    runs = [(start, label) for start, label in labels if start <= number - 1]
    if not runs:
        return f"page {first + number}"
    start, label = runs[-1]
    printed = label.get("P", "") + (str(number - start) if "S" in label else "")
    return f"page {first + number} ({printed.strip()})"


def _lay_out_forked(index: int) -> _Layout:
    return lay_out(*_FORKED, index)


def _lay_out_at_once(document, environment, styles_dir, stylesheet, values, variant, workers) -> _PartPool:
    """Every part handed to forked worker processes, the largest first (by its paragraphs and table
    rows: the body, usually, which sets the time); the pool returned at once."""
    global _FORKED
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    sizes = {index: sum(1 for _ in iter_paragraphs(part.children)) + sum(len(t.rows) for t in part.tables) // 3
             for index, part in enumerate(document.parts)}
    _FORKED = (document, environment, styles_dir, stylesheet, values, variant)
    pool = ProcessPoolExecutor(max_workers=min(workers, len(sizes)), mp_context=multiprocessing.get_context("fork"))
    try:
        # A "fork" pool starts all its workers at the first submit: they hold _FORKED from then on.
        futures = {index: pool.submit(_lay_out_forked, index) for index in sorted(sizes, key=lambda i: (-sizes[i], i))}
    except BaseException:
        _stop_pool(pool)
        raise
    finally:
        _FORKED = None
    return _PartPool(pool, [futures[index] for index in range(len(sizes))], SourcePos(document.path, 1, 1))


@dataclass
class _PartPool:
    """The worker processes laying out an edition's parts, and each part's future, in the parts' order."""

    pool: object
    futures: list
    where: SourcePos

    def layouts(self) -> list[_Layout]:
        """Each part's layout, waited for; a worker that died is its part's diagnostic."""
        layouts = []
        for index, future in enumerate(self.futures):
            try:
                layouts.append(future.result())
            except Exception as exc:  # noqa: BLE001 - a worker that died: the edition fails, with why
                layouts.append(_Layout(None, [error(self.where, f"the layout of part {index + 1} failed: {exc}")],
                                       [], 0))
        self.pool.shutdown(wait=True)
        return layouts

    def stop(self) -> None:
        _stop_pool(self.pool)


def _stop_pool(pool) -> None:
    """No worker left behind: the parts not begun cancelled, those under way stopped, every worker
    waited for (reaped). After :meth:`_PartPool.layouts` there is nothing left to stop."""
    # ProcessPoolExecutor.terminate_workers() is Python 3.14's; before it, its processes by their
    # table, taken before shutdown() lets go of it.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join()


def lay_out(document: Document, environment: jinja2.Environment, styles_dir: Path, stylesheet: str,
            values: dict[str, float], variant: str | None, only: int | None) -> _Layout:
    """One layout, checked and written: the whole edition (``only`` None) or its ``only``-th part."""
    from weasyprint import HTML

    where = SourcePos(document.path, 1, 1)
    paragraphs = call_paragraphs(document)
    order = {p.anchor: i for i, p in enumerate(p for part in document.parts for p in iter_paragraphs(part.children))}
    relaxed: frozenset[str] = frozenset()
    continued: dict[int, str] | None = None
    """The lines page by page, once the strings placed them wrongly (``None``: by strings)."""
    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    part = None
    try:
        for attempt in range(1, MAX_LAYOUT_PASSES + 1):
            lines_css = continued_strings_css(document) if continued is None else continued_css(continued)
            page = write_html(document, environment, stylesheet + lines_css, for_print=True, relaxed=relaxed,
                              only=only)
            with notes_kept(KEEP_NOTES_IN_FIRST_LAYOUT):
                rendered = HTML(
                    string=page,
                    base_url=styles_dir.resolve().as_uri() + "/",
                    url_fetcher=make_url_fetcher((styles_dir, FONT_DIR)),
                ).render(pdf_variant=variant)
            misplaced = misplaced_notes(rendered, document)
            more = set()
            for call, call_page, _ in misplaced:
                # The note was moved either for its own paragraph's lines or for the
                # widows of the paragraph that ends the page: relax both.
                more.add(paragraphs.get(call))
                more.add(last_paragraph_on(rendered, call_page, order))
            more = {anchor for anchor in more if anchor} - relaxed
            lines = continued_pages(rendered, document)
            lines_right = shown_continued(rendered) == lines
            if (not misplaced or not more) and lines_right or attempt == MAX_LAYOUT_PASSES:
                break  # the last layout is kept: what is still wrong in it is reported below
            relaxed |= more
            if not lines_right:
                continued = lines
            rendered = None  # one laid-out document in memory at a time
            gc.collect()
        # The layout the pages were set by, for textconv to read them back by (only this entry:
        # the page's other <meta> names stay out of the PDF, as before).
        rendered.metadata.custom = {LAYOUT_KEY: layout_entry(values)}
        labels = page_labels(rendered, document)
        if only is not None:
            _links_out_of_part(rendered)
            part = PartPdf(b"", [(page.height, page.bookmarks) for page in rendered.pages], labels)
        archival = [no_interpolation] if (variant or "").startswith("pdf/a") else []
        with tags_from_html():
            pdf = rendered.write_pdf(pdf_variant=variant, uncompressed_pdf=False, custom_metadata=True,
                                     finisher=finish(label_pages(labels), plain_metadata, unambiguous_stream_ends,
                                                     *archival))
    except Exception as exc:  # WeasyPrint's failure becomes a diagnostic that quotes it
        return _Layout(None, [error(where, f"WeasyPrint could not lay out the PDF: {exc}")], [], 0)
    finally:
        logger.removeHandler(collector)
    problems = [error(where, f"WeasyPrint: {message}") for message in dict.fromkeys(collector.messages)]
    problems += wide_tables(rendered, document)
    if part is not None:
        part.pdf = pdf
    return _Layout(pdf, problems, misplaced, len(rendered.pages), labels, part)


def _links_out_of_part(rendered) -> None:
    """A link to an anchor this layout does not hold (it is in another part) becomes a URI
    action to :data:`~.pdfjoin.PART_LINK` + the anchor, which the join makes a link to the named
    destination: WeasyPrint would drop it."""
    held = {anchor for page in rendered.pages for anchor in page.anchors}
    for page in rendered.pages:
        page.links = [("external", PART_LINK + target, rectangle, box)
                      if kind == "internal" and target not in held else (kind, target, rectangle, box)
                      for kind, target, rectangle, box in page.links]


# ---- What WeasyPrint 70 leaves out of the PDF's structure: page labels, languages, notes ----------


def page_labels(rendered, document: Document) -> list[tuple[int, dict[str, str]]]:
    """The PDF's page labels, as the running heads print the numbers: (index of the first page of a
    run, its label's style and prefix).

    The cover is labelled with the symbol it prints (it carries no number); the body's pages count
    from 1 ("Página 3" → "3"); each annex's pages count from 1 with the annex's words
    ("Anexo, página 3" → "Anexo, página 3"), as its running head says. A run starts on the page
    that holds the part's anchor, as the ``@page :nth(1 of …)`` rule restarts the counter there.
    """
    first_page: dict[str, int] = {}
    for index, page in enumerate(rendered.pages):
        for anchor in page.anchors:
            first_page.setdefault(anchor, index)
    runs = [(0, {"P": document.meta.symbol})]
    for part in document.parts:
        anchor = "body" if part.kind == "body" else part.anchor
        if anchor not in first_page:
            continue
        if part.kind == "body":
            label = {"S": "D"}
        else:
            label = {"S": "D", "P": f"{part.designation}, {document.language.page_in_annex} "}
        runs.append((first_page[anchor], label))
    return sorted(dict(runs).items())


def label_pages(runs: list[tuple[int, dict[str, str]]]):
    """A WeasyPrint finisher that writes ``runs`` as the catalogue's ``/PageLabels``."""
    import pydyf

    def finish(_document, pdf) -> None:
        numbers = pydyf.Array()
        for index, label in runs:
            entry = pydyf.Dictionary({})
            if "S" in label:
                entry["S"] = "/" + label["S"]
                entry["St"] = 1
            if "P" in label:
                entry["P"] = pydyf.String(label["P"])
            numbers.extend([index, entry])
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": numbers})

    return finish


@contextmanager
def tags_from_html():
    """While a tagged PDF is written, the structure elements take from the HTML what WeasyPrint 70's
    tagging (``weasyprint.pdf.tags``, by element name only) leaves out:

    - ``/Lang`` on the element of each box whose HTML element sets its own ``lang`` (an annex in
      another language than the edition, the edition's words inside it, a phrase in another
      language);
    - a footnote (``role="note"``) tagged ``Note``, with an ``/ID`` (PDF/UA-1 7.9), its number
      (the ``::footnote-marker``) tagged ``Lbl``;
    - a sub-paragraph's marker ((a), (i)) and a note's bullet tagged ``Lbl``;
    - every element that holds a link annotation tagged ``Link``;
    - what a list item holds besides its label (a bullet item's paragraph) put in an ``LBody``
      (PDF/UA-1 7.6: an ``LI`` holds ``Lbl`` and ``LBody`` only).

    WeasyPrint builds the tree by calling its module's ``_build_box_tree`` for each box, recursively,
    through the module's name: wrapping that name sees every box with the element made for it.
    """
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import tags

    original = tags._build_box_tree
    seen_ids: set[str] = set()
    boxes_in: list = []  # the boxes whose elements are being built, outermost first

    def build(box, parent, pdf, page_number, nums, annotations, page_tags):
        own = not (isinstance(box, (boxes.PageBox, boxes.MarginBox))
                   or getattr(box, "element_tag", None) in ("html", "body"))
        boxes_in.append(box)
        try:
            for element in original(box, parent, pdf, page_number, nums, annotations, page_tags):
                if own and box.element is not None:
                    enclosing = boxes_in[-2] if len(boxes_in) > 1 else None
                    if (getattr(enclosing, "element", None) is box.element and box.element.get("role") == "note"
                            and enclosing.element_tag == box.element_tag):
                        element["S"] = "/NonStruct"  # an anonymous block inside the note: no second note
                    else:
                        _retag(element, box, seen_ids)
                if element["S"] == "/LI":
                    _body_in_lbody(element, pdf)
                yield element
        finally:
            boxes_in.pop()

    tags._build_box_tree = build
    try:
        yield
    finally:
        tags._build_box_tree = original


def _retag(element, box, seen_ids: set[str]) -> None:
    import pydyf

    tag = box.element_tag
    classes = (box.element.get("class") or "").split()
    if getattr(box, "link_annotation", None) and element["S"] != "/Link":
        # WeasyPrint gives a link's inner boxes (the call's <sup>) and a footnote's own empty call
        # link annotations of their own: each must sit in a Link element (PDF/UA-1 7.18.5).
        element["S"] = "/Link"
        return
    if tag == "span::footnote-marker" or (tag == "span" and "subpara-marker" in classes) or (
            tag == "li::before" and "bullet" in classes):
        element["S"] = "/Lbl"
        return
    if "::" in tag:
        return
    if box.element.get("lang"):
        element["Lang"] = pydyf.String(box.element.get("lang"))
    if box.element.get("role") == "note" and element["S"] == "/Span":
        element["S"] = "/Note"
        identifier = box.element.get("id") or "note"
        while identifier in seen_ids:
            identifier += "+"
        seen_ids.add(identifier)
        element["ID"] = pydyf.String(identifier)


def plain_metadata(_document, pdf) -> None:
    """A finisher that leaves the XMP metadata stream uncompressed: PDF/A-2 (ISO 19005-2, 6.6.2.1)
    forbids a Filter on it, and WeasyPrint 70 compresses it with the rest."""
    if "Metadata" in pdf.catalog:
        pdf.objects[int(pdf.catalog["Metadata"].split()[0])].compress = False


def no_interpolation(_document, pdf) -> None:
    """A finisher that turns off image interpolation: PDF/A-2 (ISO 19005-2, 6.2.8.3) forbids an
    image's /Interpolate true, and WeasyPrint 70 sets it for every image whose ``image-rendering``
    is ``auto`` (a figure's PNG)."""
    import pydyf

    for item in pdf.objects:
        if isinstance(item, pydyf.Stream) and item.extra.get("Subtype") == "/Image" and "Interpolate" in item.extra:
            item.extra["Interpolate"] = "false"


def unambiguous_stream_ends(_document, pdf) -> None:
    """A finisher that ends with CR LF every stream whose bytes end with a CR.

    pydyf writes a stream's bytes, a LF and ``endstream``. When the bytes (say, compressed) end
    with a CR, a reader that counts the stream from its ``endstream`` takes that CR and the LF for
    one CR LF end of line and counts one byte fewer than /Length (the ``page`` validator's
    PDFA2B-STREAM-LENGTH-001 on PDF/A-2b, ISO 19005-2 6.1.7.1; about one stream in 256): after a CR
    LF the count is the same whichever way it is read."""
    import pydyf

    def data(self) -> bytes:
        data = type(self).__mro__[1].data.fget(self)  # the stream's own kind's bytes
        end = b"\nendstream"
        return data[: -len(end)] + b"\r\nendstream" if data[: -len(end)].endswith(b"\r") else data

    ended: dict[type, type] = {}  # each kind of stream (pydyf's, WeasyPrint's) → its CR LF-ended kind
    for item in pdf.objects:
        kind = type(item)
        if isinstance(item, pydyf.Stream) and kind not in ended.values():
            if kind not in ended:
                ended[kind] = type(f"CrLfEnded{kind.__name__}", (kind,), {"data": property(data)})
            item.__class__ = ended[kind]


def finish(*finishers):
    """One WeasyPrint finisher that runs ``finishers`` in turn."""

    def run(document, pdf) -> None:
        for finisher in finishers:
            finisher(document, pdf)

    return run


def _body_in_lbody(item, pdf) -> None:
    """Make list item ``item`` an ``Lbl`` and an ``LBody``: a label at the head of its body moved
    before the body, the elements other than ``Lbl`` and ``LBody`` moved into an ``LBody`` of
    their own, where the first of them stood."""
    import pydyf

    def element(reference):
        return pdf.objects[int(reference.split()[0])] if isinstance(reference, bytes) else None

    # A label WeasyPrint put at the head of the item's body (a sub-paragraph's "(a)") stands
    # beside the body, before it.
    hoisted = pydyf.Array()
    for ref in item["K"]:
        kid = element(ref)
        if kid is not None and kid.get("S") == "/LBody":
            while kid["K"] and element(kid["K"][0]) is not None and element(kid["K"][0]).get("S") == "/Lbl":
                label = kid["K"].pop(0)
                element(label)["P"] = item.reference
                hoisted.append(label)
        hoisted.append(ref)
    item["K"] = hoisted
    others = [ref for ref in item["K"]
              if element(ref) is not None and element(ref).get("S") not in ("/Lbl", "/LBody")]
    if not others:
        return
    body = pydyf.Dictionary({"Type": "/StructElem", "S": "/LBody", "K": pydyf.Array(others), "P": item.reference})
    if "Pg" in item:
        body["Pg"] = item["Pg"]
    pdf.add_object(body)
    for ref in others:
        element(ref)["P"] = body.reference
    kids = pydyf.Array()
    for ref in item["K"]:
        if ref is others[0]:
            kids.append(body.reference)
        elif not any(ref is other for other in others):
            kids.append(ref)
    item["K"] = kids
