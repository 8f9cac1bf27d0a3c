"""One build at a time per project: a lock on ``output/.councildoc.lock``.

Two builds started at once would write the same files; the second waits for
the first, and says so. The lock is the operating system's (``flock``): a build
that is killed releases it with its process.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
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
