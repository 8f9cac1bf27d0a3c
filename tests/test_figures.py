"""Figures: ``![Title](chart.svg){#fig:x}``, numbered through the document, a text alternative
required, only files of the document's own folder read (checked before any writer sees them),
embedded by every writer, and covered by the build key."""

from __future__ import annotations

import base64
import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import add_document, compile_text

from councildoc.cache import edition_key
from councildoc.cli import main
from councildoc.dump import dump

SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="150">'
       b'<rect x="10" y="10" width="100" height="100" fill="#1f4e79"/></svg>')


def png(width: int, height: int, pixels: bool = True) -> bytes:
    """A PNG whose header says ``width`` × ``height`` (its pixels, if asked, one grey row each)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    rows = zlib.compress(b"".join(b"\0" + b"\x80" * width for _ in range(height))) if pixels else b""
    return b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def source(image: str, attributes: str = "{#fig:chart}", title: str = "Arrivals by year") -> str:
    return (f"---\nlang: en\ntitle: Figures\n---\n\n# Arrivals\n\nFigure @fig:chart shows the arrivals.\n\n"
            f"![{title}]({image}){attributes}\n\nThe end.\n")


def jpeg(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="JPEG")
    return out.getvalue()


LINE = source("x").splitlines().index("![Arrivals by year](x){#fig:chart}") + 1
"""The figure's line in :func:`source`'s text."""


def build_project(project: Path, text: str, files: dict[str, bytes | str]) -> Path:
    folder = add_document(project, "figs", {"en": text})
    for name, data in files.items():
        data = jpeg(4, 4) if data == "JPEG" else data
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def test_a_figure_is_numbered_referenced_and_its_title_is_its_text_alternative():
    text = source("chart.svg") + "\n![Second](b.png){#fig:b fig-alt=\"Bars: 2 then 9\"}\n"
    document, diagnostics = compile_text(text, "en.md")
    assert [str(d) for d in diagnostics] == []
    lines = dump(document)
    assert "1. Figure {fig:chart→1} shows the arrivals." in lines
    assert "figure 1 #fig:chart [chart.svg] Arrivals by year | alt: Arrivals by year" in lines
    assert "figure 2 #fig:b [b.png] Second | alt: Bars: 2 then 9" in lines


@pytest.mark.parametrize(("text", "message"), [
    (source("chart.svg", title=""), f"{LINE}:1: error: a figure without a text alternative"),
    ("Text ![a chart](chart.svg) in a sentence.\n", "1:6: error: an image inside a paragraph's text is not supported"),
    (source("chart.svg", "{#tbl:chart}"), "a figure's label must start with 'fig:'"),
    (source("chart.svg", "{#fig:chart width=50%}"), "attribute 'width' is not supported on a figure"),
])
def test_what_a_figure_cannot_be_is_an_error_at_its_place(text, message):
    _, diagnostics = compile_text(text, "en.md")
    assert any(message in str(d) for d in diagnostics), [str(d) for d in diagnostics]


@pytest.mark.parametrize(("image", "files", "message"), [
    ("https://example.org/chart.png", {}, "not a URL"),
    ("/etc/chart.png", {}, "not by an absolute path"),
    ("../chart.png", {}, "'..' leads out of it"),
    ("chart.gif", {"chart.gif": b"GIF89a"}, "must be a PNG, a JPEG or an SVG"),
    ("missing.png", {}, "no such file in the document's folder"),
    ("fake.png", {"fake.png": b"not a picture at all"}, "it is not a readable PNG image"),
    ("photo.png", {"photo.png": "JPEG"}, "it is not a PNG image (its bytes say JPEG)"),
    ("bomb.png", {"bomb.png": png(60_000, 60_000, pixels=False)}, "over the limit of 40,000,000 pixels"),
    ("big.png", {"big.png": png(7_000, 7_000, pixels=False)}, "it is 7000 × 7000 pixels, over the limit"),
    ("wide.png", {"wide.png": png(30_000, 2, pixels=False)}, "20,000 a side"),
    ("linked.svg", {"linked.svg": SVG.replace(b"<rect", b'<image href="http://example.org/x.png"/><rect')},
     "it refers to another file or address"),
    ("script.svg", {"script.svg": SVG.replace(b"<rect", b"<script>alert(1)</script><rect")},
     "it holds a <script> element"),
    ("sizeless.svg", {"sizeless.svg": SVG.replace(b' width="300" height="150"', b"")}, "it gives no size"),
])
def test_an_image_the_build_will_not_read_is_a_positioned_error_and_nothing_is_written(
        project, capsys, image, files, message):
    build_project(project, source(image), files)
    assert main(["--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert f"source/figs/en.md:{LINE}:1: error:" in err and message in err, err
    assert not (project / "output" / "figs").exists()


def test_a_symbolic_link_that_leaves_the_folder_is_refused(project, tmp_path, capsys):
    """The project's own check finds it first (at the link); the figure's check refuses it too."""
    from councildoc.figures import BadImage, read_image

    outside = tmp_path / "secret.png"
    outside.write_bytes(png(4, 4))
    folder = build_project(project, source("chart.png"), {})
    (folder / "chart.png").symlink_to(outside)
    assert main(["--project", str(project)]) == 1
    assert "source/figs/chart.png:1:1: error: it is a symbolic link" in capsys.readouterr().err
    assert not (project / "output" / "figs").exists()
    with pytest.raises(BadImage, match="a symbolic link that leaves the document's folder"):
        read_image(folder, "chart.png")


def test_every_writer_embeds_the_image(project):
    build_project(project, source("charts/arrivals.svg") + "\n![Posts](posts.png){#fig:posts}\n",
                  {"charts/arrivals.svg": SVG, "posts.png": png(40, 20)})
    assert main(["--project", str(project)]) == 0
    out = project / "output" / "figs" / "en"
    # HTML: the image beside the page, referred to relatively, with its text alternative.
    page = (out / "figs.html").read_text(encoding="utf-8")
    assert '<img src="charts-arrivals.svg" alt="Arrivals by year" width="300" height="150">' in page
    assert (out / "charts-arrivals.svg").read_bytes() == SVG and (out / "posts.png").read_bytes() == png(40, 20)
    # PDF: both images drawn (WeasyPrint read them from the page, as data: URLs).
    import pdfplumber

    with pdfplumber.open(out / "figs.pdf") as pdf:
        assert sum(len(page.images) for page in pdf.pages) >= 1  # the PNG (the SVG is drawn as vectors)
        text = "".join(page.extract_text() for page in pdf.pages)
    assert "Figure 1" in text and "Figure 2" in text
    # DOCX: two PNGs (the SVG's drawn as a PNG), each with its description.
    with zipfile.ZipFile(out / "figs.docx") as docx:
        media = [name for name in docx.namelist() if name.startswith("word/media/")]
        body = docx.read("word/document.xml").decode("utf-8")
        pictures = [docx.read(name) for name in media]
    assert len(media) == 2 and all(data.startswith(b"\x89PNG") for data in pictures)
    from PIL import Image

    assert sorted(Image.open(io.BytesIO(data)).size for data in pictures) == [(40, 20), (600, 300)]
    assert 'descr="Arrivals by year"' in body and 'descr="Posts"' in body


def test_the_build_key_covers_the_image_bytes(project):
    folder = build_project(project, source("chart.png"), {"chart.png": png(4, 4)})
    key = edition_key("k", folder / "en.md", folder / "document.yaml", "pdf")
    (folder / "chart.png").write_bytes(png(5, 4))
    assert edition_key("k", folder / "en.md", folder / "document.yaml", "pdf") != key


def test_an_edited_chart_rebuilds_the_edition(project, capsys):
    folder = build_project(project, source("chart.png"), {"chart.png": png(4, 4)})
    assert main(["--project", str(project), "--format", "html"]) == 0
    capsys.readouterr()
    assert main(["--project", str(project), "--format", "html"]) == 0
    assert "figs.html" not in capsys.readouterr().out  # nothing to do
    (folder / "chart.png").write_bytes(png(6, 4))
    assert main(["--project", str(project), "--format", "html"]) == 0
    assert "wrote output/figs/en/figs.html" in capsys.readouterr().out
    assert (project / "output" / "figs" / "en" / "chart.png").read_bytes() == png(6, 4)


def test_parity_reports_a_figure_missing_from_an_edition():
    from councildoc.parity import compare

    english, _ = compile_text(source("chart.svg"), "en.md")
    french_text = source("chart.svg").replace("lang: en", "lang: fr").replace(
        "![Arrivals by year](chart.svg){#fig:chart}\n\n", "")
    french, _ = compile_text(french_text.replace("Figure @fig:chart shows", "Les arrivées:"), "fr.md", "fr")
    problems = [str(d) for d in compare(english, french)]
    assert any("figure 1 (fig:chart)" in p for p in problems), problems


def test_the_redline_shows_a_figure_whose_title_image_or_text_alternative_changed():
    from dataclasses import replace

    from councildoc.redline import compare as redline

    def edition(text: str, data: bytes):
        document, diagnostics = compile_text(text, "en.md")
        assert diagnostics == []
        body = document.body
        children = tuple(replace(c, children=tuple(replace(f, data=data) if type(f).__name__ == "Figure" else f
                                                   for f in c.children)) for c in body.children)
        return replace(document, parts=(replace(body, children=children),))

    old = edition(source("chart.svg"), b"one")
    assert redline(old, edition(source("chart.svg"), b"one")).parts[0].figures[0].kind == "same"
    new = edition(source("chart.svg", '{#fig:chart fig-alt="Bars rising"}', "Arrivals by month"), b"two")
    change = redline(old, new).parts[0].figures[0]
    assert change.kind == "changed"
    assert [(op, t.shown) for op, t in change.words if op != "="] == [("-", "year"), ("+", "month")]
    assert [item.marker for item in change.items] == ["image", "text alternative"]
    assert "figures 0 added, 0 removed, 1 changed" in redline(old, new).summary()


def test_c_111_3s_figures_are_what_the_script_draws():
    """Every figure of the budget document comes from tools/make_figures.py (the docs' rule: every
    figure from a script anyone can rerun), drawn from the same figures as its tables."""
    import importlib.util

    from conftest import ROOT

    spec = importlib.util.spec_from_file_location("make_figures", ROOT / "tools/make_figures.py")
    make_figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_figures)
    folder = ROOT / "source/c-111-3"
    assert make_figures.budget_svg() == (folder / "budget-by-item.svg").read_text(encoding="utf-8")
    assert make_figures.posts_png() == (folder / "posts-by-grade.png").read_bytes()
    # The PNG's grades and numbers are those of the posts table of each edition (table 3).
    for lang in ("en", "es", "fr"):
        text = (folder / f"{lang}.md").read_text(encoding="utf-8")
        for grade, posts in make_figures.POSTS:
            assert f"| {grade} " in text and f" {posts} " in text, (lang, grade)


def test_the_docx_draws_each_svg_once_and_each_figure_gets_its_own_drawing(tmp_path, monkeypatch):
    """Figures showing the same SVG share one drawing; an SVG of other bytes or size is drawn on its own."""
    from councildoc.figures import load_figures
    from councildoc.writers import docx

    wide = SVG.replace(b'width="300"', b'width="400"')
    red = SVG.replace(b"#1f4e79", b"#c00000")
    files = {"a.svg": SVG, "copy.svg": SVG, "wide.svg": wide, "red.svg": red}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    text = (source("a.svg") + "\n![Again](copy.svg){#fig:again}\n\n![Wide](wide.svg){#fig:wide}\n"
            "\n![Red](red.svg){#fig:red}\n\n![Third](a.svg){#fig:third}\n")
    document, diagnostics = compile_text(text, "en.md")
    document, found = load_figures(document, tmp_path)
    assert [str(d) for d in diagnostics + found] == []
    drawn = []
    original = docx.svg_to_png
    monkeypatch.setattr(docx, "svg_to_png", lambda *key: drawn.append(key) or original(*key))
    ast = docx.to_pandoc(document)
    pictures = [base64.b64decode(node["c"][2][0].split(",", 1)[1]) for node in _images(ast)]
    assert sorted(drawn) == sorted([(SVG, 300, 150), (wide, 400, 150), (red, 300, 150)])
    # Each figure shows the drawing of its own file, as drawn alone.
    own = [files[name] for name in ("a.svg", "copy.svg", "wide.svg", "red.svg", "a.svg")]
    assert pictures == [original(data, 400 if data == wide else 300, 150) for data in own]
    assert len(set(pictures)) == 3


def _images(node):
    if isinstance(node, dict):
        if node.get("t") == "Image":
            yield node
        yield from _images(node.get("c"))
        for key, value in node.items():
            if key not in ("t", "c"):
                yield from _images(value)
    elif isinstance(node, list):
        for item in node:
            yield from _images(item)
