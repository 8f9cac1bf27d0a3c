"""Importing Word documents: councildoc's own DOCX of every edition, and the 2009 edition as a secretariat typed it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from seed import SEED

from councildoc.cli import main
from councildoc.dump import dump
from councildoc.model import CrossRef, Paragraph
from councildoc.pipeline import Project, load_edition, load_info
from councildoc.transforms import iter_inlines, iter_sections

EDITIONS = [(doc, lang) for doc in ("mc-inf-298", "c-111-inf-7") for lang in ("en", "es", "fr")]


def edition(root: Path, doc: str, lang: str):
    project = Project(root)
    sources = next(s for s in project.documents() if s.name == doc)
    info, _ = load_info(project, sources)
    document, diagnostics = load_edition(project, sources, info, lang)
    assert document is not None, [str(d) for d in diagnostics]
    return document


def references(document) -> list[tuple[str, str]]:
    """Every resolved reference, in order: its kind and what it prints (the dump's ``{kind:label→text}``)."""
    return re.findall(r"\{(\w+):[^}→]*→([^}]*)\}", dump(document))


@pytest.mark.parametrize(("doc", "lang"), EDITIONS)
def test_councildocs_own_docx_imports_back_to_the_same_edition(real_project, tmp_path, doc, lang, capsys):
    for folder in ("templates", "styles"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "source" / doc).mkdir(parents=True)
    shutil.copy(ROOT / "source" / doc / "document.yaml", tmp_path / "source" / doc)
    docx = real_project / f"output/{doc}/{lang}/{doc}.docx"
    assert main(["import", str(docx), "--doc", doc, "--lang", lang, "--project", str(tmp_path)]) == 0
    assert capsys.readouterr().err == "", "every typed number in sequence, every typed reference resolved"
    source = (tmp_path / "source" / doc / f"{lang}.md").read_text(encoding="utf-8")
    # No typed number survives: paragraphs have none, sub-paragraphs are Markdown's "1." items.
    assert not re.search(r"^\d+\\\. |^ *(?!1\.  )\d+\. ", source, re.M)
    assert main(["--format", "txt", "--project", str(tmp_path)]) == 0
    original, imported = edition(real_project, doc, lang), edition(tmp_path, doc, lang)
    # What a reader sees, number for number; the references as references; each annex in its language.
    assert (tmp_path / f"output/{doc}/{lang}/{doc}.txt").read_text(encoding="utf-8") == \
        (real_project / f"output/{doc}/{lang}/{doc}.txt").read_text(encoding="utf-8")
    assert references(imported) == references(original)
    assert [part.lang for part in imported.parts] == [part.lang for part in original.parts]


# --------------------------------------------------------------------------
# The 2009 Spanish edition typed by hand: typed numbers, Word footnotes, made by Pandoc from the seed text


SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def digits(superscript: str) -> str:
    return superscript.translate(str.maketrans(SUPERSCRIPT, "0123456789"))


def seed_markdown() -> str:
    """The seed (the 2009 edition's plain text) as Pandoc Markdown a typist's DOCX would give: every number
    typed as text (``1\\.``, ``V\\.``), the notes real footnotes, continued paragraphs joined."""
    blocks = [" ".join(b.split()) for b in SEED.read_text(encoding="utf-8").split("\n\n")]
    out: list[str] = []
    notes: list[str] = []
    part = "b"
    for block in blocks:
        if not block:
            continue
        if block == "Anexo":
            part = "a"
        if match := re.fullmatch(rf"([{SUPERSCRIPT}]+) (.*)", block):
            notes.append(f"[^{part}{digits(match[1])}]: {match[2]}")
            continue
        block = re.sub(rf"[{SUPERSCRIPT}]+", lambda m, part=part: f"[^{part}{digits(m[0])}]", block)
        block = re.sub(r"^(\d+|[IVX]+)\. ", r"\1\\. ", block)
        if out and block[:1].islower():
            out[-1] += " " + block  # a paragraph the page's notes interrupted
        else:
            out.append(block)
    return "\n\n".join(out + notes) + "\n"


@pytest.fixture(scope="module")
def typed_docx(tmp_path_factory) -> Path:
    import pypandoc

    folder = tmp_path_factory.mktemp("typed")
    path = folder / "mc-inf-298-2009.docx"
    pypandoc.convert_text(seed_markdown(), "docx", format="markdown", outputfile=str(path))
    return path


def test_the_typed_docx_is_typed(typed_docx):
    """The fixture is what the importer must read: numbers as text, no Word numbering, no councildoc styles."""
    import zipfile

    xml = zipfile.ZipFile(typed_docx).read("word/document.xml").decode("utf-8")
    assert "<w:numPr>" not in xml and "NumberedParagraph" not in xml
    assert "V. ASOCIADOS" in xml and ">1. La OIM" in xml.replace("<w:t xml:space=\"preserve\">", ">")


def test_the_hand_typed_2009_edition_imports_number_for_number(typed_docx, project, capsys):
    assert main(["import", str(typed_docx), "--doc", "mc-inf-298", "--lang", "es", "--session", "98",
                 "--project", str(project)]) == 0
    err = capsys.readouterr().err
    # The 2009 edition numbers its sections I, II, III, V, V; the warning names the DOCX paragraph (its rank).
    typed = [b for b in seed_markdown().split("\n\n") if not b.startswith("[^")]
    rank = typed.index("V\\. ASOCIADOS") + 1
    assert err == f"{typed_docx}:{rank}:1: warning: section 'V. ASOCIADOS' follows III: it will be numbered IV\n"
    meta = (project / "source/mc-inf-298/document.yaml").read_text(encoding="utf-8")
    assert meta == "symbol: MC/INF/298\ndate: '2009-11-12'\nsession: 98\noriginal-language: en\n"
    assert main(["check", "--project", str(project)]) == 0
    document = edition(project, "mc-inf-298", "es")
    body, annex = document.parts
    numbered = [[c.number for c in iter_paragraphs(part)] for part in (body, annex)]
    assert numbered == [list(range(1, 25)), list(range(1, 49))]
    assert [len(body.notes), len(annex.notes)] == [15, 4]
    assert [s.number for s in body.children] == ["I", "II", "III", "IV", "V"]
    note_11 = next(n for n in body.notes if n.number == 11)
    refs = [i for b in note_11.blocks for i in iter_inlines(b.inlines) if isinstance(i, CrossRef)]
    assert [(r.kind, r.text) for r in refs] == [("note", "8")]
    entries = [c for s in iter_sections(annex.children) for c in s.children if isinstance(c, Paragraph) and c.term]
    assert len(entries) == 31


def iter_paragraphs(part):
    for child in part.children:
        if isinstance(child, Paragraph):
            yield child
    for section in iter_sections(part.children):
        for child in section.children:
            if isinstance(child, Paragraph) and child.number is not None:
                yield child


@pytest.mark.parametrize(("markers", "degrees"), [
    (["(a)", "(b)", "(i)", "(ii)", "(c)"], [1, 1, 2, 2, 1]),
    (["(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)", "(h)", "(i)", "(j)"], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
    (["a)", "i)", "ii)", "b)"], [1, 2, 2, 1]),
])
def test_a_typed_markers_degree_without_word_styles(markers, degrees):
    from councildoc.importdocx import Importer

    seen: list[str] = []
    assert [Importer.degree(marker, seen) for marker in markers] == degrees


def test_a_table_is_reported_not_dropped_in_silence(project, tmp_path, capsys):
    import pypandoc

    docx = tmp_path / "table.docx"
    pypandoc.convert_text("MC/TEST/9\n\n12 November 2009\n\nThe title\n\nI\\. ONE\n\n1\\. Text.\n\n"
                          "| a | b |\n|---|---|\n| 1 | 2 |\n\n2\\. More text.\n", "docx", format="markdown",
                          outputfile=str(docx))
    assert main(["import", str(docx), "--doc", "t", "--lang", "en", "--session", "1", "--project", str(project)]) == 0
    assert capsys.readouterr().err == (
        f"{docx}:6:1: warning: a table: councildoc has no such element yet, its content is not imported\n")


def test_a_project_language_brings_its_reference_words_without_code(project, tmp_path, capsys):
    """The words a typed reference begins with are language data: a Portuguese project's own language file
    (tests/fixtures/fourth-language) is all it takes for "ver nota 1" and "parágrafo 2" to become references."""
    import pypandoc

    shutil.copytree(ROOT / "tests/fixtures/fourth-language/languages", project / "languages")
    docx = tmp_path / "relatorio.docx"
    pypandoc.convert_text("MC/TEST/4\n\n28 de novembro de 2026\n\nO título\n\nI\\. UM\n\n1\\. Texto.[^1]\n\n"
                          "2\\. Ver os parágrafos 1 e 3 e a nota 1.\n\n3\\. Ver o parágrafo 2 do anexo.\n\n"
                          "[^1]: Uma nota.\n", "docx", format="markdown", outputfile=str(docx))
    assert main(["import", str(docx), "--doc", "t", "--lang", "pt", "--session", "1", "--project", str(project)]) == 0
    assert capsys.readouterr().err == ""
    source = (project / "source/t/pt.md").read_text(encoding="utf-8")
    # Each reference points at the paragraph whose number was typed (labels from the targets' first words).
    assert source.split("# Um\n\n")[1] == (
        "{#para:texto}\nTexto.[^nota]\n\n"
        "{#para:paragrafos-nota}\nVer os parágrafos @para:texto e @para:paragrafo-anexo e a nota @note:nota.\n\n"
        "{#para:paragrafo-anexo}\nVer o parágrafo @para:paragrafos-nota do anexo.\n\n[^nota]: Uma nota.\n")
