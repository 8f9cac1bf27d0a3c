"""Tables in the side-by-side view: each in a row of its own, one cell per edition, laid out as on the
edition's page (the view's own row and cell rules do not reach into it); on a phone a table wider
than its cell scrolls inside its box, never the page."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, compile_text, require_tool
from lxml import html as lxml_html

from councildoc.writers.html import make_environment
from councildoc.writers.parallel import write_side_by_side

COLUMNS = 7


def _source(lang: str) -> str:
    figures = {"en": "1,234.5", "fr": "1 234,5", "es": "1.234,5"}[lang]
    words = {"en": ("Budget", "Staff costs"), "fr": ("Budget", "Dépenses"), "es": ("Presupuesto", "Gastos")}[lang]
    heads = " | ".join(f"Heading {n}" for n in range(COLUMNS))
    return (f"---\nlang: {lang}\ntitle: {words[0]}\n---\n\n# S\n\nText.\n\n| Item | {heads} |\n"
            f"|:--|{'--:|' * COLUMNS}\n| {words[1]} | {' | '.join([figures] * COLUMNS)} |\n\n"
            f": {words[0]} {{#tbl:b}}\n\nAfter.\n")


def _page() -> str:
    documents = {}
    for lang in ("en", "es", "fr"):
        document, diagnostics = compile_text(_source(lang), f"{lang}.md", lang)
        assert [str(d) for d in diagnostics] == []
        documents[lang] = document
    stylesheet = (ROOT / "styles/council.css").read_text(encoding="utf-8")
    return write_side_by_side(documents, make_environment(ROOT / "templates"), stylesheet)


def test_a_table_has_a_row_of_its_own_with_each_editions_table():
    page = lxml_html.fromstring(_page())
    rows = page.xpath("//table[@class='side-by-side']/tbody/tr")
    kinds = [row.get("class") for row in rows]
    assert kinds == ["part", "section", "paragraph", "table", "paragraph"]
    cells = rows[3].xpath("td")
    assert [cell.get("lang") for cell in cells] == ["en", "es", "fr"]
    numbers = [" ".join(cell.xpath(".//caption/span[@class='table-number']")[0].text_content().split())
               for cell in cells]
    assert numbers == ["Table 1", "Cuadro 1", "Tableau 1"]
    for cell in cells:
        assert cell.xpath("./div[@class='table-block']/div[@class='table-scroll']/table[@class='council-table']")
        assert len(cell.xpath(".//table[@class='council-table']/tbody/tr/td")) == COLUMNS


def test_on_a_phone_the_table_scrolls_in_its_box_and_keeps_its_rows(tmp_path: Path):
    from browser import Chromium

    chromium = require_tool("chromium")
    path = tmp_path / "side-by-side.html"
    path.write_text(_page(), encoding="utf-8")
    browser = Chromium(chromium, path.as_uri(), tmp_path / "profile")
    try:
        ready = "document.readyState === 'complete' && document.querySelectorAll('.table-scroll').length === 3"
        browser.wait_for(ready, 30)  # the file's page, not the blank one before it
        # A headless window is at least 500 px wide: the phone's width is set as axe-check.js sets it.
        browser.send("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 800, "deviceScaleFactor": 1,
                                                            "mobile": False}, session=browser.session)
        browser.wait_for(f"window.innerWidth === 390 && {ready}", 10)
        assert browser.evaluate("document.documentElement.scrollWidth") <= 390
        # The document's own table is still a table, its rows rows (the phone layout stacks the
        # view's cells, not the cells of the tables inside them).
        displays = browser.evaluate(
            "[...document.querySelectorAll('table.council-table, table.council-table tr, table.council-table td')]"
            ".map(e => getComputedStyle(e).display).filter((v, i, a) => a.indexOf(v) === i).join(' ')")
        assert displays == "table table-row table-cell"
        scrolls = browser.evaluate(
            "[...document.querySelectorAll('.table-scroll')].map(e => e.scrollWidth > e.clientWidth)"
            ".every(Boolean) && document.querySelectorAll('.table-scroll').length")
        assert scrolls == 3
    finally:
        browser.close()
