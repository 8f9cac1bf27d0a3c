"""Redlines between two git revisions: one insertion reads as one insertion, plus the renumbering."""

from __future__ import annotations

import subprocess

import pytest
from conftest import add_document
from lxml import html

from councildoc.cli import main

V1 = """---
lang: en
title: Redline test
---

# First {#sec:first}

Alpha paragraph stays as it is.[^a]

[^a]: Note A.

Beta paragraph mentions note @note:c and paragraph @para:gamma.[^b]

[^b]: Note B, to be removed.

# Second {#sec:second}

{#para:gamma}
Gamma paragraph closes the body.[^c]

[^c]: Note C.

Delta paragraph is the last one.
"""

V2 = (V1.replace("Beta paragraph mentions", "An inserted paragraph, new in this revision.\n\nBeta paragraph mentions")
        .replace("paragraph @para:gamma.[^b]\n\n[^b]: Note B, to be removed.\n", "paragraph @para:gamma.\n"))


def git(project, *args):
    subprocess.run(["git", *args], cwd=project, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(project), "PATH": "/usr/bin:/bin"})


def test_insertion_and_removed_note_read_as_what_they_are(project, capsys):
    folder = add_document(project, "doc", {"en": V1})
    git(project, "init", "-q")
    git(project, "add", "source")
    git(project, "commit", "-q", "-m", "v1")
    git(project, "tag", "v1")
    (folder / "en.md").write_text(V2, encoding="utf-8")
    git(project, "commit", "-q", "-am", "v2")

    assert main(["diff", "v1", "HEAD", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert ("doc [en]: paragraphs 1 added, 0 removed, 1 changed, 3 renumbered; "
            "notes 0 added, 1 removed, 0 changed, 1 renumbered") in out

    page = html.parse(str(project / "output/redline/doc/en/doc.redline.html")).getroot()
    added = page.xpath("//p[contains(@class,'change added')]")
    assert [" ".join(p.text_content().split()) for p in added] == ["2. An inserted paragraph, new in this revision."]
    changed = page.xpath("//p[contains(@class,'change changed')]")
    assert len(changed) == 1 and "(was 2)" in changed[0].text_content()
    assert changed[0].xpath(".//del//sup/text()") == ["2"], "the removed note's call is struck out"
    assert changed[0].xpath(".//ins") == []
    removed_notes = page.xpath("//p[contains(@class,'change removed')]")
    assert [" ".join(p.text_content().split()) for p in removed_notes] == ["[2] Note B, to be removed."]
    renumbered = [li.text_content() for li in page.xpath("//ul[@class='renumbered']/li")]
    assert renumbered == ["paragraph 2 → 3", "paragraph 3 → 4", "paragraph 4 → 5", "note 3 → 2",
                          "reference @note:c: 3 → 2", "reference @para:gamma: 3 → 4"]
    assert (project / "output/redline/doc/en/doc.redline.pdf").read_bytes().startswith(b"%PDF")


def test_diff_against_the_working_tree_and_a_bad_revision(project, capsys):
    folder = add_document(project, "doc", {"en": V1})
    git(project, "init", "-q")
    git(project, "add", "source")
    git(project, "commit", "-q", "-m", "v1")
    (folder / "en.md").write_text(V1.replace("Delta paragraph is the last one.", "Delta paragraph is the final one."),
                                  encoding="utf-8")
    assert main(["diff", "HEAD", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "paragraphs 0 added, 0 removed, 1 changed, 0 renumbered" in out
    page = html.parse(str(project / "output/redline/doc/en/doc.redline.html")).getroot()
    assert page.xpath("//del/text()") == ["last"] and page.xpath("//ins/text()") == ["final"]
    with pytest.raises(SystemExit) as stop:  # a usage error naming the revision (and the branches there are)
        main(["diff", "no-such-rev", "--project", str(project)])
    assert stop.value.code == 2
    assert "unknown revision 'no-such-rev'" in capsys.readouterr().err
