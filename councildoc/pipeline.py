"""The orchestrator: read → parse → transform → write, for every chosen edition.

:func:`build` is the one place where the stages meet (docutils'
``Publisher.publish``). A document with errors writes nothing, and an output
is replaced only once it is complete (written to a temporary file, then
renamed), so earlier outputs stay whole.
"""

from __future__ import annotations

import enum
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from . import languages
from .diagnostics import Diagnostic, SourcePos, error, has_errors, sort_key
from .model import Document
from .parity import check_parity
from .parse import DocumentInfo, parse_document_info, parse_edition
from .read import DocumentSources, discover, read_source
from .transforms import apply_transforms
from .writers.docx import write_docx
from .writers.html import STYLESHEET, make_environment, write_html
from .writers.parallel import write_side_by_side
from .writers.pdf import write_pdf
from .writers.text import write_text

FORMATS = ("html", "pdf", "docx", "txt")
"""Every output format councildoc writes."""


class Phase(enum.Enum):
    """Where a build is (Sphinx's build phases), for messages and progress."""

    READING = "reading"
    PARSING = "parsing"
    TRANSFORMING = "transforming"
    CONSISTENCY_CHECK = "checking editions"
    WRITING = "writing"


@dataclass(frozen=True)
class Project:
    """A folder with ``source/``, ``templates/``, ``styles/`` and ``output/``."""

    root: Path
    """The project folder."""

    @property
    def source_dir(self) -> Path:
        return self.root / "source"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def styles_dir(self) -> Path:
        return self.root / "styles"

    @property
    def languages_dir(self) -> Path:
        """The project's own language data, beside councildoc's (``languages/<code>.yaml``)."""
        return self.root / "languages"

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    def documents(self) -> list[DocumentSources]:
        return discover(self.source_dir) if self.source_dir.is_dir() else []

    def output_path(self, document: str, lang: str, fmt: str) -> Path:
        return self.output_dir / document / lang / f"{document}.{fmt}"

    def side_by_side_path(self, document: str) -> Path:
        return self.output_dir / document / f"{document}.side-by-side.html"


@dataclass
class BuildReport:
    """What a build did: every diagnostic and every file written."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    editions: int = 0

    @property
    def failed(self) -> bool:
        return has_errors(self.diagnostics)


def load_info(project: Project, sources: DocumentSources) -> tuple[DocumentInfo | None, list[Diagnostic]]:
    """READING and PARSING of ``document.yaml``."""
    text, diagnostics = read_source(sources.meta_path, project.root)
    if text is None:
        return None, diagnostics
    info, found = parse_document_info(text)
    return info, diagnostics + found


def load_edition(
    project: Project, sources: DocumentSources, info: DocumentInfo, lang: str
) -> tuple[Document | None, list[Diagnostic]]:
    """READING → PARSING → TRANSFORMING of one edition: a numbered, resolved document."""
    text, diagnostics = read_source(sources.editions[lang], project.root)
    if text is None:
        return None, diagnostics
    document, found = parse_edition(text, info, sources.name, lang)
    diagnostics += found
    if document is None or has_errors(diagnostics):
        return None, diagnostics
    document, found = apply_transforms(document)
    return document, diagnostics + found


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write ``path`` so that it is never seen half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are for publishing
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def render(
    project: Project, environment: Environment, document: Document, fmt: str, pdf_variant: str | None = None
) -> tuple[str | bytes | None, list[Diagnostic]]:
    """One output of one edition, in memory: the bytes to write, or why there are none."""
    if fmt == "html":
        stylesheet = (project.styles_dir / STYLESHEET).read_text(encoding="utf-8")
        return write_html(document, environment, stylesheet), []
    if fmt == "pdf":
        return write_pdf(document, environment, project.styles_dir, pdf_variant)
    if fmt == "docx":
        return write_docx(document, project.styles_dir)
    if fmt == "txt":
        return write_text(document), []
    raise ValueError(f"no writer for {fmt}")  # the CLI refuses formats not in FORMATS


def build(
    project: Project,
    documents: list[str] | None = None,
    langs: list[str] | None = None,
    formats: list[str] | None = None,
    *,
    write: bool = True,
    log: Callable[[Phase, str], None] | None = None,
    pdf_variant: str | None = None,
) -> BuildReport:
    """Build the chosen documents × editions × formats (all when ``None``).

    With ``write=False`` it only checks: every stage but WRITING runs, and the
    editions of each document are compared with each other (the parity check).
    ``log`` hears each phase as it starts (``--verbose``).
    """
    say = log or (lambda phase, what: None)
    report = BuildReport()
    languages.use_project_languages(project.languages_dir)
    formats = formats or list(FORMATS)
    chosen = [d for d in project.documents() if documents is None or d.name in documents]
    environment = None
    for sources in chosen:
        info, diagnostics = load_info(project, sources)
        report.diagnostics += diagnostics
        if info is None:
            continue
        missing = [] if langs is None else [lang for lang in langs if lang not in sources.editions]
        for lang in missing:
            report.diagnostics.append(
                error(SourcePos(f"source/{sources.name}/{lang}.md", 1, 1), f"no '{lang}' edition of {sources.name}")
            )
        editions: dict[str, Document] = {}
        for lang in sources.editions:
            if langs is not None and lang not in langs:
                continue
            say(Phase.READING, f"{sources.name} [{lang}]")
            document, diagnostics = load_edition(project, sources, info, lang)
            report.diagnostics += diagnostics
            report.editions += 1
            if document is not None and not has_errors(diagnostics):
                editions[lang] = document
        if not write:
            say(Phase.CONSISTENCY_CHECK, sources.name)
            report.diagnostics += check_parity(editions)
            continue
        if editions and environment is None:
            environment = make_environment(project.templates_dir)
        for lang, document in editions.items():
            for fmt in formats:
                path = project.output_path(sources.name, lang, fmt)
                say(Phase.WRITING, path.relative_to(project.root).as_posix())
                data, problems = render(project, environment, document, fmt, pdf_variant)
                report.diagnostics += problems
                if data is not None:
                    write_atomically(path, data)
                    report.written.append(path)
        if "html" in formats and len(editions) > 1:
            path = project.side_by_side_path(sources.name)
            say(Phase.WRITING, path.relative_to(project.root).as_posix())
            stylesheet = (project.styles_dir / STYLESHEET).read_text(encoding="utf-8")
            write_atomically(path, write_side_by_side(editions, environment, stylesheet))
            report.written.append(path)
    report.diagnostics.sort(key=sort_key)
    return report
