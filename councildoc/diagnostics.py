"""Diagnostics as values: every problem carries the position it came from.

Modelled on docutils' ``system_message`` and Sphinx's ``location=``: stages
return diagnostics instead of raising, the CLI prints all of them at once and
the worst severity sets the exit status.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class SourcePos:
    """A place in a source file, 1-based like every compiler's messages."""

    path: str
    """The file, relative to the project root where possible."""
    line: int = 1
    """Line number, from 1."""
    column: int = 1
    """Column number (characters, not bytes), from 1."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def shifted(self, columns: int) -> SourcePos:
        """The position ``columns`` characters further on the same line."""
        return SourcePos(self.path, self.line, self.column + columns)


class Severity(enum.IntEnum):
    """How bad a diagnostic is; the worst one decides the exit status."""

    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a source, ready to print."""

    pos: SourcePos
    """Where the problem is."""
    severity: Severity
    """Error or warning."""
    message: str
    """What is wrong, in one line."""
    hint: str | None = None
    """How to fix it, when the build knows."""

    def __str__(self) -> str:
        text = f"{self.pos}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


def error(pos: SourcePos, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(pos, Severity.ERROR, message, hint)


def warning(pos: SourcePos, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(pos, Severity.WARNING, message, hint)


def has_errors(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def sort_key(diagnostic: Diagnostic) -> tuple[str, int, int]:
    return (diagnostic.pos.path, diagnostic.pos.line, diagnostic.pos.column)


def display_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when it lies inside, else as given."""
    try:
        # The folder resolved, not the name: a link is shown where it is, not where it points.
        return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
