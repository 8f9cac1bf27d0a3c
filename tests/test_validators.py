"""Every HTML page the build writes — the editions of both documents, the side-by-side views, a
redline and the index — run through the validators the field uses: the Nu Html Checker (vnu.jar)
and axe-core in headless Chromium (WCAG 2.0 A/AA, WCAG 2.1 AA and best practice, at 1000 and
390 px). Both must report nothing. ``./setup.sh`` installs them; on CI a missing one fails."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, TOOLS, require_node_package, require_tool

from councildoc.cli import main

HERE = Path(__file__).parent


def _git(project: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=project, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(project), "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> list[Path]:
    """Both real documents built as HTML, plus a redline of the English MC/INF/298 against a
    revision with one paragraph fewer: every kind of page the build writes."""
    root = tmp_path_factory.mktemp("validated")
    for folder in ("source", "templates", "styles"):
        shutil.copytree(ROOT / folder, root / folder)
    english = root / "source/mc-inf-298/en.md"
    text = english.read_text(encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "source")
    _git(root, "commit", "-q", "-m", "v1")
    # The English revision inserts a paragraph and changes words in a paragraph holding a reference
    # and in a note holding a web link (links inside changed text); the Spanish one removes the
    # annex (struck out whole where it stood, in English inside the Spanish page).
    inserted = "A paragraph inserted after the first revision.\n\n# Mandate {#sec:mandato}"
    english.write_text(text.replace("# Mandate {#sec:mandato}", inserted)
                       .replace("These are but a few examples", "These are only a few examples")
                       .replace("International Migration Law Database, available", "The Law Database, available"),
                       encoding="utf-8")
    assert main(["--project", str(root), "--format", "html"]) == 0
    spanish = root / "source/mc-inf-298/es.md"  # after the build: the editions no longer agree
    text = spanish.read_text(encoding="utf-8")
    spanish.write_text(text[:text.index("::: {.annex")].replace(
        " En el @annex:field del presente documento figuran ejemplos adicionales.", ""), encoding="utf-8")
    assert main(["diff", "HEAD", "--project", str(root), "--doc", "mc-inf-298", "--lang", "en"]) == 0
    assert main(["diff", "HEAD", "--project", str(root), "--doc", "mc-inf-298", "--lang", "es"]) == 0
    found = sorted((root / "output").rglob("*.html"))
    names = {page.name for page in found}
    for expected in ("index.html", "mc-inf-298.html", "c-111-inf-7.html", "mc-inf-298.side-by-side.html",
                     "c-111-inf-7.side-by-side.html", "mc-inf-298.redline.html"):
        assert expected in names, f"the build wrote no {expected}"
    redlines = [page for page in found if page.name == "mc-inf-298.redline.html"]
    assert sorted(page.parent.name for page in redlines) == ["en", "es"]
    from lxml import html
    english_redline, spanish_redline = (html.parse(str(page)).getroot() for page in sorted(redlines))
    assert english_redline.xpath("//main//p[contains(@class,'rl-changed')]//a[@class='xref']")
    assert english_redline.xpath("//main//li[contains(@class,'rl-changed')]//a[starts-with(@href,'http')]")
    removed = spanish_redline.xpath("//main/del[contains(@class,'rl-removed-part')]/section[@lang='en']")
    assert len(removed) == 1
    # Its reference to one of its own regions still links there, to the struck region's own id.
    assert "#rl-old-sec-middle-east" in removed[0].xpath(".//a[@class='xref']/@href")
    return found


def test_the_nu_html_checker_reports_no_error_on_any_page(pages):
    java = require_tool("java")
    vnu = require_node_package("vnu-jar", "build/dist/vnu.jar")
    run = subprocess.run([java, "-jar", str(vnu), "--format", "json", *map(str, pages)],
                         capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr)["messages"]
    errors = [f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m["type"] in ("error", "non-document-error")]
    assert errors == []
    assert run.returncode == 0, run.stderr[-2000:]


def test_axe_core_in_chromium_reports_no_violation_on_any_page(pages):
    chromium = require_tool("chromium")
    node = require_tool("node")
    require_node_package("axe-core", "axe.min.js")
    require_node_package("puppeteer-core")
    run = subprocess.run([node, str(HERE / "tools/axe-check.js"), chromium, *map(str, pages)],
                         capture_output=True, text=True, timeout=600,
                         env={**os.environ, "NODE_PATH": str(TOOLS)})
    assert run.returncode == 0, run.stderr[-2000:]
    results = json.loads(run.stdout)
    assert set(results) == {str(page) for page in pages}, "axe-core checked every page"
    violations = [f"{Path(page).name} at {v['width']}px: {v['id']} ({v['help']}) "
                  f"on {[n['target'] for n in v['nodes']][:5]}" for page, found in results.items() for v in found]
    assert violations == []


def _front_matter_title(path: Path) -> str:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])["title"]


def _page(pages: list[Path], name: str, lang: str | None = None):
    from lxml import html

    return html.parse(str(next(p for p in pages if p.name == name and (lang is None or p.parent.name == lang))))


def test_every_link_on_every_page_resolves(pages):
    """Every ``href`` names an id of its page or a file the build wrote (and an id in it); a
    document's links to the web are left alone."""
    from lxml import html

    broken = []
    for page in pages:
        root = html.parse(str(page)).getroot()
        for href in root.xpath("//a/@href"):
            if href.startswith(("https:", "http:", "mailto:")):
                continue  # the web's own: no build can make them resolve
            target, _, anchor = href.partition("#")
            path = (page.parent / target).resolve() if target else page
            if not path.is_file():
                broken.append(f"{page.name}: {href}")
            elif anchor and path.suffix == ".html" and anchor not in html.parse(str(path)).getroot().xpath("//@id"):
                broken.append(f"{page.name}: {href}")
    assert broken == []


def test_side_by_side_opens_each_part_in_each_language(pages):
    """C/111/INF/7 has three annexes, the third in English in every edition: each part's row has
    one cell per edition with that edition's own title (from the sources' front matter and
    headings), not one English "Annex" across the columns."""
    page = _page(pages, "c-111-inf-7.side-by-side.html").getroot()
    rows = page.xpath("//tbody/tr[@class='part']")
    assert len(rows) == 4, "the body and three annexes"
    columns = [th.get("lang") for th in page.xpath("//thead//th")]
    for lang, cell in zip(columns, rows[0].xpath("td"), strict=True):
        title = _front_matter_title(ROOT / f"source/c-111-inf-7/{lang}.md")
        assert " ".join(cell.text_content().split()).startswith(title)
    for lang, column in enumerate(columns):
        source = (ROOT / f"source/c-111-inf-7/{column}.md").read_text(encoding="utf-8").splitlines()
        annex_titles = [source[i + 1].removeprefix("# ") for i, line in enumerate(source)
                        if line.startswith("::: {.annex")]
        cells = [" ".join(row.xpath("td")[lang].text_content().split()) for row in rows[1:]]
        assert len(annex_titles) == 3
        for title, cell in zip(annex_titles, cells, strict=True):
            assert title in cell, (column, cell)
    word = {"en": "Annex", "es": "Anexo", "fr": "Annexe"}
    for lang, column in enumerate(columns):
        assert all(word[column] in row.xpath("td")[lang].text_content() for row in rows[1:])


def test_edition_pages_link_their_other_languages_and_formats(pages):
    for lang in ("en", "es", "fr"):
        page = _page(pages, "mc-inf-298.html", lang).getroot()
        nav = page.xpath("//nav[contains(@class,'editions')]")[0]
        assert sorted(nav.xpath(".//a/@hreflang")) == sorted({"en", "es", "fr"} - {lang})
        assert "../mc-inf-298.side-by-side.html" in nav.xpath(".//a/@href")
    # The fixture built the web pages alone: no link to a PDF or DOCX that was not written.
    assert not [h for h in nav.xpath(".//a/@href") if h.endswith((".pdf", ".docx", ".txt"))]


def test_the_index_lists_symbol_title_date_languages_formats_and_side_by_side(pages):
    import yaml

    page = _page(pages, "index.html").getroot()
    for name in ("mc-inf-298", "c-111-inf-7"):
        meta = yaml.safe_load((ROOT / f"source/{name}/document.yaml").read_text(encoding="utf-8"))
        section = page.xpath(f"//main/section[h2='{meta['symbol']}']")
        assert len(section) == 1, meta["symbol"]
        rows = section[0].xpath("(.//table)[1]/tbody/tr")
        names = {row.xpath("string(th)"): row for row in rows}
        assert set(names) == {"English", "español", "français"}
        for lang, label in (("en", "English"), ("es", "español"), ("fr", "français")):
            row = names[label]
            assert row.xpath("string(td[1])") == _front_matter_title(ROOT / f"source/{name}/{lang}.md")
            assert row.xpath("td[2]/time/@datetime") == [str(meta["date"])]
            assert row.xpath("td[3]/a/@href") == [f"{name}/{lang}/{name}.html"]
        assert section[0].xpath(".//a/@href").count(f"{name}/{name}.side-by-side.html") == 2
