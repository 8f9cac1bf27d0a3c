"""Metadata: ``document.yaml`` and an edition's YAML front matter, read with positions.

YAML is composed by the safety module's loader (no aliases, bounded depth) and each value is
checked here: unknown or repeated keys, values that are not text, languages without data.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass
from typing import Any

import yaml

from .. import languages
from ..diagnostics import Diagnostic, SourcePos, error
from ..model import Inline, Metadata
from ..read import SourceText
from ..safety import MAX_YAML_CHARS, StrictLoader, control_character, describe

EDITION_FIELDS = {
    "lang": "the edition's language",
    "title": "the document title",
    "subtitle": "the subtitle",
    "session-title": "the session line",
    "title-note": "a note hanging on the title",
}
DOCUMENT_FIELDS = {
    "symbol": "the document symbol",
    "date": "the date of issue (YYYY-MM-DD)",
    "session": "the session number",
    "original-language": "the language of the original",
}
REQUIRED_EDITION_FIELDS = ("lang", "title")
TITLE_NOTE_LABEL = "title"
"""The label of the note hanging on the title (``@note:title``)."""


@dataclass
class Field:
    """A metadata value with where it is written and its YAML tag (``…:str``, ``…:int``)."""

    value: Any
    pos: SourcePos
    tag: str


def _yaml_fields(
    source: SourceText, text: str, first_line: int, known: dict[str, str]
) -> tuple[dict[str, Field], list[Diagnostic], set[str]]:
    """The keys of a YAML mapping with their scalar values and positions.

    A known key whose value is not a single value is reported and left out, but is
    still listed in ``present`` (so that it is not also reported missing).
    """
    if len(text) > MAX_YAML_CHARS:
        return {}, [error(source.pos(first_line), f"metadata of {len(text):,} characters "
                                                  f"(at most {MAX_YAML_CHARS:,}, MAX_YAML_CHARS)")], set()
    try:
        root = yaml.compose(text, Loader=StrictLoader)
    except yaml.YAMLError as exc:
        # The context ("while scanning a quoted scalar") points where the trouble starts.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        pos = source.pos(first_line + mark.line, mark.column + 1) if mark else source.pos(first_line)
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        return {}, [error(pos, f"invalid YAML: {context + ', ' if context else ''}{problem}")], set()
    if root is None:
        return {}, [], set()
    if not isinstance(root, yaml.MappingNode):
        return {}, [error(source.pos(first_line), "metadata must be a mapping of keys to values")], set()
    fields: dict[str, Field] = {}
    diagnostics: list[Diagnostic] = []
    present: set[str] = set()
    for key_node, value_node in root.value:
        pos = source.pos(first_line + key_node.start_mark.line, key_node.start_mark.column + 1)
        if not isinstance(key_node, yaml.ScalarNode):
            diagnostics.append(error(pos, "a metadata key must be a word, not a list or mapping"))
            continue
        key = key_node.value
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(known)
            diagnostics.append(error(pos, f"unknown metadata key '{key[:60]}'", hint))
            continue
        if key in fields:
            diagnostics.append(error(pos, f"metadata key '{key}' given twice"))
            continue
        value_pos = source.pos(first_line + value_node.start_mark.line, value_node.start_mark.column + 1)
        if not isinstance(value_node, yaml.ScalarNode):
            diagnostics.append(error(value_pos, f"'{key}' must be a single value, not a list or mapping"))
            present.add(key)
            continue
        present.add(key)
        bad = control_character(value_node.value)
        if bad:
            diagnostics.append(error(value_pos, f"control character {describe(bad[0])} in '{key}'",
                                     "delete it: no document format can carry it"))
            continue
        fields[key] = Field(value_node.value, value_pos, value_node.tag)
    return fields, diagnostics, present


def _string(fields: dict[str, Field], key: str, diagnostics: list[Diagnostic]) -> str | None:
    item = fields.get(key)
    if item is None:
        return None
    if not item.tag.endswith(":str") or not str(item.value).strip():
        diagnostics.append(error(item.pos, f"'{key}' must be text"))
        return None
    return str(item.value).strip()


def _language(
    fields: dict[str, Field], key: str, diagnostics: list[Diagnostic], *, need_data: bool,
    catalogue: languages.Catalogue = languages.BUILT_IN,
) -> str | None:
    code = _string(fields, key, diagnostics)
    if code is None:
        return None
    if need_data and code not in catalogue.available():
        diagnostics.append(
            error(
                fields[key].pos,
                f"unknown language '{code}'",
                "languages with data: " + ", ".join(catalogue.available()),
            )
        )
        return None
    if not need_data and not languages.is_cldr_language(code):
        diagnostics.append(error(fields[key].pos, f"unknown language '{code}'"))
        return None
    return code


@dataclass(frozen=True)
class DocumentInfo:
    """What ``document.yaml`` says: the same for every edition."""

    symbol: str
    date: datetime.date
    session: int
    original_lang: str
    symbol_pos: SourcePos | None = None
    """Where the symbol is written (two documents may not share one)."""


PLACEHOLDER_INFO = DocumentInfo("?", datetime.date(2000, 1, 1), 1, "en")
"""What an edition is checked with when its ``document.yaml`` is broken: its own problems are still
reported, and nothing is built from it."""


def parse_document_info(source: SourceText) -> tuple[DocumentInfo | None, list[Diagnostic]]:
    """Read and check ``document.yaml``."""
    fields, diagnostics, present = _yaml_fields(source, source.text, 1, DOCUMENT_FIELDS)
    if diagnostics and not present:
        return None, diagnostics
    for key in DOCUMENT_FIELDS:
        if key not in present:
            diagnostics.append(error(source.pos(1, 1), f"missing metadata '{key}' ({DOCUMENT_FIELDS[key]})"))
    symbol = _string(fields, "symbol", diagnostics)
    original = _language(fields, "original-language", diagnostics, need_data=False)
    date = session = None
    if "date" in fields:
        item = fields["date"]
        try:
            date = datetime.date.fromisoformat(str(item.value))
        except ValueError:
            diagnostics.append(error(item.pos, f"invalid date '{item.value}'", "write it as YYYY-MM-DD"))
    if "session" in fields:
        item = fields["session"]
        # Plain decimal digits only: YAML 1.1 also reads 0x62, 1:20 and !!int abc as integers.
        if item.tag.endswith(":int") and re.fullmatch(r"[0-9]{1,6}", item.value) and int(item.value) > 0:
            session = int(item.value)
        else:
            diagnostics.append(error(item.pos, "'session' must be a positive whole number",
                                     "write it in decimal digits, e.g. 117"))
    if diagnostics:
        return None, diagnostics
    assert symbol and date and session and original
    return DocumentInfo(symbol, date, session, original, fields["symbol"].pos), []


def _split_front_matter(source: SourceText) -> tuple[str, int] | None:
    """The YAML text between the ``---`` lines and the line after the closing one."""
    lines = source.text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), index + 2
    return None


_MARKDOWN_FIELDS = ("title", "subtitle", "title-note")
"""Edition metadata that Pandoc reads as Markdown."""
_BLOCK_START = re.compile(r"^ {0,3}(?:[-+*>#]|\d+[.)])(?:\s|$)", re.M)


def not_text(pos: SourcePos, key: str) -> Diagnostic:
    """A metadata value that Markdown reads as a list, quote or heading (Pandoc drops the marker)."""
    return error(pos, f"'{key}' must be text, but Markdown reads it as a list, quote or heading",
                 "write '\\-', '\\>' or '\\#' for a leading '-', '>' or '#' (in single quotes)")


@dataclass(frozen=True)
class FrontMatter:
    """What an edition's front matter gave, checked."""

    fields: dict[str, Field]
    lang: str
    """The language the body is read in: the edition's, or when the metadata failed, the one
    the file is named for (so the body's problems are still reported)."""
    body_line: int
    """The first line after the front matter."""
    failed: bool
    """Whether the metadata had errors (nothing is built from the edition)."""

    def pandoc_text(self, source: SourceText) -> str:
        """The text Pandoc reads: all of it, or, after a failed front matter (Pandoc would stop
        at it), the body alone with its lines kept where they are."""
        if not self.failed:
            return source.text
        lines = source.text.split("\n")
        return "\n".join([""] * (self.body_line - 1) + lines[self.body_line - 1 :])


def read_front_matter(
    source: SourceText, expected_lang: str, catalogue: languages.Catalogue = languages.BUILT_IN,
) -> tuple[FrontMatter | None, list[Diagnostic]]:
    """The edition's front matter, or None when it is never closed (nothing after it can be read)."""
    split = _split_front_matter(source)
    if split is None:
        if source.text.split("\n", 1)[0].rstrip() == "---":
            return None, [error(source.pos(1, 1), "YAML front matter opened here is never closed",
                                "end it with a '---' line")]
        # Still read the body, so that its problems are reported with this one.
        split = ("", 1)
        diagnostics = [error(source.pos(1, 1), "missing YAML front matter", "start the file with a '---' block")]
        fields: dict[str, Field] = {}
        present: set[str] = set()
    else:
        fields, diagnostics, present = _yaml_fields(source, split[0], 2, EDITION_FIELDS)
    if present or not diagnostics:
        for key in REQUIRED_EDITION_FIELDS:
            if key not in present:
                diagnostics.append(error(source.pos(1, 1), f"missing metadata '{key}' ({EDITION_FIELDS[key]})"))
    lang = _language(fields, "lang", diagnostics, need_data=True, catalogue=catalogue)
    if lang and lang != expected_lang:
        diagnostics.append(
            error(fields["lang"].pos, f"'lang' is '{lang}' but the file is named for '{expected_lang}'")
        )
    for key in ("title", "subtitle", "session-title", "title-note"):
        text = _string(fields, key, diagnostics)
        if text and key in _MARKDOWN_FIELDS and _BLOCK_START.search(text):
            diagnostics.append(not_text(fields[key].pos, key))
    # A broken front matter does not hide the body's problems: the body is read in the language
    # the file is named for, and nothing is built from it.
    failed = bool(diagnostics)
    if lang is None or failed:
        lang = expected_lang if expected_lang in catalogue.available() else "en"
    return FrontMatter(fields, lang, split[1], failed), diagnostics


def edition_metadata(
    front: FrontMatter, info: DocumentInfo, title: tuple[Inline, ...], subtitle: tuple[Inline, ...] | None,
    edition: languages.Language,
) -> Metadata:
    """The document's metadata and the edition's, with the title as the converter read it."""
    fields = front.fields
    return Metadata(
        symbol=info.symbol,
        date=info.date,
        session=info.session,
        original_lang=info.original_lang,
        lang=front.lang,
        title=title,
        subtitle=subtitle,
        session_title=(
            fields["session-title"].value.strip() if "session-title" in fields
            else edition.spelt_session(info.session)
        ),
        title_note=TITLE_NOTE_LABEL if "title-note" in fields else None,
    )
