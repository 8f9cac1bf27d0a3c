"""One build at a time per project: a lock on ``output/.councildoc.lock``.

Two builds started at once would write the same files; the second waits for
the first, and says so. The lock is the operating system's (``flock``): a build
that is killed releases it with its process.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_FILE = ".councildoc.lock"


@contextlib.contextmanager
def project_lock(output_dir: Path, notify: Callable[[str], None]) -> Iterator[None]:
    output_dir.mkdir(parents=True, exist_ok=True)
    path = output_dir / LOCK_FILE
    # O_NOFOLLOW: a link planted at the lock's name is refused, not followed.
    with os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666), "r+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            notify(f"waiting for another build of this project to finish ({path})")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_stale_temporaries(output_dir: Path) -> list[Path]:
    """Temporary files left by a build that was killed before it could rename them."""
    stale = [p for p in output_dir.rglob(".*.tmp") if p.is_file()]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


JOURNAL = ".councildoc-publishing.json"
"""In an output folder while its files are renamed into place: the renames still to do."""
_TEMPORARY = re.compile(r"\.(?P<name>[^/\\]+)\.[A-Za-z0-9_]+\.tmp")


def write_journal(folder: Path, renames: list[tuple[str, str]]) -> Path:
    """Record the renames (temporary name → final name, both in ``folder``) before they begin."""
    path = folder / JOURNAL
    temporary = folder / f".{JOURNAL}.tmp"
    temporary.write_text(json.dumps(renames), encoding="utf-8")
    os.replace(temporary, path)
    return path


def finish_publishing(output_dir: Path) -> list[Path]:
    """Finish the renames a killed build had begun, so that an edition's outputs are all new or all
    old. Only plain names within the journal's own folder are renamed, and only a temporary file
    named for its target (``.x.pdf.abc.tmp`` → ``x.pdf``): a journal planted in ``output/`` can move
    nothing anywhere else."""
    finished = []
    for journal in output_dir.rglob(JOURNAL):
        if journal.is_symlink() or not journal.is_file():
            continue
        try:
            renames = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            renames = []
        for pair in renames if isinstance(renames, list) else []:
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(n, str) for n in pair)):
                continue
            temporary, final = pair
            match = _TEMPORARY.fullmatch(temporary)
            if not match or match["name"] != final or "/" in final or final.startswith("."):
                continue
            source = journal.parent / temporary
            if source.is_file() and not source.is_symlink():
                os.replace(source, journal.parent / final)
                finished.append(journal.parent / final)
        journal.unlink(missing_ok=True)
    return finished
