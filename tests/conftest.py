"""Shared helpers: compile Markdown in memory, make throw-away projects, read fixture files."""

from __future__ import annotations

import datetime
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from councildoc.diagnostics import Diagnostic
from councildoc.model import Document
from councildoc.parse import DocumentInfo, parse_edition
from councildoc.read import SourceText
from councildoc.transforms import apply_transforms

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
INFO = DocumentInfo("MC/TEST/1", datetime.date(2026, 11, 28), 117, "en")


def compile_text(markdown: str, path: str = "doc.md", lang: str = "en") -> tuple[Document | None, list[Diagnostic]]:
    """Parse and transform ``markdown`` as the edition ``path`` (no file is read)."""
    document, diagnostics = parse_edition(SourceText(path, markdown), INFO, "doc", lang)
    if document is None or any(d.severity.name == "ERROR" for d in diagnostics):
        return document, diagnostics
    document, found = apply_transforms(document)
    return document, diagnostics + found


@dataclass(frozen=True)
class Case:
    """One ``=== name`` case of a fixture file: an input and what it must give."""

    name: str
    source: str
    expected: str
    line: int


def read_cases(name: str) -> list[Case]:
    """Cases separated by ``=== title`` lines, input and expectation by a ``--- …`` line."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    cases = []
    for match in re.finditer(r"^=== ([^\n]+)\n(.*?)^--- \w+\n(.*?)(?=^=== |\Z)", text, re.S | re.M):
        line = text.count("\n", 0, match.start()) + 1
        cases.append(Case(match[1].strip(), match[2], match[3].rstrip("\n") + "\n", line))
    return cases


def case_params(name: str):
    return [pytest.param(case, id=case.name) for case in read_cases(name)]


@pytest.fixture(scope="session")
def real_project(tmp_path_factory) -> Path:
    """A copy of this project with MC/INF/298 built once, every edition in every format, by the real CLI."""
    from councildoc.cli import main

    root = tmp_path_factory.mktemp("real")
    for folder in ("source", "templates", "styles"):
        shutil.copytree(ROOT / folder, root / folder)
    assert main(["--project", str(root)]) == 0
    return root


@pytest.fixture(scope="session")
def archival(tmp_path_factory) -> Path:
    """A copy of the project with every edition of every document built as pdf/a-2b, in one CLI call."""
    from councildoc.cli import main

    root = tmp_path_factory.mktemp("archival")
    for folder in ("source", "templates", "styles"):
        shutil.copytree(ROOT / folder, root / folder)
    assert main(["--project", str(root), "--format", "pdf", "--pdf-variant", "pdf/a-2b"]) == 0
    return root


@pytest.fixture
def copied(tmp_path: Path) -> Path:
    """A copy of this project as a fresh clone has it: build.py and the real sources, no environment, no output."""
    root = tmp_path / "project"
    root.mkdir()
    for folder in ("source", "templates", "styles"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copy2(ROOT / "build.py", root / "build.py")
    return root


@pytest.fixture
def project(tmp_path: Path):
    """A fresh project folder with the real templates and styles and an empty source/."""
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "styles", tmp_path / "styles")
    (tmp_path / "source").mkdir()
    return tmp_path


def add_document(project: Path, name: str, editions: dict[str, str], meta: str | None = None) -> Path:
    folder = project / "source" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "document.yaml").write_text(
        meta or f"symbol: MC/TEST/{name}\ndate: 2026-11-28\nsession: 117\noriginal-language: en\n", encoding="utf-8"
    )
    for lang, text in editions.items():
        (folder / f"{lang}.md").write_text(text, encoding="utf-8")
    return folder


def _missing(what: str) -> None:
    import os

    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required on CI (./setup.sh installs it)")
    pytest.skip(f"{what} is not installed (./setup.sh installs it)")


def require_tool(name: str) -> str:
    """The path of a command-line tool a test drives; skipped where it is missing, but a failure
    on CI (``CI=true``), where ``./setup.sh`` installs it: CI never skips a check in silence."""
    path = shutil.which(name)
    if path is None:
        _missing(name)
    return path


def require_module(name: str):
    """A Python module a test drives that only the test extra installs (``pip install -e '.[test]'``,
    which ``./setup.sh`` runs), with the rule of :func:`require_tool`: skipped where missing, a
    failure on CI."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        _missing(f"the Python module {name} (the test extra)")


TOOLS = ROOT / ".tools" / "node_modules"


def require_node_package(name: str, file: str = "package.json") -> Path:
    """A file of an npm package ``./setup.sh`` installs into ``.tools/`` (the validators), with the
    same rule as :func:`require_tool`: skipped where missing, a failure on CI."""
    path = TOOLS / name / file
    if not path.is_file():
        _missing(f"the npm package {name} (.tools/node_modules/{name})")
    return path


@pytest.fixture
def layouts(monkeypatch) -> list[int]:
    """The WeasyPrint layouts the test makes, counted (one entry each) as ``HTML.render`` is called."""
    import weasyprint

    counted: list[int] = []
    render = weasyprint.HTML.render

    def counting(self, *args, **kwargs):
        counted.append(1)
        return render(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", counting)
    return counted
