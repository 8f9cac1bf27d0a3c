"""``build.py diff REV_A [REV_B]``: redlines between two revisions of the sources.

Each revision's ``source/`` (and the project's ``languages/``) is taken from git
into a scratch folder — the working tree when REV_B is not given — read,
numbered and resolved as any build does, and every edition present in both is
compared (see ``redline.py``). The redlines go to
``output/redline/<document>/<lang>/<document>.redline.html`` and ``.pdf``.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from .diagnostics import Diagnostic, SourcePos, error, has_errors
from .model import Document
from .pipeline import Project, load_edition, load_info, write_atomically
from .redline import Redline, compare, render_words
from .writers.html import make_environment
from .writers.pdf import html_to_pdf

TEMPLATE = "redline.html.j2"
SOURCE_FOLDERS = ("source", "languages")


class RevisionError(Exception):
    """git could not give a revision's sources."""


def export_revision(root: Path, revision: str, target: Path) -> None:
    """Write the sources of ``revision`` under ``target`` (as ``source/``, ``languages/``)."""
    listed = subprocess.run(["git", "ls-tree", "-r", "--name-only", revision, "--", *SOURCE_FOLDERS],
                            cwd=root, capture_output=True, text=True)
    if listed.returncode != 0:
        raise RevisionError(listed.stderr.strip() or f"unknown revision {revision}")
    for name in listed.stdout.splitlines():
        blob = subprocess.run(["git", "show", f"{revision}:{name}"], cwd=root, capture_output=True)
        if blob.returncode != 0:
            raise RevisionError(blob.stderr.decode(errors="replace").strip())
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob.stdout)


def load_all(project: Project) -> tuple[dict[tuple[str, str], Document], list[Diagnostic]]:
    """Every edition of every document of ``project``, numbered and resolved."""
    documents: dict[tuple[str, str], Document] = {}
    diagnostics: list[Diagnostic] = []
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


def redline_page(redline: Redline, old_rev: str, new_rev: str, project: Project) -> str:
    parts = []
    for part in redline.parts:
        for change in part.paragraphs + part.notes:
            change.html = render_words(change.words)
        paragraph_changes = [c for c in part.paragraphs if c.kind != "same"]
        note_changes = [c for c in part.notes if c.kind != "same"]
        renumbered = [c for c in part.paragraphs + part.notes if c.renumbered]
        parts.append({
            "changes": bool(paragraph_changes or note_changes or renumbered or part.references),
            "paragraph_changes": paragraph_changes,
            "note_changes": note_changes,
            "title": part.title,
            "paragraphs": part.paragraphs,
            "notes": part.notes,
            "references": part.references,
            "renumbered_paragraphs": [c for c in part.paragraphs if c.renumbered],
            "renumbered_notes": [c for c in part.notes if c.renumbered],
        })
    return make_environment(project.templates_dir).get_template(TEMPLATE).render(
        lang=redline.lang, symbol=redline.symbol, old_rev=old_rev, new_rev=new_rev,
        counts=redline.counts(), parts=parts)


def diff(project: Project, old_rev: str, new_rev: str | None, *, documents: list[str] | None = None,
         langs: list[str] | None = None) -> tuple[list[Redline], list[Path], list[Diagnostic]]:
    """Redlines of the chosen editions between two revisions (``None``: the working tree).

    Every edition present in both is compared; a redline is written for those that changed.
    """
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
                return [], [], [error(where, f"cannot read revision '{revision}': {exc}")]
            loaded[name] = load_all(Project(target))
    (old_docs, old_problems), (new_docs, new_problems) = loaded["old"], loaded["new"]
    diagnostics = [*old_problems, *new_problems]
    redlines, written = [], []
    for key in sorted(set(old_docs) & set(new_docs)):
        if (documents is not None and key[0] not in documents) or (langs is not None and key[1] not in langs):
            continue
        redline = compare(old_docs[key], new_docs[key])
        redlines.append(redline)
        if not redline.changed:
            continue
        page = redline_page(redline, old_rev, new_rev or "working tree", project)
        folder = project.output_dir / "redline" / key[0] / key[1]
        write_atomically(folder / f"{key[0]}.redline.html", page)
        written.append(folder / f"{key[0]}.redline.html")
        pdf, problems = html_to_pdf(page, project.styles_dir, SourcePos(new_docs[key].path, 1, 1))
        diagnostics += problems
        if pdf is not None:
            write_atomically(folder / f"{key[0]}.redline.pdf", pdf)
            written.append(folder / f"{key[0]}.redline.pdf")
    return redlines, written, diagnostics
