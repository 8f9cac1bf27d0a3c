"""Every note on its call's page in one layout, on a generated document where WeasyPrint alone parts
a note from its call.

The PDF is read independently of the writer: a call is a run of digits at 8.04 pt (12 pt text ×
0.67, the stylesheet's superscript), a note's marker a run at 6.7 pt (10 pt notes × 0.67); on
every page the calls and the markers must be the same numbers.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import defaultdict

import pdfplumber
import pytest
import weasyprint
from conftest import ROOT

from councildoc.pipeline import Project, load_edition, load_info
from councildoc.writers import pdf as pdf_writer
from councildoc.writers.html import make_environment, write_html
from councildoc.writers.keep_notes import available, notes_kept

CALL_SIZE, MARKER_SIZE = 8.04, 6.7


def _bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def numbers_by_page(path) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Page → note numbers called on it, and page → note numbers printed at its foot."""
    calls: dict[int, set[int]] = defaultdict(set)
    markers: dict[int, set[int]] = defaultdict(set)
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            runs: list[list] = []  # [digits, size, right edge, top]
            for char in page.chars:
                if not char["text"].isdigit() or char["size"] > 9:
                    continue
                if runs and abs(runs[-1][1] - char["size"]) < 0.05 and abs(runs[-1][2] - char["x0"]) < 1 \
                        and abs(runs[-1][3] - char["top"]) < 2:
                    runs[-1][0] += char["text"]
                    runs[-1][2] = char["x1"]
                else:
                    runs.append([char["text"], char["size"], char["x1"], char["top"]])
            for digits, size, _, _ in runs:
                if abs(size - CALL_SIZE) < 0.05:
                    calls[number].add(int(digits))
                elif abs(size - MARKER_SIZE) < 0.05:
                    markers[number].add(int(digits))
    return calls, markers


def parted(calls, markers) -> dict[int, tuple[int, int]]:
    """Note number → (page of its call, page of its text), for every note printed off its call's page."""
    call_page = {n: page for page, found in calls.items() for n in found}
    note_page = {n: page for page, found in markers.items() for n in found}
    return {n: (call_page.get(n), note_page.get(n)) for n in call_page.keys() | note_page.keys()
            if call_page.get(n) != note_page.get(n)}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A Spanish document of about ten pages (bench/run.py's generator: MC/INF/298's paragraphs and
    notes, tables, a figure), its model, and its print page."""
    scratch = tmp_path_factory.mktemp("keep-notes")
    bench = _bench()
    project = Project(bench.copy_project(scratch / "p", bench.synthetic(8, scratch)))
    sources = project.documents()[0]
    info, _ = load_info(project, sources)
    document, diagnostics = load_edition(project, sources, info, "es")
    assert document is not None, diagnostics
    stylesheet = (project.styles_dir / pdf_writer.PRINT_STYLESHEET).read_text(encoding="utf-8")
    page = write_html(document, make_environment(project.templates_dir), stylesheet, for_print=True)
    return project, document, page, scratch


def test_weasyprint_alone_parts_a_note_from_its_call(generated):
    """The precondition that keeps the next test meaningful: without councildoc's layout rule, this
    document has a note printed a page after its call."""
    project, _, page, scratch = generated
    with notes_kept(False):
        weasyprint.HTML(string=page, base_url=project.styles_dir.as_uri() + "/").write_pdf(scratch / "plain.pdf")
    assert parted(*numbers_by_page(scratch / "plain.pdf")), "WeasyPrint alone kept every note with its call"


def test_every_note_is_on_its_calls_page_after_one_layout_of_each_part(generated, layouts):
    project, document, _, scratch = generated
    plain = parted(*numbers_by_page(scratch / "plain.pdf")) if (scratch / "plain.pdf").is_file() else {}
    assert available(), "the installed WeasyPrint's line layout is not the one keep_notes changes"
    data, problems = pdf_writer.write_pdf(document, make_environment(project.templates_dir), project.styles_dir)
    assert data is not None and not problems, problems
    (scratch / "built.pdf").write_bytes(data)
    calls, markers = numbers_by_page(scratch / "built.pdf")
    assert parted(calls, markers) == {}
    for number in plain:  # each note WeasyPrint alone moved: at the foot of its call's page
        assert number in markers[next(page for page, found in calls.items() if number in found)]
    assert sum(len(found) for found in calls.values()) == sum(len(part.notes) for part in document.parts)
    assert len(layouts) == len(document.parts), f"{len(layouts)} layouts"  # one of each part (docs/pdf.md)
