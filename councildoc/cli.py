"""The command line: ``build.py [check] [--doc …] [--lang …] [--format …]``.

Exit status: 0 on success, 1 when a source has errors (or warnings with
``--strict``), 2 on a usage error. Diagnostics go to standard error, one
``path:line:col: severity: message`` a line, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .diagnostics import Diagnostic, Severity
from .formats import PDF_VARIANTS, REGISTRY
from .lock import project_lock
from .pipeline import FORMATS, JobResult, Project, build, parse_shard, unsafe_paths, write_index

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep its message short
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _values(raw: list[str] | None) -> list[str] | None:
    """``--lang es en``, ``--lang es,en`` and ``--lang all`` alike; None means every one."""
    if not raw:
        return None
    values = [v for item in raw for v in item.split(",") if v]
    return None if "all" in values else values


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="councildoc",
        description=(
            "Build council documents from tagged sources: every section, paragraph and note "
            "numbered and every cross-reference resolved by the build."
        ),
        epilog=(
            "examples:\n"
            "  python build.py                          build every document, edition and format\n"
            "  python build.py --lang es --format html  the Spanish HTML editions\n"
            "  python build.py check                    validate every source, write nothing\n"
            "  python build.py textconv out.pdf         the review text of a built file (for git diff)\n\n"
            "Outputs go to output/<document>/<lang>/<document>.<format>. "
            "Exit status: 0 ok, 1 errors in a source, 2 usage error."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "command", nargs="?", choices=("build", "check", "textconv", "index", "diff", "corrigendum"), default="build",
        help="build (the default) writes outputs; check validates and compares the editions without "
             "writing; textconv FILE prints the review text of a built .pdf, .docx or .html; "
             "index rewrites output/index.html and manifest.json from what output/ holds; "
             "diff REV_A [REV_B] writes redlines between two git revisions (default REV_B: the working tree); "
             "corrigendum REV_A [REV_B] --doc D writes and builds the corrigendum of an issued document",
    )
    parser.add_argument("files", nargs="*", metavar="FILE|REV",
                        help="for textconv: the built file to read; for diff: one or two git revisions")
    parser.add_argument("--doc", action="extend", nargs="+", metavar="NAME",
                        help="document folder(s) under source/ (default: all)")
    parser.add_argument("--lang", action="extend", nargs="+", metavar="LANG",
                        help="edition language(s), e.g. es or es,en (default: all)")
    parser.add_argument("--format", action="extend", nargs="+", metavar="FMT",
                        help="output format(s), default all: " + "; ".join(
                            f"{f.name} ({f.description})" for f in REGISTRY.values()))
    parser.add_argument("--project", type=Path,
                        help="the project folder holding source/, templates/ and styles/ "
                             "(default: build.py's folder, or . for the councildoc command)")
    parser.add_argument("--pdf-variant", choices=PDF_VARIANTS,
                        help="write PDFs to a standard: pdf/ua-1 (tagged, accessible) or pdf/a-2b (archival)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="build N editions at a time (default: the machine's cores)")
    parser.add_argument("--shard", default="1/1", metavar="K/N",
                        help="build only the K-th of N stable slices of the editions (CI matrices)")
    parser.add_argument("--force", action="store_true", help="rebuild outputs that are up to date")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("-v", "--verbose", action="store_true", help="say what each phase is doing")
    return parser


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
    from .textconv import textconv

    if len(files) != 1:
        parser.error("textconv takes one FILE")
    path = Path(files[0])
    if not path.is_file():
        parser.error(f"no such file: {path}")
    try:
        text = textconv(path)
    except Exception as exc:  # a damaged or foreign file: a message, never a traceback  # noqa: BLE001
        print(f"{path}: error: cannot read it back as a council document: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    # UTF-8 whatever the locale says: git reads textconv's output as bytes.
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
    return EXIT_OK


def run_diff(parser: argparse.ArgumentParser, project: Project, revisions: list[str],
             documents: list[str] | None, langs: list[str] | None) -> int:
    """Redlines between two revisions, and a summary line per edition."""
    from .revisions import diff

    if not 1 <= len(revisions) <= 2:
        parser.error("diff takes REV_A [REV_B]")
    refused = unsafe_paths(project)  # before the lock, which is a file in output/
    if refused:
        return report_all(refused)
    with project_lock(project.output_dir, lambda message: print(message, file=sys.stderr)):
        redlines, written, diagnostics = diff(project, revisions[0], revisions[1] if len(revisions) == 2 else None,
                                              documents=documents, langs=langs)
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
    for redline in redlines:
        print(redline.summary())
    for path in written:
        print(f"wrote {path.relative_to(project.root)}")
    return EXIT_ERRORS if any(d.severity is Severity.ERROR for d in diagnostics) and not redlines else EXIT_OK


def report_all(diagnostics: list[Diagnostic]) -> int:
    """Print ``diagnostics``; the exit status they call for."""
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
    return EXIT_ERRORS if any(d.severity is Severity.ERROR for d in diagnostics) else EXIT_OK


def main(argv: list[str] | None = None, *, project_root: Path | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command == "textconv":
        return run_textconv(parser, args.files)
    if args.files and args.command not in ("diff", "corrigendum"):
        parser.error(f"unexpected arguments: {' '.join(args.files)}")
    project = Project((args.project or project_root or Path.cwd()).resolve())

    formats = _values(args.format)
    for fmt in formats or []:
        if fmt not in FORMATS:
            parser.error(f"unknown format '{fmt}' (choose from {', '.join(FORMATS)})")
    if not project.source_dir.is_dir():
        parser.error(f"no source/ folder in {project.root}")
    docs = _values(args.doc)
    known = {d.name for d in project.documents()}
    for name in docs or []:
        if name not in known:
            parser.error(f"unknown document '{name}' (known: {', '.join(sorted(known)) or 'none'})")

    def log(phase, what: str) -> None:
        print(f"{phase.value}: {what}", file=sys.stderr)

    if args.command == "diff":
        return run_diff(parser, project, args.files, docs, _values(args.lang))
    if args.command == "corrigendum":
        from .corrigendum import run_corrigendum
        return run_corrigendum(parser, project, args.files, docs, _values(args.lang))
    if args.command == "index":
        report = write_index(project)
        for path in report.written:
            print(f"wrote {path.relative_to(project.root)}")
        return report_all(report.diagnostics)
    try:
        shard = parse_shard(args.shard)
    except ValueError:
        parser.error(f"--shard takes K/N with 1 <= K <= N, not '{args.shard}'")
    if args.jobs < 1:
        parser.error("--jobs takes a whole number of 1 or more")
    report = build(project, docs, _values(args.lang), formats, write=args.command == "build",
                   log=log if args.verbose else None, pdf_variant=args.pdf_variant,
                   jobs=args.jobs, shard=shard, force=args.force,
                   notify=lambda message: print(message, file=sys.stderr),
                   progress=make_progress() if args.command == "build" else None)
    for diagnostic in report.diagnostics:
        print(diagnostic, file=sys.stderr)
    for path in report.written:
        print(f"wrote {path.relative_to(project.root)}")
    errors = sum(d.severity is Severity.ERROR for d in report.diagnostics)
    warnings = len(report.diagnostics) - errors
    if args.command == "check" or report.diagnostics:
        print(f"{report.editions} edition(s) checked: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    if errors or (args.strict and warnings):
        return EXIT_ERRORS
    return EXIT_OK


def run() -> None:
    """The ``councildoc`` console command."""
    sys.exit(main())
