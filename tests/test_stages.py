"""Diagnostics from every stage in one run: metadata, parsing, resolving, the project's folders."""

from __future__ import annotations

from conftest import add_document

from councildoc.cli import main

# A body with a parse error (a heading label of the wrong kind) and a resolving error (an unknown label).
BODY = "# Section {#para:wrong}\n\nA paragraph; see @note:nowhere.\n"
FRONT = "---\nlang: en\ntitle: A document\n---\n\n"


def _check(project, capsys) -> tuple[int, list[str]]:
    status = main(["check", "--project", str(project)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, [line for line in err.splitlines() if ": error: " in line or ": warning: " in line]


def test_a_broken_document_yaml_does_not_hide_the_editions_problems(project, capsys):
    meta = "symbol: MC/TEST/1\ndate: 2026-13-45\nsession: 117\noriginal-language: en\n"
    add_document(project, "doc", {"en": FRONT + BODY}, meta=meta)
    status, lines = _check(project, capsys)
    assert status == 1
    assert lines == [
        "source/doc/document.yaml:2:7: error: invalid date '2026-13-45'",
        "source/doc/en.md:6:1: error: a heading's label must start with 'sec:', not 'para:wrong'",
        "source/doc/en.md:8:18: error: unknown label 'note:nowhere'",
    ]


def test_a_broken_front_matter_does_not_hide_the_body_problems(project, capsys):
    add_document(project, "doc", {"en": "---\nlang: en\ntitel: A document\n---\n\n" + BODY})
    status, lines = _check(project, capsys)
    assert status == 1
    assert lines == [
        "source/doc/en.md:1:1: error: missing metadata 'title' (the document title)",
        "source/doc/en.md:3:1: error: unknown metadata key 'titel'",
        "source/doc/en.md:6:1: error: a heading's label must start with 'sec:', not 'para:wrong'",
        "source/doc/en.md:8:18: error: unknown label 'note:nowhere'",
    ]


def test_a_folder_without_document_yaml_is_an_error_not_a_silent_skip(project, capsys):
    add_document(project, "good", {"en": FRONT + "# S\n\nText.\n"})
    orphan = project / "source" / "orphan"
    orphan.mkdir()
    (orphan / "en.md").write_text(FRONT + "# S\n\nText.\n", encoding="utf-8")
    status, lines = _check(project, capsys)
    assert status == 1
    assert lines == ["source/orphan/en.md:1:1: error: 'orphan' has editions but no document.yaml: it is not built"]
    assert main(["--project", str(project)]) == 1
    assert (project / "output/good/en/good.html").is_file()
    assert not (project / "output/orphan").exists()


def test_two_documents_may_not_share_a_symbol(project, capsys):
    meta = "symbol: MC/TEST/1\ndate: 2026-11-28\nsession: 117\noriginal-language: en\n"
    add_document(project, "first", {"en": FRONT + "# S\n\nText.\n"}, meta=meta)
    add_document(project, "second", {"en": FRONT + "# S\n\nText.\n"}, meta=meta)
    status, lines = _check(project, capsys)
    assert status == 1
    assert lines == ["source/second/document.yaml:1:9: error: symbol MC/TEST/1 is also the symbol of first "
                     "(source/first/document.yaml:1:9)"]
    assert main(["--project", str(project)]) == 1
    assert not (project / "output/second").exists()


def test_unlabelled_sub_sections_of_two_sections_get_ids_of_their_own(project, capsys):
    """Two sections with sub-sections A and B used to give two ids 'sec-A': the HTML was invalid and
    the PDF failed. Ids now carry the sections they stand in, so they cannot clash."""
    from lxml import html

    body = "".join(f"# Part {n}\n\n## First\n\nText {n}a.\n\n## Second\n\nText {n}b.\n\n" for n in (1, 2))
    add_document(project, "doc", {"en": FRONT + body})
    assert main(["--format", "html,pdf", "--project", str(project)]) == 0, capsys.readouterr().err
    page = html.parse(str(project / "output/doc/en/doc.html")).getroot()
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))
    assert page.xpath("//section/@id")[:3] == ["sec-I", "sec-I-A", "sec-I-B"]
    assert "sec-II-A" in ids and "sec-II-B" in ids
