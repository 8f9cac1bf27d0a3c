"""Sub-paragraphs, lists and notes with blocks in the review text, textconv, parity and the redline."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT, add_document, compile_text
from lxml import html
from test_redline import git

from councildoc.cli import main
from councildoc.textconv import textconv
from councildoc.writers.text import write_text

DOC = """---
lang: en
title: Sub-paragraphs
---

# Scope {#sec:scope}

The Council decides:

(a) to adopt the budget;

(b) {#para:x}
    to note the report:

    (i) on premises:

        a. offices;

        b. stores:

            i. north;
            ii. south.

    (ii) on staff.

(c) to review the matter at its next session, as @para:x says, taking into account the views expressed
    by Member States during the informal consultations held in the course of the year.[^n]

[^n]: A note with a list:

    - first bullet;
    - second bullet.

    And sub-paragraphs:

    (a) alpha;
    (b) beta.

The Council notes:

- the report;[^r]
- the annex.

[^r]: Document C/111/INF/7.

See @para:x.
"""

BODY = """\
1. The Council decides:
(a) to adopt the budget;
(b) to note the report:
(i) on premises:
a. offices;
b. stores:
i. north;
ii. south.
(ii) on staff.
(c) to review the matter at its next session, as 1 (b) says, taking into account the views expressed by Member \
States during the informal consultations held in the course of the year.[1]

2. The Council notes:
- the report;[2]
- the annex.

3. See 1 (b).
"""

NOTES = """\
[1] A note with a list:
- first bullet;
- second bullet.
And sub-paragraphs:
(a) alpha;
(b) beta.
[2] Document C/111/INF/7.
"""


def review_blocks() -> list[str]:
    document, diagnostics = compile_text(DOC)
    assert diagnostics == []
    return write_text(document).split("\n\n")


def test_review_text_gives_each_subparagraph_a_line_after_its_paragraph():
    blocks = review_blocks()
    assert blocks[2] == "I. SCOPE"
    assert "\n\n".join(blocks[3:-1]) + "\n" == BODY


def test_review_text_gives_each_block_of_a_note_a_line():
    assert review_blocks()[-1] == NOTES


def edition(lang: str) -> str:
    return DOC.replace("lang: en", f"lang: {lang}")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The document in English and Spanish (markers ``(a)`` and ``a)``), built in every format."""
    root = tmp_path_factory.mktemp("subparagraphs")
    for folder in ("templates", "styles"):
        shutil.copytree(ROOT / folder, root / folder)
    (root / "source").mkdir()
    add_document(root, "doc", {"en": DOC, "es": edition("es")})
    assert main(["--project", str(root)]) == 0
    return root / "output/doc"


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_textconv_reads_subparagraphs_and_note_blocks_back(built, lang, fmt):
    expected = (built / lang / "doc.txt").read_text(encoding="utf-8")
    assert ("\nb) to note the report:\n" if lang == "es" else "\n(b) to note the report:\n") in expected
    assert textconv(built / lang / f"doc.{fmt}") == expected


def check(project, capsys, fr: str) -> tuple[int, list[str]]:
    add_document(project, "doc", {"en": DOC, "fr": fr})
    status = main(["check", "--project", str(project)])
    return status, [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]


def test_parity_passes_editions_in_step(project, capsys):
    assert check(project, capsys, edition("fr")) == (0, [])


def test_parity_reports_a_missing_subparagraph_with_both_positions(project, capsys):
    status, errors = check(project, capsys, edition("fr").replace("            ii. south.\n", ""))
    assert status == 1
    assert errors == [
        "source/doc/fr.md:23:10: error: sub-paragraph 1 (b) (i) b. ii. of the en edition (source/doc/en.md:22:17) "
        "has no counterpart in paragraph 1 here"]


def test_parity_reports_a_note_call_moved_to_another_list_item(project, capsys):
    fr = edition("fr").replace("- the report;[^r]\n- the annex.", "- the report;\n- the annex.[^r]")
    status, errors = check(project, capsys, fr)
    assert status == 1
    assert errors == [
        "source/doc/fr.md:41:3: error: list item 1 in paragraph 2 does not call note [^r], which the en edition "
        "(source/doc/en.md:41:3) calls",
        "source/doc/fr.md:42:3: error: list item 2 in paragraph 2 calls note [^r], which the en edition "
        "(source/doc/en.md:42:3) does not",
    ]


def test_redline_shows_and_counts_a_rewritten_subparagraph(project, capsys):
    folder = add_document(project, "doc", {"en": DOC})
    git(project, "init", "-q")
    git(project, "add", "source")
    git(project, "commit", "-q", "-m", "v1")
    (folder / "en.md").write_text(DOC.replace("a. offices;", "a. workshops;"), encoding="utf-8")
    assert main(["diff", "HEAD", "--project", str(project)]) == 0
    assert ("doc [en]: paragraphs 0 added, 0 removed, 1 changed, 0 renumbered; notes 0 added, 0 removed, "
            "0 changed, 0 renumbered; sub-paragraphs, list items and quotes 0 added, 0 removed, 1 changed, "
            "0 relettered") in capsys.readouterr().out
    page = html.parse(str(project / "output/redline/doc/en/doc.redline.html")).getroot()
    items = page.xpath("//p[contains(@class,'change item changed')]")
    assert [" ".join(p.text_content().split()) for p in items] == ["a. offices; workshops;"]
    assert items[0].xpath(".//del/text()") == ["offices;"] and items[0].xpath(".//ins/text()") == ["workshops;"]
