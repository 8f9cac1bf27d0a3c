#!/usr/bin/env python3
"""Build the council documents of this project: ``python build.py --help``.

Run with any Python 3: when this interpreter lacks councildoc's dependencies (the system's
``python``), the build runs again with the project's environment (``.venv``, made by
``./setup.sh``); without one it says what to run and exits 2.
"""

import importlib.util
import os
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# The top-level modules of pyproject.toml's dependencies (found, not imported: no cost to a build).
NEEDED = ("yaml", "jinja2", "babel", "lxml", "weasyprint", "pypandoc", "num2words", "pdfplumber", "rich",
          "watchfiles")
REEXEC = "COUNCILDOC_REEXEC"  # set when this script runs itself again: never a loop


def missing_modules() -> list[str]:
    return [name for name in NEEDED if importlib.util.find_spec(name) is None]


def project_python() -> Path | None:
    for candidate in (ROOT / ".venv" / "bin" / "python", ROOT / ".venv" / "Scripts" / "python.exe"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def bootstrap() -> None:
    """Run again with the project's environment when this interpreter cannot build; exit 2 when there is none."""
    missing = missing_modules()
    if not missing:
        return
    python = project_python()
    if python is not None and not os.environ.get(REEXEC):
        os.environ[REEXEC] = "1"
        argv = [str(python), str(Path(__file__).resolve()), *sys.argv[1:]]
        if os.name == "nt":  # no exec on Windows: run it and pass its status on
            import subprocess

            sys.exit(subprocess.call(argv))
        os.execv(str(python), argv)
    setup = "./setup.sh" if Path.cwd().resolve() == ROOT else shlex.quote(str(ROOT / "setup.sh"))
    print(f"{Path(sys.argv[0]).name}: this Python ({sys.executable}) lacks councildoc's packages "
          f"({', '.join(missing)}) and {'the project environment does too' if python else 'there is no .venv'}",
          file=sys.stderr)
    print(f"run once: {setup}   then again: python {shlex.join(sys.argv)}", file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    bootstrap()
    from councildoc.cli import main

    sys.exit(main(project_root=ROOT, prog=Path(sys.argv[0]).name))
