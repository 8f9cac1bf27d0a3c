"""Adding a language needs no code: a data file and a source file build in every format."""

from __future__ import annotations

import shutil
import zipfile

import pypdf
from conftest import FIXTURES, ROOT
from lxml import html

from councildoc import languages
from councildoc.cli import main


def test_a_fourth_language_builds_in_every_format_from_data_alone(tmp_path):
    shutil.copytree(FIXTURES / "fourth-language", tmp_path, dirs_exist_ok=True)
    for folder in ("templates", "styles"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    assert main(["--project", str(tmp_path)]) == 0
    assert "pt" in languages.Catalogue.for_project(tmp_path / "languages").available()
    # The project's language stays the project's: nothing of it leaks into councildoc's own catalogue.
    assert "pt" not in languages.BUILT_IN.available()
    out = tmp_path / "output/relatorio/pt"
    page = html.parse(str(out / "relatorio.html")).getroot()
    assert page.get("lang") == "pt"
    assert page.xpath("string(//p[@class='original'])") == "Original: português"
    assert page.xpath("string(//time)") == "28 de novembro de 2026"
    assert page.xpath("string(//p[@class='session'])") == "Centésima décima sétima sessão"
    assert page.xpath("string(//h2[@class='annex-designation'])") == "Anexo"
    assert "n.º\u00a01150" in page.xpath("string(//p[@id='p1'])")
    assert "Veja-se o Anexo." in " ".join(page.xpath("string(//p[@id='p1'])").split())
    assert page.xpath("string(//strong[@class='entry-term'])") == "Angola:"
    pdf = pypdf.PdfReader(out / "relatorio.pdf")
    text = pdf.pages[1].extract_text()
    assert "MC/TEST/4" in text and "Página 1" in text
    assert "Anexo, página 1" in pdf.pages[-1].extract_text()
    with zipfile.ZipFile(out / "relatorio.docx") as docx:
        assert "<dc:language>pt</dc:language>" in docx.read("docProps/core.xml").decode()
        assert "Página" in docx.read("word/councilheader1.xml").decode()


def test_boilerplate_comes_from_cldr_and_the_data_files():
    import datetime

    date = datetime.date(2009, 11, 12)
    got = {code: (languages.load(code).long_date(date), languages.load(code).language_name("en"),
                  languages.load(code).annex) for code in ("en", "es", "fr")}
    assert got == {
        "en": ("12 November 2009", "English", "Annex"),
        "es": ("12 de noviembre de 2009", "inglés", "Anexo"),
        "fr": ("12 novembre 2009", "anglais", "Annexe"),
    }
