"""Publishing: ``output/index.html`` for people and ``output/manifest.json`` for machines.

Both list every artifact found under ``output/`` — document, edition, format,
size and SHA-256 — with the source commit, so that shards built on several
machines merge into one index once their outputs are put together
(``python build.py index``).
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import jinja2
from babel import Locale

from .cache import file_digest
from .formats import suffixes
from .safety import name_problem

INDEX_TEMPLATE = "index.html.j2"
ARTIFACT_SUFFIXES = suffixes()


@dataclass(frozen=True)
class Artifact:
    document: str
    lang: str
    format: str
    path: str
    size: int
    sha256: str


def artifacts(output_dir: Path) -> list[Artifact]:
    """Every built file under ``output/<document>/``, in a stable order."""
    found = []
    for path in sorted(output_dir.glob("*/**/*")):
        if not path.is_file() or path.suffix not in ARTIFACT_SUFFIXES or path.name.startswith("."):
            continue
        relative = path.relative_to(output_dir)
        document = relative.parts[0]
        if document == "redline" or any(name_problem(part) for part in relative.parts[:-1]):
            continue  # review aids, not publications; and no folder a build could not have made
        if len(relative.parts) == 3:
            lang, fmt = relative.parts[1], path.suffix[1:]
        else:
            lang, fmt = "all", "side-by-side" if path.name.endswith(".side-by-side.html") else path.suffix[1:]
        found.append(Artifact(document, lang, fmt, relative.as_posix(), path.stat().st_size, file_digest(path)))
    return found


def source_commit(root: Path) -> str:
    """The commit the sources come from, or ``unknown`` outside a git checkout."""
    result = _git(root, "rev-parse", "HEAD")
    return result.strip() if result is not None else "unknown"


INPUTS = ("source", "templates", "styles", "languages")
"""The project folders a build reads: what ``uncommitted_inputs`` looks at."""


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=root, capture_output=True,
                                text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def uncommitted_inputs(root: Path) -> list[str] | None:
    """The files of the project's inputs that differ from the commit (changed, staged, deleted or untracked),
    relative to ``root``; None outside a git checkout."""
    if _git(root, "rev-parse", "--is-inside-work-tree") is None:
        return None
    if _git(root, "rev-parse", "--verify", "--quiet", "HEAD") is None:  # no commit yet: nothing is committed
        listed = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *INPUTS)
        return sorted(filter(None, (listed or "").split("\0")))
    changed = _git(root, "diff", "HEAD", "--name-only", "-z", "--relative", "--", *INPUTS) or ""
    untracked = _git(root, "ls-files", "-z", "--others", "--exclude-standard", "--", *INPUTS) or ""
    return sorted(set(filter(None, (changed + untracked).split("\0"))))


def manifest_text(found: list[Artifact], commit: str, uncommitted: list[str] | None = None) -> str:
    """The manifest; with ``uncommitted`` (the inputs that differ from ``commit``), each artifact says whether
    it was built from them (its document's sources, or a template, style or language file every one uses)."""
    data: dict = {"commit": commit}
    if uncommitted is not None:
        data["uncommitted"] = uncommitted
    listed = []
    for artifact in found:
        entry = dict(artifact.__dict__)
        if uncommitted is not None:
            entry["from-uncommitted-sources"] = any(
                not path.startswith("source/") or path.startswith(f"source/{artifact.document}/")
                for path in uncommitted)
        listed.append(entry)
    data["artifacts"] = listed
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def index_html(found: list[Artifact], commit: str, environment: jinja2.Environment) -> str:
    documents: dict[str, dict[str, list[Artifact]]] = {}
    for artifact in found:
        documents.setdefault(artifact.document, {}).setdefault(artifact.lang, []).append(artifact)

    def language_name(code: str) -> str:
        try:
            return Locale.parse(code.replace("-", "_")).display_name
        except (ValueError, LookupError):
            return code

    return environment.get_template(INDEX_TEMPLATE).render(
        documents=documents, commit=commit, language_name=language_name)
