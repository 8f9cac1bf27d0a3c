"""XLIFF for translators: export → translate → import gives back the edition, and broken codes are refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, add_document
from lxml import etree
from translate.storage import xliff as ttk_xliff

from councildoc.cli import main
from councildoc.dump import dump
from councildoc.pipeline import Project, load_edition, load_info
from councildoc.xliff import schema

X = "urn:oasis:names:tc:xliff:document:1.2"
NS = {"x": X}


def edition_dump(root: Path, doc: str, lang: str) -> str:
    project = Project(root)
    sources = next(s for s in project.documents() if s.name == doc)
    info, _ = load_info(project, sources)
    document, diagnostics = load_edition(project, sources, info, lang)
    assert document is not None, [str(d) for d in diagnostics]
    return dump(document)


@pytest.fixture
def copy(project):
    shutil.copytree(ROOT / "source", project / "source", dirs_exist_ok=True)
    return project


def export(project: Path, doc: str, source: str, target: str) -> Path:
    assert main(["xliff", "--project", str(project), "export", "--doc", doc, "--from", source, "--to", target]) == 0
    return project / "output" / doc / f"{doc}.{source}-{target}.xlf"


@pytest.mark.parametrize("doc", ["mc-inf-298", "c-111-inf-7", "c-111-3"])
@pytest.mark.parametrize("target", ["fr", "es"])
def test_export_then_import_gives_back_the_edition(copy, doc, target, capsys):
    before = edition_dump(copy, doc, target)
    path = copy / "source" / doc / f"{target}.md"
    written_by_hand = path.read_text(encoding="utf-8")
    xlf = export(copy, doc, "en", target)
    assert schema().validate(etree.parse(str(xlf))), schema().error_log  # the OASIS XLIFF 1.2 strict schema
    assert main(["xliff", "--project", str(copy), "import", str(xlf), "--doc", doc]) == 0
    assert path.read_text(encoding="utf-8") != written_by_hand, "the edition was written from the XLIFF file"
    # The same model — structure, numbers, labels, notes, references, emphasis — as the edition typed by hand.
    assert edition_dump(copy, doc, target) == before
    assert main(["check", "--project", str(copy)]) == 0
    assert "0 error(s), 0 warning(s)" in capsys.readouterr().err


def test_the_file_is_xliff_1_2_that_translate_toolkit_reads(copy):
    xlf = export(copy, "c-111-inf-7", "en", "fr")
    root = etree.parse(str(xlf)).getroot()
    assert root.tag == f"{{{X}}}xliff" and root.get("version") == "1.2"
    file_node = root.find("x:file", NS)
    assert (file_node.get("source-language"), file_node.get("target-language")) == ("en", "fr")
    store = ttk_xliff.xlifffile.parsestring(xlf.read_bytes())
    ids = [unit.xmlelement.get("id") for unit in store.units]
    assert len(ids) == len(set(ids))
    # One unit per heading, numbered paragraph, labelled paragraph, sub-paragraph and note.
    for expected in ("title", "sec:intro", "para:structure", "para:structure-a", "para-1", "note:title",
                     "note:resolution-1310", "sec-II.A", "annex:framework/title"):
        assert expected in ids, expected
    unit = next(u for u in store.units if u.xmlelement.get("id") == "para-1")
    calls = unit.xmlelement.findall("x:source/x:x", NS)
    assert [(c.get("id"), c.get("ctype")) for c in calls] == [("n1", "x-note-call"), ("n2", "x-note-call")]
    assert unit.target.startswith("En novembre 2015")


GOOD = "---\nlang: en\ntitle: The title\n---\n\n# One\n\nFirst *text*,[^a] see @para:two.\n\n[^a]: A note.\n\n" \
       "{#para:two}\nSecond text.\n"


@pytest.fixture
def single(project):
    add_document(project, "doc", {"en": GOOD})
    return project


def edit_target(xlf: Path, unit_id: str, target: str) -> None:
    tree = etree.parse(str(xlf))
    unit = tree.getroot().find(f".//x:trans-unit[@id='{unit_id}']", NS)
    old = unit.find("x:target", NS)
    if old is not None:
        unit.remove(old)
    unit.insert(1, etree.fromstring(f'<target xmlns="{X}">{target}</target>'))
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")


def fill(xlf: Path, targets: dict[str, str]) -> None:
    for unit_id, target in targets.items():
        edit_target(xlf, unit_id, target)


FILLED = {
    "title": "Le titre",
    "session-title": "Cent dix-septième session",
    "sec-I": "Un",
    "para-1": 'Premier <g id="i1" ctype="italic">texte</g>,<x id="n1"/> voir <x id="r1"/>.',
    "note:a": "Une note.",
    "para:two": "Second texte.",
}


def test_a_target_edition_is_written_where_there_was_none(single, capsys):
    xlf = export(single, "doc", "en", "fr")
    assert etree.parse(str(xlf)).getroot().find(".//x:target", NS) is None, "no fr edition: no targets"
    fill(xlf, FILLED)
    assert main(["xliff", "--project", str(single), "import", str(xlf), "--doc", "doc"]) == 0
    assert (single / "source/doc/fr.md").read_text(encoding="utf-8") == (
        "---\nlang: fr\ntitle: Le titre\nsession-title: Cent dix-septième session\n---\n\n"
        "# Un\n\nPremier *texte*,[^a] voir @para:two.\n\n"
        "{#para:two}\nSecond texte.\n\n[^a]: Une note.\n")
    assert main(["check", "--project", str(single)]) == 0


@pytest.mark.parametrize(("target", "message"), [
    ('Premier <g id="i1" ctype="italic">texte</g>, voir <x id="r1"/>.',
     "unit 'para-1': the target lacks the inline code(s) n1 of its source\n"
     "  hint: keep every note call, reference and formatting code of the source"),
    ('Premier <g id="i1" ctype="italic">texte</g>, voir <x id="r1"/>.<x id="n1"/>',
     "unit 'para-1': the inline codes are in the order i1 r1 n1, the source's are i1 n1 r1\n"
     "  hint: notes are numbered in the order they are called: keep the source's order"),
    ('Premier <g id="i1" ctype="italic">texte</g>,<x id="n1"/><x id="n1"/> voir <x id="r1"/>.',
     "unit 'para-1': inline code(s) n1 stand more than once in the target"),
    ('Premier <g id="i1" ctype="italic">texte</g>,<x id="n1"/> voir <x id="r1"/> <x id="r2"/>.',
     "unit 'para-1': <x id=\"r2\"> is no inline code of its source"),
    ('Premier <x id="i1"/>,<x id="n1"/> voir <x id="r1"/>.',
     "unit 'para-1': <x id=\"i1\"> is no inline code of its source"),
])
def test_a_broken_inline_code_is_an_error_at_its_line_and_nothing_is_written(single, capsys, target, message):
    xlf = export(single, "doc", "en", "fr")
    fill(xlf, {**FILLED, "para-1": target})
    line = next(n for n, text in enumerate(xlf.read_text(encoding="utf-8").splitlines(), start=1)
                if "<target" in text and "Premier" in text)
    capsys.readouterr()
    assert main(["xliff", "--project", str(single), "import", str(xlf), "--doc", "doc"]) == 1
    assert capsys.readouterr().err == f"{xlf}:{line}:1: error: {message}\n"
    assert not (single / "source/doc/fr.md").exists()


def test_a_unit_without_translation_is_an_error(single, capsys):
    xlf = export(single, "doc", "en", "fr")
    fill(xlf, {k: v for k, v in FILLED.items() if k != "note:a"})
    line = next(n for n, text in enumerate(xlf.read_text(encoding="utf-8").splitlines(), start=1)
                if 'id="note:a"' in text)
    capsys.readouterr()
    assert main(["xliff", "--project", str(single), "import", str(xlf), "--doc", "doc"]) == 1
    assert capsys.readouterr().err == f"{xlf}:{line}:1: error: unit 'note:a' has no translation\n"


def test_a_table_s_caption_cells_source_and_notes_are_units(copy):
    xlf = export(copy, "c-111-3", "en", "fr")
    store = ttk_xliff.xlifffile.parsestring(xlf.read_bytes())
    by_id = {unit.xmlelement.get("id"): unit for unit in store.units}
    # en.md: the first table's caption, its head's cells, a body cell, its source line, its two notes.
    assert by_id["tbl:summary"].source.startswith("Administrative Part of the Budget")
    assert [by_id[f"tbl:summary/r1c{c}"].source for c in (1, 2, 3)] == ["Item", "2020", "2021"]
    assert by_id["tbl:summary/r2c2"].source == "18,734.6"
    assert by_id["tbl:summary/source"].source == "Budget estimates of the Administration, 2020 and 2021."
    assert by_id["note:chf"].source == "In thousands of Swiss francs."
    assert by_id["note:icsc"].source == "Including the post adjustment for Geneva."
    assert by_id["annex:posts/tbl:grades/r9c1"].source == "G-6"
    # A table note's call is a protected code of its cell, and the fr edition's text is the target.
    cell = by_id["tbl:summary/r2c1"].xmlelement
    assert [x.get("equiv-text") for x in cell.findall("x:source/x:x", NS)] == ["[^icsc]"]
    assert "".join(cell.find("x:target", NS).itertext()) == "Dépenses de personnel"
    assert by_id["tbl:offices"].target == "Coûts par bureau de pays"


TABLE = ("---\nlang: en\ntitle: T\n---\n\n# One\n\nSee table @tbl:t.\n\n| Item | Sum |\n|:--|--:|\n"
         "| A | B[^x] |\n| a \\| b |  |\n\n: Title {#tbl:t}\n\n{.source}\nThe source.\n\n[^x]: Estimate.\n")


def test_a_table_is_written_back_as_a_pipe_table(project, capsys):
    add_document(project, "doc", {"en": TABLE})
    xlf = export(project, "doc", "en", "fr")
    ids = [unit.xmlelement.get("id") for unit in ttk_xliff.xlifffile.parsestring(xlf.read_bytes()).units]
    assert "tbl:t/r3c2" not in ids, "an empty cell is no unit"
    fill(xlf, {"title": "T", "session-title": "S", "sec-I": "Un", "para-1": 'Voir le tableau <x id="r1"/>.',
               "tbl:t/r1c1": "Rubrique", "tbl:t/r1c2": "Somme", "tbl:t/r2c1": "A", "tbl:t/r2c2": 'B<x id="n1"/>',
               "tbl:t/r3c1": "a | b", "tbl:t": "Titre", "tbl:t/source": "La source.", "note:x": "Estimation."})
    assert main(["xliff", "--project", str(project), "import", str(xlf), "--doc", "doc"]) == 0
    assert (project / "source/doc/fr.md").read_text(encoding="utf-8") == (
        "---\nlang: fr\ntitle: T\nsession-title: S\n---\n\n# Un\n\nVoir le tableau @tbl:t.\n\n"
        "| Rubrique | Somme |\n|:--|--:|\n| A | B[^x] |\n| a \\| b |  |\n\n: Titre {#tbl:t}\n\n"
        "{.source}\nLa source.\n\n[^x]: Estimation.\n")
    assert main(["check", "--project", str(project)]) == 0


def test_a_file_that_is_not_xliff_1_2_is_refused_at_its_line(single, capsys):
    xlf = export(single, "doc", "en", "fr")
    fill(xlf, FILLED)
    text = xlf.read_text(encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if 'id="para:two"' in t)
    xlf.write_text(text.replace('<trans-unit id="para:two"', '<trans-unit id="para:two" approved="perhaps"'),
                   encoding="utf-8")
    capsys.readouterr()
    assert main(["xliff", "--project", str(single), "import", str(xlf), "--doc", "doc"]) == 1
    assert capsys.readouterr().err == (
        f"{xlf}:{line}:1: error: not valid XLIFF 1.2: Element 'trans-unit', attribute 'approved': "
        "[facet 'enumeration'] The value 'perhaps' is not an element of the set {'yes', 'no'}.\n")
    assert not (single / "source/doc/fr.md").exists()


def test_what_a_cat_tool_adds_is_read_past(single, capsys):
    """A CAT tool's own namespace (SDL Trados' ``sdl:``) and its segments (``seg-source`` and ``<mrk mtype="seg">``
    in the target), which the standard allows, do not stop the import; the translation is read."""
    xlf = export(single, "doc", "en", "fr")
    fill(xlf, FILLED)
    sdl = "http://sdl.com/FileTypes/SdlXliff/1.0"
    tree = etree.parse(str(xlf))
    unit = tree.getroot().find(".//x:trans-unit[@id='para-1']", NS)
    unit.set(f"{{{sdl}}}conf", "Translated")
    target = unit.find("x:target", NS)
    segment = etree.Element(f"{{{X}}}mrk", mtype="seg", mid="1")
    segment.text, target.text = target.text, None
    for child in list(target):
        segment.append(child)
    target.append(segment)
    unit.insert(1, etree.fromstring(f'<seg-source xmlns="{X}"><mrk mtype="seg" mid="1">First</mrk></seg-source>'))
    etree.SubElement(unit, f"{{{sdl}}}seg-defs").append(etree.Element(f"{{{sdl}}}seg", id="1"))
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    assert main(["xliff", "--project", str(single), "import", str(xlf), "--doc", "doc"]) == 0
    assert "Premier *texte*,[^a] voir @para:two." in (single / "source/doc/fr.md").read_text(encoding="utf-8")


def test_councildoc_writes_and_reads_xliff_without_translate_toolkit(copy):
    """translate-toolkit is GPL-3.0-or-later and only a test dependency: exporting and importing never load it."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from councildoc.cli import main\n"
        f"root = {str(copy)!r}\n"
        "assert main(['xliff', '--project', root, 'export', '--doc', 'mc-inf-298', '--from', 'en',"
        " '--to', 'fr']) == 0\n"
        "assert main(['xliff', '--project', root, 'import', root + '/output/mc-inf-298/mc-inf-298.en-fr.xlf',"
        " '--doc', 'mc-inf-298']) == 0\n"
        "print(sorted(m for m in sys.modules if m == 'translate' or m.startswith('translate.')))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
