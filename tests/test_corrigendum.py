"""build.py corrigendum: the corrigendum of an issued document, in every language, written by the build."""

from __future__ import annotations

import shutil
import subprocess

from conftest import ROOT, require_tool
from test_redline import git

from councildoc.cli import main

FIXES = {  # one word of paragraph 12 of MC/INF/298, in each language: (issued, corrected)
    "en": ("information and outreach campaigns", "information and awareness campaigns"),
    "es": ("campañas de información y de difusión", "campañas de información y de sensibilización"),
    "fr": ("campagnes d’information et de diffusion", "campagnes d’information et de sensibilisation"),
}
EXPECTED = {
    "en": ("Paragraph 12, line {n}", "For “outreach” read “awareness”"),
    "es": ("Párrafo 12, línea {n}", "Donde dice “difusión” debe decir “sensibilización”"),
    # French sets its guillemets with narrow no-break spaces, which the review text keeps.
    "fr": ("Paragraphe 12, ligne {n}", "Au lieu de «\u202fdiffusion\u202f» lire «\u202fsensibilisation\u202f»"),
}


def issued(project):
    shutil.copytree(ROOT / "source/mc-inf-298", project / "source/mc-inf-298")
    git(project, "init", "-q")
    git(project, "add", "source")
    git(project, "commit", "-q", "-m", "issued")
    git(project, "tag", "issued")
    return project / "source/mc-inf-298"


def line_in_issued_pdf(pdf, words: str) -> int:
    """The oracle: the line of paragraph 12 holding ``words`` in the issued PDF, read by pdftotext."""
    text = subprocess.run([require_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.splitlines()
    start = next(i for i, line in enumerate(text) if line.startswith("12."))
    return next(i for i in range(start, len(text)) if words in text[i]) - start + 1


def test_a_one_word_fix_in_paragraph_12_is_a_corrigendum_in_every_language(project, capsys):
    folder = issued(project)
    assert main(["--doc", "mc-inf-298", "--format", "pdf", "--project", str(project)]) == 0
    changed = {"en": "outreach", "es": "difusión", "fr": "diffusion"}
    lines = {lang: line_in_issued_pdf(project / f"output/mc-inf-298/{lang}/mc-inf-298.pdf", word)
             for lang, word in changed.items()}
    assert lines == {"en": 2, "es": 3, "fr": 3}  # as read off the issued PDFs
    for lang, (old, new) in FIXES.items():
        path = folder / f"{lang}.md"
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["corrigendum", "issued", "--doc", "mc-inf-298", "--project", str(project)]) == 0, \
        capsys.readouterr().err
    out = capsys.readouterr().out
    for lang, (place, instruction) in EXPECTED.items():
        assert f"MC/INF/298/Corr.1 [{lang}]: 1 correction(s)" in out
        built = project / f"output/mc-inf-298-corr-1/{lang}/mc-inf-298-corr-1"
        for fmt in ("html", "pdf", "docx", "txt"):
            assert built.with_suffix(f".{fmt}").is_file(), fmt
        text = built.with_suffix(".txt").read_text(encoding="utf-8")
        assert text.splitlines()[0] == "MC/INF/298/Corr.1"
        assert f"1. {place.format(n=lines[lang])} {instruction}" in text, text
        assert "2." not in text.split(instruction)[1], "one correction only"
    for lang, word in (("en", "CORRIGENDUM"), ("es", "CORRECCIÓN"), ("fr", "RECTIFICATIF")):
        text = (project / f"output/mc-inf-298-corr-1/{lang}/mc-inf-298-corr-1.txt").read_text(encoding="utf-8")
        assert word in text.splitlines()[:7], lang
    assert "mc-inf-298-corr-1" in (project / "output/index.html").read_text(encoding="utf-8")

    # A second corrigendum takes the next free number.
    git(project, "add", "source")
    git(project, "commit", "-q", "-m", "corr 1")
    es = folder / "es.md"
    es.write_text(es.read_text(encoding="utf-8").replace("sensibilización", "concienciación", 1), encoding="utf-8")
    assert main(["corrigendum", "HEAD", "--doc", "mc-inf-298", "--lang", "es", "--project", str(project)]) == 0
    assert "MC/INF/298/Corr.2 [es]: 1 correction(s)" in capsys.readouterr().out


def test_changes_that_renumber_paragraphs_call_for_a_revision(project, capsys):
    folder = issued(project)
    es = folder / "es.md"
    text = es.read_text(encoding="utf-8")
    es.write_text(text.replace("Como se ilustra en la siguiente sección,",
                               "Un párrafo nuevo.\n\nComo se ilustra en la siguiente sección,", 1), encoding="utf-8")
    assert main(["corrigendum", "issued", "--doc", "mc-inf-298", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "source/mc-inf-298/es.md:1:1: error: these changes cannot be a corrigendum: paragraphs added" in err
    assert "renumbered" in err and "hint: issue a revised text (MC/INF/298/Rev.1) instead" in err
    assert not (project / "source/mc-inf-298-corr-1").exists() and not (project / "output/mc-inf-298-corr-1").exists()
