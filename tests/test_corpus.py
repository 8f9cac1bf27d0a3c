"""Broken and hostile sources: each gives exactly its diagnostics, never a traceback,
writes no output for its document and leaves the earlier outputs untouched.

Cases are files in tests/corpus/ (``NN-name.md`` replaces an edition, ``NN-name.yaml``
the document's metadata) with their expected diagnostics in ``NN-name.expected``; a
few are generated here (too big to keep as files). To accept new expectations:
COUNCILDOC_ACCEPT=1 python -m pytest tests/test_corpus.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from councildoc import formats
from councildoc.cli import main

CORPUS = Path(__file__).parent / "corpus"
META = b"symbol: MC/TEST/1\ndate: 2026-11-28\nsession: 117\noriginal-language: en\n"
GOOD = b"---\nlang: en\ntitle: Test\n---\n\n# S\n\nText.\n"
EARLIER = {fmt: f"earlier {fmt} output\n".encode() for fmt in formats.names()}
FM = "---\nlang: en\ntitle: Test\n---\n\n"


def generated() -> dict[str, bytes]:
    return {
        "90-ten-thousand-paragraphs.md": (FM + "# S\n\n" + "".join(
            f"Paragraph {n} of many.\n\n" for n in range(10_000))).encode(),
        "91-one-megabyte-paragraph.md": (FM + "# S\n\n" + "word " * 210_000 + "\n").encode(),
        "92-two-hundred-deep-nesting.md": (FM + "# S\n\nText.\n\n" + "> " * 200 + "deep\n").encode(),
        "93-two-hundred-deep-lists.md": (FM + "# S\n\nText:\n\n" + "".join(
            "  " * depth + "- level\n" for depth in range(200))).encode(),
        "94-five-thousand-digit-session.yaml": META.replace(b"117", b"1" * 5_001),
        "95-yaml-five-hundred-deep.md": (FM.replace("title: Test\n", "title: Test\nsubtitle: " + "[" * 500
                                                    + "]" * 500 + "\n") + "# S\n\nText.\n").encode(),
        "96-five-thousand-and-one-notes.md": (FM + "# S\n\n" + "".join(
            f"Text.[^n{n}]\n\n[^n{n}]: Note.\n\n" for n in range(5_001))).encode(),
        "97-fifty-thousand-and-one-references.md": (FM + "# S\n\n" + "".join(
            f"{{#para:p{n}}}\nSee @para:p{n}.\n\n" for n in range(50_001))).encode(),
        "98-two-hundred-and-one-annexes.md": (FM + "# S\n\nText.\n\n" + "".join(
            f"::: {{.annex #annex:a{n}}}\n# Annex\n\nText.\n:::\n\n" for n in range(201))).encode(),
    }


def cases() -> list[tuple[str, bytes]]:
    found = [(p.name, p.read_bytes()) for p in sorted(CORPUS.iterdir()) if p.suffix in (".md", ".yaml")]
    return found + sorted(generated().items())


def run_case(tmp_path: Path, name: str, data: bytes, capsys) -> tuple[int, str, Path]:
    project = tmp_path / "project"
    for folder in ("templates", "styles"):
        shutil.copytree(ROOT / folder, project / folder)
    folder = project / "source/doc"
    folder.mkdir(parents=True)
    (folder / "document.yaml").write_bytes(data if name.endswith(".yaml") else META)
    (folder / "en.md").write_bytes(GOOD if name.endswith(".yaml") else data)
    out = project / "output/doc/en"
    out.mkdir(parents=True)
    for fmt, content in EARLIER.items():
        (out / f"doc.{fmt}").write_bytes(content)
    capsys.readouterr()
    status = main(["--format", "html,txt", "--jobs", "1", "--project", str(project)])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "edition(s) checked" not in line and not line.startswith("[")]
    return status, "".join(f"{line}\n" for line in lines), out


def test_the_corpus_has_at_least_forty_cases():
    assert len(cases()) >= 40


@pytest.mark.parametrize(("name", "data"), cases(), ids=[name for name, _ in cases()])
def test_case_gives_its_diagnostics_and_writes_nothing(tmp_path, capsys, name, data):
    status, got, out = run_case(tmp_path, name, data, capsys)
    expected_file = CORPUS / (Path(name).stem + ".expected")
    if os.environ.get("COUNCILDOC_ACCEPT") == "1":
        expected_file.write_text(got or "(none)\n", encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8")
    assert "Traceback" not in got
    assert got == ("" if expected == "(none)\n" else expected)
    errors = ": error: " in got
    assert status == (1 if errors else 0)
    if errors:
        for fmt, content in EARLIER.items():
            assert (out / f"doc.{fmt}").read_bytes() == content, f"doc.{fmt} was touched"
        assert sorted(p.name for p in out.iterdir()) == sorted(f"doc.{fmt}" for fmt in EARLIER), "no stray file"
    else:
        assert (out / "doc.html").read_bytes() != EARLIER["html"], "a valid source builds"
