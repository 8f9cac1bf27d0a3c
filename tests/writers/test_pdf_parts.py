"""An edition laid out by parts (cover and body, each annex) and joined, against the same edition in
one layout: the single layout is the oracle for everything a reader of the PDF meets (pages, their
text, page labels, links, outline, structure tree), and the validator judges the joined file."""

from __future__ import annotations

import io
from collections import Counter

import pikepdf
import pypdf
import pytest
from conftest import ROOT, compile_text, require_module

from councildoc.transforms import iter_paragraphs
from councildoc.writers import pdf as pdf_writer
from councildoc.writers.html import make_environment

SENTENCE = ("The Organization reviewed the programme of work for the period and the means it needs to carry it "
            "out in the field, with the Member States concerned. ")


def _paragraphs(name: str, count: int, notes: bool = True) -> str:
    out = []
    for n in range(1, count + 1):
        call = f"[^{name}-{n}]" if notes and n % 3 == 1 else ""
        out.append(f"{SENTENCE * (2 + n % 4)}{name.upper()} paragraph {n}.{call}")
        if call:
            out.append(f"[^{name}-{n}]: A note of {name}, number {n}: {SENTENCE}")
    return "\n\n".join(out)


ROWS = "\n".join(f"| G-{n} | {n * 7} |" for n in range(1, 73))
SOURCE = f"""---
lang: en
title: A report in parts
subtitle: Body and three annexes
title-note: The title's note.
---

# Introduction

The annexes are @annex:first, @annex:second and @annex:third; the table is in @annex:first, its
paragraph is @para:first-target, and @para:third-target is in the last annex.[^intro]

[^intro]: A note of the introduction.

{_paragraphs("body", 14)}

# Conclusion

{{#para:body-target}}
The body's paragraph that the annexes refer to, BODYTARGET.[^target]

[^target]: The note of the body's target.

{_paragraphs("end", 6)}

::: {{.annex #annex:first}}
# The first annex

{{#para:first-target}}
The first annex's paragraph, FIRSTTARGET, refers back to @para:body-target.[^first]

[^first]: A note of the first annex.

| Grade | Posts |
|---|--:|
{ROWS}

: Posts by grade, a table long enough to run on {{#tbl:long}}

{_paragraphs("first", 5)}
:::

::: {{.annex #annex:second}}
# The second annex

{_paragraphs("second", 9)}

It refers to @para:body-target in the body and to @para:third-target.
:::

::: {{.annex #annex:third}}
# The third annex

{{#para:third-target}}
The third annex's paragraph, THIRDTARGET, refers to @para:first-target and @para:body-target.[^third]

[^third]: A note of the third annex.

{_paragraphs("third", 9)}
:::
"""


@pytest.fixture(scope="module")
def document():
    document, diagnostics = compile_text(SOURCE, "en.md", "en")
    assert [str(d) for d in diagnostics] == []
    assert len(document.parts) == 4
    return document


def _write(document, variant=None, **options) -> bytes:
    data, problems = pdf_writer.write_pdf(document, make_environment(ROOT / "templates"), ROOT / "styles", variant,
                                          **options)
    assert data is not None and not problems, [str(p) for p in problems]
    return data


@pytest.fixture(scope="module")
def whole(document) -> bytes:
    return _write(document, by_parts=False)


@pytest.fixture(scope="module")
def parts(document) -> bytes:
    return _write(document, by_parts=True)


def read(data: bytes) -> dict:
    """What a reader meets in the PDF, page indices counted from 0."""
    pdf = pikepdf.open(io.BytesIO(data))
    index = {page.objgen: i for i, page in enumerate(pdf.pages)}
    dests = pdf.Root.Names.Dests.Names
    names = {str(dests[i]): index[dests[i + 1][0].objgen] for i in range(0, len(dests), 2)}
    links = []
    for number, page in enumerate(pdf.pages):
        for annotation in page.obj.get("/Annots", ()):
            target = str(annotation.Dest) if "/Dest" in annotation else str(annotation.A.URI)
            links.append((number, target, names.get(target)))
    outline = []
    with pdf.open_outline() as found:
        def walk(items, depth):
            for item in items:
                outline.append((depth, item.title, index[item.destination[0].objgen]))
                walk(item.children, depth + 1)
        walk(found.root, 0)
    elements = Counter(str(obj.S) for obj in pdf.objects
                       if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/StructElem")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return {"pages": len(pdf.pages), "text": [page.extract_text() for page in reader.pages],
            "labels": list(reader.page_labels), "names": names, "links": links, "outline": outline,
            "elements": elements}


@pytest.fixture(scope="module")
def seen(whole, parts) -> tuple[dict, dict]:
    return read(whole), read(parts)


@pytest.mark.parametrize("what", ["pages", "text", "labels", "names", "links", "outline", "elements"])
def test_the_joined_pdf_reads_as_the_single_layout(seen, what):
    one, joined = seen
    assert joined[what] == one[what]


def test_the_document_crosses_pages_in_every_part(seen):
    """The precondition that makes the comparison mean something: each annex, and the long table,
    runs onto a second page; every part has links out of it."""
    one, _ = seen
    labels = one["labels"]
    for designation in ("Annex I", "Annex II", "Annex III"):
        assert f"{designation}, page 2" in labels, labels
    assert sum("Table 1 (continued)" in text for text in one["text"]) >= 1
    assert one["elements"]["/Note"] >= 10


def test_a_link_across_parts_lands_on_the_page_that_prints_its_target(document, seen):
    _, joined = seen
    text = joined["text"]
    anchors = {p.label: p.anchor for part in document.parts for p in iter_paragraphs(part.children) if p.label}
    for label, word in (("para:body-target", "BODYTARGET"), ("para:first-target", "FIRSTTARGET"),
                        ("para:third-target", "THIRDTARGET")):
        anchor = anchors[label]
        printed = next(i for i, page in enumerate(text) if word in page)
        pointing = [(page, target) for page, anchor_, target in joined["links"] if anchor_ == anchor]
        assert len(pointing) >= 2, joined["links"]
        assert {target for _, target in pointing} == {printed}
        assert {page for page, _ in pointing} - {printed}, "some link comes from another page"


def test_the_structure_tree_is_one_tree_with_one_parent_tree(parts):
    """One Document element holding every element; each page's /StructParents and each link's
    /StructParent are keys of the parent tree whose element sits on that page."""
    pdf = pikepdf.open(io.BytesIO(parts))
    root = pdf.Root.StructTreeRoot
    assert len(root.K) == 1 and root.K[0].S == "/Document"
    documents = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Document"]
    assert len(documents) == 1
    nums = root.ParentTree.Nums
    tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    assert sorted(tree) == list(range(len(tree)))
    for number, page in enumerate(pdf.pages):
        assert int(page.obj.StructParents) == number
        for element in tree[number]:
            assert element.Pg.objgen == page.obj.objgen
        for annotation in page.obj.get("/Annots", ()):
            link = tree[int(annotation.StructParent)]
            assert link.S == "/Link" and link.Pg.objgen == page.obj.objgen
            assert any(kid.get("/Obj") is not None and kid.Obj.objgen == annotation.objgen for kid in link.K
                       if isinstance(kid, pikepdf.Dictionary))


def test_the_catalogue_and_metadata_are_the_single_layouts(whole, parts):
    one, joined = pikepdf.open(io.BytesIO(whole)), pikepdf.open(io.BytesIO(parts))
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences"):
        assert repr(joined.Root[key]) == repr(one.Root[key])
    assert joined.Root.Metadata.read_bytes() == one.Root.Metadata.read_bytes()
    assert dict(joined.docinfo) == dict(one.docinfo)
    assert pdf_writer.LAYOUT_KEY in str(joined.docinfo.keys())


def test_parts_laid_out_at_once_give_the_same_bytes(document, parts):
    assert _write(document, by_parts=True, workers=2) == parts
    assert _write(document, by_parts=True) == parts  # and two builds, the same bytes


@pytest.mark.parametrize("variant,profile,rules", [(None, "ua1", 104), ("pdf/a-2b", "2b", 144)])
def test_the_joined_pdf_passes_the_validator(document, parts, variant, profile, rules, tmp_path):
    page = require_module("page")
    path = tmp_path / "joined.pdf"
    path.write_bytes(parts if variant is None else _write(document, variant, by_parts=True))
    report = page.validate_pdf(path, profile=profile)
    assert sorted({f"{f.rule_id}: {f.message}" for f in report.failures}) == [] and report.is_compliant
    assert (report.rules.total, report.rules.failed) == (rules, 0)


def test_the_untagged_variant_joins_too(document):
    one = read(_write(document, "untagged", by_parts=False))
    joined = read(_write(document, "untagged", by_parts=True))
    for what in ("pages", "text", "labels", "names", "links", "outline"):
        assert joined[what] == one[what], what
    assert joined["elements"] == Counter()


def _pages(message: str) -> list[tuple[int, int]]:
    import re

    return [tuple(map(int, re.search(r"called on page (\d+) \(Annex III, page (\d+)\)", message).groups()))]


def test_a_misplaced_note_is_reported_at_the_joined_page_and_its_printed_number(document, monkeypatch):
    """A note WeasyPrint puts off its call's page in an annex (the repair passes off): the page the
    diagnostic names is the joined PDF's, as the single layout names it, with the number printed on it."""
    monkeypatch.setattr(pdf_writer, "MAX_LAYOUT_PASSES", 1)
    monkeypatch.setattr(pdf_writer, "KEEP_NOTES_IN_FIRST_LAYOUT", False)
    long_note = SOURCE.replace("[^third]: A note of the third annex.",
                               "[^third]: A note of the third annex. " + SENTENCE * 60)
    moved, _ = compile_text(long_note, "en.md", "en")
    environment = make_environment(ROOT / "templates")
    found = {}
    for by_parts in (False, True):
        data, problems = pdf_writer.write_pdf(moved, environment, ROOT / "styles", by_parts=by_parts)
        found[by_parts] = [str(p) for p in problems]
    assert data is None
    assert found[True] == found[False]
    # The single layout counts the pages of the whole PDF: the joined one must name the same ones.
    assert found[True] == [f"en.md:1:1: error: note annexIII-fnref1 is called on page {n} (Annex III, page {m}) "
                           f"but printed on page {n + 1} (Annex III, page {m + 1})"
                           for n, m in _pages(found[True][0])]


# ---- the nine real editions: by parts (the default), against their single layouts ---------------------

DOCUMENTS = ("mc-inf-298", "c-111-inf-7", "c-111-3")
LANGS = ("en", "es", "fr")


@pytest.fixture(scope="module")
def alone(tmp_path_factory) -> dict:
    """A copy of the project; each edition built alone (``--jobs 2`` for one edition: its parts laid
    out two at a time), by default and as pdf/a-2b."""
    import shutil

    from councildoc.cli import main

    built = {}
    for variant in ("pdf/ua-1", "pdf/a-2b"):
        root = tmp_path_factory.mktemp("parts")
        for folder in ("source", "templates", "styles"):
            shutil.copytree(ROOT / folder, root / folder)
        for doc in DOCUMENTS:
            for lang in LANGS:
                assert main(["--project", str(root), "--doc", doc, "--lang", lang, "--format", "pdf", "--jobs", "2",
                             "--pdf-variant", variant]) == 0
        built[variant] = root
    return built


def _single_layout(doc: str, lang: str) -> bytes:
    from councildoc.pipeline import Project, load_edition, load_info

    project = Project(ROOT)
    sources = next(d for d in project.documents() if d.name == doc)
    info, _ = load_info(project, sources)
    document, _ = load_edition(project, sources, info, lang)
    return _write(document, by_parts=False)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc", DOCUMENTS)
def test_every_real_edition_joined_reads_as_its_single_layout_and_passes_the_validator(real_project, alone,
                                                                                        doc, lang):
    page = require_module("page")
    path = f"output/{doc}/{lang}/{doc}.pdf"
    joined = (real_project / path).read_bytes()  # nine editions on two processes: one each, parts one by one
    # The edition built alone, its parts laid out at once: the same bytes.
    assert (alone["pdf/ua-1"] / path).read_bytes() == joined
    one, seen = read(_single_layout(doc, lang)), read(joined)
    assert len(pikepdf.open(io.BytesIO(joined)).pages) == one["pages"]
    for what in ("pages", "text", "labels", "names", "links", "outline", "elements"):
        assert seen[what] == one[what], what
    for built, profile, rules in ((real_project / path, "ua1", 104), (alone["pdf/a-2b"] / path, "2b", 144)):
        report = page.validate_pdf(built, profile=profile)
        assert sorted({f"{f.rule_id}: {f.message}" for f in report.failures}) == [] and report.is_compliant
        assert (report.rules.total, report.rules.failed) == (rules, 0)


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_the_real_editions_were_joined(real_project, doc):
    """The precondition: the build laid the editions out by parts (each part embeds its fonts again,
    so the joined file holds more font descriptors than the single layout's)."""
    def fonts(data: bytes) -> int:
        pdf = pikepdf.open(io.BytesIO(data))
        return sum(1 for obj in pdf.objects
                   if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor")

    assert fonts((real_project / f"output/{doc}/en/{doc}.pdf").read_bytes()) > fonts(_single_layout(doc, "en"))


@pytest.mark.parametrize("jobs,editions,at_once", [("1", "en", False), ("2", "en", True), ("2", "en,fr", False)])
def test_an_edition_gets_its_share_of_the_processes(tmp_path, monkeypatch, jobs, editions, at_once):
    """``--jobs 2`` for one edition: its parts at once; for two editions, or ``--jobs 1``: one after another."""
    import shutil

    from councildoc.cli import main

    for folder in ("source", "templates", "styles"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    calls = tmp_path / "calls"  # written by whichever process lays parts out at once (a worker's too)
    calls.write_text("")
    original = pdf_writer._lay_out_at_once

    def recording(*args):
        with calls.open("a") as record:
            record.write(f"{args[-1]}\n")
        return original(*args)

    monkeypatch.setattr(pdf_writer, "_lay_out_at_once", recording)
    assert main(["--project", str(tmp_path), "--doc", "c-111-3", "--lang", editions, "--format", "pdf",
                 "--jobs", jobs]) == 0
    assert calls.read_text().split() == (["2"] if at_once else [])
