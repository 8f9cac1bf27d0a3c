"""Pandoc: running it, and typed access to the JSON AST it returns.

Pandoc's JSON gives each node as ``{"t": type, "c": content}``, the content a list whose
meaning depends on the type. This module is the only place that knows those layouts:
the converter reads ``pandoc.Header.read(node).level``, never ``node["c"][0]``.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Self

from ..collector import paused

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

Node = dict[str, Any]
"""A node of Pandoc's JSON AST."""


@functools.cache
def pandoc_path() -> str:
    """The Pandoc that pypandoc-binary bundles (never one found on the machine's PATH)."""
    import pypandoc

    return pypandoc.get_pandoc_path()


def _pandoc_json(text: str) -> tuple[str | None, str]:
    """Pandoc's JSON of ``text`` as text, or None and the message Pandoc gave.

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
    return result.stdout.decode("utf-8", "surrogatepass"), ""  # as json.loads decodes bytes


TOO_DEEP = "the document nests too deep to read"


def run_pandoc(text: str) -> tuple[dict | None, str]:
    """Pandoc's JSON AST of ``text``, decoded whole, or the message Pandoc gave."""
    found, message = _pandoc_json(text)
    if found is None:
        return None, message
    try:
        with paused():  # a tree of millions of lists and dicts, no cycle: see councildoc.collector
            return json.loads(found), ""
    except RecursionError:
        return None, TOO_DEEP


_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
_KEY = r'[ \t\n\r]*SEP[ \t\n\r]*"KEY"[ \t\n\r]*:[ \t\n\r]*'
_VERSION, _META, _BLOCKS = (re.compile(_KEY.replace("SEP", sep).replace("KEY", key))
                            for sep, key in (("[{]", "pandoc-api-version"), (",", "meta"), (",", "blocks")))
"""Pandoc's top-level keys, in the order it writes them."""


class Ast:
    """Pandoc's JSON AST read a top-level block at a time.

    Decoded whole, Pandoc's JSON is a tree of Python lists and dicts about twelve times its text
    (at 200 pages: 22.7 MB of JSON, some 280 MB of objects), alive until the last block is
    converted: it set the build's peak memory, not the model built from it (a few MB). Here
    only ``meta`` is decoded at once; :meth:`blocks` decodes each top-level block when the
    converter reaches it, and the converter drops it once converted. Pandoc writes
    ``{"pandoc-api-version": …, "meta": …, "blocks": [...]}`` in that order; JSON in another
    shape is decoded whole. :meth:`whole` decodes every block at once (splicing grid tables in needs them).
    """

    def __init__(self, text: str, meta: dict, start: int | None, whole: list | None = None) -> None:
        self.meta = meta
        self.failure: str | None = None
        """Set when a block nests too deep to decode: nothing is built from the document then."""
        self._text: str | None = text if start is not None else None
        self._start = start
        self._whole = whole

    @classmethod
    def read(cls, text: str) -> tuple[Ast | None, str]:
        """The AST of Pandoc's JSON ``text``, or None and why."""
        try:
            with paused():  # see councildoc.collector
                if version := _VERSION.match(text):
                    _, at = _DECODER.raw_decode(text, version.end())
                    if meta_key := _META.match(text, at):
                        meta, at = _DECODER.raw_decode(text, meta_key.end())
                        if (blocks_key := _BLOCKS.match(text, at)) and text.startswith("[", blocks_key.end()):
                            return cls(text, meta, blocks_key.end() + 1), ""
                whole = json.loads(text)
                return cls("", whole.get("meta", {}), None, whole["blocks"]), ""
        except RecursionError:
            return None, TOO_DEEP

    def blocks(self) -> Iterator[Node]:
        """The top-level blocks in order, each decoded when asked for (once: the text is then dropped)."""
        if self._whole is not None:
            whole, self._whole = self._whole, None
            whole.reverse()
            while whole:
                yield whole.pop()
            return
        text, at, self._text = self._text, self._start, None
        assert text is not None and at is not None, "the blocks are read once"
        at = _SPACE.match(text, at).end()
        if text.startswith("]", at):
            return
        while True:
            try:
                with paused():
                    block, at = _DECODER.raw_decode(text, at)
            except RecursionError:
                self.failure = TOO_DEEP
                return
            yield block
            del block
            at = _SPACE.match(text, at).end()
            if text.startswith(",", at):
                at = _SPACE.match(text, at + 1).end()
            else:
                return

    def whole(self) -> list[Node] | None:
        """Every block decoded (what splicing grid tables in needs), or None if one nests too deep."""
        blocks = list(self.blocks())
        if self.failure:
            return None
        self._whole = blocks
        return blocks


def read_pandoc(text: str) -> tuple[Ast | None, str]:
    """Pandoc's AST of ``text``, read lazily (:class:`Ast`), or None and the message Pandoc gave."""
    found, message = _pandoc_json(text)
    if found is None:
        return None, message
    return Ast.read(found)


# --------------------------------------------------------------------------
# Nodes


def kind(node: Node) -> str:
    """The node's Pandoc type: ``"Para"``, ``"Str"``…"""
    return node["t"]


@dataclass(frozen=True, slots=True)
class Attr:
    """``{#identifier .class key=value}``: the attributes of a Header, Div, Span, Link, Code…"""

    identifier: str
    classes: list[str]
    pairs: dict[str, str]
    """The ``key=value`` pairs, among them the ``data-pos`` Pandoc adds with ``sourcepos``."""

    @classmethod
    def read(cls, raw: list) -> Attr:
        identifier, classes, pairs = raw
        return cls(identifier, classes, dict(pairs))

    @property
    def wrapper(self) -> bool:
        """Whether Pandoc added this Div or Span only to carry a position (``sourcepos``)."""
        return self.pairs.get("wrapper") == "1"


_ATTR_AT = {"Header": 1, "Div": 0, "Span": 0, "Link": 0, "Image": 0, "Code": 0,
            "CodeBlock": 0, "Table": 0, "Figure": 0}
"""Where each node type that has attributes keeps them in its content."""


def attr_of(node: Node) -> Attr | None:
    """The node's attributes, or None for a type that has none."""
    at = _ATTR_AT.get(node["t"])
    return None if at is None else Attr.read(node["c"][at])


@dataclass(frozen=True, slots=True)
class _Whole:
    """A node whose content is one value, read as it is."""

    @classmethod
    def read(cls, node: Node) -> Self:
        return cls(node["c"])


@dataclass(frozen=True, slots=True)
class _Attributed:
    """A node whose content starts with its attributes."""

    attr: Attr

    @classmethod
    def read(cls, node: Node) -> Self:
        attr, *rest = node["c"]
        return cls(Attr.read(attr), *rest)


@dataclass(frozen=True, slots=True)
class Para(_Whole):
    """A Para or a Plain (a paragraph without its spacing, as in a tight list)."""

    inlines: list[Node]


@dataclass(frozen=True, slots=True)
class Blocks(_Whole):
    """A BlockQuote or a Note: blocks and nothing else."""

    blocks: list[Node]


@dataclass(frozen=True, slots=True)
class BulletList(_Whole):
    items: list[list[Node]]
    """Each item's blocks."""


@dataclass(frozen=True, slots=True)
class Styled(_Whole):
    """An Emph or a Strong."""

    inlines: list[Node]


@dataclass(frozen=True, slots=True)
class Str(_Whole):
    text: str


@dataclass(frozen=True, slots=True)
class Div(_Attributed):
    """A fenced div ``::: {…}``, or a wrapper Pandoc adds around a block to carry its position."""

    blocks: list[Node]


@dataclass(frozen=True, slots=True)
class Span(_Attributed):
    """``[text]{…}``, or a wrapper Pandoc adds around inlines to carry their position."""

    inlines: list[Node]


@dataclass(frozen=True, slots=True)
class Code(_Attributed):
    text: str


@dataclass(frozen=True, slots=True)
class Header:
    level: int
    attr: Attr
    inlines: list[Node]

    @classmethod
    def read(cls, node: Node) -> Header:
        level, attr, inlines = node["c"]
        return cls(level, Attr.read(attr), inlines)


@dataclass(frozen=True, slots=True)
class OrderedList:
    start: int
    style: str
    """``"Decimal"``, ``"LowerAlpha"``, ``"LowerRoman"``…"""
    items: list[list[Node]]

    @classmethod
    def read(cls, node: Node) -> OrderedList:
        (start, style, _), items = node["c"]
        return cls(start, style["t"], items)


@dataclass(frozen=True, slots=True)
class Link:
    """A Link or an Image: the two share their shape (attributes, inlines, target and title)."""

    attr: Attr
    inlines: list[Node]
    url: str

    @classmethod
    def read(cls, node: Node) -> Link:
        attr, inlines, (url, _title) = node["c"]
        return cls(Attr.read(attr), inlines, url)


Image = Link
"""``![Title](file){…}``: ``url`` is the image's file."""


@dataclass(frozen=True, slots=True)
class Raw:
    """A RawInline or a RawBlock: text in another format (``<b>``, ```` ```{=latex} ````)."""

    format: str
    text: str

    @classmethod
    def read(cls, node: Node) -> Raw:
        return cls(*node["c"])


@dataclass(frozen=True, slots=True)
class Table:
    """A pipe table: each column's alignment, the head rows and the body rows, each row a list of cells,
    each cell its blocks (a ``Plain`` in a pipe table)."""

    attr: Attr
    aligns: list[str]
    """``AlignLeft``, ``AlignRight``, ``AlignCenter`` or ``AlignDefault``, per column."""
    head: list[list[list[Node]]]
    body: list[list[list[Node]]]
    """The rows of every table body, then of the foot (a pipe table has one body and no foot)."""

    @classmethod
    def read(cls, node: Node) -> Table:
        attr, _caption, colspecs, (_, head_rows), bodies, (_, foot_rows) = node["c"]

        def cells(rows: list) -> list[list[list[Node]]]:
            return [[cell[4] for cell in row[1]] for row in rows]

        body = [row for _, _, inner_head, rows in bodies for row in inner_head + rows] + foot_rows
        return cls(Attr.read(attr), [spec[0]["t"] for spec in colspecs], cells(head_rows), cells(body))


SPACE: Node = {"t": "Space"}


def metadata_inlines(value: Node) -> list[Node] | None:
    """The inlines of a metadata value, which Pandoc reads as Markdown.

    Paragraphs are joined by a space; None for a value read as a list, quote or heading
    (``- item``, ``> …``, ``# …``).
    """
    if value.get("t") == "MetaInlines":
        return value.get("c", [])
    if value.get("t") != "MetaBlocks":
        return []
    if any(block.get("t") not in ("Para", "Plain") for block in value["c"]):
        return None
    paragraphs = [Para.read(block).inlines for block in value["c"]]
    return [node for index, inlines in enumerate(paragraphs) for node in ([SPACE] if index else []) + inlines]


# --------------------------------------------------------------------------
# Positions (``data-pos``, added by the ``sourcepos`` extension)

_DATA_POS = re.compile(r"(\d+):(\d+)-(\d+):(\d+)$")
_FIRST_DATA_POS = re.compile(r'"data-pos", "(\d+):(\d+)-')


def data_pos(pairs: dict[str, str]) -> tuple[int, int] | None:
    """The line and column where a node with these attributes starts, if Pandoc gave one."""
    match = _DATA_POS.search(pairs.get("data-pos", ""))
    return (int(match[1]), int(match[2])) if match else None


def first_data_pos(nodes: list[Node]) -> tuple[int, int] | None:
    """The first ``data-pos`` anywhere inside ``nodes`` (a note's definition)."""
    match = _FIRST_DATA_POS.search(json.dumps(nodes))
    return (int(match[1]), int(match[2])) if match else None


def position_wrapper(node: Node) -> tuple[dict[str, str], list[Node]] | None:
    """The pairs and inlines of a Span Pandoc added only to carry a position (no identifier, no
    class: :attr:`Attr.wrapper`), read in place; None for any other node. Sourcepos wraps every
    word in one: the converter asks this of each."""
    if node["t"] != "Span":
        return None
    (identifier, classes, raw_pairs), inlines = node["c"]
    pairs = dict(raw_pairs)
    return (pairs, inlines) if pairs.get("wrapper") == "1" and not identifier and not classes else None


def leaves(nodes: list[Node], pairs: dict[str, str] | None = None) -> Iterator[tuple[Node, dict[str, str]]]:
    """Each inline leaf with the attributes of the position wrapper around it."""
    for node in nodes:
        if node["t"] == "Span":  # read in place: this walk sees every leaf of every paragraph
            (_, _, raw_pairs), inlines = node["c"]
            wrapped = dict(raw_pairs)
            if wrapped.get("wrapper") == "1":  # as Attr.wrapper
                yield from leaves(inlines, wrapped)
                continue
        yield node, pairs or {}


def first_inline(nodes: list[Node]) -> tuple[Node | None, dict[str, str]]:
    """The first inline, looking through position wrappers, with the pairs of the outermost span."""
    if not nodes:
        return None, {}
    node = nodes[0]
    if node["t"] == "Span":
        span = Span.read(node)
        if span.attr.wrapper and not span.attr.classes and span.inlines:
            return first_inline(span.inlines)[0], span.attr.pairs
        return node, span.attr.pairs
    return node, {}
