"""PARSING: metadata by YAML, text by Pandoc, both into the model with positions.

Pandoc reads the Markdown (``commonmark_x`` with ``sourcepos``), so authors get
Pandoc's syntax; its AST keeps no footnote labels, so the label of each note is
read back from the source at the position Pandoc gives for the call.
"""

from __future__ import annotations

import bisect
import datetime
import difflib
import functools
import json
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from . import languages
from .diagnostics import Diagnostic, SourcePos, error
from .model import (
    Block,
    Code,
    CrossRef,
    Document,
    Emphasis,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Metadata,
    Note,
    NoteCall,
    Paragraph,
    Part,
    Quote,
    Section,
    Span,
    Strong,
    SubParagraph,
    SubParagraphList,
    Text,
)
from .read import SourceText, line_col
from .safety import MAX_YAML_CHARS, StrictLoader, control_character, describe

PANDOC_READER = (
    "commonmark_x"
    "-smart"  # keep the author's characters: quotes and dashes are typed as printed
    "-gfm_auto_identifiers-implicit_header_references"  # labels are explicit
    "-emoji-tex_math_dollars-task_lists-alerts-subscript-superscript-strikeout"
    "+fancy_lists"  # sub-paragraphs typed (a), a), a., (i)…; "B. Smith" needs two spaces to be one
    "+sourcepos"
)
"""The Markdown dialect: CommonMark with Pandoc's extensions, positions on."""

PANDOC_TIMEOUT = 30
"""Seconds Pandoc may take to read one source (it needs well under one for a council document)."""
MAX_NESTING = 8
"""How deep lists and block quotes may nest (a council paragraph has two levels at most)."""
MAX_PARAGRAPH = 100_000
"""The most characters a paragraph may have (a page holds about 3 000)."""
MAX_SOURCE = 5_000_000
"""The largest source file read, in characters."""
MAX_HEADING_LEVEL = 3
"""The deepest heading the build numbers: I. (``#``), A. (``##``), 1. (``###``)."""
MAX_SUBPARAGRAPH_DEGREE = 4
"""(a), (i), a., i.: the four degrees of sub-paragraphs the UN editorial manual defines."""
MAX_NOTES = 5_000
"""The most notes a document may define (MC/INF/298 has a few dozen)."""
MAX_REFERENCES = 50_000
"""The most ``@kind:label`` references a document may make."""
MAX_ANNEXES = 200
"""The most annexes a document may have (with :data:`MAX_SOURCE`, this bounds the pages a PDF can have)."""

REFERENCE_KINDS = {"note": "note", "para": "paragraph", "sec": "section", "annex": "annex"}
"""Reference prefixes (pandoc-crossref style) and what they name in messages."""

_REFERENCE = re.compile(r"@([A-Za-z]+):(\w+(?:[-.:/]\w+)*)")
_BARE_REFERENCE = re.compile(r"(?<![\w.@\\])@(\w[\w-]*)(?![\w:-])")
_UNDEFINED_NOTE = re.compile(r"\[\^([^\]\s]+)\]")
_NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_DATA_POS = re.compile(r"(\d+):(\d+)-(\d+):(\d+)$")

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


# --------------------------------------------------------------------------
# YAML metadata


@dataclass
class _Field:
    value: Any
    pos: SourcePos
    tag: str


def _yaml_fields(
    source: SourceText, text: str, first_line: int, known: dict[str, str]
) -> tuple[dict[str, _Field], list[Diagnostic], set[str]]:
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
    fields: dict[str, _Field] = {}
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
        fields[key] = _Field(value_node.value, value_pos, value_node.tag)
    return fields, diagnostics, present


def _string(fields: dict[str, _Field], key: str, diagnostics: list[Diagnostic]) -> str | None:
    item = fields.get(key)
    if item is None:
        return None
    if not item.tag.endswith(":str") or not str(item.value).strip():
        diagnostics.append(error(item.pos, f"'{key}' must be text"))
        return None
    return str(item.value).strip()


def _language(
    fields: dict[str, _Field], key: str, diagnostics: list[Diagnostic], *, need_data: bool,
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


# --------------------------------------------------------------------------
# Pandoc AST → model


def _attr(node: dict) -> tuple[str, list[str], dict[str, str]]:
    identifier, classes, pairs = node["c"][0] if node["t"] in ("Div", "Span") else node["c"][1]
    return identifier, classes, dict(pairs)


@dataclass
class _TextRun:
    """Consecutive text with the source position of each piece, for finding references."""

    pieces: list[tuple[str, SourcePos]] = field(default_factory=list)


class _Converter:
    """Walks Pandoc's JSON AST once, building model nodes and collecting notes in call order."""

    def __init__(self, source: SourceText, lang: str) -> None:
        self.source = source
        self.lines = source.text.split("\n")
        self.lang = lang
        self.diagnostics: list[Diagnostic] = []
        self.notes: list[Note] = []
        self.in_note = False
        self.depth = 0
        self.degree = 0
        """The degree of the sub-paragraphs being read (0 outside any)."""
        self.labels: set[str] = set()
        """Every label that found its node, to catch one that Pandoc dropped."""

    # -- positions ------------------------------------------------------

    def pos_of(self, attrs: dict[str, str], fallback: SourcePos) -> SourcePos:
        match = _DATA_POS.search(attrs.get("data-pos", ""))
        return self.source.pos(int(match[1]), int(match[2])) if match else fallback

    def check_attributes(self, attrs: dict[str, Any], pos: SourcePos, what: str,
                         classes: tuple[str, ...] = (), keys: tuple[str, ...] = ()) -> None:
        """Refuse attributes the pipeline does not know (``style=`` and the like)."""
        for name in attrs.get("classes", []):
            if name not in classes:
                self.diagnostics.append(error(pos, f"class '.{name}' is not supported on {what}",
                                              "known: " + (", ".join(f".{c}" for c in classes) or "none")))
        for name in attrs:
            if name not in ("id", "classes", "data-pos", "wrapper", *keys):
                self.diagnostics.append(error(pos, f"attribute '{name}' is not supported on {what}"))

    def unsupported(self, what: str, pos: SourcePos, hint: str | None = None) -> None:
        self.diagnostics.append(error(pos, f"{what} is not supported", hint))

    # -- inlines ----------------------------------------------------------

    def inlines(self, nodes: list[dict], pos: SourcePos) -> tuple[Inline, ...]:
        out: list[Inline | _TextRun] = []
        self._inlines(nodes, pos, out)
        return tuple(self._finish(out))

    def _text(self, out: list, text: str, pos: SourcePos) -> None:
        if out and isinstance(out[-1], _TextRun):
            out[-1].pieces.append((text, pos))
        else:
            out.append(_TextRun([(text, pos)]))

    def _inlines(self, nodes: list[dict], pos: SourcePos, out: list) -> None:
        for node in nodes:
            kind = node["t"]
            if kind in ("Image", "Link", "Code"):
                pos = self.pos_of(dict(node["c"][0][2]), pos)
            if kind == "Span":
                identifier, classes, attrs = _attr(node)
                here = self.pos_of(attrs, pos)
                if attrs.get("wrapper") == "1" and not identifier and not classes:
                    self._inlines(node["c"][1], here, out)
                elif "lang" in attrs and not identifier and not classes:
                    if not languages.is_cldr_language(attrs["lang"]):
                        self.diagnostics.append(error(here, f"unknown language '{attrs['lang'][:40]}'"))
                    out.append(Span(self.inlines(node["c"][1], here), attrs["lang"]))
                elif "entry" in classes:
                    self.diagnostics.append(error(
                        here, "an entry lead-in must open its paragraph", "start the paragraph with [Term]{.entry}"
                    ))
                else:
                    self.unsupported("this span", here, "only [text]{lang=xx} and [Term]{.entry} are known")
            elif kind == "Str":
                self._text(out, node["c"], pos)
            elif kind in ("Space", "SoftBreak"):
                self._text(out, " ", pos)
            elif kind == "LineBreak":
                out.append(LineBreak())
            elif kind == "Emph":
                out.append(Emphasis(self.inlines(node["c"], pos)))
            elif kind == "Strong":
                out.append(Strong(self.inlines(node["c"], pos)))
            elif kind == "Code":
                out.append(Code(node["c"][1]))
            elif kind == "Link":
                url = node["c"][2][0]
                if not re.match(r"(?i)(https?:|mailto:)", url):
                    self.diagnostics.append(error(
                        pos, f"a link may point only to an http:, https: or mailto: address, not '{url[:60]}'",
                        "link to the published address of the document",
                    ))
                out.append(Link(self.inlines(node["c"][1], pos), url))
            elif kind == "Note":
                out.append(self.note(node, pos))
            elif kind == "Image":
                self.unsupported("an image", pos, "councildoc documents carry no images yet")
            elif kind == "RawInline":
                self.unsupported(f"raw {node['c'][0]} ('{node['c'][1].strip()[:40]}')", pos, "write plain text")
            elif kind == "Math":
                self.unsupported("math", pos)
            else:
                self.unsupported(f"{kind} markup", pos)

    def note(self, node: dict, pos: SourcePos) -> NoteCall:
        label = self._call_label(pos)
        if self.in_note:
            self.diagnostics.append(error(pos, f"note [^{label}] is called inside another note"))
            return NoteCall(label, pos)
        self.in_note = True
        outer, self.degree = self.degree, 0  # a note called from a sub-paragraph starts its own degrees
        blocks = self.note_blocks(node["c"], pos)
        self.in_note, self.degree = False, outer
        first = _first_pos(node["c"])
        definition = self.source.pos(first.line if first else pos.line, 1) if first else pos
        self.notes.append(Note(label, blocks, definition, pos))
        return NoteCall(label, pos)

    def _call_label(self, pos: SourcePos) -> str:
        line = self.lines[pos.line - 1] if pos.line <= len(self.lines) else ""
        match = re.match(r"\[\^([^\]]+)\]", line[pos.column - 1 :])
        return match[1] if match else "?"

    def note_blocks(self, nodes: list[dict], pos: SourcePos) -> tuple[Block, ...]:
        blocks: list[Block] = []
        for node, _, here in self.unwrap_all(nodes, pos):
            if node["t"] in ("Para", "Plain"):
                self.check_typed_subparagraphs(node["c"], here)
                blocks.append(Paragraph(self.inlines(node["c"], here), here, numbered=False))
            elif node["t"] in ("BulletList", "OrderedList", "BlockQuote"):
                blocks.append(self.attachment(node, here))
            elif node["t"] == "Header":
                self.diagnostics.append(error(here, "a heading cannot stand inside a note, a list or a quote"))
            else:
                self.unsupported(f"{_BLOCK_NAMES.get(node['t'], node['t'])} in a note, a list or a quote", here)
        return tuple(blocks)

    def escaped(self, where: SourcePos) -> bool:
        """Whether the author wrote a backslash before the character at ``where``."""
        line = self.lines[where.line - 1] if where.line <= len(self.lines) else ""
        # The position is the character's, or that of the backslash before it (Pandoc's piece starts there).
        return line[where.column - 1 : where.column] == "\\" or (
            where.column >= 2 and line[where.column - 2 : where.column - 1] == "\\")

    def _finish(self, out: list[Inline | _TextRun]) -> list[Inline]:
        """Merge text runs and split out the ``@kind:label`` references in them."""
        result: list[Inline] = []
        for item in out:
            if not isinstance(item, _TextRun):
                result.append(item)
                continue
            text = "".join(piece for piece, _ in item.pieces)
            starts, offset = [], 0
            for piece, pos in item.pieces:
                starts.append((offset, pos))
                offset += len(piece)

            position = _position_finder(starts)

            # An asterisk that could open or close emphasis but found no pair (not "7*7", not "a * b").
            for match in re.finditer(r"(?<!\S)\*+(?=\S)|(?<=\S)\*+(?!\w)", text):
                where = position(match.start())
                if self.escaped(where):
                    continue  # written \* on purpose
                self.diagnostics.append(error(where, f"unmatched '{match[0]}': emphasis opened or closed "
                                                     "without its pair", "close it, or write \\* for an asterisk"))
            for match in _UNDEFINED_NOTE.finditer(text):
                self.diagnostics.append(
                    error(position(match.start()), f"note [^{match[1]}] is called but never defined")
                )
            for match in _BARE_REFERENCE.finditer(text):
                if self.escaped(position(match.start())):
                    continue
                self.diagnostics.append(error(
                    position(match.start()), f"'@{match[1]}' is not a reference: a reference names its kind",
                    "write @sec:, @para:, @note: or @annex: before the label, or \\@ for an at sign"))
            last = 0
            for match in _REFERENCE.finditer(text):
                kind, name = match[1], match[2]
                if kind not in REFERENCE_KINDS:
                    self.diagnostics.append(
                        error(
                            position(match.start()),
                            f"unknown reference kind '@{kind}:'",
                            "references are @" + ", @".join(f"{k}:" for k in REFERENCE_KINDS),
                        )
                    )
                    continue
                if match.start() > last:
                    result.append(Text(text[last : match.start()]))
                result.append(CrossRef(kind, name, position(match.start())))
                last = match.end()
            if last < len(text):
                result.append(Text(text[last:]))
        return result

    # -- blocks -------------------------------------------------------------

    def unwrap_all(self, nodes: list[dict], pos: SourcePos):
        """Each block with its attributes and position, Pandoc's wrapper divs removed."""
        for node in nodes:
            yield self.unwrap(node, pos)

    def unwrap(self, node: dict, pos: SourcePos) -> tuple[dict, dict[str, Any], SourcePos]:
        if node["t"] == "Div":
            identifier, classes, attrs = _attr(node)
            if attrs.get("wrapper") == "1" and len(node["c"][1]) == 1:
                inner, inner_attrs, _ = self.unwrap(node["c"][1][0], pos)
                # Block attributes written before a paragraph ({#para:x .unnumbered}) sit on the wrapper.
                merged = {
                    "id": identifier or inner_attrs.get("id", ""),
                    "classes": classes + inner_attrs.get("classes", []),
                    **{k: v for k, v in attrs.items() if k not in ("wrapper", "data-pos")},
                }
                return inner, merged, self.pos_of(attrs, pos)
            return node, {"id": identifier, "classes": classes, **attrs}, self.pos_of(attrs, pos)
        if node["t"] == "Header":
            identifier, classes, attrs = _attr(node)
            return node, {"id": identifier, "classes": classes, **attrs}, self.pos_of(attrs, pos)
        if node["t"] in ("CodeBlock", "Table", "Figure"):
            return node, {"id": "", "classes": []}, self.pos_of(dict(node["c"][0][2]), pos)
        return node, {"id": "", "classes": []}, pos

    def attachment(self, node: dict, pos: SourcePos) -> Block:
        self.depth += 1
        try:
            if self.depth > MAX_NESTING:
                if self.depth == MAX_NESTING + 1:
                    self.diagnostics.append(error(
                        pos, f"lists and quotes nest more than {MAX_NESTING} deep", "flatten them"))
                return Quote((), pos)
            if node["t"] == "BlockQuote":
                return Quote(self.note_blocks(node["c"], pos), pos)
            if node["t"] == "OrderedList":
                return self.subparagraphs(node, pos)
            return ListBlock(tuple(self.note_blocks(item, pos) for item in node["c"]), pos)
        finally:
            self.depth -= 1

    def subparagraphs(self, node: dict, pos: SourcePos) -> SubParagraphList:
        """An ordered list: sub-paragraphs of the next degree, lettered by the build."""
        (start, style, _), items = node["c"]
        if start != 1:
            typed = {"Decimal": str(start), "LowerAlpha": chr(ord("a") + start - 1) if start <= 26 else str(start),
                     "UpperAlpha": chr(ord("A") + start - 1) if start <= 26 else str(start)}.get(style["t"], start)
            self.diagnostics.append(error(
                pos, f"a list that starts at '{typed}' is read as sub-paragraphs lettered by the build",
                "start sub-paragraphs with (a) or 1.; a line that starts with a number or a letter and a full "
                f"stop is a list in Markdown: write {typed}\\. to keep it text"))
        self.degree += 1
        try:
            if self.degree > MAX_SUBPARAGRAPH_DEGREE:
                self.diagnostics.append(error(
                    pos, f"sub-paragraphs nest {self.degree} deep; the UN editorial manual defines four degrees "
                         "((a), (i), a., i.)", "restructure the text, or make the deeper items a bulleted list"))
            subs = []
            for item in items:
                label = None
                here = pos
                if item:
                    _, attrs, here = self.unwrap(item[0], pos)
                    label = attrs.get("id") or None
                    self.labels.add(label or "")  # it reached a node, even if refused below
                    if label and not label.startswith("para:"):
                        self.diagnostics.append(error(
                            here, f"a sub-paragraph's label must start with 'para:', not '{label}'"))
                        label = None
                    self.check_attributes(attrs, here, "a sub-paragraph")
                subs.append(SubParagraph(self.note_blocks(item, here), here, label))
            return SubParagraphList(tuple(subs), self.degree, pos)
        finally:
            self.degree -= 1

    def paragraph(self, node: dict, attrs: dict[str, Any], pos: SourcePos) -> Paragraph:
        self.check_attributes(attrs, pos, "a paragraph", ("unnumbered",))
        nodes = node["c"]
        term = None
        first, first_attrs, _ = self._first_inline(nodes)
        if first is not None and first["t"] == "Span" and "entry" in _attr(first)[1]:
            term_pos = self.pos_of(first_attrs, pos)
            term = self.inlines(first["c"][1], term_pos)
            self.check_entry_term(term, term_pos)
            nodes = nodes[1:]
        label = attrs.get("id") or None
        self.labels.add(label or "")  # it reached a node, even if refused below
        if label and not label.startswith("para:"):
            self.diagnostics.append(error(pos, f"a paragraph's label must start with 'para:', not '{label}'"))
            label = None
        self.check_typed_subparagraphs(nodes, pos)
        inlines = self.inlines(nodes, pos)
        length = sum(len(i.text) for i in inlines if isinstance(i, Text))
        if length > MAX_PARAGRAPH:
            self.diagnostics.append(error(pos, f"paragraph of {length:,} characters (at most {MAX_PARAGRAPH:,})",
                                          "split it: a page holds about 3,000 characters"))
        if inlines and isinstance(inlines[0], Text) and term is not None:
            inlines = (Text(inlines[0].text.lstrip()), *inlines[1:])
        return Paragraph(inlines, pos, label, "unnumbered" not in attrs.get("classes", []), term)

    def check_entry_term(self, term: tuple[Inline, ...], pos: SourcePos) -> None:
        """The build sets an entry's term in bold and adds its separator: the author writes neither."""
        if any(not isinstance(inline, Text) for inline in term):
            self.diagnostics.append(error(pos, "an entry's term is set in bold by the build: write it without markup",
                                          "[Kenya]{.entry}, not [**Kenya**]{.entry}"))
        text = "".join(inline.text for inline in term if isinstance(inline, Text)).strip()
        if text.endswith((":", "\u00a0:")):
            self.diagnostics.append(error(pos, "an entry's term ends with ':': the build adds the separator",
                                          "write [Kenya]{.entry}, not [Kenya:]{.entry}"))
        if not term:
            self.diagnostics.append(error(pos, "an entry's term is empty"))

    def check_typed_subparagraphs(self, nodes: list[dict], pos: SourcePos) -> None:
        """``(a)`` typed on a line of its own inside a paragraph: Markdown does not start a list
        there, and the text would print as one paragraph with the author's letters in it."""
        flat = list(_leaves(nodes))
        for index, (node, _) in enumerate(flat):
            if node["t"] != "SoftBreak":
                continue
            word = ""
            for following, _ in flat[index + 1 :]:  # sourcepos splits "(a)" into "(", "a", ")"
                if following["t"] != "Str":
                    break
                word += following["c"]
            if _TYPED_MARKER.match(word):
                self.diagnostics.append(error(
                    self.pos_of(flat[index + 1][1], pos),
                    f"'{word}' starts a line inside a paragraph: sub-paragraphs are a list",
                    "leave a blank line before each sub-paragraph (before a nested one too); "
                    "the build letters them itself"))
                return

    def _first_inline(self, nodes: list[dict]) -> tuple[dict | None, dict[str, str], None]:
        """The first inline, looking through Pandoc's position wrappers."""
        if not nodes:
            return None, {}, None
        node = nodes[0]
        if node["t"] == "Span":
            identifier, classes, attrs = _attr(node)
            if attrs.get("wrapper") == "1" and not classes and node["c"][1]:
                inner, _, _ = self._first_inline(node["c"][1])
                return inner, attrs, None
            return node, attrs, None
        return node, {}, None

    def part_children(self, nodes: list[dict], pos: SourcePos, *, annex: bool) -> tuple[Block | Section, ...]:
        """Paragraphs and nested sections from a flat run of blocks."""
        top: list[Block | Section] = []
        # open sections: (level, fields, children)
        stack: list[tuple[int, dict[str, Any], list]] = []

        def close_to(level: int) -> None:
            while stack and stack[-1][0] >= level:
                lvl, info, children = stack.pop()
                section = Section(lvl, info["title"], info["pos"], tuple(children), info["label"], info["numbered"])
                (stack[-1][2] if stack else top).append(section)

        def current() -> list:
            return stack[-1][2] if stack else top

        for node, attrs, here in self.unwrap_all(nodes, pos):
            kind = node["t"]
            if kind == "Header":
                level = node["c"][0]
                if level > MAX_HEADING_LEVEL:
                    self.diagnostics.append(error(
                        here, f"a level-{level} heading: the build numbers headings to level {MAX_HEADING_LEVEL} "
                              "(# I., ## A., ### 1.)",
                        "use ### at most; below that, write sub-paragraphs (a), (b)… or an unnumbered paragraph"))
                    level = MAX_HEADING_LEVEL
                label = attrs.get("id") or None
                self.labels.add(label or "")  # it reached a node, even if refused below
                if label and not label.startswith("sec:"):
                    self.diagnostics.append(error(here, f"a heading's label must start with 'sec:', not '{label}'"))
                    label = None
                classes = attrs.get("classes", [])
                self.check_attributes(attrs, here, "a heading", ("numbered",) if annex else ("unnumbered",))
                numbered = ("numbered" in classes) if annex else ("unnumbered" not in classes)
                close_to(level)
                title = self.inlines(node["c"][2], here)
                stack.append((level, {"title": title, "pos": here, "label": label, "numbered": numbered}, []))
            elif kind in ("Para", "Plain"):
                current().append(self.paragraph(node, attrs, here))
            elif kind in ("BulletList", "OrderedList", "BlockQuote"):
                siblings = current()
                if siblings and isinstance(siblings[-1], Paragraph):
                    previous = siblings[-1]
                    siblings[-1] = Paragraph(
                        previous.inlines, previous.pos, previous.label, previous.numbered, previous.term,
                        (*previous.attachments, self.attachment(node, here)),
                    )
                else:
                    what = "a block quote" if kind == "BlockQuote" else "a list"
                    hint = "write the paragraph before it"
                    if kind == "OrderedList":
                        hint += "; a line that starts with a number and a full stop is a numbered list " \
                                "in Markdown: write 1150\\. to keep it text"
                    self.diagnostics.append(error(here, f"{what} must follow the paragraph it belongs to", hint))
            elif kind == "Div" and "annex" in attrs.get("classes", []):
                self.diagnostics.append(error(here, "an annex must stand at the top level, after the body"))
            elif kind == "RawBlock":
                self.unsupported(f"a raw {node['c'][0]} block", here, "write plain text")
            elif kind == "Div":
                self.unsupported("this fenced div", here, "only ::: {.annex} divs are known")
            else:
                self.unsupported(_BLOCK_NAMES.get(kind, kind), here, _BLOCK_HINTS.get(kind))
        close_to(1)
        return tuple(top)


_TYPED_MARKER = re.compile(r"^(?:\(?(?:[a-z]|[ivx]{1,5}|\d{1,2})\)|(?:[a-z]|[ivx]{1,5})\.)$")
"""A sub-paragraph marker as authors type it: (a) a) a. (iv) iv) iv. (1) 1)."""


def _leaves(nodes: list[dict], attrs: dict[str, str] | None = None):
    """Each inline leaf with the attributes of the position wrapper around it."""
    for node in nodes:
        if node["t"] == "Span" and dict(node["c"][0][2]).get("wrapper") == "1":
            yield from _leaves(node["c"][1], dict(node["c"][0][2]))
        else:
            yield node, attrs or {}


def _position_finder(starts: list[tuple[int, SourcePos]]) -> Callable[[int], SourcePos]:
    """Maps an index into merged text back to the source position of that character.

    ``starts`` is in increasing order of offset; a lookup is a bisection (a scan per lookup
    made 20 000 references in one paragraph take a minute).
    """
    offsets = [offset for offset, _ in starts]

    def position(index: int) -> SourcePos:
        start, pos = starts[bisect.bisect_right(offsets, index) - 1]
        return pos.shifted(index - start)

    return position


_BLOCK_NAMES = {
    "CodeBlock": "a code block",
    "Table": "a table",
    "HorizontalRule": "a horizontal rule",
    "DefinitionList": "a definition list",
    "LineBlock": "a line block",
    "Figure": "a figure",
}


_BLOCK_HINTS = {"Table": "this version of councildoc writes no tables: set the figures out in paragraphs"}


def _first_pos(nodes: list[dict]) -> SourcePos | None:
    """The first ``data-pos`` inside ``nodes`` (a note's definition)."""
    text = json.dumps(nodes)
    match = re.search(r'"data-pos", "(\d+):(\d+)-', text)
    return SourcePos("", int(match[1]), int(match[2])) if match else None


# --------------------------------------------------------------------------
# Edition


@functools.cache
def pandoc_path() -> str:
    """The Pandoc that pypandoc-binary bundles (never one found on the machine's PATH)."""
    import pypandoc

    return pypandoc.get_pandoc_path()


def run_pandoc(text: str) -> tuple[dict | None, str]:
    """Pandoc's JSON AST of ``text``, or the message Pandoc gave.

    Pandoc runs sandboxed: nothing a source says can make it read a file or fetch a URL.
    It is called directly (half the time of a call through pypandoc's helpers).
    """
    try:
        result = subprocess.run(
            [pandoc_path(), "--sandbox", "--from", PANDOC_READER, "--to", "json"],
            input=text.encode("utf-8"), capture_output=True, timeout=PANDOC_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return None, f"Pandoc took more than {PANDOC_TIMEOUT} s to read it (a pathological source?)"
    except (OSError, subprocess.SubprocessError) as exc:
        return None, str(exc).strip()
    if result.returncode != 0:
        return None, result.stderr.decode("utf-8", errors="replace").strip()
    try:
        return json.loads(result.stdout), ""
    except RecursionError:
        return None, "the document nests too deep to read"


_MARKDOWN_FIELDS = ("title", "subtitle", "title-note")
"""Edition metadata that Pandoc reads as Markdown."""
_BLOCK_START = re.compile(r"^ {0,3}(?:[-+*>#]|\d+[.)])(?:\s|$)", re.M)


def _not_text(pos: SourcePos, key: str) -> Diagnostic:
    """A metadata value that Markdown reads as a list, quote or heading (Pandoc drops the marker)."""
    return error(pos, f"'{key}' must be text, but Markdown reads it as a list, quote or heading",
                 "write '\\-', '\\>' or '\\#' for a leading '-', '>' or '#' (in single quotes)")


def parse_edition(
    source: SourceText, info: DocumentInfo, name: str, expected_lang: str,
    catalogue: languages.Catalogue = languages.BUILT_IN,
) -> tuple[Document | None, list[Diagnostic]]:
    """One edition's source → an unnumbered :class:`Document`."""
    split = _split_front_matter(source)
    if split is None:
        if source.text.split("\n", 1)[0].rstrip() == "---":
            return None, [error(source.pos(1, 1), "YAML front matter opened here is never closed",
                                "end it with a '---' line")]
        # Still read the body, so that its problems are reported with this one.
        split = ("", 1)
        diagnostics = [error(source.pos(1, 1), "missing YAML front matter", "start the file with a '---' block")]
        fields, present = {}, set()
    else:
        fields, diagnostics, present = _yaml_fields(source, split[0], 2, EDITION_FIELDS)
    body_line = split[1]
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
            diagnostics.append(_not_text(fields[key].pos, key))
    # A broken front matter does not hide the body's problems: the body is read in the language
    # the file is named for, and nothing is built from it.
    metadata_failed = bool(diagnostics)
    if lang is None or metadata_failed:
        lang = expected_lang if expected_lang in catalogue.available() else "en"

    if len(source.text) > MAX_SOURCE:
        return None, [*diagnostics,
                      error(source.pos(1, 1), f"file of {len(source.text):,} characters (at most {MAX_SOURCE:,})")]
    refused = (_check_depth(source) + _check_counts(source) + _check_character_references(source)
               + _calls_inside_notes(source))
    if refused:
        return None, diagnostics + refused
    edition = catalogue.load(lang)
    text = source.text
    if metadata_failed:  # Pandoc would stop at the same front matter: read the body alone, lines kept
        lines = text.split("\n")
        text = "\n".join([""] * (body_line - 1) + lines[body_line - 1 :])
    ast, message = run_pandoc(text)
    if ast is None:
        return None, [*diagnostics, error(source.pos(body_line), f"Pandoc could not read the file: {message}")]
    metadata_diagnostics = diagnostics

    converter = _Converter(source, lang)
    meta = ast.get("meta", {})

    def meta_inlines(key: str) -> tuple[Inline, ...] | None:
        if key not in fields:
            return None
        value = meta.get(key, {})
        nodes = value.get("c", []) if value.get("t") == "MetaInlines" else []
        if value.get("t") == "MetaBlocks":
            # Pandoc reads a metadata value as Markdown: paragraphs are joined by a space; a
            # value that reads as a list, quote or heading ("- item", "> …", "# …") is refused.
            if any(block.get("t") not in ("Para", "Plain") for block in value["c"]):
                converter.diagnostics.append(_not_text(fields[key].pos, key))
                return None
            paragraphs = [block["c"] for block in value["c"]]
            nodes = [node for index, inlines in enumerate(paragraphs)
                     for node in ([{"t": "Space"}] if index else []) + inlines]
        return converter.inlines(nodes, fields[key].pos)

    title = meta_inlines("title") or ()
    subtitle = meta_inlines("subtitle")
    if "title-note" in fields:
        note_pos = fields["title-note"].pos
        converter.in_note = True
        note_text = meta_inlines("title-note") or ()
        converter.in_note = False
        converter.notes.append(
            Note(TITLE_NOTE_LABEL, (Paragraph(note_text, note_pos, numbered=False),), note_pos,
                 fields["title"].pos if "title" in fields else note_pos)
        )

    body_nodes: list[dict] = []
    annex_nodes: list[tuple[dict, dict[str, Any], SourcePos]] = []
    for raw in ast["blocks"]:
        node, attrs, here = converter.unwrap(raw, source.pos(body_line))
        if node["t"] == "Div" and "annex" in attrs.get("classes", []):
            annex_nodes.append((node, attrs, here))
        elif annex_nodes:
            converter.diagnostics.append(
                error(here, "body text after an annex", "annexes come last: move this before the first annex")
            )
        else:
            body_nodes.append(raw)

    body_children = converter.part_children(body_nodes, source.pos(body_line), annex=False)
    parts = [Part("body", body_children, tuple(converter.notes), source.pos(body_line), lang, edition)]
    for node, attrs, here in annex_nodes:
        converter.notes = []
        converter.check_attributes(attrs, here, "an annex", ("annex",), ("lang",))
        annex_lang = attrs.get("lang", lang)
        if not languages.is_cldr_language(annex_lang):
            converter.diagnostics.append(error(here, f"unknown language '{annex_lang}'"))
            annex_lang = lang
        label = attrs.get("id") or None
        converter.labels.add(label or "")  # it reached a node, even if refused below
        if label and not label.startswith("annex:"):
            converter.diagnostics.append(error(here, f"an annex's label must start with 'annex:', not '{label}'"))
            label = None
        inner = node["c"][1]
        annex_title = None
        if inner:
            first, _, first_pos = converter.unwrap(inner[0], here)
            if first["t"] == "Header" and first["c"][0] == 1:
                annex_title = converter.inlines(first["c"][2], first_pos)
                inner = inner[1:]
        children = converter.part_children(inner, here, annex=True)
        parts.append(Part("annex", children, tuple(converter.notes), here, annex_lang,
                          catalogue.load_or(annex_lang, edition), label, annex_title))

    diagnostics = (metadata_diagnostics + converter.diagnostics + _check_note_definitions(source, parts)
                   + _check_divs(source) + _check_grid_tables(source) + _check_lost_labels(source, converter.labels))
    metadata = Metadata(
        symbol=info.symbol,
        date=info.date,
        session=info.session,
        original_lang=info.original_lang,
        lang=lang,
        title=title,
        subtitle=subtitle,
        session_title=(
            fields["session-title"].value.strip() if "session-title" in fields
            else edition.spelt_session(info.session)
        ),
        title_note=TITLE_NOTE_LABEL if "title-note" in fields else None,
    )
    return Document(name, source.path, metadata, edition, catalogue, tuple(parts)), diagnostics


_GRID_TABLE_RULE = re.compile(r"^ {0,3}\+(?:[-=:]+\+)+\s*$")
_LABEL_WRITTEN = re.compile(r"\{#([A-Za-z]+:[^\s}]+)")


def _check_grid_tables(source: SourceText) -> list[Diagnostic]:
    """A grid table is not Markdown that Pandoc's CommonMark reader knows: it would print as text."""
    for number, line in enumerate(source.text.split("\n"), start=1):
        if _GRID_TABLE_RULE.match(line):
            return [error(source.pos(number, 1), "a grid table is not supported yet",
                          "this version of councildoc writes no tables: set the figures out in paragraphs")]
    return []


def _check_lost_labels(source: SourceText, found: set[str]) -> list[Diagnostic]:
    """A ``{#kind:label}`` that reached no node (Pandoc drops some without a word, such as one
    written after a list marker on the item's first line)."""
    diagnostics = []
    in_fence = False
    for number, line in enumerate(source.text.split("\n"), start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        for match in [] if in_fence else _LABEL_WRITTEN.finditer(line):
            if match[1] not in found and not match[1].startswith("note:"):
                diagnostics.append(error(
                    source.pos(number, match.start() + 1), f"the label {{#{match[1]}}} is attached to nothing",
                    "write a label alone on the line before its paragraph or heading; in a sub-paragraph, "
                    "alone after the marker, the text on the next line indented to where the label starts: "
                    "'(b) {#para:x}' then '    The text…'"))
    return diagnostics


_QUOTES = re.compile(r"^(?:\s*>)+")
_LIST_ITEM = re.compile(r"^( *)(?:[-+*]|\d+[.)])\s")


def _check_depth(source: SourceText) -> list[Diagnostic]:
    """Lists and quotes nested past reason are refused before Pandoc reads them (a hostile
    source nests hundreds deep to exhaust the reader)."""
    for number, line in enumerate(source.text.split("\n"), start=1):
        quotes = _QUOTES.match(line)
        depth = quotes[0].count(">") if quotes else 0
        item = _LIST_ITEM.match(line)
        if item:
            depth = max(depth, len(item[1]) // 2 + 1)
        if depth > MAX_NESTING:
            return [error(source.pos(number, 1), f"lists and quotes nest more than {MAX_NESTING} deep",
                          "flatten them")]
    return []


_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _check_character_references(source: SourceText) -> list[Diagnostic]:
    """``&#1;`` and the like: Markdown turns them into the characters read.py refuses."""
    found = []
    for match in _CHARACTER_REFERENCE.finditer(source.text):
        code = int(match[1], 16) if match[1] else int(match[2])
        if code != 0 and (code > 0x10FFFF or control_character(chr(code))):  # &#0; becomes U+FFFD
            line, column = line_col(source.text[: match.start()])
            found.append(error(source.pos(line, column), f"the character reference {match[0]} stands for a "
                                                         "character no document format can carry",
                               "delete it"))
    return found


_ANNEX_FENCE = re.compile(r"^ {0,3}:{3,}\s*\{[^}\n]*\.annex\b", re.M)


def _check_counts(source: SourceText) -> list[Diagnostic]:
    """Notes, references and annexes past any real document's count are refused before Pandoc
    reads them (tens of thousands of them cost minutes and gigabytes)."""
    counted = (
        ("notes", "MAX_NOTES", MAX_NOTES, [(line, column) for _, line, column in _note_definitions(source)]),
        ("references", "MAX_REFERENCES", MAX_REFERENCES, _REFERENCE.finditer(source.text)),
        ("annexes", "MAX_ANNEXES", MAX_ANNEXES, _ANNEX_FENCE.finditer(source.text)),
    )
    found = []
    for what, name, limit, places in counted:
        for count, place in enumerate(places, start=1):
            if count > limit:
                line, column = place if isinstance(place, tuple) else line_col(source.text[: place.start()])
                found.append(error(source.pos(line, column), f"more than {limit:,} {what} in one document",
                                   f"the limit is councildoc.parse.{name}; split the document"))
                break
    return found


_DIV_FENCE = re.compile(r"^ {0,3}(:{3,})\s*(.*?)\s*$")


def _check_divs(source: SourceText) -> list[Diagnostic]:
    """A fenced div left open runs to the end of the file in Pandoc, without a word: say it."""
    opened: list[int] = []
    in_fence = False
    for number, line in enumerate(source.text.split("\n"), start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _DIV_FENCE.match(line)
        if not match:
            continue
        if match[2]:
            opened.append(number)
        elif opened:
            opened.pop()
    return [error(source.pos(number, 1), "fenced div opened here is never closed", "end it with a ':::' line")
            for number in opened]


def _note_definitions(source: SourceText) -> list[tuple[str, int, int]]:
    """Every ``[^label]:`` definition in the source: label, line, column."""
    found = []
    in_fence = False
    for number, line in enumerate(source.text.split("\n"), start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _NOTE_DEFINITION.match(line)
        if match:
            found.append((match[1], number, line.index("[^") + 1))
    return found


def _calls_inside_notes(source: SourceText) -> list[Diagnostic]:
    """A note called inside a note definition.

    Checked before Pandoc reads the file: Pandoc drops such a call without a word,
    and a note that calls itself (``[^a]: see [^a]``) sends it into an endless loop.
    A definition runs on to the next blank line, and over the indented lines after it.
    """
    lines = source.text.split("\n")
    found = []
    for _, number, column in _note_definitions(source):
        index = number - 1
        start = lines[index].index("]:", column) + 2
        while index < len(lines):
            line = lines[index]
            for inner in _UNDEFINED_NOTE.finditer(line, start):
                found.append(error(source.pos(index + 1, inner.start() + 1),
                                   f"note [^{inner[1]}] is called inside another note"))
            index, start = index + 1, 0
            if index < len(lines) and not lines[index].strip():
                while index < len(lines) and not lines[index].strip():
                    index += 1
                if index >= len(lines) or not lines[index].startswith(("    ", "\t")):
                    break
            elif index < len(lines) and _NOTE_DEFINITION.match(lines[index]):
                break
    return found


def _check_note_definitions(source: SourceText, parts: list[Part]) -> list[Diagnostic]:
    """What Pandoc passes over in silence: notes never called, or defined twice."""
    called = {note.label for part in parts for note in part.notes}
    seen: dict[str, int] = {}
    diagnostics = []
    for label, number, column in _note_definitions(source):
        if label in seen:
            diagnostics.append(
                error(source.pos(number, column), f"note [^{label}] is defined twice",
                      f"first defined on line {seen[label]}")
            )
            continue
        seen[label] = number
        if label not in called:
            diagnostics.append(error(source.pos(number, column), f"note [^{label}] is defined but never called"))
    return diagnostics
