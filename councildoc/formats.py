"""The output formats, declared once: name, suffix, what it is, and the writer that makes it.

Like Sphinx's builder registry or Pandoc's table of writers: the command line's
choices, ``--help``, the build keys, the manifest and the index all read
:data:`REGISTRY`. Adding a format is one writer module and one :func:`register`
call. A writer is named by its module and function and imported only when a
file of that format is written, so a rebuild with nothing to do imports none.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import jinja2

    from .diagnostics import Diagnostic
    from .model import Document


@dataclass
class RenderContext:
    """What every writer may need beyond the document: the project's templates and styles."""

    templates_dir: Path
    """The Jinja page templates."""
    styles_dir: Path
    """The stylesheets and the Word styles."""
    pdf_variant: str | None = None
    """One of :data:`PDF_VARIANTS` for the PDF; None for the default, ``pdf/ua-1``."""
    editions: tuple[str, ...] = ()
    """Every language edition of the document (the web page links to the others)."""
    published: tuple[str, ...] = ()
    """The formats the build writes of every edition (the web page links to the others)."""
    pdf_workers: int = 1
    """How many processes may lay out the parts of the edition's PDF at once (``pipeline._run_jobs``
    gives each edition its share of ``--jobs``; 1: one after another, in the build's process)."""
    _environment: jinja2.Environment | None = field(default=None, repr=False)

    @property
    def environment(self) -> jinja2.Environment:
        """The Jinja environment, made once when a writer first needs it."""
        if self._environment is None:
            from .writers.html import make_environment

            self._environment = make_environment(self.templates_dir)
        return self._environment


Render = Callable[["Document", RenderContext], "tuple[str | bytes | None, list[Diagnostic]]"]
Start = Callable[["Document", RenderContext], "Pending | None"]


class Pending(Protocol):
    """An output under way in other processes (:class:`councildoc.writers.pdf.PendingPdf`)."""

    def result(self) -> tuple[str | bytes | None, list[Diagnostic]]:
        """Wait for it: the bytes, or the diagnostics that stopped it."""

    def close(self) -> None:
        """Stop it, its result no longer wanted: no process is left behind."""


@dataclass(frozen=True)
class Format:
    """One output format."""

    name: str
    """What ``--format`` calls it (``pdf``)."""
    suffix: str
    """The file suffix of its outputs (``.pdf``)."""
    description: str
    """What it is, for ``--help``."""
    writer: str
    """``module:function`` of its writer, a :data:`Render`."""
    start: str | None = None
    """``module:function`` of a :data:`Start` that hands the output to worker processes and returns at
    once (a :class:`Pending`; None when the context gives it no processes): the build's process then
    writes the edition's other formats meanwhile (``pipeline.run_job``)."""

    def render(self, document: Document, context: RenderContext) -> tuple[str | bytes | None, list[Diagnostic]]:
        """The bytes (or text) of ``document`` in this format, or the diagnostics that stopped it."""
        module, function = self.writer.split(":")
        writer: Render = getattr(importlib.import_module(module), function)
        return writer(document, context)

    def begin(self, document: Document, context: RenderContext) -> Pending | None:
        """The output handed to worker processes (:attr:`start`), or None: it is made by :meth:`render`."""
        if self.start is None:
            return None
        module, function = self.start.split(":")
        start: Start = getattr(importlib.import_module(module), function)
        return start(document, context)


PDF_VARIANTS = ("pdf/ua-1", "pdf/a-2b", "untagged")
"""What ``--pdf-variant`` offers: PDF/UA-1 (tagged and accessible: the default), PDF/A-2b
(archival), or an untagged PDF to no standard."""

REGISTRY: dict[str, Format] = {}
"""Every format, by name, in the order they are built and listed."""


def register(fmt: Format) -> None:
    if fmt.name in REGISTRY:
        raise ValueError(f"format '{fmt.name}' is registered twice")
    REGISTRY[fmt.name] = fmt


def names() -> tuple[str, ...]:
    return tuple(REGISTRY)


def suffixes() -> tuple[str, ...]:
    return tuple(fmt.suffix for fmt in REGISTRY.values())


# --------------------------------------------------------------------------
# The writers, as the registry calls them


def render_html(document: Document, context: RenderContext) -> tuple[str, list[Diagnostic]]:
    from .writers.html import STYLESHEET, write_html

    stylesheet = (context.styles_dir / STYLESHEET).read_text(encoding="utf-8")
    return write_html(document, context.environment, stylesheet, editions=context.editions,
                      published=context.published), []


def render_pdf(document: Document, context: RenderContext) -> tuple[bytes | None, list[Diagnostic]]:
    from .writers.pdf import write_pdf

    return write_pdf(document, context.environment, context.styles_dir, context.pdf_variant,
                     workers=context.pdf_workers)


def start_pdf(document: Document, context: RenderContext):
    """The PDF's parts handed to ``context.pdf_workers`` processes (None with one: :func:`render_pdf`)."""
    if context.pdf_workers <= 1:
        return None
    from .writers.pdf import start_pdf

    return start_pdf(document, context.environment, context.styles_dir, context.pdf_variant,
                     workers=context.pdf_workers)


def render_docx(document: Document, context: RenderContext) -> tuple[bytes | None, list[Diagnostic]]:
    from .writers.docx import write_docx

    return write_docx(document, context.styles_dir)


def render_text(document: Document, context: RenderContext) -> tuple[str, list[Diagnostic]]:
    from .writers.text import write_text

    return write_text(document), []


def render_akn(document: Document, context: RenderContext) -> tuple[bytes | None, list[Diagnostic]]:
    from .writers.akn import write_akn

    return write_akn(document)


register(Format("html", ".html", "the web page", "councildoc.formats:render_html"))
register(Format("pdf", ".pdf", "the print-ready PDF, by WeasyPrint", "councildoc.formats:render_pdf",
                "councildoc.formats:start_pdf"))
register(Format("docx", ".docx", "the editable Word document, by Pandoc", "councildoc.formats:render_docx"))
register(Format("txt", ".txt", "the review text people diff", "councildoc.formats:render_text"))
register(Format("akn", ".akn", "Akoma Ntoso 3.0 XML, for archives", "councildoc.formats:render_akn"))
