"""The command line: ``build.py [check] [--doc …] [--lang …] [--format …]``.

Exit status: 0 on success, 1 when a source has errors (or warnings with
``--strict``), 2 on a usage error. Diagnostics go to standard error, one
``path:line:col: severity: message`` a line, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from .diagnostics import Diagnostic, Severity
from .formats import PDF_VARIANTS, REGISTRY
from .lock import project_lock
from .pipeline import FORMATS, JobResult, Project, build, parse_shard, unsafe_paths, write_index

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


COMMANDS = ("build", "check", "diff", "corrigendum", "textconv", "index", "preview")
PROJECT_MARKERS = ("source", "templates")
"""The folders that make a project: the ``councildoc`` command looks for them from the current folder up."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep its message short
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _values(raw: list[str] | None) -> list[str] | None:
    """``--lang es,en``, ``--lang "es, en"``, ``--lang es --lang en`` and ``--lang all`` alike; None means every one."""
    if not raw:
        return None
    values = list(dict.fromkeys(v for item in raw for v in re.split(r"[,\s]+", item) if v))
    return None if not values or "all" in (v.lower() for v in values) else values


def command_name(prog: str) -> str:
    """How a user types the command: ``python build.py`` or ``councildoc``."""
    return f"python {prog}" if prog.endswith(".py") else prog


def make_parser(prog: str | None = None) -> argparse.ArgumentParser:
    prog = prog or Path(sys.argv[0]).name or "councildoc"
    typed = command_name(prog)
    parser = _Parser(
        prog=prog,
        usage=f"%(prog)s [COMMAND] [options]   (COMMAND: {', '.join(COMMANDS)}; default: build)",
        description=(
            "Build council documents from tagged sources: every section, paragraph and note "
            "numbered and every cross-reference resolved by the build."
        ),
        epilog=(
            "examples:\n"
            f"  {typed}                          build every document, edition and format\n"
            f"  {typed} --lang es --format html  the Spanish HTML editions\n"
            f"  {typed} check                    validate every source, write nothing\n"
            f"  {typed} preview --doc mc-inf-298 --lang en   a live preview that reloads on save\n"
            f"  {typed} textconv out.pdf         the review text of a built file (for git diff)\n\n"
            "Options go before or after the command; lists take commas (--lang es,en) or repeat "
            "(--lang es --lang en).\n"
            "Outputs go to output/<document>/<lang>/<document>.<format>. "
            "Exit status: 0 ok, 1 errors in a source, 2 usage error."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "command", nargs="?", default="build", metavar="COMMAND",
        help="build (the default) writes outputs; check validates and compares the editions without "
             "writing; diff REV_A [REV_B] writes redlines between two git revisions (default REV_B: the "
             "working tree); textconv FILE prints the review text of a built .pdf, .docx or .html; "
             "index rewrites output/index.html and manifest.json from what output/ holds; "
             "preview serves the HTML on 127.0.0.1 and reloads it on every save; "
             "corrigendum REV_A [REV_B] --doc D writes and builds the corrigendum of an issued document",
    )
    parser.add_argument("files", nargs="*", metavar="FILE|REV",
                        help="for textconv: the built file to read; for diff: one or two git revisions")
    parser.add_argument("--doc", action="append", metavar="NAME",
                        help="document folder(s) under source/, e.g. mc-inf-298 (default: all)")
    parser.add_argument("--lang", action="append", metavar="LANG",
                        help="edition language(s), e.g. es or es,en, any case (default: all)")
    parser.add_argument("--format", action="append", metavar="FMT",
                        help="output format(s), default all: " + "; ".join(
                            f"{f.name} ({f.description})" for f in REGISTRY.values()))
    parser.add_argument("--project", type=Path,
                        help="the project folder holding source/, templates/ and styles/ "
                             + ("(default: this script's folder)" if prog.endswith(".py") else
                                "(default: the nearest one from the current folder up)"))
    parser.add_argument("--pdf-variant", choices=PDF_VARIANTS,
                        help="the PDFs' standard: pdf/ua-1 (tagged, accessible: the default), pdf/a-2b "
                             "(archival), or untagged")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="build N editions at a time (default: the machine's cores)")
    parser.add_argument("--shard", default="1/1", metavar="K/N",
                        help="build only the K-th of N stable slices of the editions (CI matrices)")
    parser.add_argument("--port", type=int, default=0, metavar="N",
                        help="preview: the port to serve on (default: a free one, printed)")
    parser.add_argument("--force", action="store_true", help="rebuild outputs that are up to date")
    parser.add_argument("--strict", action="store_true",
                        help="treat warnings as errors (and a document without a requested edition)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="say what each phase is doing, how long it took, and each output's size")
    return parser


def find_project(start: Path) -> Path | None:
    """The nearest folder from ``start`` up that holds ``source/`` and ``templates/`` (as git finds ``.git``)."""
    for folder in (start, *start.parents):
        if all((folder / marker).is_dir() for marker in PROJECT_MARKERS):
            return folder
    return None


def choose(parser: argparse.ArgumentParser, what: str, wanted: list[str] | None, known: list[str],
           *, fold_case: bool = True) -> list[str] | None:
    """``wanted`` spelt as ``known`` spells them (any case); a usage error listing ``known`` otherwise."""
    if wanted is None:
        return None
    by_key = {(k.lower() if fold_case else k): k for k in known}
    chosen, unknown = [], []
    for value in wanted:
        match = by_key.get(value.lower() if fold_case else value) or by_key.get(value)
        (chosen if match else unknown).append(match or value)
    if unknown:
        parser.error(f"unknown {what} {', '.join(repr(u) for u in unknown)} "
                     f"(there are: {', '.join(known) or 'none'})")
    return list(dict.fromkeys(chosen))


def human_size(size: int) -> str:
    for unit in ("B", "kB", "MB"):
        if size < 1000 or unit == "MB":
            return f"{size} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return str(size)


class PlainProgress:
    """One line a finished edition: what CI logs show."""

    def start(self, total: int) -> None:
        self.total, self.count = total, 0

    def done(self, result: JobResult) -> None:
        self.count += 1
        status = "failed" if any(d.severity.name == "ERROR" for d in result.diagnostics) else "built"
        formats = " ".join(result.job.formats) or "checked"
        print(f"[{self.count}/{self.total}] {status} {result.job.document} [{result.job.lang}] {formats} "
              f"({result.seconds:.1f} s)", file=sys.stderr)


class VerboseProgress(PlainProgress):
    """``-v``: each finished edition, then the seconds of each of its phases."""

    def done(self, result: JobResult) -> None:
        super().done(result)
        if result.phases:
            print("    " + "; ".join(f"{phase} {seconds:.2f} s" for phase, seconds in result.phases.items()),
                  file=sys.stderr)


class RichProgress(PlainProgress):
    """A progress bar on a terminal."""

    def start(self, total: int) -> None:
        from rich.progress import Progress

        super().start(total)
        self.bar = Progress(transient=True)
        self.task = self.bar.add_task("building", total=total)
        if total:
            self.bar.start()

    def done(self, result: JobResult) -> None:
        self.count += 1
        self.bar.update(self.task, advance=1, description=f"{result.job.document} [{result.job.lang}]")
        if self.count == self.total:
            self.bar.stop()


def make_progress() -> PlainProgress:
    if sys.stderr.isatty() and not os.environ.get("CI"):
        return RichProgress()
    return PlainProgress()


def run_textconv(parser: argparse.ArgumentParser, files: list[str]) -> int:
    """Print each file's review text (``git diff``'s textconv)."""
    from .textconv import TextconvError, textconv

    if len(files) != 1:
        parser.error("textconv takes one FILE")
    path = Path(files[0])
    if not path.is_file():
        parser.error(f"no such file: {path}")
    try:
        text = textconv(path)
    except TextconvError as exc:
        print(f"{path}: error: cannot read it back: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    except Exception as exc:  # a damaged or foreign file: a message, never a traceback  # noqa: BLE001
        print(f"{path}: error: cannot read it back as a council document: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    # UTF-8 whatever the locale says: git reads textconv's output as bytes.
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
    return EXIT_OK


def check_revision(parser: argparse.ArgumentParser, root: Path, revision: str) -> None:
    """A usage error naming ``revision`` (and the branches and tags there are) unless git knows it."""
    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30)

    try:
        inside = git("rev-parse", "--is-inside-work-tree").returncode == 0
        if not inside:
            parser.error(f"diff compares git revisions, and {root} is not in a git repository")
        if git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}").returncode == 0:
            return
        refs = git("for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/tags").stdout.split()
    except (OSError, subprocess.SubprocessError) as exc:
        parser.error(f"diff needs git, which could not run: {exc}")
    parser.error(f"unknown revision '{revision}' (a commit, HEAD~1, or a branch or tag: "
                 f"{', '.join(refs[:20]) or 'none'}{' …' if len(refs) > 20 else ''})")


def run_diff(parser: argparse.ArgumentParser, project: Project, revisions: list[str],
             documents: list[str] | None, langs: list[str] | None) -> int:
    """Redlines between two revisions, and a summary line per edition."""
    from .revisions import diff

    if not 1 <= len(revisions) <= 2:
        parser.error("diff takes REV_A [REV_B]")
    refused = unsafe_paths(project)  # before the lock, which is a file in output/
    if refused:
        return report_all(refused)
    for revision in revisions:
        check_revision(parser, project.root, revision)
    with project_lock(project.output_dir, lambda message: print(message, file=sys.stderr)):
        redlines, written, diagnostics = diff(project, revisions[0], revisions[1] if len(revisions) == 2 else None,
                                              documents=documents, langs=langs)
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
    for redline in redlines:
        print(redline.summary())
    for path in written:
        print(f"wrote {path.relative_to(project.root)}")
    if not redlines and not diagnostics:
        print("no edition is in both revisions: nothing to compare", file=sys.stderr)
    return EXIT_ERRORS if any(d.severity is Severity.ERROR for d in diagnostics) and not redlines else EXIT_OK


def report_all(diagnostics: list[Diagnostic]) -> int:
    """Print ``diagnostics``; the exit status they call for."""
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
    return EXIT_ERRORS if any(d.severity is Severity.ERROR for d in diagnostics) else EXIT_OK


def resolve_project(parser: argparse.ArgumentParser, given: Path | None, project_root: Path | None) -> Project:
    """``--project``, else build.py's folder, else the nearest project from the current folder up."""
    if given is not None or project_root is not None:
        root = (given or project_root).resolve()
        if not (root / "source").is_dir():
            parser.error(f"no source/ folder in {root} (is it a councildoc project?)")
        return Project(root)
    found = find_project(Path.cwd().resolve())
    if found is None:
        markers = " and ".join(f"{marker}/" for marker in PROJECT_MARKERS)
        parser.error(f"not inside a councildoc project: no folder with {markers} "
                     f"from {Path.cwd()} up; go into one, or name it with --project DIR")
    return Project(found)


def main(argv: list[str] | None = None, *, project_root: Path | None = None, prog: str | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["xliff"]:  # a command of its own, with its own arguments
        from .xliff import main as xliff_main

        return xliff_main(argv[1:], project_root)
    if argv[:1] == ["import"]:
        from .importdocx import main as import_main

        return import_main(argv[1:], project_root)
    parser = make_parser(prog)
    args = parser.parse_intermixed_args(argv)
    several = " (several values: --lang es,en or --lang es --lang en)" if args.lang or args.doc or args.format else ""
    if args.command not in COMMANDS:
        parser.error(f"unknown command '{args.command}' (commands: {', '.join(COMMANDS)}){several}")
    if args.command == "textconv":
        return run_textconv(parser, args.files)
    if args.files and args.command not in ("diff", "corrigendum"):
        parser.error(f"unexpected argument(s) for {args.command}: {' '.join(args.files)}{several}")
    project = resolve_project(parser, args.project, project_root)

    formats = choose(parser, "format", _values(args.format), list(FORMATS))
    sources = project.documents()
    docs = choose(parser, "document", _values(args.doc), [d.name for d in sources])
    chosen = [d for d in sources if docs is None or d.name in docs]
    langs = choose(parser, "language", _values(args.lang), sorted({lang for d in chosen for lang in d.editions}))
    started = time.perf_counter()
    last = [started]

    def log(phase, what: str) -> None:
        now = time.perf_counter()
        print(f"{phase.value}: {what}  [{now - last[0]:.2f} s, {now - started:.2f} s in all]", file=sys.stderr)
        last[0] = now

    if args.command == "diff":
        return run_diff(parser, project, args.files, docs, langs)
    if args.command == "corrigendum":
        from .corrigendum import run_corrigendum

        return run_corrigendum(parser, project, args.files, docs, langs)
    if args.command == "index":
        return run_index(project)
    if args.command == "preview":
        from .preview import preview

        if not 0 <= args.port <= 65535:
            parser.error("--port takes 0 (a free port) to 65535")
        return preview(project, docs, langs, port=args.port, verbose=args.verbose)
    try:
        shard = parse_shard(args.shard)
    except ValueError:
        parser.error(f"--shard takes K/N with 1 <= K <= N, not '{args.shard}'")
    if args.jobs < 1:
        parser.error("--jobs takes a whole number of 1 or more")
    building = args.command == "build"
    report = build(project, docs, langs, formats, write=building,
                   log=log if args.verbose else None, pdf_variant=args.pdf_variant,
                   jobs=args.jobs, shard=shard, force=args.force,
                   notify=lambda message: print(message, file=sys.stderr),
                   progress=(VerboseProgress() if args.verbose else make_progress()) if building else None)
    for diagnostic in report.diagnostics:
        print(diagnostic, file=sys.stderr)
    for path in report.written:
        size = f" ({human_size(path.stat().st_size)})" if args.verbose and path.is_file() else ""
        print(f"wrote {path.relative_to(project.root)}{size}")
    errors = sum(d.severity is Severity.ERROR for d in report.diagnostics)
    warnings = len(report.diagnostics) - errors
    if args.command == "check" or report.diagnostics:
        print(f"{report.editions} edition(s) checked: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    elif building and not report.written:
        print(f"up to date ({report.outputs} output{'s' if report.outputs != 1 else ''}; --force rebuilds them)",
              file=sys.stderr)
    if args.verbose:
        print(f"done in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    if errors or (args.strict and warnings):
        return EXIT_ERRORS
    return EXIT_OK


def run_index(project: Project) -> int:
    """``index``: the index and manifest from what ``output/`` holds; says so when it holds nothing."""
    from .publish import artifacts

    refused = unsafe_paths(project)  # a linked output/ is refused before anything in it is read
    if refused:
        return report_all(refused)
    if not project.output_dir.is_dir() or not artifacts(project.output_dir):
        print(f"{display(project.output_dir)}: error: no built file to index\n"
              "hint: build first (build.py), or put the shards' output/ folders together here", file=sys.stderr)
        return EXIT_ERRORS
    report = write_index(project)
    for path in report.written:
        print(f"wrote {path.relative_to(project.root)}")
    if not report.written and not report.diagnostics:
        print("index up to date", file=sys.stderr)
    return report_all(report.diagnostics)


def display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def run() -> None:
    """The ``councildoc`` console command."""
    sys.exit(main())
