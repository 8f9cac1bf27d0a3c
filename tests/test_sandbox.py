"""No network and no stray reads: each refusal has its test (see also tests/corpus/)."""

from __future__ import annotations

import subprocess

import pytest
from conftest import add_document

from councildoc.cli import main
from councildoc.parse import pandoc
from councildoc.writers import docx as docx_writer
from councildoc.writers.pdf import FONT_DIR, RefusedResource, make_url_fetcher


def test_pandoc_always_reads_in_its_sandbox(monkeypatch):
    seen = []
    real = subprocess.run

    def spy(args, *rest, **kwargs):
        seen.append(list(args))
        return real(args, *rest, **kwargs)

    monkeypatch.setattr(pandoc.subprocess, "run", spy)
    ast, message = pandoc.run_pandoc("Text ![x](/etc/passwd)\n")
    assert ast is not None and message == ""
    assert seen and all("--sandbox" in args for args in seen)


def test_pandoc_always_writes_docx_in_its_sandbox(monkeypatch, project):
    seen = []
    real = docx_writer.pypandoc.convert_text

    def spy(*args, **kwargs):
        seen.append(kwargs.get("extra_args", []))
        return real(*args, **kwargs)

    monkeypatch.setattr(docx_writer.pypandoc, "convert_text", spy)
    add_document(project, "doc", {"en": "---\nlang: en\ntitle: T\n---\n\n# S\n\nText.\n"})
    assert main(["--format", "docx", "--project", str(project)]) == 0
    assert seen and all("--sandbox" in args for args in seen)


@pytest.mark.parametrize("url", [
    "http://example.org/x.css", "https://example.org/font.woff", "file:///etc/passwd",
    "ftp://example.org/x", "data:text/css,body{}",
])
def test_weasyprint_fetcher_refuses_all_but_project_files(tmp_path, url):
    fetch = make_url_fetcher((tmp_path,))
    with pytest.raises(Exception) as refused:
        fetch.fetch(url)
    assert isinstance(refused.value, (RefusedResource, ValueError))


def test_weasyprint_fetcher_serves_a_figures_image_as_a_data_url_and_no_other(tmp_path):
    fetch = make_url_fetcher((tmp_path,))
    assert fetch.fetch("data:image/png;base64,iVBORw0KGgo=") is not None
    with pytest.raises(RefusedResource):
        fetch.fetch("data:text/html;base64,PGI+PC9iPg==")


def test_weasyprint_fetcher_serves_project_styles_and_fonts(tmp_path):
    (tmp_path / "rule.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    fetch = make_url_fetcher((tmp_path, FONT_DIR))
    assert fetch.fetch((tmp_path / "rule.svg").as_uri()) is not None
    outside = tmp_path.parent / "secret.txt"
    outside.write_text("secret")
    with pytest.raises(RefusedResource):
        fetch.fetch((tmp_path / ".." / "secret.txt").as_uri())


def test_jinja_autoescapes_what_a_source_says(project):
    source = "---\nlang: en\ntitle: \"A < B & C\"\n---\n\n# S\n\nSee `<script>alert(1)</script>`.\n"
    add_document(project, "doc", {"en": source})
    assert main(["--format", "html", "--project", str(project)]) == 0
    page = (project / "output/doc/en/doc.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>" in page
    assert "A &lt; B &amp; C" in page


