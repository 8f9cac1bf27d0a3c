"""Every figure the docs quote that measures a built output is what ``tools/measure_print.py``
measures on the build, written between its markers (``<!-- measure:NAME -->…<!-- /measure -->``)."""

from __future__ import annotations

import importlib.util
import sys

from conftest import ROOT, require_tool

_spec = importlib.util.spec_from_file_location("measure_print", ROOT / "tools" / "measure_print.py")
measure_print = importlib.util.module_from_spec(_spec)
sys.modules["measure_print"] = measure_print
_spec.loader.exec_module(measure_print)


def test_every_measured_figure_in_the_docs_is_the_builds(real_project, archival):
    require_tool("soffice")  # LibreOffice renders the DOCX whose note separator docs/docx.md measures
    figures = measure_print.measure(real_project / "output", built={"pdf/a-2b": archival / "output"})
    assert measure_print.differences(figures) == [], \
        "build, then run: python tools/measure_print.py --write (and read the sentences it changed)"


def test_a_figure_typed_over_and_a_marker_of_no_figure_are_reported(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    doc = docs / "pdf.md"
    doc.write_text("The line needs <!-- measure:width -->453.560<!-- /measure --> pt;\n"
                   "the margin is <!-- measure:margin -->70.85<!-- /measure --> pt and\n"
                   "<!-- measure:gone -->12<!-- /measure --> of them.\n", encoding="utf-8")
    figures = {"width": "453.557", "margin": "70.85", "unused": "1"}
    assert measure_print.differences(figures, [doc]) == [
        "docs/pdf.md:1: measure:width says '453.560', the build measures '453.557'",
        "docs/pdf.md:3: measure:gone names no figure tools/measure_print.py measures",
        "tools/measure_print.py: unused is in no doc",
    ]


def test_write_puts_each_measured_figure_between_its_markers_and_nothing_else(tmp_path):
    doc = tmp_path / "docx.md"
    text = ("A rule of <!-- measure:width -->110<!-- /measure --> pt (<!-- measure:width -->9<!-- /measure -->),"
            " and <!-- measure:other -->none<!-- /measure -->; 113 pt typed stays.\n")
    doc.write_text(text, encoding="utf-8")
    assert measure_print.write({"width": "113"}, [doc]) == [doc]
    assert doc.read_text(encoding="utf-8") == (
        "A rule of <!-- measure:width -->113<!-- /measure --> pt (<!-- measure:width -->113<!-- /measure -->),"
        " and <!-- measure:other -->none<!-- /measure -->; 113 pt typed stays.\n")
    assert measure_print.write({"width": "113"}, [doc]) == []


def test_a_fuzz_run_writes_its_tables_between_the_markers_in_the_docs_form(tmp_path):
    """docs/reliability.md's last fuzz run is the summary fuzz/fuzz_parse.py writes: a small run
    writes its own between the markers, the rest of the page untouched, in the form the page has."""
    import re
    import subprocess

    doc = tmp_path / "reliability.md"
    before = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    doc.write_text(before, encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "fuzz" / "fuzz_parse.py"), "--runs", "12", "--jobs", "1",
                             "--write-docs", "--docs", str(doc)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    after = doc.read_text(encoding="utf-8")
    start, end = "<!-- fuzz:start -->", "<!-- fuzz:end -->"
    assert after[:after.index(start)] == before[:before.index(start)]
    assert after[after.index(end):] == before[before.index(end):]
    written = after[after.index(start) + len(start):after.index(end)].strip().splitlines()
    runs, _, crashes, errors, clean, _ = written[4].strip("| ").split(" | ")
    assert (runs, crashes, int(errors) + int(clean)) == ("12", "0", 12)
    # The page's own block has the form the script writes (only the figures and diagnostics differ).
    kept = before[before.index(start) + len(start):before.index(end)].strip().splitlines()

    def form(lines: list[str]) -> list[str]:
        return [re.sub(r"\d[\d,.]*", "N", line) for line in lines[:10]]

    assert form(kept) == form(written) and len(kept) == len(written)
