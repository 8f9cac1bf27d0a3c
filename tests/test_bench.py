"""The benchmark script runs (its smoke mode: tiny documents, one repeat) and writes its tables into
the docs between the markers, well formed; no time is asserted."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from conftest import ROOT

SECTIONS = ("### The build against the renderers alone", "### Growth: one edition", "### Memory at",
            "### One edition on", "### Many documents", "### Peers on the same editions", "### The targets")


def tables(text: str) -> list[list[list[str]]]:
    """Every Markdown table of ``text``: its rows, each a list of cells."""
    found, current = [], []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
        elif current:
            found.append(current)
            current = []
    return found + ([current] if current else [])


def test_benchmark_smoke_run_writes_its_tables_into_the_docs(tmp_path):
    doc = tmp_path / "performance.md"
    shutil.copy(ROOT / "docs" / "performance.md", doc)
    before = doc.read_text(encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "bench/run.py"), "--smoke", "--write-docs", "--docs", str(doc)],
                            capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Machine: ")
    for section in SECTIONS:
        assert section in out, section
    found = tables(out)
    assert len(found) >= 8
    for table in found:
        assert re.fullmatch(r"(---:?|:?---:?)", table[1][0]), table[:2]  # a header, then its separator
        assert all(len(row) == len(table[0]) for row in table), table
    for row in ("| floor, 1 process(es) |", "| councildoc, full cold build, `--jobs 1` |",
                "| councildoc, rebuild with nothing changed |", "| councildoc, one-word edit to the French edition |"):
        assert row in out
    edit = next(line for line in out.splitlines() if "one-word edit to the French" in line)
    assert "fr/mc-inf-298.pdf" in edit and "es/" not in edit, "only the edited edition is rebuilt"
    # What the docs say a no-op never loads, the no-op run reports it did not load.
    assert "loads no writer, transform, Jinja, lxml or WeasyPrint" in out
    # Written between the markers, the rest of the page as it was.
    after = doc.read_text(encoding="utf-8")
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    assert after[:after.index(start)] == before[:before.index(start)]
    assert after[after.index(end):] == before[before.index(end):]
    assert after[after.index(start) + len(start):after.index(end)].strip() == out.strip()


def test_the_latex_peer_the_benchmark_sizes_is_what_setup_installs():
    """``bench/run.py`` reports the size of the LaTeX peer from its own package list; setup.sh
    ``--bench-peers`` installs its own: the two lists must be one."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import run
    finally:
        sys.path.pop(0)
    setup = (ROOT / "setup.sh").read_text(encoding="utf-8")
    installed = re.search(r"^\s*BENCH_PACKAGES=\(([^)]+)\)", setup, re.M).group(1).split()
    assert installed == list(run.TEX_PACKAGES)
