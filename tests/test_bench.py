"""The benchmark script runs (its smoke mode: tiny documents, one repeat) and writes its tables into
the docs between the markers, well formed; no time is asserted."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, require_node_package, require_tool

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
    # One edition on the cores: its other formats written while its parts are laid out, and after them.
    assert "the other formats written while the parts are laid out |" in out
    assert "the parts at once, the other formats after them |" in out
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


PRINT_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>t</title><style>
@page { size: A4; margin: 2cm; @top-right { content: "Page " counter(page); } }
#annex { page: annex1; break-before: page; }
@page annex1 { @top-right { content: "Annex, page " counter(page); } }
@page :nth(1 of annex1) { counter-reset: page 1; }
@page :nth( 2n+1 of annex1 ) { margin-top: 3cm; }
.next { break-before: page; }
</style></head><body>
<p>The body's first page.</p><p class="next">The body's second page.</p>
FILLER
<section id="annex"><p>The annex's first page.</p><p class="next">The annex's second page.</p></section>
</body></html>
"""


def test_the_browser_peers_lay_out_a_print_page_or_say_at_once_what_stops_them(tmp_path):
    """Paged.js stops on a CSS GCPM page-group rule (``@page :nth(1 of annex1)``): the benchmark says
    so at once, not after its timeout, and lays the page out without those rules (and nothing else);
    Vivliostyle lays the page out as it is. Each PDF has all the page's pages."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import run
    finally:
        sys.path.pop(0)
    chromium, _ = require_tool("chromium"), require_tool("node")
    puppeteer = require_node_package("puppeteer-core").parent
    pagedjs = require_node_package("pagedjs").parent
    vivliostyle = require_node_package("@vivliostyle/core").parent
    # Pages enough that printing before the layout has finished would lose some.
    filler = [f"Filler page {n}." for n in range(1, 31)]
    source = PRINT_PAGE.replace("FILLER", "\n".join(f'<p class="next">{words}</p>' for words in filler))
    page = tmp_path / "print.html"
    page.write_text(source, encoding="utf-8")
    driver = run.write_browser_driver(tmp_path)
    polyfill = pagedjs / "dist" / "paged.polyfill.js"

    started = time.perf_counter()
    with pytest.raises(subprocess.CalledProcessError) as stopped:
        run.lay_out_in_browser(driver, puppeteer, chromium, "paged", polyfill, [str(page)])
    assert time.perf_counter() - started < run.BROWSER_SECONDS / 2, "it waited for the timeout"
    why = run.browser_failure(stopped.value)
    assert why.startswith("its script throws in the page and stops") and "is not a valid selector" in why, why

    adapted, rules = run.without_page_groups([str(page)])
    first = "@page :nth(1 of annex1) { counter-reset: page 1; }"
    odd = "@page :nth( 2n+1 of annex1 ) { margin-top: 3cm; }"
    assert rules == [first, odd]
    assert Path(adapted[0]).read_text(encoding="utf-8") == source.replace(first, "").replace(odd, "")
    _, paged = run.lay_out_in_browser(driver, puppeteer, chromium, "paged", polyfill, adapted)
    assert paged == {"pages": 4 + len(filler)}

    viewer = run.write_vivliostyle_viewer(tmp_path, vivliostyle)
    _, laid_out = run.lay_out_in_browser(driver, puppeteer, chromium, "vivliostyle", viewer, [str(page)])
    assert laid_out == {"pages": 4 + len(filler)}
    # The page as it is, named pages and their heads included: each paragraph on its page, under its head.
    text = subprocess.run([require_tool("pdftotext"), f"{page}.vivliostyle.pdf", "-"], capture_output=True,
                          text=True, check=True).stdout.split("\f")
    expected = [("Page 1", "The body's first page."), ("Page 2", "The body's second page.")]
    expected += [(f"Page {n + 2}", words) for n, words in enumerate(filler, start=1)]
    expected += [("Annex, page", "The annex's first page."), ("Annex, page", "The annex's second page.")]
    for number, (head, words) in enumerate(expected):
        assert head in text[number] and words in text[number].replace("\u2019", "'"), text[number]
