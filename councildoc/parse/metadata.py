"""Metadata: ``document.yaml`` and an edition's YAML front matter, read with positions.

YAML is composed by the safety module's loader (no aliases, bounded depth) and each value is
checked here: unknown or repeated keys, values that are not text, languages without data.

Every key is declared once (:data:`DOCUMENT`, :data:`EDITION`): what it means, whether it is required
and what its value must be (a :class:`Value`: type, pattern, bounds). The build checks values with
those declarations, and ``councildoc.schemas`` makes the JSON Schemas for editors from the same ones.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from dataclasses import dataclass, replace
from typing import Any

import yaml

from .. import languages
from ..diagnostics import Diagnostic, SourcePos, error
from ..model import Inline, Metadata
from ..read import SourceText
from ..safety import MAX_YAML_CHARS, StrictLoader, control_character, describe


@dataclass
class Field:
    """A metadata value with where it is written and its YAML tag (``…:str``, ``…:int``)."""

    value: Any
    pos: SourcePos
    tag: str


_BLOCK_START = re.compile(r"(?:^\s*|\n {0,3})(?:[-+*>#]|\d+[.)])(?:\s|$)")
"""A line that Markdown reads as a list item, quote or heading (Pandoc drops the marker): the first
line after any blank space, or any other line indented less than four spaces."""


@dataclass(frozen=True)
class Value:
    """What a metadata value must be, declared once: the JSON Schema of the value is made from it
    (:meth:`schema`, for editors) and the build checks a value with it (:meth:`violation`).

    The patterns are searched, as JSON Schema does (anchor them with ``^…$`` to match the whole value).
    """

    type: str
    """``string`` or ``integer``."""
    pattern: re.Pattern[str] | None = None
    not_pattern: re.Pattern[str] | None = None
    """What the value may not contain."""
    format: str | None = None
    """``date``: a day of the calendar."""
    minimum: int | None = None
    maximum: int | None = None
    examples: tuple[str | int, ...] = ()

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type}
        if self.format:
            out["format"] = self.format
        if self.pattern:
            out["pattern"] = self.pattern.pattern
        if self.not_pattern:
            out["not"] = {"pattern": self.not_pattern.pattern}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        if self.examples:
            out["examples"] = list(self.examples)
        return out

    def violation(self, item: Field) -> str | None:
        """The first schema keyword the value breaks, read as YAML gives it, or None."""
        if _json_type(item) != self.type:
            return "type"
        if self.type == "integer":
            number = _integer(item.value)
            if self.minimum is not None and number < self.minimum:
                return "minimum"
            if self.maximum is not None and number > self.maximum:
                return "maximum"
            return None
        if self.pattern and not self.pattern.search(item.value):
            return "pattern"
        if self.not_pattern and self.not_pattern.search(item.value):
            return "not"
        if self.format == "date":
            try:
                datetime.date.fromisoformat(item.value)
            except ValueError:
                return "format"
        return None


_DECIMAL = re.compile(r"[0-9]+")


def _json_type(item: Field) -> str | None:
    """The JSON type of a YAML scalar, as an editor's YAML 1.2 reads it (a date is text there, and
    an integer is written in decimal digits: YAML 1.1 also reads 0x62, 1:20 and !!int abc as ones)."""
    if item.tag.endswith((":str", ":timestamp")):
        return "string"
    if item.tag.endswith(":int") and _DECIMAL.fullmatch(item.value):
        return "integer"
    return None


def _integer(digits: str) -> float:
    """The number decimal digits write (infinity past 30 digits: no limit is that high)."""
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= 30 else math.inf


TEXT = Value("string", re.compile(r"\S"))
"""Some text: not blank."""
MARKDOWN_TEXT = Value("string", TEXT.pattern, not_pattern=_BLOCK_START)
"""Text that Pandoc reads as Markdown: not a list, quote or heading."""
LANGUAGE = Value("string", re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"), examples=("en", "fr", "es"))
"""A language code (BCP 47)."""


@dataclass(frozen=True)
class MetadataField:
    """A key of ``document.yaml`` or of the front matter, declared once."""

    key: str
    description: str
    required: bool
    value: Value


DOCUMENT = (
    MetadataField("symbol", "the document symbol", True, replace(TEXT, examples=("MC/INF/298",))),
    MetadataField("date", "the date of issue (YYYY-MM-DD)", True,
                  Value("string", re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), format="date",
                        examples=("2009-11-12",))),
    MetadataField("session", "the session number", True, Value("integer", minimum=1, maximum=999_999,
                                                                 examples=(98,))),
    MetadataField("original-language", "the language of the original", True, LANGUAGE),
)
"""The keys of ``document.yaml``: the same for every edition."""
EDITION = (
    MetadataField("lang", "the edition's language", True, LANGUAGE),
    MetadataField("title", "the document title", True, MARKDOWN_TEXT),
    MetadataField("subtitle", "the subtitle", False, MARKDOWN_TEXT),
    MetadataField("session-title", "the session line", False, TEXT),
    MetadataField("title-note", "a note hanging on the title", False, MARKDOWN_TEXT),
)
"""The keys of an edition's front matter."""
DOCUMENT_FIELDS = {field.key: field.description for field in DOCUMENT}
EDITION_FIELDS = {field.key: field.description for field in EDITION}
REQUIRED_EDITION_FIELDS = tuple(field.key for field in EDITION if field.required)


def _declared(fields: tuple[MetadataField, ...]) -> dict[str, MetadataField]:
    return {field.key: field for field in fields}


TITLE_NOTE_LABEL = "title"
"""The label of the note hanging on the title (``@note:title``)."""


def _yaml_fields(
    source: SourceText, text: str, first_line: int, known: dict[str, MetadataField]
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
    """A value that must be text (any text field, or a language code before its own checks)."""
    item = fields.get(key)
    if item is None:
        return None
    if TEXT.violation(item):
        diagnostics.append(error(item.pos, f"'{key}' must be text"))
        return None
    return str(item.value).strip()


def _text(fields: dict[str, Field], field: MetadataField, diagnostics: list[Diagnostic]) -> str | None:
    """A text field checked with its declared value."""
    text = _string(fields, field.key, diagnostics)
    if text is None:
        return None
    broken = field.value.violation(fields[field.key])
    if broken == "not":
        diagnostics.append(not_text(fields[field.key].pos, field.key))
        return None
    if broken:
        diagnostics.append(error(fields[field.key].pos, f"'{field.key}' must be text"))
        return None
    return text


def _language(
    fields: dict[str, Field], field: MetadataField, diagnostics: list[Diagnostic], *, need_data: bool,
    catalogue: languages.Catalogue = languages.BUILT_IN,
) -> str | None:
    """A language code: one by its declared form, and one councildoc has data for (``need_data``)
    or at least one CLDR can name."""
    code = _string(fields, field.key, diagnostics)
    if code is None:
        return None
    item = fields[field.key]
    if field.value.violation(item) or not (
        code in catalogue.available() if need_data else languages.is_cldr_language(code)
    ):
        hint = "languages with data: " + ", ".join(catalogue.available()) if need_data else None
        diagnostics.append(error(item.pos, f"unknown language '{item.value}'", hint))
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
    declared = _declared(DOCUMENT)
    fields, diagnostics, present = _yaml_fields(source, source.text, 1, declared)
    if diagnostics and not present:
        return None, diagnostics
    for field in DOCUMENT:
        if field.required and field.key not in present:
            diagnostics.append(error(source.pos(1, 1), f"missing metadata '{field.key}' ({field.description})"))
    symbol = _text(fields, declared["symbol"], diagnostics)
    original = _language(fields, declared["original-language"], diagnostics, need_data=False)
    date = session = None
    if "date" in fields:
        item = fields["date"]
        if declared["date"].value.violation(item):
            diagnostics.append(error(item.pos, f"invalid date '{item.value}'", "write it as YYYY-MM-DD"))
        else:
            date = datetime.date.fromisoformat(item.value)
    if "session" in fields:
        item = fields["session"]
        if declared["session"].value.violation(item):
            diagnostics.append(error(item.pos, "'session' must be a positive whole number",
                                     "write it in decimal digits, e.g. 117"))
        else:
            session = int(_integer(item.value))
    if diagnostics:
        return None, diagnostics
    assert symbol and date and session is not None and original
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
        fields, diagnostics, present = _yaml_fields(source, split[0], 2, _declared(EDITION))
    if present or not diagnostics:
        for field in EDITION:
            if field.required and field.key not in present:
                diagnostics.append(error(source.pos(1, 1), f"missing metadata '{field.key}' ({field.description})"))
    declared = _declared(EDITION)
    lang = _language(fields, declared["lang"], diagnostics, need_data=True, catalogue=catalogue)
    if lang and lang != expected_lang:
        diagnostics.append(
            error(fields["lang"].pos, f"'lang' is '{lang}' but the file is named for '{expected_lang}'")
        )
    for field in EDITION:
        if field.key != "lang":
            _text(fields, field, diagnostics)
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
