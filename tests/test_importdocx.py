"""Importing Word documents: councildoc's own DOCX of every edition, and the 2009 edition as a secretariat typed it."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, require_tool
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


def test_a_typed_reference_to_nothing_is_kept_as_text_and_reported_with_its_paragraph(project, tmp_path, capsys):
    """"paragraph 9" in a document of two paragraphs points at nothing: its text stays as typed, and the
    warning names it and the DOCX paragraph (its rank and first words) it is in."""
    import pypandoc

    docx = tmp_path / "dangling.docx"
    pypandoc.convert_text("MC/TEST/9\n\n12 November 2009\n\nThe title\n\nI\\. ONE\n\n1\\. Text.\n\n"
                          "2\\. See paragraph 9 and paragraph 1.\n", "docx", format="markdown", outputfile=str(docx))
    assert main(["import", str(docx), "--doc", "t", "--lang", "en", "--session", "1", "--project", str(project)]) == 0
    assert capsys.readouterr().err == (
        f"{docx}:6:1: warning: '9' (para) refers to nothing in the document: it is left as text "
        "(DOCX paragraph 6: '2. See paragraph 9 and paragraph 1.')\n")
    source = (project / "source/t/en.md").read_text(encoding="utf-8")
    assert "See paragraph 9 and paragraph @para:" in source


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


# --------------------------------------------------------------------------
# Word's own numbering: a document numbered by a word processor (LibreOffice), not typed

NUMBER = re.compile(r"^\s*((?:[IVX]+|\d+)\.|\([a-z]+\))\s", re.M)


def libreoffice_docx(folder: Path, fodt: str) -> tuple[Path, str]:
    """``fodt`` (a flat ODT) made a DOCX by LibreOffice, and the text LibreOffice shows of that DOCX: its
    numbers as a reader of the DOCX sees them (the oracle)."""
    import subprocess

    soffice = require_tool("soffice")
    environment = f"-env:UserInstallation={(folder / 'profile').as_uri()}"
    (folder / "numbered.fodt").write_text(fodt, encoding="utf-8")
    for target, source in (("docx:MS Word 2007 XML", "numbered.fodt"), ("txt:Text", "numbered.docx")):
        subprocess.run([soffice, "--headless", environment, "--convert-to", target, "--outdir", str(folder),
                        str(folder / source)], check=True, capture_output=True, timeout=180)
    return folder / "numbered.docx", (folder / "numbered.txt").read_text(encoding="utf-8-sig")


FODT = (ROOT / "tests/data/word-numbering.fodt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def numbered_docx(tmp_path_factory) -> tuple[Path, str]:
    return libreoffice_docx(tmp_path_factory.mktemp("numbered"), FODT)


def test_the_numbered_docx_has_words_own_numbers(numbered_docx):
    import zipfile

    docx, shown = numbered_docx
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    assert xml.count("<w:numPr>") == 12 and "<w:t>1." not in xml and "(a)" not in xml, "numbers are not text"
    assert NUMBER.findall(shown) == ["I.", "1.", "2.", "(a)", "(b)", "(i)", "(ii)", "II.", "3.", "4.", "(a)", "(b)",
                                     "1.", "2."]


def test_the_numbers_computed_are_those_libreoffice_shows(numbered_docx):
    """Each paragraph's number as :mod:`councildoc.wordxml` writes it is the one LibreOffice shows, character for
    character (prefix, format and suffix of each level: ``I.``, ``1.``, ``(a)``, ``(i)``)."""
    import zipfile

    from lxml import etree

    from councildoc.wordxml import W, prepare

    docx, shown = numbered_docx
    xml = zipfile.ZipFile(io.BytesIO(prepare(docx.read_bytes()).docx)).read("word/document.xml")
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in etree.fromstring(xml).iter(f"{W}p")]
    # LibreOffice shows the note's call as its number; Word's XML has a reference.
    assert texts == [line.strip().replace("States.1", "States.") for line in shown.splitlines() if line.strip()]


def test_words_own_numbering_imports_number_for_number(numbered_docx, project, capsys):
    docx, shown = numbered_docx
    assert main(["import", str(docx), "--doc", "n", "--lang", "en", "--session", "1", "--project", str(project)]) == 0
    assert capsys.readouterr().err == "", "every number in sequence, every typed reference resolved"
    source = (project / "source/n/en.md").read_text(encoding="utf-8")
    assert not re.search(r"^ *(?!1\.  )\d+\. |\([a-z]+\)|^#+ [IVX]+\.", source, re.M), "no number survives as text"
    assert main(["--format", "txt", "--project", str(project)]) == 0
    built = (project / "output/n/en/n.txt").read_text(encoding="utf-8")
    # The build numbers what LibreOffice shows, in the same order; each typed reference is a reference.
    assert NUMBER.findall(built) == NUMBER.findall(shown)
    assert references(edition(project, "n", "en")) == [("para", "2 (b) (ii)"), ("sec", "I"), ("note", "1"),
                                                       ("para", "3"), ("para", "1")]


def test_a_list_restarted_by_mistake_is_a_slip_warned_like_a_typed_one(project, tmp_path, capsys):
    """Section II's paragraphs in a list of their own: Word shows 1., 2. again; the build numbers 3., 4."""
    docx, shown = libreoffice_docx(tmp_path, FODT.replace(' text:continue-list="paras"', ""))
    assert NUMBER.findall(shown)[7:10] == ["II.", "1.", "2."]
    assert main(["import", str(docx), "--doc", "n", "--lang", "en", "--session", "1", "--project", str(project)]) == 0
    rank = [line.strip() for line in shown.splitlines() if line.strip()].index("1. As paragraph 2 (b) (ii) says, "
                                                                                 "and section I recalls.") + 1
    warnings = capsys.readouterr().err.splitlines()
    assert warnings[:2] == [f"{docx}:{rank}:1: warning: paragraph 1 follows 2: it will be numbered 3",
                            f"{docx}:{rank + 1}:1: warning: paragraph 2 follows 3: it will be numbered 4"]


# --------------------------------------------------------------------------
# Word's cross-reference fields: NOTEREF and REF to bookmarks (as councildoc's own DOCX and Word write them)


def field_runs(instruction: str, shown: str, simple: bool) -> list:
    from lxml import etree

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    if simple:
        return [etree.fromstring(f'<w:fldSimple xmlns:w="{w}" w:instr=" {instruction} "><w:r><w:t>{shown}</w:t>'
                                 f'</w:r></w:fldSimple>')]
    return [etree.fromstring(f'<w:r xmlns:w="{w}">{inner}</w:r>') for inner in (
        '<w:fldChar w:fldCharType="begin"/>', f'<w:instrText xml:space="preserve"> {instruction} </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>', f'<w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>{shown}</w:t>',
        '<w:fldChar w:fldCharType="end"/>')]


def test_noteref_and_ref_fields_to_bookmarks_become_references(project, tmp_path, capsys):
    import zipfile

    import pypandoc
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    base = tmp_path / "base.docx"
    pypandoc.convert_text("MC/TEST/6\n\n12 November 2009\n\nThe title\n\nI\\. ONE\n\n1\\. First.[^a]\n\n"
                          "2\\. Second, see note *FIELD1* and paragraph *FIELD2*.[^b]\n\n"
                          "[^a]: A note.\n\n[^b]: As in *FIELD3* above.\n", "docx", format="markdown",
                          outputfile=str(base))
    archive = zipfile.ZipFile(base)
    parts = {name: archive.read(name) for name in archive.namelist()}
    document, notes = etree.fromstring(parts["word/document.xml"]), etree.fromstring(parts["word/footnotes.xml"])
    # _Ref1 holds note a's call, _Ref2 opens paragraph 1 (Word's bookmarks for "Insert cross-reference").
    call = next(document.iter(f"{w}footnoteReference")).getparent()
    # (with the word joiner councildoc's writer glues the call with, inside the bookmark)
    call.addprevious(etree.fromstring(f'<w:r xmlns:w="{w[1:-1]}"><w:t>\u2060</w:t></w:r>'))
    call.getprevious().addprevious(etree.fromstring(f'<w:bookmarkStart xmlns:w="{w[1:-1]}" w:id="1" w:name="_Ref1"/>'))
    call.addnext(etree.fromstring(f'<w:bookmarkEnd xmlns:w="{w[1:-1]}" w:id="1"/>'))
    first = call.getparent()
    first.find(f"{w}pPr").addnext(etree.fromstring(f'<w:bookmarkStart xmlns:w="{w[1:-1]}" w:id="2" w:name="_Ref2"/>'))
    first.append(etree.fromstring(f'<w:bookmarkEnd xmlns:w="{w[1:-1]}" w:id="2"/>'))
    fields = {"FIELD1": field_runs("NOTEREF _Ref1 \\h", "1", simple=False),
              "FIELD2": field_runs("REF _Ref2 \\r \\h", "1", simple=True),
              "FIELD3": field_runs("NOTEREF _Ref1 \\f \\h", "1", simple=False)}
    for root in (document, notes):
        for text in list(root.iter(f"{w}t")):
            if text.text in fields:
                run = text.getparent()
                for new in fields[text.text]:
                    run.addprevious(new)
                run.getparent().remove(run)
    parts["word/document.xml"], parts["word/footnotes.xml"] = etree.tostring(document), etree.tostring(notes)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as docx:
        for name, data in parts.items():
            docx.writestr(name, data)
    docx = tmp_path / "fields.docx"
    docx.write_bytes(out.getvalue())
    assert b"FIELD" not in parts["word/document.xml"] + parts["word/footnotes.xml"]
    assert main(["import", str(docx), "--doc", "f", "--lang", "en", "--session", "1", "--project", str(project)]) == 0
    assert capsys.readouterr().err == ""
    source = (project / "source/f/en.md").read_text(encoding="utf-8")
    assert source.split("# One\n\n")[1] == (
        "{#para:first}\nFirst.[^note]\n\nSecond, see note @note:note and paragraph @para:first.[^above]\n\n"
        "[^note]: A note.\n\n[^above]: As in @note:note above.\n")
    # "As in 1 above" has no word before the number: only the field says it is a note's.
    assert main(["--format", "txt", "--project", str(project)]) == 0
    assert "2. Second, see note 1 and paragraph 1.[2]" in (project / "output/f/en/f.txt").read_text(encoding="utf-8")


def test_words_restart_at_1_is_a_start_override_on_a_second_num():
    """Word's "Restart at 1" writes a second ``w:num`` of the same abstract numbering with a ``startOverride``;
    without one, a second ``w:num`` continues the first's count, as Word shows it (LibreOffice never writes
    one, so the LibreOffice document above does not show it)."""
    from lxml import etree

    from councildoc.wordxml import W_NS, Numbering

    numbering = Numbering.read(f"""<w:numbering xmlns:w="{W_NS}">
      <w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
        <w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>
        <w:lvlText w:val="(%2)"/></w:lvl></w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="7"/></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="7"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>
        </w:lvlOverride></w:num></w:numbering>""".encode(), None)

    def paragraph(num_id: int, ilvl: int = 0):
        return etree.fromstring(f'<w:p xmlns:w="{W_NS}"><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/>'
                                f'<w:numId w:val="{num_id}"/></w:numPr></w:pPr></w:p>')
    shown = [numbering.label(paragraph(n, i)) for n, i in [(1, 0), (1, 1), (1, 1), (2, 0), (2, 1), (3, 0), (3, 0)]]
    assert shown == ["1.", "(a)", "(b)", "2.", "(a)", "1.", "2."]


@pytest.fixture(scope="module")
def word_numbered_2009(typed_docx, tmp_path_factory) -> tuple[Path, str]:
    """The 2009 edition as typed, its typed numbers made Word's own: sections by an upper-roman list, the body's
    paragraphs by one decimal list, the annex's by a second ``w:num`` of it restarted at 1 (``startOverride``,
    Word's "Restart at 1"); and the text LibreOffice shows of it (the oracle)."""
    import subprocess
    import zipfile

    from lxml import etree

    from councildoc.wordxml import W_NS, W

    folder = tmp_path_factory.mktemp("word-numbered-2009")
    with zipfile.ZipFile(typed_docx) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    numbering = etree.fromstring(parts["word/numbering.xml"])
    first_num = numbering.find(f"{W}num")
    for abstract, fmt in (("900", "decimal"), ("901", "upperRoman")):
        first_num.addprevious(etree.fromstring(
            f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{abstract}"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'))
    for num, abstract, override in (("900", "900", ""), ("901", "900", '<w:lvlOverride w:ilvl="0"><w:startOverride '
                                    'w:val="1"/></w:lvlOverride>'), ("902", "901", "")):
        numbering.append(etree.fromstring(f'<w:num xmlns:w="{W_NS}" w:numId="{num}"><w:abstractNumId w:val='
                                          f'"{abstract}"/>{override}</w:num>'))
    document = etree.fromstring(parts["word/document.xml"])
    in_annex = False
    for paragraph in document.iter(f"{W}p"):
        texts = list(paragraph.iter(f"{W}t"))
        in_annex = in_annex or "".join(t.text or "" for t in texts) == "Anexo"
        typed = re.match(r"(\d+|[IVX]+)\. ", "".join(t.text or "" for t in texts))
        if typed is None:
            continue
        left = typed.end()  # the typed number removed, across the runs it spans ("2." in bold, then a space)
        for text in texts:
            cut = min(left, len(text.text or ""))
            text.text, left = (text.text or "")[cut:], left - cut
        num = "902" if not typed[1].isdigit() else "901" if in_annex else "900"
        properties = paragraph.find(f"{W}pPr")
        if properties is None:
            properties = etree.Element(f"{W}pPr")
            paragraph.insert(0, properties)
        properties.append(etree.fromstring(f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="0"/><w:numId w:val="{num}"/>'
                                           f'</w:numPr>'))
    parts["word/numbering.xml"], parts["word/document.xml"] = etree.tostring(numbering), etree.tostring(document)
    docx = folder / "numbered-2009.docx"
    with zipfile.ZipFile(docx, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    environment = f"-env:UserInstallation={(folder / 'profile').as_uri()}"
    subprocess.run([require_tool("soffice"), "--headless", environment, "--convert-to", "txt:Text", "--outdir",
                    str(folder), str(docx)], check=True, capture_output=True, timeout=180)
    return docx, (folder / "numbered-2009.txt").read_text(encoding="utf-8-sig")


def test_the_2009_edition_numbered_by_word_imports_number_for_number(word_numbered_2009, project, capsys):
    """The issue's test at full size with Word's own numbering: 24 + 48 paragraphs, 15 + 4 notes, note 11 a
    reference to note 8 — and sections I–V as Word shows them (its numbering has no slip to warn about)."""
    docx, shown = word_numbered_2009
    assert re.findall(r"^\s*([IVX]+)\. ", shown, re.M) == ["I", "II", "III", "IV", "V"]
    assert main(["import", str(docx), "--doc", "mc-inf-298", "--lang", "es", "--session", "98",
                 "--project", str(project)]) == 0
    assert capsys.readouterr().err == ""
    assert main(["--format", "txt", "--lang", "es", "--project", str(project)]) == 0
    built = (project / "output/mc-inf-298/es/mc-inf-298.txt").read_text(encoding="utf-8")
    assert NUMBER.findall(built) == NUMBER.findall(shown)
    document = edition(project, "mc-inf-298", "es")
    body, annex = document.parts
    assert [[c.number for c in iter_paragraphs(part)] for part in (body, annex)] == [list(range(1, 25)),
                                                                                     list(range(1, 49))]
    assert [len(body.notes), len(annex.notes)] == [15, 4]
    note_11 = next(n for n in body.notes if n.number == 11)
    refs = [i for b in note_11.blocks for i in iter_inlines(b.inlines) if isinstance(i, CrossRef)]
    assert [(r.kind, r.text) for r in refs] == [("note", "8")]
