"""Languages are data: one YAML file per language with every word the pipeline prints.

Dates and language names come from CLDR through Babel; this folder holds only
what CLDR does not know (the council's own words and typographic habits).
Adding a language is adding a file here: no code changes.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date

DATA_DIR = Path(__file__).parent


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

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.cldr_locale or self.code)

    def language_name(self, code: str) -> str:
        """``en`` in this language (``inglés``), from CLDR."""
        return self.locale.languages.get(code, code)

    def long_date(self, date: datetime.date) -> str:
        """``12 de noviembre de 2009``, from CLDR."""
        return format_date(date, format="long", locale=self.locale)


def available() -> list[str]:
    """The codes of every language that has a data file."""
    return sorted(p.stem for p in DATA_DIR.glob("*.yaml"))


@functools.cache
def load(code: str) -> Language:
    """The data of language ``code``; ``KeyError`` when there is no data file."""
    path = DATA_DIR / f"{code}.yaml"
    if not path.is_file():
        raise KeyError(code)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Language(code=code, **{key.replace("-", "_"): value for key, value in data.items()})


def is_cldr_language(code: str) -> bool:
    """True when CLDR knows ``code`` (so that Babel can name it)."""
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True
