"""READING: find the documents under ``source/`` and read their files as text.

Everything that can go wrong with the bytes of a file (not UTF-8, NUL bytes,
a byte-order mark) is reported here with its position, so that later stages
only ever see clean text with ``\\n`` line ends.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, SourcePos, display_path, error, warning
from .safety import control_character, describe, read_file

DOCUMENT_META = "document.yaml"
"""The file holding a document's language-independent metadata."""


@dataclass(frozen=True)
class SourceText:
    """A source file's text, decoded and with ``\\n`` line ends."""

    path: str
    """The file, relative to the project root (used in every diagnostic)."""
    text: str
    """Its contents."""

    def pos(self, line: int = 1, column: int = 1) -> SourcePos:
        return SourcePos(self.path, line, column)


@dataclass(frozen=True)
class DocumentSources:
    """One document's folder: its metadata file and one source per edition."""

    name: str
    """The folder's name, used for output paths (``mc-inf-298``)."""
    meta_path: Path
    """``document.yaml``."""
    editions: dict[str, Path]
    """Edition language (the file's stem) → Markdown source."""


def discover(source_dir: Path) -> list[DocumentSources]:
    """Every folder of ``source_dir`` that holds a ``document.yaml``, sorted by name."""
    documents = []
    for folder in sorted(p for p in source_dir.iterdir() if p.is_dir()):
        meta = folder / DOCUMENT_META
        if not os.path.lexists(meta):  # a link is kept, to be refused by read_source
            continue
        editions = {p.stem: p for p in sorted(folder.glob("*.md"))}
        documents.append(DocumentSources(folder.name, meta, editions))
    return documents


def undocumented_folders(source_dir: Path) -> list[Diagnostic]:
    """Folders of ``source_dir`` with editions but no ``document.yaml``: said, never skipped in silence."""
    found = []
    for folder in sorted(p for p in source_dir.iterdir() if p.is_dir() and not (p / DOCUMENT_META).is_file()):
        editions = sorted(folder.glob("*.md"))
        if editions:
            where = SourcePos(f"{source_dir.name}/{folder.name}/{editions[0].name}", 1, 1)
            found.append(error(where, f"'{folder.name}' has editions but no {DOCUMENT_META}: it is not built",
                               f"add {source_dir.name}/{folder.name}/{DOCUMENT_META} with symbol, date, session and "
                               "original-language"))
    return found


def read_source(path: Path, root: Path) -> tuple[SourceText | None, list[Diagnostic]]:
    """Read ``path`` as UTF-8 text; report undecodable bytes and control characters by position.

    The file must be a regular file inside ``root`` (see :func:`safety.read_file`).
    """
    shown = display_path(path, root)
    try:
        data = read_file(path, root)
    except OSError as exc:
        return None, [error(SourcePos(shown, 1, 1), f"cannot read file: {exc.strerror}")]
    diagnostics: list[Diagnostic] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        diagnostics.append(
            warning(SourcePos(shown, 1, 1), "byte-order mark ignored", "save the file as UTF-8 without BOM")
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = line_col(data[: exc.start].decode("utf-8", errors="replace"))
        return None, [
            *diagnostics,
            error(
                SourcePos(shown, line, column),
                f"invalid UTF-8 byte 0x{data[exc.start]:02x}",
                "save the file as UTF-8",
            ),
        ]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = control_character(text)
    if bad:
        line, column = line_col(text[: bad.start()])
        message = "NUL character in text" if bad[0] == "\0" else f"control character {describe(bad[0])} in text"
        return None, [*diagnostics, error(SourcePos(shown, line, column), message,
                                          None if bad[0] == "\0" else "delete it: no document format can carry it")]
    return SourceText(shown, text), diagnostics


def line_col(prefix: str) -> tuple[int, int]:
    """1-based line and column of the character that follows ``prefix``."""
    line = prefix.count("\n") + 1
    return line, len(prefix) - (prefix.rfind("\n") + 1) + 1
