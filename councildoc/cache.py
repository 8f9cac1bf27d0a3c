"""Incremental builds: what an output was built from, so that only what changed is rebuilt.

An edition's key is a digest of everything its outputs depend on: its source,
the document's metadata, the templates, the styles, the language data,
councildoc's own code and the versions of Pandoc and WeasyPrint. The state file
records, for every output written, the key it was built with and the digest of
its bytes; an output whose key and bytes still match is not built again — and
then nothing is parsed, Pandoc is not started and WeasyPrint not imported.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import metadata
from pathlib import Path

from .safety import read_file

PACKAGE_DIR = Path(__file__).parent
STATE_FILE = ".councildoc-state.json"


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree_digest(folder: Path, digest) -> None:
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(read_file(path, folder))


@cache
def toolchain_digest() -> str:
    """councildoc's code and data, and the versions of the tools it drives."""
    digest = hashlib.sha256()
    _tree_digest(PACKAGE_DIR, digest)
    for package in ("pypandoc-binary", "weasyprint", "pydyf", "babel", "jinja2", "num2words"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none".encode())
    return digest.hexdigest()


def project_digest(project) -> str:
    """The templates, styles and language data of a project, with councildoc's toolchain."""
    digest = hashlib.sha256(toolchain_digest().encode())
    for folder in (project.templates_dir, project.styles_dir, project.languages_dir):
        _tree_digest(folder, digest)
    return digest.hexdigest()


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


def _images_digest(folder: Path, digest) -> None:
    """Every image file of a document's folder (a figure's chart): an edited chart rebuilds the
    editions. Every image, not only those the sources name: knowing which means parsing."""
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in IMAGE_SUFFIXES and not path.is_symlink() and path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            try:
                digest.update(read_file(path, folder))
            except OSError:
                digest.update(b"unreadable")  # the build says why, at the figure
        elif path.is_symlink() and path.suffix.lower() in IMAGE_SUFFIXES:
            digest.update(f"{path.relative_to(folder).as_posix()}->{path.readlink()}".encode())


def document_inputs(meta: Path) -> str:
    """The digest of what every edition of a document shares: its metadata and its images."""
    digest = hashlib.sha256(read_file(meta, meta.parent))
    _images_digest(meta.parent, digest)
    return digest.hexdigest()


def edition_key(project_key: str, source: Path, meta: Path, fmt: str, options: str = "",
                inputs: dict[Path, str] | None = None) -> str:
    """The digest of everything one output of one edition depends on (``project_key``: see above):
    its source, the document's metadata and images, the format and its options. ``inputs`` keeps
    each file's digest for the build: each is read and hashed once, not once per format and edition."""
    if inputs is None:
        inputs = {}
    if source not in inputs:
        inputs[source] = hashlib.sha256(read_file(source, source.parent)).hexdigest()
    if meta not in inputs:
        inputs[meta] = document_inputs(meta)
    return hashlib.sha256(f"{project_key}|{inputs[source]}|{inputs[meta]}|{fmt}|{options}".encode()).hexdigest()


class BuildState:
    """``output/.councildoc-state.json``: output path → the key it was built with and its digest."""

    def __init__(self, output_dir: Path) -> None:
        self.path = output_dir / STATE_FILE
        try:
            entries = json.loads(read_file(self.path, output_dir))
        except (OSError, ValueError, RecursionError):
            entries = {}
        # A damaged state file (or one a pull request planted) only means a full rebuild.
        valid = isinstance(entries, dict) and all(
            isinstance(entry, dict) and all(isinstance(v, str) for v in entry.values()) for entry in entries.values())
        self.entries: dict[str, dict[str, str]] = entries if valid else {}
        self.changed = False

    def up_to_date(self, output: Path, key: str, relative: str) -> bool:
        entry = self.entries.get(relative)
        return bool(entry and entry.get("key") == key and output.is_file()
                    and file_digest(output) == entry.get("sha256"))

    def record(self, relative: str, key: str, output: Path) -> None:
        self.entries[relative] = {"key": key, "sha256": file_digest(output)}
        self.changed = True

    def text(self) -> str:
        return json.dumps(self.entries, indent=1, sort_keys=True) + "\n"
