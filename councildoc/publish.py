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
from .safety import name_problem, read_file

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


@dataclass(frozen=True)
class EditionInfo:
    """What the index says of one edition, read back from its web page (the build wrote it; a
    merged shard's index has nothing else to read)."""

    symbol: str
    title: str
    date: str
    date_iso: str


def edition_info(page: Path) -> EditionInfo | None:
    """The symbol, title and date of the edition whose web page is ``page``; None when it is not one."""
    from lxml import html

    try:
        root = html.fromstring(read_file(page, page.parent))
    except (OSError, ValueError):
        return None
    symbol = root.xpath("string(//header[contains(@class,'masthead')]/p[@class='symbol'])").strip()
    title = root.xpath("string(//title)").strip()
    time = root.xpath("//header[contains(@class,'masthead')]//time")
    if not symbol or not time or not title.startswith(f"{symbol} – "):
        return None
    return EditionInfo(symbol, title[len(symbol) + 3:], time[0].text_content().strip(), time[0].get("datetime", ""))


def language_name(code: str) -> str:
    """The language's name in itself, from CLDR (``español``)."""
    try:
        return Locale.parse(code.replace("-", "_")).display_name
    except (ValueError, LookupError):
        return code


def index_html(found: list[Artifact], commit: str, environment: jinja2.Environment,
               output_dir: Path | None = None) -> str:
    """Per document: its symbol, then each edition's language, title, date and formats, the
    side-by-side view, and every file with its size and SHA-256."""
    documents: dict[str, dict] = {}
    for artifact in found:
        document = documents.setdefault(artifact.document, {"name": artifact.document, "symbol": artifact.document,
                                                             "editions": {}, "side_by_side": None, "files": []})
        document["files"].append(artifact)
        if artifact.lang == "all":
            if artifact.format == "side-by-side":
                document["side_by_side"] = artifact
            continue
        edition = document["editions"].setdefault(artifact.lang, {
            "lang": artifact.lang, "name": language_name(artifact.lang), "formats": [], "info": None})
        edition["formats"].append(artifact)
        if artifact.format == "html" and output_dir is not None:
            edition["info"] = edition_info(output_dir / artifact.path)
            if edition["info"] is not None:
                document["symbol"] = edition["info"].symbol
    return environment.get_template(INDEX_TEMPLATE).render(documents=documents, commit=commit)
