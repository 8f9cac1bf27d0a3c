"""Languages are data: one YAML file per language with every word the pipeline prints.

Dates and language names come from CLDR through Babel, ordinals from num2words
where it spells them right; the data files hold what those libraries do not know:
the council's own words and each language's typographic habits. The files here
are councildoc's own; a project adds or overrides languages with files of the same
form in its ``languages/`` folder. Adding a language is adding a file: no code.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date

DATA_DIR = Path(__file__).parent
_search: list[Path] = [DATA_DIR]
_cache: dict[tuple[str, tuple[Path, ...]], Language] = {}


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
    cldr_locale: str = ""
    """The CLDR locale for dates and names when it is not ``code`` (``en_GB``)."""
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


def use_project_languages(directory: Path | None) -> None:
    """Look for language data in ``directory`` first (a project's ``languages/``)."""
    _search[:] = ([directory] if directory is not None and directory.is_dir() else []) + [DATA_DIR]


def available() -> list[str]:
    """The codes of every language that has a data file."""
    return sorted({p.stem for folder in _search for p in folder.glob("*.yaml")})


def load(code: str) -> Language:
    """The data of language ``code``; ``KeyError`` when there is no data file."""
    key = (code, tuple(_search))
    if key not in _cache:
        path = next((folder / f"{code}.yaml" for folder in _search if (folder / f"{code}.yaml").is_file()), None)
        if path is None:
            raise KeyError(code)
        _cache[key] = _from_data(code, yaml.safe_load(path.read_text(encoding="utf-8")))
    return _cache[key]


def load_or(code: str, fallback: Language) -> Language:
    """The data of ``code``, or ``fallback`` for a language without data (an annex in Latin, say)."""
    try:
        return load(code)
    except KeyError:
        return fallback


def _from_data(code: str, data: dict) -> Language:
    values = {key.replace("-", "_"): value for key, value in data.items()}
    if "quotes" in values:
        values["quotes"] = tuple(values["quotes"])
    values["typography"] = tuple(
        TypographyRule(re.compile(rule["pattern"]), rule["replace"], rule.get("example", ""))
        for rule in values.get("typography") or ()
    )
    return Language(code=code, **values)


def is_cldr_language(code: str) -> bool:
    """True when CLDR knows ``code`` (so that Babel can name it)."""
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True
