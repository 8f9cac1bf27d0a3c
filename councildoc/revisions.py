"""``build.py diff REV_A [REV_B]``: redlines between two revisions of the sources.

Each revision's ``source/`` (and the project's ``languages/``) is taken from git
into a scratch folder — the working tree when REV_B is not given — read,
numbered and resolved as any build does, and every edition present in both is
compared (see ``redline.py``). The redlines go to
``output/redline/<document>/<lang>/<document>.redline.html``, ``.pdf`` and ``.docx`` (with
tracked changes).
"""

from __future__ import annotations

import datetime
import os
import subprocess
import tempfile
from pathlib import Path

from markupsafe import Markup

from .diagnostics import Diagnostic, SourcePos, error, has_errors
from .languages import Catalogue
from .model import Document
from .pipeline import Project, load_edition, load_info, unsafe_paths, write_atomically
from .redline import Marks as redline_marks
from .redline import Redline, compare, render_words
from .safety import MAX_FILE_BYTES, control_character, is_inside
from .writers.html import STYLESHEET, make_environment, page_context
from .writers.pdf import PRINT_STYLESHEET, html_to_pdf
from .writers.redline_docx import write_redline_docx
from .writers.redline_html import removed_part, writer_for

TEMPLATE = "redline.html.j2"
SOURCE_FOLDERS = ("source", "languages")


class RevisionError(Exception):
    """git could not give a revision's sources."""


MAX_REVISION_FILES = 10_000
"""The most files a revision's ``source/`` and ``languages/`` may hold."""
_BLOB_MODES = {b"100644", b"100755"}


def _git(root: Path, *args: str) -> bytes:
    """The output of one git command (no shell; paths never quoted, see ``-z``)."""
    result = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=root, capture_output=True)
    if result.returncode != 0:
        raise RevisionError(result.stderr.decode("utf-8", errors="replace").strip() or "git failed")
    return result.stdout


def export_revision(root: Path, revision: str, target: Path) -> None:
    """Write the sources of ``revision`` under ``target`` (as ``source/``, ``languages/``).

    Files are read by object id (``git cat-file``), and a name git lists is written only when it
    is a plain relative path that stays under ``target``: a crafted commit can hold entries named
    ``..``, symbolic links and submodules, and the revision comes from a branch nobody reviewed.
    """
    listed = _git(root, "ls-tree", "-r", "-z", "-l", "--end-of-options", revision, "--", *SOURCE_FOLDERS)
    entries = [entry for entry in listed.split(b"\0") if entry]
    if len(entries) > MAX_REVISION_FILES:
        raise RevisionError(f"it holds {len(entries):,} files under source/ and languages/ "
                            f"(at most {MAX_REVISION_FILES:,}, MAX_REVISION_FILES)")
    base = target.resolve()
    for entry in entries:
        head, _, raw_name = entry.partition(b"\t")
        mode, kind, oid, size = head.split()
        name = raw_name.decode("utf-8", errors="backslashreplace")
        if mode not in _BLOB_MODES or kind != b"blob":
            what = "a symbolic link" if mode == b"120000" else "a submodule" if kind == b"commit" else "not a file"
            raise RevisionError(f"'{name}' is {what}: a revision's sources must be plain files")
        problem = _name_problem(name)
        if problem is None and int(size) > MAX_FILE_BYTES:
            problem = f"it is larger than {MAX_FILE_BYTES:,} bytes (MAX_FILE_BYTES)"
        path = target.joinpath(*name.split("/"))
        if problem is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not is_inside(path, base):
                problem = "it would be written outside the scratch folder"
        if problem:
            raise RevisionError(f"refused the path '{name}': {problem}")
        blob = _git(root, "cat-file", "blob", oid.decode("ascii"))
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(blob)


def _name_problem(name: str) -> str | None:
    """Why a path git listed cannot be written, or None."""
    parts = name.split("/")
    if name.startswith("/") or any(part in ("", ".", "..") for part in parts):
        return "only plain relative paths are allowed (no '..', '.' or empty parts)"
    if control_character(name) or "\\x" in name:
        return "it holds a control character or bytes that are not UTF-8"
    return None


def load_all(project: Project) -> tuple[dict[tuple[str, str], Document], list[Diagnostic]]:
    """Every edition of every document of ``project``, numbered and resolved."""
    documents: dict[tuple[str, str], Document] = {}
    catalogue = Catalogue.for_project(project.languages_dir)
    diagnostics: list[Diagnostic] = unsafe_paths(project) + catalogue.problems()
    if diagnostics:
        return documents, diagnostics
    for sources in project.documents():
        info, found = load_info(project, sources)
        diagnostics += found
        if info is None:
            continue
        for lang in sources.editions:
            document, found = load_edition(project, sources, info, lang)
            diagnostics += found
            if document is not None and not has_errors(found):
                documents[(sources.name, lang)] = document
    return documents, diagnostics


REDLINE_STYLESHEET = "redline.css"


def summary_context(redline: Redline) -> list[dict]:
    """The changes of each part, listed by paragraph, for the summary after the document."""
    parts = []
    for part in redline.parts:
        for change in part.paragraphs + part.notes + part.tables + part.figures + part.headings:
            change.html = render_words(change.words)
        heading_changes = [c for c in part.headings if c.kind != "same" or c.old_number != c.new_number]
        paragraph_changes = [c for c in part.paragraphs if c.kind != "same"]
        note_changes = [c for c in part.notes if c.kind != "same"]
        renumbered = [c for c in part.paragraphs + part.notes if c.renumbered]
        table_changes = [c for c in part.tables if c.kind != "same"]
        figure_changes = [c for c in part.figures if c.kind != "same"]
        parts.append({
            "changes": bool(paragraph_changes or note_changes or renumbered or part.references or table_changes
                            or figure_changes or heading_changes),
            "heading_changes": heading_changes,
            "figure_changes": figure_changes,
            "title": part.title,
            "paragraph_changes": paragraph_changes,
            "note_changes": note_changes,
            "table_changes": table_changes,
            "references": [{"label": label, "old": old, "new": new, "holders": part.holders.get(label, [])}
                           for label, old, new in part.references],
            "renumbered_paragraphs": [c for c in part.paragraphs if c.renumbered],
            "renumbered_notes": [c for c in part.notes if c.renumbered],
        })
    return parts


def redline_page(redline: Redline, document: Document, old_rev: str, new_rev: str | None, project: Project,
                 *, for_print: bool = False) -> str:
    """The new revision in its council layout with its changes in place, then the summary."""
    words = document.language
    stylesheet = (project.styles_dir / (PRINT_STYLESHEET if for_print else STYLESHEET)).read_text(encoding="utf-8")
    marks = {id(part.part): redline_marks(part) for part in redline.parts if part.part is not None}
    context = page_context(document, stylesheet, for_print=for_print, writer=writer_for(marks))
    for part, written in zip(document.parts, context["parts"], strict=True):  # an annex added: its designation too
        written["change"] = next(("added" for r in redline.parts if r.part is part and r.added), None)
    context["parts"] += [removed_part(r.old_part, document.meta.lang, len(context["parts"]) + index, for_print)
                         for index, r in enumerate(p for p in redline.parts if p.part is None)]
    context.update(
        redline_stylesheet=Markup((project.styles_dir / REDLINE_STYLESHEET).read_text(encoding="utf-8")),
        old_rev=old_rev, new_rev=new_rev if new_rev is not None else words.redline_working_tree,
        counts=redline.counts(), summary=summary_context(redline),
        row_names={"paragraphs": words.redline_paragraphs, "notes": words.redline_notes,
                   "tables": words.redline_table_count, "items": words.redline_items, "cells": words.redline_cells,
                   "figures": words.redline_figures},
    )
    return make_environment(project.templates_dir).get_template(TEMPLATE).render(context)


Editions = dict[tuple[str, str], Document]


def load_revisions(project: Project, old_rev: str, new_rev: str | None
                   ) -> tuple[Editions | None, Editions | None, list[Diagnostic]]:
    """Every edition of two revisions (``None``: the working tree), read, numbered and resolved;
    ``None, None`` and the error when git cannot give one."""
    where = SourcePos("source", 1, 1)
    with tempfile.TemporaryDirectory(prefix="councildoc-diff-") as scratch:
        loaded = {}
        for name, revision in (("old", old_rev), ("new", new_rev)):
            if revision is None:
                loaded[name] = load_all(project)
                continue
            target = Path(scratch) / name
            try:
                export_revision(project.root, revision, target)
            except (RevisionError, OSError) as exc:
                return None, None, [error(where, f"cannot read revision '{revision}': {exc}")]
            loaded[name] = load_all(Project(target))
    (old_docs, old_problems), (new_docs, new_problems) = loaded["old"], loaded["new"]
    return old_docs, new_docs, [*old_problems, *new_problems]


def revision_author(root: Path, revision: str | None) -> tuple[str, str]:
    """Who made ``revision`` and when (ISO 8601, UTC), for the tracked changes: the commit's author
    and date, or for the working tree the user's git name and today."""
    if revision is not None:
        name, _, stamp = _git(root, "log", "-1", "--format=%an%x00%aI", "--end-of-options", revision, "--"
                              ).decode("utf-8", errors="replace").strip().partition("\0")
        when = datetime.datetime.fromisoformat(stamp)
    else:
        try:
            name = _git(root, "config", "user.name").decode("utf-8", errors="replace").strip()
        except RevisionError:
            name = ""
        when = datetime.datetime.now(datetime.UTC)
    return name or "councildoc", when.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def diff(project: Project, old_rev: str, new_rev: str | None, *, documents: list[str] | None = None,
         langs: list[str] | None = None) -> tuple[list[Redline], list[Path], list[Diagnostic]]:
    """Redlines of the chosen editions between two revisions (``None``: the working tree).

    Every edition present in both is compared; a redline is written for those that changed.
    """
    where = SourcePos("source", 1, 1)
    old_docs, new_docs, diagnostics = load_revisions(project, old_rev, new_rev)
    if old_docs is None:
        return [], [], diagnostics
    redlines, written = [], []
    author: tuple[str, str] | None = None
    for key in sorted(set(old_docs) & set(new_docs)):
        if (documents is not None and key[0] not in documents) or (langs is not None and key[1] not in langs):
            continue
        redline = compare(old_docs[key], new_docs[key])
        redlines.append(redline)
        if not redline.changed:
            continue
        page = redline_page(redline, new_docs[key], old_rev, new_rev, project)
        folder = project.output_dir / "redline" / key[0] / key[1]
        write_atomically(folder / f"{key[0]}.redline.html", page)
        written.append(folder / f"{key[0]}.redline.html")
        # The page shows the new revision's figures from beside it, as an edition's page does (a
        # figure only the old revision had is drawn, struck, from a data: URL).
        images = {figure.file_name: figure.data for part in new_docs[key].parts for figure in part.figures}
        for file_name, data in sorted(images.items()):
            write_atomically(folder / file_name, data)
            written.append(folder / file_name)
        print_page = redline_page(redline, new_docs[key], old_rev, new_rev, project, for_print=True)
        pdf, problems = html_to_pdf(print_page, project.styles_dir, SourcePos(new_docs[key].path, 1, 1))
        diagnostics += problems
        if pdf is not None:
            write_atomically(folder / f"{key[0]}.redline.pdf", pdf)
            written.append(folder / f"{key[0]}.redline.pdf")
        if author is None:
            try:
                author = revision_author(project.root, new_rev)
            except RevisionError as exc:
                diagnostics.append(error(where, f"cannot read who made revision '{new_rev}': {exc}"))
                author = ("councildoc", datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        docx, problems = write_redline_docx(new_docs[key], redline, project.styles_dir, *author)
        diagnostics += problems
        if docx is not None:
            write_atomically(folder / f"{key[0]}.redline.docx", docx)
            written.append(folder / f"{key[0]}.redline.docx")
    return redlines, written, diagnostics
