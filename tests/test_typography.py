"""Each language's typography, from its data file: no-break spaces, quotes, note calls, session line."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace

import pdfplumber
import pytest
from conftest import ROOT, compile_text
from lxml import etree, html

from councildoc import languages
from councildoc.diagnostics import SourcePos
from councildoc.dump import dump_inlines
from councildoc.model import Code, CrossRef, Emphasis, Link, NoteCall, Strong, Text
from councildoc.transforms import iter_paragraphs, iter_sections, plain_text, typeset

NBSP, NNBSP = "\u00a0", "\u202f"


def body_text(markdown: str, lang: str) -> str:
    source = f"---\nlang: {lang}\ntitle: T\n---\n\n# S {{#sec:s}}\n\n{markdown}\n"
    document, diagnostics = compile_text(source, lang=lang)
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
    # An apostrophe typed straight between letters is the typographic one, in every language.
    ("fr", "tels qu'approuvés, l'homme", "tels qu’approuvés, l’homme"),
    ("es", "en Côte d'Ivoire", "en Côte d’Ivoire"),
    ("en", "the country's policy, migrants' health, 5' 11", "the country’s policy, migrants’ health, 5' 11"),
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


# --------------------------------------------------------------------------
# Rules across inline boundaries: every rule of every language file, each side in markup

POS = SourcePos("doc.md", 1, 1)
WRAPPERS = {
    "emphasis": lambda text: Emphasis((Text(text),)),
    "strong": lambda text: Strong((Text(text),)),
    "link": lambda text: Link((Text(text),), "https://example.org/"),
    "reference": lambda text: CrossRef("sec", "x", POS, text=text),
}
RULES = [(code, index, rule) for code in ("en", "es", "fr")
         for index, rule in enumerate(languages.load(code).typography, start=1)]


def printed(inlines) -> str:
    """The characters a writer prints (note calls aside)."""
    return "".join(
        printed(i.children) if isinstance(i, (Emphasis, Strong, Link)) else getattr(i, "text", "") or ""
        for i in inlines
    )


def boundary_cases(rule):
    """The rule's example with the word before its change, then the word after, in each markup;
    and with a note call on each side of the change."""
    example = rule.example
    [match] = rule.pattern.finditer(example)
    start = example.rfind(" ", 0, match.start()) + 1
    end = example.find(" ", match.end()) % (len(example) + 1)
    for name, wrap in WRAPPERS.items():
        yield f"{name} before", (Text(example[:start]), wrap(example[start:match.start()]),
                                 Text(example[match.start():]))
        yield f"{name} after", (Text(example[:match.end()]), wrap(example[match.end():end]), Text(example[end:]))
    for at in {match.start(), match.end()}:
        yield f"note call at {at}", (Text(example[:at]), NoteCall("n", POS, 1), Text(example[at:]))


@pytest.mark.parametrize("rule", [pytest.param(rule, id=f"{code}-{index}") for code, index, rule in RULES])
def test_every_rule_has_an_example_it_changes_once(rule):
    assert len(rule.pattern.findall(rule.example)) == 1
    assert rule.pattern.sub(rule.replace, rule.example) != rule.example


@pytest.mark.parametrize(("code", "rule", "inlines"), [
    pytest.param(code, rule, inlines, id=f"{code}-{index}-{name}")
    for code, index, rule in RULES for name, inlines in boundary_cases(rule)
])
def test_a_rule_applies_across_inline_boundaries(code, rule, inlines):
    got = typeset(inlines, replace(languages.load(code), typography=(rule,)))
    assert printed(got) == rule.pattern.sub(rule.replace, rule.example)
    # The markup is still there, around the same characters.
    assert [i for i in got if not isinstance(i, Text)] == [i for i in inlines if not isinstance(i, Text)]


@pytest.mark.parametrize(("lang", "source", "expected"), [
    ("fr", "l’ouvrage « *Guide* » (2009)", f"l’ouvrage «{NNBSP}*Guide*{NNBSP}» (2009)"),
    ("fr", "voir « [le site](https://x.org) » ; fin", f"voir «{NNBSP}[le site]<https://x.org>{NNBSP}»{NNBSP}; fin"),
    ("fr", "la rubrique « @sec:s ».", f"la rubrique «{NNBSP}{{sec:s→I}}{NNBSP}»."),
    ("fr", "**50** %, *n°* 1150, *oui* ; `a` : b", f"**50**{NBSP}%, *n°*{NBSP}1150, *oui*{NNBSP}; `a`{NBSP}: b"),
    ("fr", "*fin* [^a]!", f"*fin*{NNBSP}[^1=a]!"),
    ("en", "**3** km and [No.](https://x.org) 5", f"**3**{NBSP}km and [No.]<https://x.org>{NBSP}5"),
    ("es", "*N.º* 1150 y el *50* %", f"*N.º*{NBSP}1150 y el *50*{NBSP}%"),
])
def test_markdown_across_boundaries(lang, source, expected):
    assert body_text(source + "\n\n[^a]: A." * ("[^a]" in source), lang) == expected


@pytest.mark.parametrize(("lang", "source", "expected"), [
    ("fr", "Un *mot*.[^a] Fin", "Un *mot*[^1=a]. Fin"),
    ("fr", "Un *mot.*[^a] Fin", "Un *mot*[^1=a]. Fin"),
    ("fr", "Un **mot**, [lien](https://x.org),[^a] fin", "Un **mot**, [lien]<https://x.org>[^1=a], fin"),
    ("en", "A *word*[^a]. End", "A *word*.[^1=a] End"),
    ("en", "A *word*[^a]*,* end", "A *word*,[^1=a] end"),
    ("es", "Una *palabra*[^a]. Fin", "Una *palabra*.[^1=a] Fin"),
])
def test_note_calls_take_their_side_across_boundaries(lang, source, expected):
    assert body_text(f"{source}\n\n[^a]: A.", lang) == expected


def test_code_and_references_keep_their_characters():
    fr = languages.load("fr")
    ref = CrossRef("sec", "x", POS, text="« a »")
    got = typeset((Text("voir "), Code('« b » ; "c"'), Text(" et "), ref, Text(' "d"')), fr)
    assert got == (Text("voir "), Code('« b » ; "c"'), Text(" et "), ref, Text(f" «{NNBSP}d{NNBSP}»"))


# --------------------------------------------------------------------------
# The French edition of MC/INF/298, built: no breakable space where French wants a no-break one

LOOSE = re.compile(r"« | [»;:!?]")
"""An ordinary space after « or before », ;, :, ! or ? (a URL or 10:30 has no space before its colon)."""


def loose_spaces(text: str) -> list[str]:
    return [text[max(0, m.start() - 30):m.end() + 10] for m in LOOSE.finditer(text)]


@pytest.fixture(scope="module")
def french(real_project):
    return real_project / "output/mc-inf-298/fr/mc-inf-298"


def test_french_html_has_no_loose_space(french, real_project):
    page = html.parse(str(french.with_suffix(".html"))).getroot()
    for element in page.xpath("//style | //script"):
        element.drop_tree()
    assert loose_spaces(page.text_content()) == []
    side = html.parse(str(real_project / "output/mc-inf-298/mc-inf-298.side-by-side.html")).getroot()
    assert loose_spaces("\n".join(e.text_content() for e in side.xpath("//*[@lang='fr']"))) == []


def test_french_docx_has_no_loose_space(french):
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(french.with_suffix(".docx")) as archive:
        parts = [etree.fromstring(archive.read(name)) for name in ("word/document.xml", "word/footnotes.xml")]
    texts = ["".join(t.text or "" for t in p.iter(f"{w}t")) for part in parts for p in part.iter(f"{w}p")]
    assert loose_spaces("\n".join(texts)) == []


def test_french_pdf_has_no_loose_space(french):
    # The glyphs as drawn: a no-break space keeps its code point, a breakable one is U+0020.
    with pdfplumber.open(french.with_suffix(".pdf")) as pdf:
        text = "\n".join("".join(char["text"] for char in page.chars) for page in pdf.pages)
    assert "\u202f" in text and loose_spaces(text) == []


def test_french_review_text_has_no_loose_space(french):
    # The review text keeps the no-break spaces (and textconv reads them back from every format).
    text = french.with_suffix(".txt").read_text(encoding="utf-8")
    assert "\u202f" in text and "\u00a0" in text and loose_spaces(text) == []


def test_french_text_has_no_loose_space():
    # The text every writer is given.
    source = (ROOT / "source/mc-inf-298/fr.md").read_text(encoding="utf-8")
    document, _ = compile_text(source, "fr.md", "fr")
    runs = [p.inlines for part in document.parts for p in iter_paragraphs(part.children)]
    runs += [b.inlines for part in document.parts for note in part.notes for b in note.blocks]
    runs += [s.title for part in document.parts for s in iter_sections(part.children)]
    assert loose_spaces("\n".join(plain_text(run) for run in runs)) == []


def test_the_comma_between_two_note_calls_is_glued_to_both():
    """No line breaks between ¹, and ² (a PDF broke there: textconv read [5],[6] back)."""
    from conftest import ROOT, compile_text

    from councildoc.writers.html import make_environment, write_html

    document, diagnostics = compile_text("---\nlang: en\ntitle: T\n---\n\nText.[^a][^b]\n\n"
                                         "[^a]: First note.\n[^b]: Second note.\n")
    assert [str(d) for d in diagnostics] == []
    page = write_html(document, make_environment(ROOT / "templates"), "", for_print=True)
    assert 'Text.\u2060<a' in page
    assert '<sup class="note-sep">,</sup>\u2060<a' in page
