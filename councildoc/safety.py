"""The trust boundary: what a source, a revision or a folder name may make the build read or write.

Sources come from pull requests. Every file councildoc reads from a project is
read through :func:`read_file` (a regular file, not a symbolic link, inside the
project, of bounded size); everything it writes goes under an ``output/`` that
:func:`unsafe_entries` found free of symbolic links and special files; every
name that becomes a path or a URL passes :func:`name_problem`; YAML is composed
by :class:`StrictLoader`, which refuses aliases and deep nesting; text passes
:func:`control_character` before any writer sees it.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

import yaml

MAX_FILE_BYTES = 20_000_000
"""The largest file read from a project (a council document's source is under 1 MB)."""
MAX_YAML_CHARS = 100_000
"""The longest metadata or language file, in characters."""
MAX_YAML_DEPTH = 20
"""How deep YAML may nest (metadata is one level, a language file three)."""

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")


class Refused(OSError):
    """A path the build will not read or write; ``strerror`` says why."""

    def __init__(self, why: str) -> None:
        super().__init__(errno.EPERM, why)


def is_inside(path: Path, root: Path) -> bool:
    """True when ``path``, with every symbolic link in it resolved, lies under ``root``."""
    return path.resolve().is_relative_to(root.resolve())


def read_file(path: Path, root: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path``: a regular file inside ``root``, no symbolic link, at most ``limit`` bytes."""
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise Refused("it is a symbolic link (councildoc reads only regular files)")
    if not stat.S_ISREG(info.st_mode):
        raise Refused("it is not a regular file")
    if not is_inside(path.parent, root):
        raise Refused("it lies outside the project")
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise Refused("it is not a regular file")
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise Refused(f"it is larger than {limit:,} bytes (MAX_FILE_BYTES)")
    return data


def unsafe_entries(folder: Path) -> list[tuple[Path, str]]:
    """Everything in ``folder`` (``folder`` included) the build must not write through: links, devices, FIFOs."""
    if not os.path.lexists(folder):
        return []
    found = []
    for path in [folder, *_walk(folder)]:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            found.append((path, "is a symbolic link"))
        elif not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
            found.append((path, "is not a regular file or folder"))
    return found


def _walk(folder: Path):
    if os.path.islink(folder) or not folder.is_dir():
        return
    for top, folders, files in os.walk(folder):  # never follows links
        for name in folders + files:
            yield Path(top) / name


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a document folder (it becomes a path and a URL), or None."""
    if not _NAME.fullmatch(name) or ".." in name:
        return (f"the folder name '{ascii_name(name)}' is not allowed: "
                "ASCII letters, digits, '.', '-' and '_' only, starting and ending with a letter or digit")
    return None


def ascii_name(name: str) -> str:
    """``name`` as it can be printed anywhere (a non-ASCII name under an ASCII locale)."""
    return name.encode("ascii", "backslashreplace").decode("ascii")


def control_character(text: str) -> re.Match[str] | None:
    """The first character XML 1.0 and PDF metadata cannot carry (C0 but tab and newline, C1, ...)."""
    return _CONTROL.search(text)


def describe(character: str) -> str:
    return f"U+{ord(character):04X}"


class StrictLoader(yaml.SafeLoader):
    """YAML as metadata needs it: no anchors or aliases (a 13-line alias bomb expands to gigabytes),
    nesting at most :data:`MAX_YAML_DEPTH` deep."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (& and *) are not allowed in metadata", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_YAML_DEPTH} deep (MAX_YAML_DEPTH)", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1
