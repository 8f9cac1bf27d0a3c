"""Languages are data: one YAML file per language with every word the pipeline prints.

Dates and language names come from CLDR through Babel, ordinals from num2words
where it spells them right; the data files hold what those libraries do not know:
the council's own words and each language's typographic habits. The files here
are councildoc's own; a project adds or overrides languages with files of the same
form in its ``languages/`` folder. Adding a language is adding a file: no code.
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from ..diagnostics import Diagnostic, SourcePos, error
from ..safety import MAX_YAML_CHARS, StrictLoader, ascii_name, read_file

DATA_DIR = Path(__file__).parent
_cache: dict[tuple[str, tuple[Path, ...]], Language] = {}
"""Parsed data files, by code and search path (the files do not change during a build)."""
_CODE = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")


@dataclass(frozen=True)
class TypographyRule:
    """One regular-expression substitution applied to the text of a language."""

    pattern: re.Pattern[str]
    """What to find (Python ``re`` syntax)."""
    replace: str
    """What to put instead (``\\1`` for groups)."""
    example: str = ""
    """A text the rule changes once, as an author types it (``N.º 1150``): the tests set it
    with each side of the change in other markup."""


@dataclass(frozen=True)
class ReferenceWords:
    """How a document typed in this language refers to its own parts ("véase la nota 8", "paragraph 3 of
    Annex II"): what ``build.py import`` reads a typed cross-reference by. Each is a list of words or
    phrases (a space in one matches any run of spaces), compared without regard to case."""

    note: tuple[str, ...] = ()
    """Words before a note's number: ``nota``, ``notas``."""
    paragraph: tuple[str, ...] = ()
    """Words before a paragraph's number: ``párrafo``, ``párrafos``."""
    section: tuple[str, ...] = ()
    """Words before a section's numeral: ``sección``, ``subsección``."""
    annex: tuple[str, ...] = ()
    """Words before an annex's numeral: ``anexo``, ``anexos``."""
    conjunction: tuple[str, ...] = ()
    """What joins two numbers of one reference: ``y`` (``párrafos 3 y 4``); a comma always does."""
    of_annex: tuple[str, ...] = ()
    """What stands between a paragraph's number and an annex's word: ``del`` (``párrafo 3 del Anexo II``)."""
    of_body: tuple[str, ...] = ()
    """What follows a number in an annex that refers to the body: ``del cuerpo`` (``nota 3 del cuerpo``)."""
    this_document: tuple[str, ...] = ()
    """What follows a lone annex word that means this document's only annex: ``del presente documento``."""

    KINDS = {"note": "note", "para": "paragraph", "sec": "section", "annex": "annex"}
    """A reference's kind (``@para:``) and the field holding its words."""

    def pattern(self, name: str) -> str:
        """A regular expression matching any of the words of field ``name`` (the longest first), or one that
        never matches when the language gives none."""
        words = sorted(getattr(self, name), key=len, reverse=True)
        return "|".join(r"\s+".join(re.escape(part) for part in word.split()) for word in words) or r"(?!x)x"


@dataclass(frozen=True)
class Language:
    """The words and habits of one language, read from ``<code>.yaml``."""

    code: str
    """BCP 47 tag, also the data file's stem."""
    annex: str
    """The word for an annex (``Anexo``)."""
    original: str
    """The masthead's "Original:" label."""
    page: str
    """The running head's word for a page (``Página 3``)."""
    page_in_annex: str
    """The same after an annex's name (``Anexo, página 2``)."""
    entry_separator: str
    """What follows an annex entry's lead-in (``:`` in English, `` :`` in French)."""
    notes_heading: str
    """The heading over the notes of a part on screen."""
    entries_heading: str
    """The heading over the list of an annex's entries by heading (region)."""
    editions_heading: str
    """The name of a web page's links to the document's other languages and formats."""
    side_by_side: str
    """The link to the view of every edition in columns."""
    cldr_locale: str = ""
    """The CLDR locale for dates and names when it is not ``code`` (``en_GB``)."""
    iso_639_2: str = ""
    """The ISO 639-2 code (``eng``, ``fra``, ``spa``): Akoma Ntoso names an edition by it."""
    session_line: str = ""
    """The masthead's session line, ``{ordinal}`` standing for the spelt ordinal (``{ordinal} session``)."""
    ordinals: str = ""
    """``num2words`` when that library spells this language's ordinals right for the session line;
    empty when the edition's ``session-title`` must give it (Spanish needs the feminine)."""
    note_call: str = "after-punctuation"
    """Where a note call stands next to a full stop or comma: ``after-punctuation`` or ``before-punctuation``."""
    quotes: tuple[str, str] = ("“", "”")
    """The quotation marks that straight ``"…"`` in a source become."""
    typography: tuple[TypographyRule, ...] = field(default_factory=tuple)
    """Substitutions on the text: no-break spaces and the like."""
    table: str = "Table"
    """What heads a table with its number (``Cuadro 2``)."""
    table_continued: str = "(continued)"
    """The line over a table's heads on each page after its first (``(suite)``)."""
    table_source: str = "Source:"
    """What opens a table's source line (``Fuente:``)."""
    figure: str = "Figure"
    """What heads a figure with its number (``Gráfico 2``)."""
    redline_title: str = "Changes from {old} to {new}"
    """The redline's heading, ``{old}`` and ``{new}`` standing for the revisions."""
    redline_working_tree: str = "the working copy"
    """What the redline calls sources not yet committed."""
    redline_summary: str = "Summary of changes"
    """The heading over the summary of changes after the document."""
    redline_body: str = "Body of the document"
    """The body of the document in the summary (an annex is named by its designation)."""
    redline_renumbered_heading: str = "Renumbering"
    """The heading over the list of what was renumbered."""
    redline_by_paragraph: str = "Changes by paragraph"
    """The heading over the changes listed by paragraph."""
    redline_headings: str = "Headings"
    """The heading over the changes to headings."""
    redline_tables: str = "Tables"
    """The heading over the changes to tables."""
    redline_added: str = "Added"
    """A column of the summary table."""
    redline_removed: str = "Deleted"
    """A column of the summary table."""
    redline_changed: str = "Changed"
    """A column of the summary table."""
    redline_renumbered: str = "Renumbered"
    """A column of the summary table."""
    redline_paragraphs: str = "Paragraphs"
    """A row of the summary table."""
    redline_notes: str = "Notes"
    """A row of the summary table."""
    redline_items: str = "Sub-paragraphs, list items and quotations"
    """A row of the summary table."""
    redline_table_count: str = "Tables"
    """A row of the summary table."""
    redline_cells: str = "Table rows and cells"
    """A row of the summary table."""
    redline_figures: str = "Figures"
    """A row of the summary table, and the heading over the changes to figures."""
    redline_paragraph: str = "paragraph"
    """One paragraph in the lists of the summary."""
    redline_note: str = "note"
    """One note in the lists of the summary."""
    redline_reference: str = "reference"
    """One reference in the lists of the summary."""
    redline_row: str = "row"
    """A table row in the summary."""
    corrigendum: str = "Corrigendum"
    """The subtitle of a corrigendum (``MC/INF/298/Corr.1``)."""
    corr_paragraph: str = "Paragraph {n}"
    """Where a correction stands: a paragraph (``{n}``: its number)."""
    corr_line: str = ", line {n}"
    """After the place, the line of the issued PDF (``{n}``: its number in the paragraph)."""
    corr_note: str = "Note {n}"
    """Where a correction stands: a note."""
    corr_table: str = "Table {n}, {cell}"
    """Where a correction stands: a table's cell (``{n}``: the table's number)."""
    corr_heading: str = "Heading {n}"
    """Where a correction stands: a heading."""
    corr_for_read: str = "For {old} read {new}"
    """A word or words corrected: ``{old}`` and ``{new}`` quoted."""
    corr_delete: str = "Delete {old}"
    """Words deleted."""
    corr_insert_after: str = "After {before} insert {new}"
    """Words inserted after others."""
    corr_insert_before: str = "Before {after} insert {new}"
    """Words inserted before others (at the start of a paragraph)."""
    corr_replace: str = "Replace the paragraph with the following:"
    """A paragraph replaced whole, its new text after."""
    corr_note_reads: str = "The note should read:"
    """A note replaced whole, its new text after."""
    reference_words: ReferenceWords = field(default_factory=ReferenceWords)
    """How a typed document refers to notes, paragraphs, sections and annexes (``build.py import``)."""
    subparagraph_markers: tuple[str, ...] = ("({a})", "({i})", "{a}.", "{i}.")
    """How sub-paragraphs of the first to fourth degree are marked, ``{a}`` standing for a letter and
    ``{i}`` for a small roman numeral (the UN editorial manual: (a), (i), a., i. in English;
    a), i), a., i. in French and Spanish)."""

    def subparagraph_marker(self, degree: int, number: int) -> str:
        """The marker of the ``number``-th sub-paragraph of ``degree`` (1-based): ``(b)``, ``ii)``."""
        pattern = self.subparagraph_markers[degree - 1]
        return pattern.format(a=small_letter(number), i=small_roman(number))

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.cldr_locale or self.code)

    def language_name(self, code: str) -> str:
        """``en`` in this language (``inglés``), from CLDR."""
        return self.locale.languages.get(code, code)

    def long_date(self, date: datetime.date) -> str:
        """``12 de noviembre de 2009``, from CLDR."""
        return format_date(date, format="long", locale=self.locale)

    def spelt_session(self, number: int) -> str | None:
        """The session line spelt from its number, or None where no library spells it right."""
        if not self.session_line or self.ordinals != "num2words":
            return None
        from num2words import num2words

        ordinal = num2words(number, to="ordinal", lang=self.code)
        return self.session_line.format(ordinal=ordinal)


@dataclass(frozen=True)
class Catalogue:
    """The languages one project has data for: its own ``languages/`` folder first, then councildoc's.

    A value handed to whatever needs a language (docutils' ``languages.get_language``), never
    global state: two projects built in one process each see their own.
    """

    search: tuple[Path, ...] = (DATA_DIR,)
    """The folders holding ``<code>.yaml`` files, the first that has a code wins."""

    @classmethod
    def for_project(cls, directory: Path | None) -> Catalogue:
        """The catalogue of a project whose own language files are in ``directory``."""
        if directory is not None and directory.is_dir():
            return cls((directory, DATA_DIR))
        return cls()

    def available(self) -> list[str]:
        """The codes of every language that has a data file."""
        return sorted({p.stem for folder in self.search for p in folder.glob("*.yaml")})

    def load(self, code: str) -> Language:
        """The data of language ``code``; ``KeyError`` when there is no data file,
        :class:`LanguageDataError` when it is broken."""
        if not _CODE.fullmatch(code):
            raise KeyError(code)  # a code from a source is never a path: [x]{lang="../../etc"}
        key = (code, self.search)
        if key not in _cache:
            folder = next((folder for folder in self.search if os.path.lexists(folder / f"{code}.yaml")), None)
            if folder is None:
                raise KeyError(code)
            _cache[key] = _read(folder, code)
        return _cache[key]

    def problems(self) -> list[Diagnostic]:
        """What is wrong with the project's own language files (read before any edition needs them)."""
        found = []
        for code in self.available():
            try:
                self.load(code)
            except LanguageDataError as exc:
                found.append(exc.diagnostic)
            except KeyError:
                found.append(error(SourcePos(f"languages/{ascii_name(code)}.yaml", 1, 1),
                                   "a language file is named for its BCP 47 code (en, fr, zh-Hant)"))
        return found

    def load_or(self, code: str, fallback: Language) -> Language:
        """The data of ``code``, or ``fallback`` for a language without data (an annex in Latin, say)."""
        try:
            return self.load(code)
        except KeyError:
            return fallback


BUILT_IN = Catalogue()
"""councildoc's own languages, for code that has no project (tests, the benchmark's peers)."""


class LanguageDataError(ValueError):
    """A language data file that cannot be used, with where and why."""

    def __init__(self, pos: SourcePos, message: str) -> None:
        super().__init__(f"{pos}: {message}")
        self.diagnostic = error(pos, message)


def load(code: str) -> Language:
    """The data of one of councildoc's own languages."""
    return BUILT_IN.load(code)


def _read(folder: Path, code: str) -> Language:
    path = folder / f"{code}.yaml"
    shown = SourcePos(f"languages/{code}.yaml" if folder != DATA_DIR else path.as_posix(), 1, 1)
    try:
        data = yaml.load(read_file(path, folder, MAX_YAML_CHARS * 4).decode("utf-8"), Loader=StrictLoader)
    except (OSError, UnicodeDecodeError) as exc:
        raise LanguageDataError(shown, f"cannot read it: {getattr(exc, 'strerror', None) or exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = SourcePos(shown.path, mark.line + 1, mark.column + 1) if mark else shown
        raise LanguageDataError(where, f"invalid YAML: {getattr(exc, 'problem', None) or exc}") from None
    try:
        return _from_data(code, data)
    except (TypeError, ValueError, KeyError, AttributeError, re.error) as exc:
        raise LanguageDataError(shown, f"not a language data file: {exc}") from None


def _from_data(code: str, data: dict) -> Language:
    if not isinstance(data, dict):
        raise ValueError("it must be a mapping of keys to values")
    values = {str(key).replace("-", "_"): value for key, value in data.items()}
    unknown = sorted(set(values) - {f.name for f in fields(Language)} | ({"code"} & set(values)))
    if unknown:
        raise ValueError(f"unknown key '{unknown[0]}'")
    for key in ("quotes", "subparagraph_markers"):
        if key in values:
            values[key] = tuple(values[key])
    if "quotes" in values and len(values["quotes"]) != 2:
        raise ValueError("'quotes' must be two marks, opening and closing")
    if "subparagraph_markers" in values and len(values["subparagraph_markers"]) != 4:
        raise ValueError("'subparagraph-markers' must be four patterns, one for each degree")
    if "reference_words" in values:
        values["reference_words"] = _reference_words(values["reference_words"])
    values["typography"] = tuple(
        TypographyRule(re.compile(rule["pattern"]), rule["replace"], rule.get("example", ""))
        for rule in values.get("typography") or ()
    )
    for name, value in values.items():
        texts = value if name in ("quotes", "subparagraph_markers") else () if name in (
            "typography", "reference_words") else (value,)
        if not all(isinstance(text, str) for text in texts):
            raise ValueError(f"'{name.replace('_', '-')}' must be text")
    return Language(code=code, **values)


def _reference_words(data: object) -> ReferenceWords:
    """``reference-words`` of a data file: a mapping of known keys to lists of non-empty words."""
    known = {f.name.replace("_", "-"): f.name for f in fields(ReferenceWords)}
    if not isinstance(data, dict):
        raise ValueError(f"'reference-words' must be a mapping of {', '.join(known)} to lists of words")
    values = {}
    for key, words in data.items():
        if key not in known:
            raise ValueError(f"'reference-words' has an unknown key '{key}' (known: {', '.join(known)})")
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise ValueError(f"'reference-words: {key}' must be a list of words")
        values[known[key]] = tuple(" ".join(w.split()) for w in words)
    return ReferenceWords(**values)


def small_letter(number: int) -> str:
    """``1`` → ``a``, ``26`` → ``z``, ``27`` → ``aa`` (the UN manual doubles the letter)."""
    letter = "abcdefghijklmnopqrstuvwxyz"[(number - 1) % 26]
    return letter * ((number - 1) // 26 + 1)


def small_roman(number: int) -> str:
    """``4`` → ``iv``."""
    numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, numeral in numerals:
        count, number = divmod(number, value)
        out += numeral * count
    return out


def is_cldr_language(code: str) -> bool:
    """True when CLDR knows ``code`` (so that Babel can name it)."""
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True
