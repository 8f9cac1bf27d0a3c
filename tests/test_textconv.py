"""The review text: written as ``--format txt``, read back from every built format by ``textconv``."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

from councildoc.textconv import textconv

LANGS = ("en", "es", "fr")


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["mc-inf-298", "c-111-inf-7", "c-111-3"])
def test_textconv_reads_back_the_review_text(real_project, name, lang, fmt):
    out = real_project / "output" / name / lang
    assert textconv(out / f"{name}.{fmt}") == (out / f"{name}.txt").read_text(encoding="utf-8")


def test_review_text_shape(real_project):
    text = (real_project / "output/mc-inf-298/es/mc-inf-298.txt").read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    assert blocks[0].splitlines() == [
        "MC/INF/298", "Original: inglés", "12 de noviembre de 2009", "NONAGÉSIMA OCTAVA REUNIÓN",
        "DERECHOS HUMANOS DE LOS MIGRANTES", "POLÍTICA Y ACTIVIDADES DE LA OIM"]
    assert blocks[1] == "DERECHOS HUMANOS DE LOS MIGRANTES POLÍTICA Y ACTIVIDADES DE LA OIM[1]"
    assert blocks[2] == "I. INTRODUCCIÓN"
    assert blocks[3].startswith("1. La OIM está consagrada") and "migración.[2] Para" in blocks[3]
    assert "[11] Véase nota 8." in text.splitlines()
    assert "\n\nAnexo\n\nIOM ACTIVITIES IN THE FIELD\n\n1. This annex" in text
    assert "\n\n2. CEN-SAD countries: At the request" in text


def test_textconv_command_for_git(real_project, tmp_path):
    pdf = real_project / "output/mc-inf-298/fr/mc-inf-298.pdf"
    blob = tmp_path / "XYZ_blob"  # git hands textconv a temporary file
    shutil.copy(pdf, blob)
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "textconv", str(blob)],
                            capture_output=True, text=True, check=True)
    assert result.stdout == (real_project / "output/mc-inf-298/fr/mc-inf-298.txt").read_text(encoding="utf-8")


def test_textconv_refuses_what_it_cannot_read(tmp_path, capsys):
    from councildoc.cli import main

    bogus = tmp_path / "x.pdf"
    bogus.write_bytes(b"%PDF-1.7 not really")
    assert main(["textconv", str(bogus)]) == 1
    assert "cannot read it back" in capsys.readouterr().err
