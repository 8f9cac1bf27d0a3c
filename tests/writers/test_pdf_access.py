"""The accessible PDF (issue 13): page labels as the pages print their numbers, the structure tree's
languages, notes, lists and tables, and a validator's verdict on PDF/UA-1 and PDF/A-2b.

Page labels are read with pypdf, the printed numbers with pdfplumber; the structure with pikepdf;
the verdicts from ``page`` (PyPI ``page-validation``), a validator that passes veraPDF's corpus.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from conftest import ROOT, require_module

from councildoc.cli import main

DOCUMENTS = ("mc-inf-298", "c-111-inf-7", "c-111-3")
LANGS = ("en", "es", "fr")
MARGIN = 70.85


def printed_labels(path: Path) -> list[str]:
    """What each page prints as its number: the running head's second line ("Página 3",
    "Anexo, página 3", "Annex II, page 1"), the number alone for the body; the symbol on the cover."""
    labels = []
    with pdfplumber.open(path) as pdf:
        symbol = pdf.pages[0].extract_text().splitlines()[0].strip()
        for page in pdf.pages:
            head = page.crop((page.width / 2, 0, page.width, MARGIN)).extract_text().splitlines()  # top right
            if not head:
                labels.append(symbol)
                continue
            found = re.fullmatch(r"(?:Page|Página) (\d+)", head[-1].strip())
            labels.append(found[1] if found else head[-1].strip())
    return labels


def built_pdf(root: Path, doc: str, lang: str, variant: str | None) -> Path:
    options = ["--pdf-variant", variant] if variant else []
    assert main(["--project", str(root), "--doc", doc, "--lang", lang, "--format", "pdf", *options]) == 0
    return root / f"output/{doc}/{lang}/{doc}.pdf"


@pytest.fixture(scope="module")
def variants(tmp_path_factory, archival):
    """C/111/INF/7 (three annexes) in Spanish as pdf/a-2b and untagged."""
    root = tmp_path_factory.mktemp("variants")
    for folder in ("source", "templates", "styles"):
        shutil.copytree(ROOT / folder, root / folder)
    path = built_pdf(root, "c-111-inf-7", "es", "untagged")
    return {"pdf/a-2b": archival / "output/c-111-inf-7/es/c-111-inf-7.pdf",
            "untagged": path.rename(path.with_name("untagged.pdf"))}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc", DOCUMENTS)
def test_page_labels_are_the_numbers_the_pages_print(real_project, doc, lang):
    path = real_project / f"output/{doc}/{lang}/{doc}.pdf"
    printed = printed_labels(path)
    assert pypdf.PdfReader(path).page_labels == printed
    assert len(set(printed)) == len(printed)  # every label names one page


def test_page_labels_of_an_annex_as_its_running_head_says(real_project):
    labels = pypdf.PdfReader(real_project / "output/mc-inf-298/es/mc-inf-298.pdf").page_labels
    assert labels[:3] == ["MC/INF/298", "1", "2"]
    assert labels[6:8] == ["Anexo, página 1", "Anexo, página 2"]
    labels = pypdf.PdfReader(real_project / "output/c-111-inf-7/en/c-111-inf-7.pdf").page_labels
    assert {label.rsplit(" ", 1)[0] for label in labels if "," in label} == {
        "Annex I, page", "Annex II, page", "Annex III, page"}


@pytest.mark.parametrize("variant", ["pdf/a-2b", "untagged"])
def test_every_variant_has_the_page_labels(variants, variant):
    path = variants[variant]
    assert pypdf.PdfReader(path).page_labels == printed_labels(path)


def test_the_default_pdf_is_tagged_and_untagged_is_asked_for(real_project, variants):
    root = pypdf.PdfReader(real_project / "output/c-111-inf-7/es/c-111-inf-7.pdf").trailer["/Root"]
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" not in pypdf.PdfReader(variants["untagged"]).trailer["/Root"]


def fonts_without_a_file(path: Path) -> list[str]:
    """The fonts of ``path``'s pages (and of the forms they draw, an SVG figure's) that embed no font
    program: each font's descriptor (a Type0 font's descendant's) must carry a FontFile, FontFile2
    or FontFile3."""
    pikepdf = require_module("pikepdf")
    missing = []
    with pikepdf.open(path) as pdf:
        def fonts_of(resources):
            if resources is None:
                return
            for font in (resources.get("/Font") or {}).values():
                for part in (list(font.DescendantFonts) if "/DescendantFonts" in font else [font]):
                    descriptor = part.get("/FontDescriptor")
                    if part.Subtype == "/Type3":
                        continue  # drawn by its own glyph procedures: nothing to embed
                    if descriptor is None or not {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()):
                        missing.append(str(part.get("/BaseFont")))
            for xobject in (resources.get("/XObject") or {}).values():
                if xobject.get("/Subtype") == "/Form":
                    fonts_of(xobject.get("/Resources"))

        count = 0
        for page in pdf.pages:
            fonts_of(page.obj.get("/Resources"))
            count += len(page.obj.Resources.get("/Font") or {})
        assert count > 0  # the walk finds the fonts it checks
    return missing


def test_the_font_check_sees_a_font_without_its_file(real_project, tmp_path):
    pikepdf = require_module("pikepdf")
    path = real_project / "output/c-111-3/en/c-111-3.pdf"
    with pikepdf.open(path) as pdf:
        font = next(iter(pdf.pages[1].obj.Resources.Font.values()))
        descriptor = (font.DescendantFonts[0] if "/DescendantFonts" in font else font).FontDescriptor
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if key in descriptor:
                del descriptor[key]
        pdf.save(tmp_path / "unembedded.pdf")
    assert fonts_without_a_file(tmp_path / "unembedded.pdf") != []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc", DOCUMENTS)
def test_every_variant_embeds_every_font(real_project, archival, variants, doc, lang):
    paths = [real_project / f"output/{doc}/{lang}/{doc}.pdf", archival / f"output/{doc}/{lang}/{doc}.pdf"]
    if (doc, lang) == ("c-111-inf-7", "es"):
        paths.append(variants["untagged"])
    for path in paths:
        assert fonts_without_a_file(path) == [], path


# ---- the structure tree -------------------------------------------------------------------------


def structure(path: Path) -> list[tuple[str, str | None, tuple[str, ...], object]]:
    """Every structure element: (tag, its /Lang, its kids' tags, the element)."""
    pikepdf = require_module("pikepdf")
    pdf = pikepdf.open(path)
    found = []

    def kids(node):
        """Its structure children, a NonStruct's own in its place (it is transparent: ISO 32000 14.8.4)."""
        k = node.get("/K")
        items = [c for c in (list(k) if isinstance(k, pikepdf.Array) else [k])
                 if isinstance(c, pikepdf.Dictionary) and "/S" in c]
        return [d for c in items for d in (kids(c) if c.S == "/NonStruct" else [c])]

    def walk(node):
        found.append((str(node.S), str(node.Lang) if "/Lang" in node else None,
                      tuple(str(c.S) for c in kids(node)), node))
        for child in kids(node):
            walk(child)

    for top in kids(pdf.Root.StructTreeRoot):
        walk(top)
    found.append(("#catalog", str(pdf.Root.Lang), (), pdf))  # keeps the file open while read
    return found


def test_the_spanish_editions_english_annex_is_read_in_english(real_project):
    elements = structure(real_project / "output/mc-inf-298/es/mc-inf-298.pdf")
    assert elements[-1][1] == "es"
    langs = {(tag, lang) for tag, lang, _, _ in elements if lang}
    assert ("/Sect", "en") in langs      # the annex (source: ::: {.annex … lang=en})
    assert ("/H2", "es") in langs        # "Anexo": the edition's word
    notes = [(lang, node.get("/ID")) for tag, lang, _, node in elements if tag == "/Note"]
    # 15 body notes, 4 annex notes (the seed's); each with its language and an ID of its own
    assert [lang for lang, _ in notes] == ["es"] * 15 + ["en"] * 4
    assert len({str(i) for _, i in notes}) == 19


def test_every_phrase_in_another_language_carries_its_lang(real_project):
    source = (ROOT / "source/mc-inf-298/fr.md").read_text(encoding="utf-8")
    phrases = re.findall(r"\]\{lang=en\}", source)
    assert len(phrases) >= 4
    elements = structure(real_project / "output/mc-inf-298/fr/mc-inf-298.pdf")
    spans = [node for tag, lang, _, node in elements if tag == "/Span" and lang == "en"]
    assert len(spans) >= len(phrases)


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_notes_lists_and_tables_are_tagged(real_project, doc):
    elements = structure(real_project / f"output/{doc}/es/{doc}.pdf")
    tags = [tag for tag, _, _, _ in elements]
    for tag, _, kids, _ in elements:
        if tag == "/Note":
            assert kids[0] == "/Lbl", kids  # the note's number
        if tag == "/L":
            assert set(kids) <= {"/LI", "/Caption"}, kids
        if tag == "/LI":
            assert set(kids) <= {"/Lbl", "/LBody"} and "/LBody" in kids, kids
        if tag == "/TR":
            assert set(kids) <= {"/TH", "/TD"}, kids
    assert tags.count("/Note") > 0
    if doc == "c-111-inf-7":  # sub-paragraphs, bullets
        assert tags.count("/LI") > 20 and tags.count("/Lbl") > tags.count("/Note")
    if doc == "c-111-3":      # tables
        assert tags.count("/Table") >= 3 and "/TH" in tags and "/TD" in tags


# ---- the validator ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc", DOCUMENTS)
def test_the_default_pdf_is_pdf_ua_1_by_the_validator(real_project, doc, lang):
    page = require_module("page")
    report = page.validate_pdf(real_project / f"output/{doc}/{lang}/{doc}.pdf", profile="ua1")
    failures = sorted({f"{f.rule_id}: {f.message}" for f in report.failures})
    assert failures == [] and report.is_compliant
    assert (report.rules.total, report.rules.failed) == (104, 0)  # recorded: 104 rules of PDF/UA-1 checked


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc", DOCUMENTS)
def test_every_archival_pdf_is_pdf_a_2b_by_the_validator(archival, doc, lang):
    """Every edition: C/111/3 embeds a PNG (its /Interpolate must be false) and an SVG; about one
    stream in 256 ends its bytes with a CR (MC/INF/298 fr and C/111/3 es have one)."""
    page = require_module("page")
    report = page.validate_pdf(archival / f"output/{doc}/{lang}/{doc}.pdf", profile="2b")
    assert sorted({f"{f.rule_id}: {f.message}" for f in report.failures}) == [] and report.is_compliant
    assert (report.rules.total, report.rules.failed) == (144, 0)  # recorded: 144 rules of PDF/A-2b checked


def test_a_stream_whose_bytes_end_with_a_cr_ends_with_cr_lf():
    """Whichever way a reader counts it (from /Length, or from ``endstream`` less its end of line),
    such a stream is as long as its /Length says (PDFA2B-STREAM-LENGTH-001)."""
    import io

    import pydyf
    pikepdf = require_module("pikepdf")

    from councildoc.writers.pdf import unambiguous_stream_ends

    pdf = pydyf.PDF()
    ending = pydyf.Stream([b"% a comment\r"])  # its bytes end with a CR
    pdf.add_object(ending)
    pdf.catalog["Ending"] = ending.reference
    unambiguous_stream_ends(None, pdf)
    out = io.BytesIO()
    pdf.write(out)
    data = out.getvalue()
    assert b"% a comment\r\r\nendstream" in data
    assert pikepdf.open(io.BytesIO(data)).Root.Ending.read_raw_bytes() == b"% a comment\r"


def test_the_validator_sees_what_it_is_asked_to_check(variants):
    """The untagged PDF is no PDF/UA-1: the validator says so (it checks, it does not wave through)."""
    page = require_module("page")
    report = page.validate_pdf(variants["untagged"], profile="ua1")
    assert not report.is_compliant
    assert "PDFUA1-TAGGED-DOCUMENT-001" in {f.rule_id for f in report.failures}


# ---- C/111/3's tables and figures in the structure --------------------------------------------------


TABLE_PARTS = ("Table", "THead", "TBody", "TFoot", "TR", "TH", "TD")


def source_tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """Each table of a source (pipe or grid): its head row and its body rows, each cell's text without
    its note calls or spaces (the PDF's lines of a cell have none between them), an apostrophe typed
    straight after a letter set as the house sets it (’, the languages' typography rules)."""

    def cell(text: str) -> str:
        return re.sub(r"(?<=\w)'", "\u2019", re.sub(r"\[\^[^\]]*\]|\s", "", text))

    tables, rows, grid = [], [], None
    for line in text.splitlines() + [""]:
        if line.startswith("+"):  # a grid table's ruler: the row above it ends
            if grid is not None and any(grid):
                rows.append([cell(" ".join(c)) for c in grid])
            grid = [[] for _ in line.strip("+").split("+")]
            if "=" in line:
                rows.append(None)  # the head ends
        elif line.startswith("|") and grid is not None:
            for column, part in zip(grid, line.strip().strip("|").split("|"), strict=True):
                column.append(part)
        elif line.startswith("|"):
            if re.fullmatch(r"\|[-:| ]+\|", line.strip()):
                rows.append(None)
            else:
                rows.append([cell(c) for c in line.strip().strip("|").split("|")])
        elif rows:
            head_end = rows.index(None)
            tables.append((rows[0], [r for r in rows[head_end + 1:] if r]))
            rows, grid = [], None
    return tables


@pytest.mark.parametrize("lang", LANGS)
def test_c_111_3s_tables_and_figures_are_tagged_cell_by_cell(real_project, lang):
    """Every row of C/111/3's three tables (a pipe table on one page, one across pages, the annex's grid
    table with a two-line head cell) is a TR of TH and TD whose text is the source cell's, the
    decimal-aligned figures (an integer and a fraction span) whole in their TD; each figure is a
    Figure with its text alternative (the SVG's fig-alt, the PNG's title)."""
    source = (ROOT / f"source/c-111-3/{lang}.md").read_text(encoding="utf-8")
    expected = source_tables(source)
    assert [len(body) for _, body in expected] == [4, 46, 8]
    with pdfplumber.open(real_project / f"output/c-111-3/{lang}/c-111-3.pdf") as pdf:
        chars = {}
        for page in pdf.pages:
            for char in page.chars:
                chars.setdefault((page.page_number, char.get("mcid")), []).append(char["text"])
        tree = pdf.structure_tree

    def text(node, page=None) -> str:
        """A node's text, without its links (a note call's letter)."""
        page = node.get("page_number", page)
        if node["type"] == "Link":
            return ""
        own = "".join("".join(chars.get((page, mcid), [])) for mcid in node.get("mcids", []))
        return re.sub(r"\s", "", own + "".join(text(kid, page) for kid in node.get("children", [])))

    def find(node, tag):
        if node.get("type") == tag:
            yield node
        for kid in node.get("children", []):
            yield from find(kid, tag)

    tables = [t for top in tree for t in find(top, "Table")]
    heads, body = [], []
    for table in tables:
        assert [kid["type"] for kid in table["children"]] in (["Caption", "THead", "TBody"], ["THead", "TBody"])
        for part in table["children"][-2:]:
            for row in part["children"]:
                assert row["type"] == "TR"
                cells = row["children"]
                assert [c["type"] for c in cells] == (["TH"] * len(cells) if part["type"] == "THead"
                                                      else ["TH"] + ["TD"] * (len(cells) - 1))
                for c in cells:  # a cell holds text, not table parts (a fraction's box is no cell)
                    inner = {n["type"] for kid in c.get("children", []) for tag in TABLE_PARTS for n in find(kid, tag)}
                    assert not inner, inner
                (heads if part["type"] == "THead" else body).append([text(c) for c in cells])
    assert body == [row for _, rows in expected for row in rows]
    assert {tuple(h) for h in heads} == {tuple(head) for head, _ in expected}
    assert sum(1 for t in tables if t["children"][0]["type"] == "Caption") == 3  # one captioned Table each

    figures = [f for top in tree for f in find(top, "Figure")]
    alts = re.findall(r'fig-alt="([^"]*)"', source)
    titles = re.findall(r"!\[([^\]]*)\]\([^)]*\.png\)", source)
    assert [f.get("alt_text") for f in figures] == [alts[0], titles[0]]
