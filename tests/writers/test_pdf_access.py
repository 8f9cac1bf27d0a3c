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
def variants(tmp_path_factory):
    """C/111/INF/7 (three annexes) in Spanish as pdf/a-2b and untagged."""
    root = tmp_path_factory.mktemp("variants")
    for folder in ("source", "templates", "styles"):
        shutil.copytree(ROOT / folder, root / folder)
    out = {}
    for variant in ("pdf/a-2b", "untagged"):
        path = built_pdf(root, "c-111-inf-7", "es", variant)
        out[variant] = path.rename(path.with_name(variant.replace("/", "-") + ".pdf"))
    return out


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


def test_the_archival_pdf_is_pdf_a_2b_by_the_validator(variants):
    page = require_module("page")
    report = page.validate_pdf(variants["pdf/a-2b"], profile="2b")
    assert sorted({f"{f.rule_id}: {f.message}" for f in report.failures}) == [] and report.is_compliant
    assert (report.rules.total, report.rules.failed) == (144, 0)  # recorded: 144 rules of PDF/A-2b checked


def test_the_validator_sees_what_it_is_asked_to_check(variants):
    """The untagged PDF is no PDF/UA-1: the validator says so (it checks, it does not wave through)."""
    page = require_module("page")
    report = page.validate_pdf(variants["untagged"], profile="ua1")
    assert not report.is_compliant
    assert "PDFUA1-TAGGED-DOCUMENT-001" in {f.rule_id for f in report.failures}
