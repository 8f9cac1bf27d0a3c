"""The parity check across editions, and the side-by-side view built from the same alignment."""

from __future__ import annotations

from conftest import add_document
from lxml import html

from councildoc.cli import main

META = "symbol: MC/TEST/1\ndate: 2026-11-28\nsession: 117\noriginal-language: en\n"

EN = """---
lang: en
title: Test
---

# One {#sec:one}

First paragraph.[^a]

[^a]: Note A.

Second paragraph, see @note:a.

# Two {#sec:two}

Third paragraph.[^b]

[^b]: Note B.

Fourth paragraph.
"""

FR = """---
lang: fr
title: Essai
---

# Un {#sec:one}

Premier paragraphe.[^a]

[^a]: Note A.

Deuxième paragraphe, voir @note:a.

# Deux {#sec:two}

Troisième paragraphe.[^b]

[^b]: Note B.

Quatrième paragraphe.
"""


def check(project, capsys, fr: str) -> tuple[int, str]:
    add_document(project, "doc", {"en": EN, "fr": fr}, META)
    status = main(["check", "--project", str(project)])
    return status, capsys.readouterr().err


def test_editions_in_step_pass(project, capsys):
    status, err = check(project, capsys, FR)
    assert status == 0, err
    assert "2 edition(s) checked: 0 error(s)" in err


def test_a_deleted_paragraph_is_reported_with_both_positions(project, capsys):
    status, err = check(project, capsys, FR.replace("Deuxième paragraphe, voir @note:a.\n\n", ""))
    assert status == 1
    assert err.splitlines()[0] == (
        "source/doc/fr.md:12:1: error: paragraph 2 of the en edition (source/doc/en.md:12:1) "
        "has no counterpart in the body here")
    assert "hint: translate it, or remove it from source/doc/en.md" in err


def test_a_missing_note_is_reported_with_both_positions(project, capsys):
    fr = FR.replace("Troisième paragraphe.[^b]\n\n[^b]: Note B.\n", "Troisième paragraphe.\n")
    status, err = check(project, capsys, fr)
    assert status == 1
    lines = [line for line in err.splitlines() if ": error: " in line]
    assert lines == [
        "source/doc/fr.md:1:1: error: note [^b] of the en edition (source/doc/en.md:18:1) is missing from the body",
        "source/doc/fr.md:16:1: error: paragraph 3 does not call note [^b], which the en edition "
        "(source/doc/en.md:16:1) calls",
    ]


def test_an_extra_paragraph_and_a_changed_reference(project, capsys):
    fr = FR.replace("Quatrième paragraphe.\n", "Quatrième paragraphe.\n\nCinquième, en trop.\n")
    fr = fr.replace("voir @note:a.", "voir @sec:two.")
    status, err = check(project, capsys, fr)
    assert status == 1
    lines = [line for line in err.splitlines() if ": error: " in line]
    assert lines == [
        "source/doc/fr.md:12:1: error: paragraph 2 refers to sec:two; the en edition (source/doc/en.md:12:1): note:a",
        "source/doc/fr.md:22:1: error: paragraph 5 has no counterpart in the en edition (near source/doc/en.md:20:1) "
        "(a guess: it may be paragraph 4 or paragraph 5; they call the same notes and references, and their "
        "numbers and lengths do not tell which one is extra)",
    ]


def test_side_by_side_view_aligns_editions_and_marks_gaps(project):
    add_document(project, "doc", {"en": EN, "fr": FR.replace("Deuxième paragraphe, voir @note:a.\n\n", "")}, META)
    assert main(["--format", "html", "--project", str(project)]) == 0
    page = html.parse(str(project / "output/doc/doc.side-by-side.html")).getroot()
    assert [th.text for th in page.xpath("//thead//th")] == ["English", "français"]
    rows = page.xpath("//tbody/tr[@class='paragraph']")
    cells = [[" ".join(td.text_content().replace("\u2060", "").split()) for td in row.xpath("td")] for row in rows]
    assert cells[0] == ["1.First paragraph.1", "1.Premier paragraphe1."]
    assert cells[1] == ["2.Second paragraph, see 1.", ""], "the missing paragraph is an empty cell"
    assert rows[1].xpath("td[2]/@class") == ["missing"]
    assert cells[2] == ["3.Third paragraph.2", "2.Troisième paragraphe2."]
    notes = page.xpath("//tbody/tr[@class='note']")
    assert len(notes) == 2
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids)), "each edition's ids are prefixed"


LONG_EN = """---
lang: en
title: Test
---

# One {#sec:one}

In 1951, the Organization was founded in Brussels by sixteen States.

The Council adopted Resolution No. 1150 on 7 June 2007, with the strategy annexed to it, after a long
debate in which many delegations took part and several amendments were considered and rejected.

Short one.

The budget for 2009 rose by 3 per cent.
"""

LONG_ES = """---
lang: es
title: Prueba
---

# Uno {#sec:one}

En 1951, la Organización se fundó en Bruselas por dieciséis Estados.

El Consejo aprobó la Resolución N.º 1150 el 7 de junio de 2007, con la estrategia anexa, tras un largo
debate en el que participaron muchas delegaciones y se examinaron y rechazaron varias enmiendas.

{inserted}

Uno corto.

El presupuesto para 2009 aumentó un 3 por ciento.
"""


def test_an_inserted_paragraph_is_blamed_not_the_one_after_it(project, capsys):
    """Paragraphs that call nothing are told apart by the numbers they write and their lengths."""
    inserted = ("Un párrafo añadido en la traducción, que el original no tiene, de una longitud parecida a la "
                "de los demás y sin cifras.")
    add_document(project, "doc", {"en": LONG_EN, "es": LONG_ES.replace("{inserted}", inserted)}, META)
    assert main(["check", "--project", str(project)]) == 1
    lines = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert lines == ["source/doc/es.md:13:1: error: paragraph 3 has no counterpart in the en edition "
                     "(near source/doc/en.md:13:1)"]


def test_an_inserted_paragraph_like_its_neighbour_is_named_as_a_guess(project, capsys):
    add_document(project, "doc", {"en": LONG_EN, "es": LONG_ES.replace("{inserted}", "Otro corto.")}, META)
    assert main(["check", "--project", str(project)]) == 1
    lines = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert len(lines) == 1 and "(a guess: it may be paragraph 3 or paragraph 4;" in lines[0], lines
