"""An edition's PDF parts laid out in worker processes while the build's own process writes the
edition's other formats (``pipeline.render_all``): the same bytes as one process, the edition still
the unit, every worker gone once the build returns (or is interrupted)."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest
from conftest import ROOT

from councildoc import formats, pipeline
from councildoc.diagnostics import Severity, SourcePos, error
from councildoc.writers import pdf as pdf_writer

DOC, LANG = "c-111-3", "en"  # an edition with annexes: its PDF is laid out by parts


def children() -> list[str]:
    """This process's child processes (a zombie, not yet reaped, is still one), as ``pid state``."""
    found = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        for pid in (task / "children").read_text().split():
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            found.append(f"{pid} {state}")
    return found


def project(tmp_path: Path) -> pipeline.Project:
    for folder in ("source", "templates", "styles"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return pipeline.Project(tmp_path)


def outputs(root: Path) -> dict[str, bytes]:
    folder = root / "output" / DOC / LANG
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if not path.name.startswith(".")}


def build(root: Path, jobs: int, **options) -> pipeline.BuildReport:
    return pipeline.build(pipeline.Project(root), [DOC], [LANG], jobs=jobs, **options)


@pytest.fixture(scope="module")
def one_process(tmp_path_factory) -> dict[str, bytes]:
    root = project(tmp_path_factory.mktemp("one")).root
    report = build(root, 1)
    assert [str(d) for d in report.diagnostics if d.severity is Severity.ERROR] == []
    return outputs(root)


def test_the_other_formats_are_written_while_the_parts_are_laid_out_and_the_bytes_are_one_process_s(
        tmp_path, monkeypatch, one_process):
    events: list[str] = []
    started, render, result = pdf_writer._lay_out_at_once, pipeline.render, pdf_writer.PendingPdf.result

    def starting(*args):
        events.append("pdf parts started")
        return started(*args)

    def rendering(document, fmt, context):
        events.append(fmt)
        return render(document, fmt, context)

    def waiting(self):
        events.append("pdf waited for")
        return result(self)

    monkeypatch.setattr(pdf_writer, "_lay_out_at_once", starting)
    monkeypatch.setattr(pipeline, "render", rendering)
    monkeypatch.setattr(pdf_writer.PendingPdf, "result", waiting)
    root = project(tmp_path).root
    report = build(root, 2)
    assert [str(d) for d in report.diagnostics if d.severity is Severity.ERROR] == []
    assert events == ["pdf parts started", "html", "docx", "txt", "akn", "pdf waited for"]
    built = outputs(root)
    assert set(built) == set(one_process) and {f"{DOC}.{fmt}" for fmt in formats.names()} <= set(built)
    assert {name for name in built if built[name] != one_process[name]} == set()
    assert children() == []


def _failing_part(monkeypatch, how):
    """Part 2's layout (in its worker) fails ``how``."""
    lay_out = pdf_writer.lay_out

    def failing(document, *args):
        if args[-1] == 1:
            return how(document)
        return lay_out(document, *args)

    monkeypatch.setattr(pdf_writer, "lay_out", failing)


def test_a_pdf_error_with_the_other_formats_written_meanwhile_replaces_nothing_and_reports_all(
        tmp_path, monkeypatch):
    root = project(tmp_path).root
    assert not [d for d in build(root, 2).diagnostics if d.severity is Severity.ERROR]
    before = outputs(root)
    _failing_part(monkeypatch, lambda document: pdf_writer._Layout(
        None, [error(SourcePos(document.path, 1, 1), "part two would not lay out")], [], 0))
    monkeypatch.setattr(formats, "render_docx", lambda document, context: (
        None, [error(SourcePos(document.path, 2, 1), "the DOCX would not come either")]))
    report = build(root, 2, force=True)
    assert [str(d) for d in report.diagnostics if d.severity is Severity.ERROR] == [
        f"source/{DOC}/{LANG}.md:1:1: error: part two would not lay out",
        f"source/{DOC}/{LANG}.md:2:1: error: the DOCX would not come either",
    ]
    assert report.written == []
    assert outputs(root) == before
    assert children() == []


def test_a_killed_part_worker_is_a_diagnostic(tmp_path, monkeypatch):
    root = project(tmp_path).root
    _failing_part(monkeypatch, lambda document: os.kill(os.getpid(), signal.SIGKILL))
    report = build(root, 2)
    errors = [str(d) for d in report.diagnostics if d.severity is Severity.ERROR]
    assert errors and all(e.startswith(f"source/{DOC}/{LANG}.md:1:1: error: the layout of part ") for e in errors)
    assert any("terminated abruptly" in e for e in errors), errors
    assert report.written == [] and not (root / "output" / DOC / LANG).exists()
    assert children() == []


def test_an_interrupt_while_the_parts_are_laid_out_leaves_no_worker(tmp_path, monkeypatch):
    root = project(tmp_path).root
    alive: list[list[str]] = []

    def interrupted(document, context):
        alive.append(children())  # the part workers, at work
        raise KeyboardInterrupt

    monkeypatch.setattr(formats, "render_html", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(root, 2)
    assert len(alive) == 1 and len(alive[0]) == 2, alive  # the precondition: two workers were at work
    assert children() == []
    assert not (root / "output" / DOC / LANG).exists()
