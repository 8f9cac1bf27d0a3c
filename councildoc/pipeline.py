"""The orchestrator: read → parse → transform → write, for every chosen edition.

:func:`build` is the one place where the stages meet (docutils'
``Publisher.publish``). An edition with errors writes nothing: its formats are
rendered in memory and replaced together only once all are complete (each
written to a temporary file, then all renamed), so earlier outputs stay whole.
"""

from __future__ import annotations

import enum
import hashlib
import multiprocessing
import os
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from . import formats as formats_registry
from . import languages
from .cache import BuildState, edition_key, project_digest
from .collector import frozen, paused
from .diagnostics import Diagnostic, SourcePos, display_path, error, has_errors, sort_key, warning
from .lock import finish_publishing, project_lock, remove_stale_temporaries, write_journal
from .parse import PLACEHOLDER_INFO, DocumentInfo, parse_document_info, parse_edition
from .read import DOCUMENT_META, DocumentSources, discover, read_source, undocumented_folders
from .safety import ascii_name, name_problem, unsafe_entries

if TYPE_CHECKING:

    from .model import Document

# The writers, the transforms and the publishing code are imported where they are used: a
# rebuild with nothing to do pays for none of them (nor for Jinja, lxml, Pandoc or WeasyPrint).
STYLESHEET = "council.css"

FORMATS = formats_registry.names()
"""Every output format councildoc writes (from the registry, :mod:`councildoc.formats`)."""


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
    outputs: int = 0
    """How many outputs the build covers (written or already up to date)."""


def load_info(project: Project, sources: DocumentSources) -> tuple[DocumentInfo | None, list[Diagnostic]]:
    """READING and PARSING of ``document.yaml`` (and of the folder's name, which becomes paths and URLs)."""
    problem = name_problem(sources.name)
    if problem:
        return None, [error(SourcePos(f"source/{ascii_name(sources.name)}/{DOCUMENT_META}", 1, 1), problem)]
    text, diagnostics = read_source(sources.meta_path, project.root)
    if text is None:
        return None, diagnostics
    info, found = parse_document_info(text)
    return info, diagnostics + found


def load_edition(
    project: Project, sources: DocumentSources, info: DocumentInfo, lang: str
) -> tuple[Document | None, list[Diagnostic]]:
    """READING → PARSING → TRANSFORMING of one edition: a numbered, resolved document."""
    with paused():  # millions of objects made, none in a cycle: see councildoc.collector
        return _load_edition(project, sources, info, lang)


def _load_edition(
    project: Project, sources: DocumentSources, info: DocumentInfo, lang: str
) -> tuple[Document | None, list[Diagnostic]]:
    text, diagnostics = read_source(sources.editions[lang], project.root)
    if text is None:
        return None, diagnostics
    from .transforms import apply_transforms

    catalogue = languages.Catalogue.for_project(project.languages_dir)
    document, found = parse_edition(text, info, sources.name, lang, catalogue)
    diagnostics += found
    if document is None:
        return None, diagnostics
    # A source with parse errors is still numbered and resolved: a broken heading does not
    # hide a broken reference. Nothing is built from it.
    document, found = apply_transforms(document)
    diagnostics += found
    from .numbers import check_conventions

    diagnostics += check_conventions(document)  # a table's figures, each written its edition's way
    from .figures import load_figures

    document, found = load_figures(document, sources.editions[lang].parent)  # each figure's image, checked
    diagnostics += found
    return (None if has_errors(diagnostics) else document), diagnostics


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write ``path`` so that it is never seen half-written."""
    write_together({path: data})


def write_together(outputs: dict[Path, str | bytes]) -> None:
    """Write every file of ``outputs`` or none: each to a temporary file in its folder, then all
    renamed into place once every one is complete (a full disk fails before any rename).

    The files of one folder (an edition's formats) are published as a set even if the build is
    killed between two renames: a journal lists the renames first, and the next build finishes
    them before anything else (:func:`councildoc.lock.finish_publishing`).
    """
    temporaries: dict[Path, str] = {}
    journal = None
    try:
        for path, data in outputs.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            payload = data.encode("utf-8") if isinstance(data, str) else data
            handle, temporaries[path] = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                stream.write(payload)
            os.chmod(temporaries[path], 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are for publishing
        if len(outputs) > 1 and len({path.parent for path in outputs}) == 1:
            journal = write_journal(next(iter(outputs)).parent,
                                    [(Path(temporary).name, path.name) for path, temporary in temporaries.items()])
        for path, temporary in temporaries.items():
            os.replace(temporary, path)
    except BaseException:
        if journal is None or not journal.exists():
            for temporary in temporaries.values():
                Path(temporary).unlink(missing_ok=True)
        raise
    if journal is not None:
        journal.unlink()


def render_context(project: Project, pdf_variant: str | None = None, editions: tuple[str, ...] = (),
                   published: tuple[str, ...] = (), pdf_workers: int = 1) -> formats_registry.RenderContext:
    """What the writers read from the project: its templates and styles, the document's editions and
    the formats the build writes of each, and how many processes may lay out one PDF's parts."""
    return formats_registry.RenderContext(project.templates_dir, project.styles_dir, pdf_variant, editions, published,
                                          pdf_workers)


def cannot_write(project: Project, path: Path, exc: OSError, left: str = "nothing of this edition") -> Diagnostic:
    return error(SourcePos(display_path(path, project.root), 1, 1), f"cannot write it: {exc.strerror or exc}",
                 f"{left} was replaced; free space or fix the permissions, then build again")


def _write_or_report(project: Project, report: BuildReport, path: Path, data: str | bytes) -> bool:
    """Write one file beside the editions (side-by-side view, build state); a failure is a diagnostic."""
    try:
        write_atomically(path, data)
    except OSError as exc:
        report.diagnostics.append(cannot_write(project, path, exc, "nothing"))
        return False
    return True


def render(document: Document, fmt: str, context: formats_registry.RenderContext,
           ) -> tuple[str | bytes | None, list[Diagnostic]]:
    """One output of one edition, in memory: the bytes to write, or why there are none."""
    from jinja2 import TemplateError

    try:
        return formats_registry.REGISTRY[fmt].render(document, context)
    except TemplateError as exc:  # the project's templates: sandboxed, and their errors are diagnostics
        return None, [template_failed(exc)]


def template_failed(exc: Exception) -> Diagnostic:
    return error(SourcePos("templates", getattr(exc, "lineno", None) or 1, 1), f"the template failed: {exc}")


def render_all(document: Document, fmts: tuple[str, ...], context: formats_registry.RenderContext,
               phases: dict[str, float]) -> dict[str, tuple[str | bytes | None, list[Diagnostic]]]:
    """Every output of one edition, in memory, in the order of ``fmts`` (its diagnostics' order).

    A format that can be handed to worker processes (the PDF's parts, when the edition has
    processes to spare: :attr:`~councildoc.formats.Format.start`) is started first; this process
    writes the other formats meanwhile, then waits for it. With one process, each is made here in
    turn. Whatever stops this process (an error, an interrupt) stops the workers too."""
    from jinja2 import TemplateError

    results: dict[str, tuple[str | bytes | None, list[Diagnostic]]] = {}
    pending: dict[str, formats_registry.Pending] = {}
    seconds = dict.fromkeys(fmts, 0.0)
    try:
        with frozen():  # the model and the modules: not walked by each collection of the layout
            for fmt in fmts:
                began = time.perf_counter()
                try:
                    started = formats_registry.REGISTRY[fmt].begin(document, context)
                except TemplateError as exc:
                    started, results[fmt] = None, (None, [template_failed(exc)])
                if started is not None:
                    pending[fmt] = started
                seconds[fmt] += time.perf_counter() - began
            for fmt in fmts:
                if fmt not in pending and fmt not in results:
                    began = time.perf_counter()
                    results[fmt] = render(document, fmt, context)
                    seconds[fmt] += time.perf_counter() - began
            for fmt, started in pending.items():
                began = time.perf_counter()
                results[fmt] = started.result()
                seconds[fmt] += time.perf_counter() - began  # what this process spent on it: starting, waiting
    finally:
        for started in pending.values():
            started.close()
    phases.update({f"writing {fmt}": seconds[fmt] for fmt in fmts})
    return {fmt: results[fmt] for fmt in fmts}


class Progress(Protocol):
    """What a progress display hears: how many jobs, then each one as it ends."""

    def start(self, total: int) -> None: ...

    def done(self, result: JobResult) -> None: ...


@dataclass(frozen=True)
class Job:
    """One edition to build: it is read and parsed once, then written in each format."""

    document: str
    """The document's folder name."""
    lang: str
    """The edition."""
    formats: tuple[str, ...]
    """The formats to write (those not up to date)."""
    info: DocumentInfo | None
    """What ``document.yaml`` says, read once by the planner (``None`` when it is broken: the
    edition is then only checked)."""
    published: tuple[str, ...] = ()
    """Every format the build asks for: those the web page links to."""


@dataclass
class JobResult:
    """What one job did, sent back from the worker that ran it."""

    job: Job
    diagnostics: list[Diagnostic]
    written: list[Path]
    document: Document | None
    seconds: float
    phases: dict[str, float] = field(default_factory=dict)
    """Seconds spent in each phase of the edition: reading, parsing and transforming, then each
    format's writing (``-v`` prints them)."""


def run_job(root: Path, job: Job, write: bool, pdf_variant: str | None, workers: int = 1) -> JobResult:
    """READING → PARSING → TRANSFORMING → WRITING of one edition (in a worker process); ``workers``:
    how many processes may lay out its PDF's parts at once."""
    start = time.perf_counter()
    project = Project(root)
    sources = next(d for d in project.documents() if d.name == job.document)
    if job.info is None:
        # The edition is still read and checked, so that its own problems are reported too.
        _, diagnostics = load_edition(project, sources, PLACEHOLDER_INFO, job.lang)
        return JobResult(job, diagnostics, [], None, time.perf_counter() - start)
    document, diagnostics = load_edition(project, sources, job.info, job.lang)
    phases = {"reading, parsing, transforming": time.perf_counter() - start}
    written: list[Path] = []
    if document is None or has_errors(diagnostics):
        return JobResult(job, diagnostics, written, None, time.perf_counter() - start, phases)
    if write and job.formats:
        # The edition is the unit: every format is rendered in memory, and all are written
        # together only when every one succeeded; otherwise its earlier outputs stay as they are.
        context = render_context(project, pdf_variant, tuple(sorted(sources.editions)), job.published, workers)
        outputs: dict[Path, str | bytes] = {}
        for fmt, (data, problems) in render_all(document, job.formats, context, phases).items():
            diagnostics += problems
            if data is not None:
                path = project.output_path(job.document, job.lang, fmt)
                outputs[path] = data
                if fmt == "html":  # the page shows its figures' images from beside it
                    outputs.update({path.parent / figure.file_name: figure.data
                                    for part in document.parts for figure in part.figures})
        formats = [project.output_path(job.document, job.lang, fmt) for fmt in job.formats]
        if all(path in outputs for path in formats) and not has_errors(diagnostics):
            try:
                write_together(outputs)
                written = formats  # the figures' images beside the HTML go with it
            except OSError as exc:
                diagnostics.append(cannot_write(project, next(iter(outputs)), exc))
    return JobResult(job, diagnostics, written, document, time.perf_counter() - start, phases)


def parse_shard(text: str) -> tuple[int, int]:
    """``K/N`` → (K, N), 1 ≤ K ≤ N; ValueError otherwise."""
    k, n = (int(x) for x in text.split("/"))
    if not 1 <= k <= n:
        raise ValueError(text)
    return k, n


@dataclass(frozen=True)
class Request:
    """What a build is asked for."""

    documents: tuple[str, ...] | None = None
    """Document folders to build (all when ``None``)."""
    langs: tuple[str, ...] | None = None
    """Editions to build (all when ``None``)."""
    formats: tuple[str, ...] = FORMATS
    """Formats to write."""
    write: bool = True
    """False for ``check``: every stage but WRITING runs, and the editions are compared."""
    pdf_variant: str | None = None
    """``pdf/ua-1`` or ``pdf/a-2b``."""
    jobs: int = 1
    """How many editions are built at a time."""
    shard: tuple[int, int] = (1, 1)
    """Build the K-th of N stable slices of the editions."""
    force: bool = False
    """Rebuild outputs that are up to date."""


def build(
    project: Project,
    documents: list[str] | None = None,
    langs: list[str] | None = None,
    formats: list[str] | None = None,
    *,
    write: bool = True,
    log: Callable[[Phase, str], None] | None = None,
    pdf_variant: str | None = None,
    jobs: int = 1,
    shard: tuple[int, int] = (1, 1),
    force: bool = False,
    progress: Progress | None = None,
    notify: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the chosen documents × editions × formats (all when ``None``), under the project's lock.

    With ``write=False`` it only checks (and takes no lock: it writes nothing). Outputs already built
    from the same inputs are kept (``force`` rebuilds them). ``log`` hears each phase, ``progress``
    each edition as it ends, ``notify`` that the build waits for another one.
    """
    request = Request(
        tuple(documents) if documents is not None else None, tuple(langs) if langs is not None else None,
        tuple(formats or FORMATS), write, pdf_variant, jobs, shard, force,
    )
    problems = unsafe_paths(project)
    if problems:
        return BuildReport(problems)
    if not request.write:
        return _build(project, request, log, progress)
    try:
        with project_lock(project.output_dir, notify or (lambda message: None)):
            finish_publishing(project.output_dir)
            remove_stale_temporaries(project.output_dir)
            return _build(project, request, log, progress)
    except OSError as exc:  # a read-only or full output/: every edition's own writes are all-or-nothing
        where = Path(exc.filename) if exc.filename else project.output_dir
        return BuildReport([cannot_write(project, where, exc)])


def unsafe_paths(project: Project) -> list[Diagnostic]:
    """Links and special files where a build reads (sources, templates, styles, languages) or
    writes (``output/``): a pull request can commit a link to any file of the machine."""
    folders = (project.source_dir, project.templates_dir, project.styles_dir, project.languages_dir,
               project.output_dir)
    return [error(SourcePos(ascii_name(path.relative_to(project.root).as_posix()), 1, 1),
                  f"it {what}: councildoc reads and writes only regular files and folders in a project",
                  "replace it with the file or folder itself")
            for folder in folders for path, what in unsafe_entries(folder)]


@dataclass
class Plan:
    """What a build will do: the editions chosen, each document's metadata (read once), the jobs."""

    documents: list[DocumentSources]
    """The chosen documents."""
    infos: dict[str, DocumentInfo | None]
    """Each document's ``document.yaml``, or ``None`` where it is broken."""
    editions: list[tuple[DocumentSources, str]] = field(default_factory=list)
    """The editions of this shard."""
    jobs: list[Job] = field(default_factory=list)
    """The editions with something to do."""
    keys: dict[Path, str] = field(default_factory=dict)
    """The build key of every output planned."""
    project_key: str = ""
    """The digest of what every output depends on (templates, styles, languages, tools)."""
    inputs: dict[Path, str] = field(default_factory=dict)
    """Each edition's own inputs' digest (source, metadata, images), read once for all its outputs."""


def _build(project: Project, request: Request, log: Callable[[Phase, str], None] | None,
           progress: Progress | None) -> BuildReport:
    """PLAN → RUN → RECORD → PUBLISH (docutils' ``Publisher.publish``, one verb a stage)."""
    say = log or (lambda phase, what: None)
    report = BuildReport()
    report.diagnostics += languages.Catalogue.for_project(project.languages_dir).problems()
    if report.diagnostics:
        return report
    state = BuildState(project.output_dir)
    plan = make_plan(project, request, state, report)
    report.outputs = len(plan.keys)
    say(Phase.READING, f"{len(plan.jobs)} of {len(plan.editions)} edition(s) to build")
    if progress is not None:
        progress.start(len(plan.jobs))
    results = _run_jobs(project.root, plan.jobs, request.write, request.pdf_variant, request.jobs,
                        progress.done if progress else None)
    loaded = record(project, plan, results, state, report)
    publish(project, plan, request, loaded, state, report, say)
    report.diagnostics.sort(key=sort_key)
    return report


def make_plan(project: Project, request: Request, state: BuildState, report: BuildReport) -> Plan:
    """PLAN: the chosen editions, each document's metadata read once, and what is out of date."""
    chosen = [d for d in project.documents() if request.documents is None or d.name in request.documents]
    plan = Plan(chosen, {})
    report.diagnostics += undocumented_folders(project.source_dir) if project.source_dir.is_dir() else []
    symbols: dict[str, tuple[str, SourcePos]] = {}
    for sources in chosen:
        info, diagnostics = load_info(project, sources)
        report.diagnostics += diagnostics
        where = SourcePos(f"source/{sources.name}/{DOCUMENT_META}")
        if info is not None and info.symbol in symbols:
            other, first = symbols[info.symbol]
            report.diagnostics.append(error(info.symbol_pos or where,
                                            f"symbol {info.symbol} is also the symbol of {other} ({first})",
                                            "each document has its own symbol"))
            info = None  # neither built nor listed twice: checked only
        elif info is not None:
            symbols[info.symbol] = (sources.name, info.symbol_pos or where)
        plan.infos[sources.name] = info
        missing = [] if request.langs is None else [lang for lang in request.langs if lang not in sources.editions]
        if missing:  # the editions asked for that exist are built; ``--strict`` makes this an error
            report.diagnostics.append(warning(
                SourcePos(f"source/{sources.name}/{DOCUMENT_META}", 1, 1),
                f"{sources.name} has no {', '.join(repr(lang) for lang in missing)} edition "
                f"(it has {', '.join(sorted(sources.editions)) or 'none'})",
                f"add source/{sources.name}/{missing[0]}.md to make one"))
        plan.editions += [(sources, lang) for lang in sources.editions
                          if request.langs is None or lang in request.langs]
    k, n = request.shard
    plan.editions = [item for index, item in enumerate(plan.editions) if index % n == k - 1]
    report.editions = len(plan.editions)

    plan.project_key = project_digest(project) if request.write else ""
    for sources, lang in plan.editions:
        info = plan.infos[sources.name]
        needed = []
        for fmt in request.formats if request.write and info is not None else []:
            path = project.output_path(sources.name, lang, fmt)
            # The web page links to the other editions: adding or removing one rebuilds it.
            options = request.pdf_variant or ""
            if fmt == "html":
                options += f"|{','.join(sorted(sources.editions))}|{','.join(sorted(request.formats))}"
            plan.keys[path] = edition_key(plan.project_key, sources.editions[lang], sources.meta_path, fmt, options,
                                          plan.inputs)
            if request.force or not state.up_to_date(path, plan.keys[path], _relative(project, path)):
                needed.append(fmt)
        if needed or not request.write or info is None:
            plan.jobs.append(Job(sources.name, lang, tuple(needed), info, tuple(request.formats)))
    return plan


def record(project: Project, plan: Plan, results: list[JobResult], state: BuildState,
           report: BuildReport) -> dict[str, dict[str, Document]]:
    """RECORD: every job's diagnostics and files, and the build key of each file written."""
    loaded: dict[str, dict[str, Document]] = {}
    for result in results:
        report.diagnostics += result.diagnostics
        report.written += result.written
        for path in result.written:
            state.record(_relative(project, path), plan.keys[path], path)
        if result.document is not None:
            loaded.setdefault(result.job.document, {})[result.job.lang] = result.document
    return loaded


def publish(project: Project, plan: Plan, request: Request, loaded: dict[str, dict[str, Document]],
            state: BuildState, report: BuildReport, say: Callable[[Phase, str], None]) -> None:
    """PUBLISH: the editions compared (``check``), or the side-by-side views, index and build state."""
    for sources in plan.documents:
        if not request.write:
            from .parity import check_parity

            say(Phase.CONSISTENCY_CHECK, sources.name)
            report.diagnostics += check_parity(loaded.get(sources.name, {}))
        elif "html" in request.formats and len(sources.editions) > 1 and (request.langs is None
                                                                           or len(request.langs) > 1):
            _write_side_by_side(project, sources, plan, state, loaded.get(sources.name, {}), report,
                                request.force, say)
    if request.write and (report.written or not (project.output_dir / "manifest.json").is_file()):
        # The index lists what the build that wrote the artifacts built: a build that wrote
        # nothing leaves it as it is (and costs no hashing of every output).
        _write_index(project, report)
        if state.changed:
            _write_or_report(project, report, state.path, state.text())


def _relative(project: Project, path: Path) -> str:
    return path.relative_to(project.output_dir).as_posix()


def _run_jobs(root: Path, todo: list[Job], write: bool, pdf_variant: str | None, jobs: int,
              progress: Callable[[JobResult], None] | None) -> list[JobResult]:
    """RUN: the jobs, ``jobs`` at a time in worker processes; one job's errors never hide another's.

    Each edition gets ``jobs // len(todo)`` processes (at least one) to lay out its PDF's parts at
    once: ``--jobs 2`` with one edition to build lays its body and annexes out two at a time; with
    as many editions as processes or more, each edition's parts are laid out one after another
    (the editions already fill the processes). Nothing runs in parallel at ``--jobs 1``."""
    tell = progress or (lambda result: None)
    workers = max(1, jobs // max(1, len(todo)))
    if jobs <= 1 or len(todo) <= 1:
        results = []
        for job in todo:
            results.append(run_job(root, job, write, pdf_variant, workers))
            tell(results[-1])
        return results
    results = []
    if write and any("pdf" in job.formats for job in todo):
        # Imported once here rather than once in each worker: the workers fork from this process.
        import weasyprint  # noqa: F401
    with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=multiprocessing.get_context("fork")) \
            as pool:
        futures = {pool.submit(run_job, root, job, write, pdf_variant, workers): job for job in todo}
        for future in as_completed(futures):
            try:
                result = future.result()
            except Exception as exc:  # a worker that died: its edition fails, the others go on  # noqa: BLE001
                job = futures[future]
                where = SourcePos(f"source/{job.document}/{job.lang}.md", 1, 1)
                result = JobResult(job, [error(where, f"the build of this edition failed: {exc}")], [], None, 0.0)
            results.append(result)
            tell(result)
    return sorted(results, key=lambda r: (r.job.document, r.job.lang))


def _write_side_by_side(project: Project, sources: DocumentSources, plan: Plan, state: BuildState,
                        loaded: dict[str, Document], report: BuildReport, force: bool, say) -> None:
    """The side-by-side view of a document's editions, when one of them changed."""
    path = project.side_by_side_path(sources.name)
    key = hashlib.sha256("".join(
        edition_key(plan.project_key, sources.editions[lang], sources.meta_path, "side-by-side", "", plan.inputs)
        for lang in sorted(sources.editions)).encode()).hexdigest()
    if not force and state.up_to_date(path, key, _relative(project, path)):
        return
    info = plan.infos.get(sources.name)
    for lang in sources.editions:
        if lang not in loaded and info is not None:
            document, diagnostics = load_edition(project, sources, info, lang)
            if document is not None and not has_errors(diagnostics):
                loaded[lang] = document
    if len(loaded) < 2:
        return
    from .writers.html import make_environment
    from .writers.parallel import write_side_by_side

    say(Phase.WRITING, path.relative_to(project.root).as_posix())
    stylesheet = (project.styles_dir / STYLESHEET).read_text(encoding="utf-8")
    if _write_or_report(project, report, path,
                        write_side_by_side(loaded, make_environment(project.templates_dir), stylesheet)):
        report.written.append(path)
        state.record(_relative(project, path), key, path)


def _write_index(project: Project, report: BuildReport) -> None:
    """``output/index.html`` and ``manifest.json``, rewritten only when what they list changed."""
    from .publish import artifacts, index_html, manifest_text, source_commit, uncommitted_inputs
    from .writers.html import make_environment

    found = artifacts(project.output_dir)
    if not found:
        return
    commit = source_commit(project.root)
    outputs = {
        project.output_dir / "manifest.json": manifest_text(found, commit, uncommitted_inputs(project.root)),
        project.output_dir / "index.html": index_html(found, commit, make_environment(project.templates_dir),
                                                      project.output_dir),
    }
    changed = {path: text for path, text in outputs.items()
               if not path.is_file() or path.read_text(encoding="utf-8") != text}
    try:
        write_together(changed)
    except OSError as exc:
        # No index at all rather than one that lists files that are not there.
        for path in outputs:
            path.unlink(missing_ok=True)
        report.diagnostics.append(error(SourcePos("output/manifest.json", 1, 1),
                                        f"cannot write it: {exc.strerror or exc}",
                                        "the index and manifest were removed; run 'build.py index' once "
                                        "output/ can be written"))
        return
    report.written += changed


def write_index(project: Project) -> BuildReport:
    """Only the index and manifest, from what ``output/`` holds (after merging shards)."""
    report = BuildReport(unsafe_paths(project))
    if not report.diagnostics:
        _write_index(project, report)
    return report
