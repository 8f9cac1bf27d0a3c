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
    try:
        result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip() if result.returncode == 0 else "unknown"


def manifest_text(found: list[Artifact], commit: str) -> str:
    data = {"commit": commit, "artifacts": [a.__dict__ for a in found]}
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
