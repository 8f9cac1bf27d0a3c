"""Each language's typography, from its data file: no-break spaces, quotes, note calls, session line."""

from __future__ import annotations

import pytest
from conftest import compile_text

from councildoc import languages
from councildoc.dump import dump_inlines
from councildoc.model import NoteCall, Text
from councildoc.transforms import typeset

NBSP, NNBSP = "\u00a0", "\u202f"


def body_text(markdown: str, lang: str) -> str:
    document, diagnostics = compile_text(f"---\nlang: {lang}\ntitle: T\n---\n\n# S\n\n{markdown}\n", lang=lang)
    assert [str(d) for d in diagnostics] == []
    return dump_inlines(document.body.children[0].children[0].inlines)


@pytest.mark.parametrize(("lang", "source", "expected"), [
    ("fr", "Il a dit : « oui » ; et alors ? Non !",
     f"Il a dit{NBSP}: «{NNBSP}oui{NNBSP}»{NNBSP}; et alors{NNBSP}? Non{NNBSP}!"),
    ("fr", "Sans espace: «oui»; enfin?", f"Sans espace{NBSP}: «{NNBSP}oui{NNBSP}»{NNBSP}; enfin{NNBSP}?"),
    ("fr", 'Des "guillemets droits" et 50 % de la résolution n° 1150, p. 3.',
     f"Des «{NNBSP}guillemets droits{NNBSP}» et 50{NBSP}% de la résolution n°{NBSP}1150, p.{NBSP}3."),
    ("es", "la Resolución N.º 1150 y N°. 932, p. 3, y 50 %",
     f"la Resolución N.º{NBSP}1150 y N°.{NBSP}932, p.{NBSP}3, y 50{NBSP}%"),
    ("es", 'un "documento"', "un “documento”"),
    ("en", 'Resolution No. 1150, p. 3, 10 km and "quoted"',
     f"Resolution No.{NBSP}1150, p.{NBSP}3, 10{NBSP}km and “quoted”"),
    ("en", "Time 10:30; a URL http://x.org?a", "Time 10:30; a URL http://x.org?a"),
])
def test_no_break_spaces_and_quotes(lang, source, expected):
    assert body_text(source, lang) == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("es", "Texto.[^1=a] Más,[^2=b] fin."),
    ("en", "Texto.[^1=a] Más,[^2=b] fin."),
    ("fr", "Texto[^1=a]. Más[^2=b], fin."),
])
def test_note_calls_take_their_side_of_the_punctuation(lang, expected):
    source = "Texto.[^a] Más[^b], fin.\n\n[^a]: Nota A.\n\n[^b]: Nota B."
    assert body_text(source, lang) == expected


def test_two_calls_together_keep_their_order():
    fr = languages.load("fr")
    got = typeset((Text("Fin."), NoteCall("a", None, 1), NoteCall("b", None, 2), Text(" Suite")), fr)
    assert dump_inlines(got) == "Fin[^1=a][^2=b]. Suite"


def test_links_and_code_keep_their_characters():
    got = body_text("Voir <http://x.org/?q=1> et `a ; b`", "fr")
    assert got == "Voir [http://x.org/?q=1]<http://x.org/?q=1> et `a ; b`"


def test_a_phrase_in_another_language_is_set_in_its_own():
    assert body_text('Il dit [« yes » ; "quoted"]{lang=en} ; fin', "fr") == (
        f"Il dit [« yes » ; “quoted”]{{lang=en}}{NNBSP}; fin")


def test_session_line_from_the_number_or_from_the_edition():
    assert languages.load("en").spelt_session(98) == "ninety-eighth session"
    assert languages.load("fr").spelt_session(98) == "quatre-vingt-dix-huitième session"
    assert languages.load("es").spelt_session(98) is None  # feminine: the edition gives it
    document, _ = compile_text("---\nlang: en\ntitle: T\n---\n\n# S\n\nText.\n")
    assert document.meta.session_title == "one hundred and seventeenth session"
    document, _ = compile_text("---\nlang: en\ntitle: T\nsession-title: Special session\n---\n\n# S\n\nText.\n")
    assert document.meta.session_title == "Special session"
