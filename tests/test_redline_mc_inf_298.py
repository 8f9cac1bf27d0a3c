"""Issue 14's "done when", for the redline: a revision pair of the Spanish MC/INF/298 that inserts a
paragraph, rewrites a sub-paragraph (and inserts one before another, which reletters it), edits a
note and a table cell, and changes a word of a paragraph and of a note that hold links. The redline
HTML and PDF show each change in place in the council layout with Spanish interface words, links
still links; the DOCX accepts to the new revision and rejects to the old one, in the OOXML and in
LibreOffice. (The corrigendum and textconv halves are tests/test_corrigendum.py and
tests/test_textconv.py.)

MC/INF/298 has no sub-paragraphs and no table: the scratch copy's first revision adds them, as the
council would, after paragraph 16."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from conftest import ROOT, require_tool
from lxml import etree, html
from test_redline import W, _resolve, git, libreoffice, plain_docx

from councildoc.cli import main

LIST_AND_TABLE = """

La Organización se propone:

1. reforzar la capacitación de su personal;
2. publicar directrices sobre la protección;
3. evaluar sus programas cada año.

| Actividad | 2008 | 2009 |
|:----------|-----:|-----:|
| Capacitación | 120 | 135 |
| Asistencia jurídica | 40 | 52 |

: Actividades de protección {#tbl:proteccion}
"""

AFTER = "y personal de la OIM."  # the end of paragraph 16, where the list and the table go
INSERTED = "Un párrafo insertado en esta revisión sobre el mandato."

EDITS = [  # (old, new) in the first revision's text: each change the redline must show
    ("En 2004, los Estados Miembros", f"{INSERTED}\n\nEn 2004, los Estados Miembros"),
    ("2. publicar directrices sobre la protección;\n3. evaluar",
     "2. preparar un manual de formación;\n3. publicar directrices claras sobre la protección;\n4. evaluar"),
    ("del 29 de noviembre de 1995.", "del 30 de noviembre de 1995."),
    ("| Asistencia jurídica | 40 | 52 |", "| Asistencia jurídica | 40 | 57 |"),
    ("Éstos son apenas algunos ejemplos", "Éstos son solo algunos ejemplos"),
    ("Base de datos relativa al derecho", "Base de datos sobre el derecho"),
    ("aprobada por el Consejo en 1995", "adoptada por el Consejo en 1995"),
]


R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _words(element) -> str:
    return " ".join(element.text_content().split())


@pytest.fixture(scope="module")
def revised(tmp_path_factory):
    """A scratch project: MC/INF/298 with a list and a table, committed as v1, then the edits
    committed by Ana Pérez; the redlines of the Spanish edition written."""
    project = tmp_path_factory.mktemp("mc-inf-298-redline")
    for folder in ("templates", "styles"):
        shutil.copytree(ROOT / folder, project / folder)
    shutil.copytree(ROOT / "source/mc-inf-298", project / "source/mc-inf-298")
    es = project / "source/mc-inf-298/es.md"
    text = es.read_text(encoding="utf-8")
    assert text.count(AFTER) == 1
    text = text.replace(AFTER, AFTER + LIST_AND_TABLE)
    es.write_text(text, encoding="utf-8")
    git(project, "init", "-q")
    git(project, "add", "source")
    git(project, "commit", "-q", "-m", "v1")
    git(project, "tag", "v1")
    for old, new in EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    es.write_text(text, encoding="utf-8")
    subprocess.run(["git", "commit", "-q", "-am", "v2"], cwd=project, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "Ana Pérez", "GIT_AUTHOR_EMAIL": "a@p", "GIT_AUTHOR_DATE":
                        "2026-03-04T10:11:12+01:00", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t",
                        "HOME": str(project), "PATH": "/usr/bin:/bin"})
    assert main(["diff", "v1", "HEAD", "--doc", "mc-inf-298", "--lang", "es", "--project", str(project)]) == 0
    return project


def _page(project):
    return html.parse(str(project / "output/redline/mc-inf-298/es/mc-inf-298.redline.html")).getroot()


def test_each_change_stands_in_place_in_the_council_layout(revised):
    page = _page(revised)
    main_ = page.xpath("//main")[0]
    assert page.xpath("//header[contains(@class,'masthead')]//p[@class='symbol']/text()") == ["MC/INF/298"]
    # The inserted paragraph: the fourth (two in the introduction, one before it in section II).
    added = main_.xpath(".//p[contains(@class,'rl-added')]")
    assert [_words(p) for p in added] == [f"4.{INSERTED}"]
    assert added[0].xpath(".//ins/text()") == ["4.", INSERTED]
    assert added[0].xpath("ancestor::section[1]/h2")[0].xpath("string()").endswith("Mandato")
    # The sub-paragraphs: one inserted, one rewritten word by word, one relettered (c) → (d).
    subs = main_.xpath(".//li[contains(@class,'subpara')]")
    assert [s.xpath("string(.//span[@class='subpara-marker'])") for s in subs] == ["a)", "b)", "b)c)", "c)d)"]
    assert "rl-added" in subs[1].get("class") and subs[1].xpath(".//ins/text()") == [
        "b)", "preparar un manual de formación;"]
    assert "rl-changed" in subs[2].get("class")
    assert subs[2].xpath(".//del/text()") == ["b)"]
    assert subs[2].xpath(".//ins/text()") == ["c)", "claras"]
    assert subs[3].xpath(".//span[@class='subpara-marker']/del/text()") == ["c)"]
    assert "rl-changed" not in subs[3].get("class"), "relettered only: its words stand as they were"
    # The edited note, among the notes of the screen page.
    note = [li for li in main_.xpath(".//section[@class='notes']//li") if "1995" in _words(li)]
    assert len(note) == 1 and "rl-changed" in note[0].get("class")
    assert (note[0].xpath(".//del/text()"), note[0].xpath(".//ins/text()")) == (["29"], ["30"])
    # The edited table cell.
    cells = main_.xpath(".//td[contains(@class,'rl-cell')]")
    assert [(c.xpath(".//del/text()"), c.xpath(".//ins/text()")) for c in cells] == [(["52"], ["57"])]


def test_links_in_changed_paragraphs_and_notes_stay_links(revised):
    """A reference, a note call and a web link inside a changed paragraph or note link where the
    edition's do, and every link of the page resolves."""
    page = _page(revised)
    main_ = page.xpath("//main")[0]
    changed = [p for p in main_.xpath(".//p[contains(@class,'rl-changed')]") if "solo" in _words(p)]
    assert len(changed) == 1 and changed[0].xpath(".//del/text()")[-1:] == ["apenas"]
    assert changed[0].xpath(".//ins/text()")[-1:] == ["solo"]
    annex = page.xpath("//main//section[contains(@class,'annex')]/@id")
    assert changed[0].xpath(".//a[@class='xref']/@href") == [f"#{annex[0]}"], "@annex:field links to the annex"
    called = [p for p in main_.xpath(".//p[contains(@class,'rl-changed')]") if "adoptada" in _words(p)]
    notes = page.xpath("//main//section[@class='notes']//li[contains(., 'noviembre de 1995')]/@id")
    assert called[0].xpath(".//a[@class='note-call']/@href") == [f"#{notes[0]}"], "its note call links to its note"
    note = [li for li in main_.xpath(".//section[@class='notes']//li") if "Base de datos" in _words(li)]
    assert note[0].xpath(".//ins/text()") == ["sobre el"]
    assert note[0].xpath(".//a[starts-with(@href,'http')]/@href") == ["http://www.imldb.iom.int/changeLocale.do"]
    ids = set(page.xpath("//@id"))
    assert [h for h in page.xpath("//main//a/@href") if h.startswith("#") and h[1:] not in ids] == []


def test_the_pdf_shows_the_changes_in_place_and_the_summary_on_pages_of_its_own(revised):
    pdftotext = require_tool("pdftotext")
    pdf = revised / "output/redline/mc-inf-298/es/mc-inf-298.redline.pdf"
    pages = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    summary = next(i for i, p in enumerate(pages) if "Resumen de los cambios" in p)
    assert any(INSERTED in p for p in pages[:summary]), "the inserted paragraph in the document, in place"
    assert any("preparar un manual de formación" in p for p in pages[:summary])
    heads = [" ".join(p.split()[:7]) for p in pages]
    assert heads[1].startswith("MC/INF/298 Página 1")
    assert heads[summary].startswith("MC/INF/298 Resumen de los cambios, página 1"), heads[summary]
    for english in ("Summary", "Paragraphs", "Renumbered", "Page "):
        assert english not in "".join(pages[summary:]), english


def test_the_docx_accepts_to_the_new_revision_and_rejects_to_the_old_in_libreoffice(revised, tmp_path):
    redline = (revised / "output/redline/mc-inf-298/es/mc-inf-298.redline.docx").read_bytes()
    plain = {revision: plain_docx(revised, revision, ("mc-inf-298", "es")) for revision in ("HEAD", "v1")}
    plain = {"new": plain["HEAD"], "old": plain["v1"]}
    # In the OOXML, read independently of the writer.
    assert _resolve(redline, "ins") == _resolve(plain["new"], "ins")
    assert _resolve(redline, "del") == _resolve(plain["old"], "ins")
    assert any(line.startswith("d) evaluar") for line in _resolve(redline, "ins"))
    assert any(line.startswith("c) evaluar") for line in _resolve(redline, "del"))
    # The web link in the changed note is still a hyperlink.
    archive = zipfile.ZipFile(io.BytesIO(redline))
    relations = etree.fromstring(archive.read("word/_rels/footnotes.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in relations}
    footnotes = etree.fromstring(archive.read("word/footnotes.xml"))
    links = [targets.get(h.get(R + "id")) for h in footnotes.iter(W + "hyperlink")]
    assert "http://www.imldb.iom.int/changeLocale.do" in links
    # In LibreOffice itself.
    text = libreoffice(tmp_path)
    new, old = text(plain["new"], "keep"), text(plain["old"], "keep")
    assert new != old and INSERTED in new and "d)\tevaluar" in new and "c)\tevaluar" in old
    assert text(redline, "accept") == new
    assert text(redline, "reject") == old
