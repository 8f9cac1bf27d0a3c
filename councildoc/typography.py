"""Typography across inline boundaries: quotes, a language's substitutions, note calls.

A rule such as French "no-break space after «" has two sides, and in a paragraph
they often fall in different inlines: « *Guide…* », « @sec:x », ``*fin*.[^1]``.
So the rules do not run on each text alone. The paragraph's inline tree is
flattened into one string in which every character knows the leaf it came from
(SmartyPants and its kin look across tags the same way); each rule runs on the
whole string, and what it changes is put back into the leaves, so that every
writer gets the same characters.

What takes part, and how:

- text (in emphasis, strong, a link's text) is seen and may change;
- a reference's printed text, code, a line break, an autolink's text and a phrase
  in another language are seen but never changed: rules read across them;
- a note call prints nothing and blocks nothing; it moves to its language's side
  of an adjacent full stop, comma, semicolon or colon.

A phrase in another language (``[…]{lang=en}``) is first set in its own language,
as a paragraph of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from . import languages
from .model import INLINE_TYPES, Code, CrossRef, Emphasis, Inline, LineBreak, Link, NoteCall, Span, Strong, Text
from .visitor import Visitor

_PUNCTUATION = ".,;:"
"""The marks a note call changes sides with."""

WORD_JOINER = "\u2060"
"""Prints nothing and forbids a line break on either side (Unicode line breaking, class WJ).

The language files put it after a document symbol's slashes (MC/INF/259), and the HTML and DOCX
writers put it before every note call that follows a character, so that no line starts with a call
(WeasyPrint, LibreOffice and Word break lines by Unicode's rules; tests/test_breaks.py reads the
PDFs' lines). The review text drops it, as it folds every space into one.
"""


@dataclass(eq=False)
class _Leaf:
    """A piece of the flattened paragraph: a text, or an inline that rules only read."""

    text: str
    """The characters it prints (empty for a note call)."""
    editable: bool
    """Whether rules may change its characters (a :class:`Text` in this language)."""
    parent: _Box
    """The container it sits in, for putting moved marks next to a note call."""
    node: Inline | None = None
    """The inline it stands for; ``None`` for a text, rebuilt from ``text``."""


@dataclass(eq=False)
class _Box:
    """A container whose children are flattened: the paragraph, emphasis, strong, a link, a span."""

    node: Inline | None
    """The container (``None`` for the paragraph itself)."""
    children: list[_Leaf | _Box] = field(default_factory=list)


def typeset(inlines: tuple[Inline, ...], language: languages.Language,
            catalogue: languages.Catalogue = languages.BUILT_IN) -> tuple[Inline, ...]:
    """A run of text set in ``language``'s typography: quotes, no-break spaces, note calls.

    Straight double quotes become the language's marks (opening and closing in turn),
    the language's substitutions apply to the text as a whole, inline boundaries
    transparent (never changing code, a reference or a link's address), and a note
    call moves to its side of an adjacent full stop, comma, semicolon or colon.
    A phrase in another language (``[…]{lang=xx}``) is set in that language, found in ``catalogue``.
    """
    root = _Box(None)
    _Flatten(language, catalogue).run(inlines, root, editable=True)
    _set_quotes(root, language.quotes)
    for rule in language.typography:
        _apply_rule(root, rule)
    _place_note_calls(root, language.note_call)
    return _separate_calls(_rebuild(root))


# --------------------------------------------------------------------------
# Flattening and rebuilding


class _Flatten(Visitor):
    """Inlines → leaves of text in boxes, each leaf knowing whether the rules may change it."""

    covers = INLINE_TYPES

    def __init__(self, language: languages.Language, catalogue: languages.Catalogue) -> None:
        self.language = language
        self.catalogue = catalogue

    def run(self, inlines: tuple[Inline, ...], box: _Box, editable: bool) -> None:
        for inline in inlines:
            box.children.append(self.visit(inline, box, editable))

    def container(self, node: Inline, children: tuple[Inline, ...], editable: bool,
                  language: languages.Language | None = None) -> _Box:
        box = _Box(node)
        walker = self if language is None else _Flatten(language, self.catalogue)
        walker.run(children, box, editable)
        return box

    def visit_Text(self, node: Text, box: _Box, editable: bool) -> _Leaf:
        return _Leaf(node.text, editable, box)

    def visit_Emphasis(self, node: Emphasis, box: _Box, editable: bool) -> _Box:
        return self.container(node, node.children, editable)

    visit_Strong = visit_Emphasis

    def visit_Link(self, node: Link, box: _Box, editable: bool) -> _Box:
        return self.container(node, node.children, editable and not _is_autolink(node))

    def visit_Span(self, node: Span, box: _Box, editable: bool) -> _Box:
        own = self.catalogue.load_or(node.lang, self.language)
        if own is self.language:
            return self.container(node, node.children, editable)
        # Set in its own language first; this language's rules then read it, unchanged.
        children = typeset(node.children, own, self.catalogue) if editable else node.children
        return self.container(node, children, False, own)

    def visit_Code(self, node: Code, box: _Box, editable: bool) -> _Leaf:
        return _Leaf(node.text, False, box, node)

    def visit_CrossRef(self, node: CrossRef, box: _Box, editable: bool) -> _Leaf:
        return _Leaf(node.text or f"¿{node.label}?", False, box, node)

    def visit_LineBreak(self, node: LineBreak, box: _Box, editable: bool) -> _Leaf:
        return _Leaf("\n", False, box, node)

    def visit_NoteCall(self, node: NoteCall, box: _Box, editable: bool) -> _Leaf:
        return _Leaf("", editable, box, node)


def _is_autolink(link: Link) -> bool:
    """``<http://…>``: the text is the address, which no rule may change."""
    text = "".join(child.text for child in link.children if isinstance(child, Text))
    return len(link.children) == 1 and text in (link.url, link.url.removeprefix("mailto:"))


def _leaves(box: _Box) -> Iterator[_Leaf]:
    for child in box.children:
        if isinstance(child, _Box):
            yield from _leaves(child)
        else:
            yield child


def _rebuild(box: _Box) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for child in box.children:
        if isinstance(child, _Box):
            children = _rebuild(child)
            if children or not isinstance(child.node, (Emphasis, Strong)):
                out.append(replace(child.node, children=children))
            # else: emphasis whose only mark moved beside a note call prints nothing
        elif child.node is not None:
            out.append(child.node)
        elif child.text:
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + child.text)
            else:
                out.append(Text(child.text))
    return tuple(out)


# --------------------------------------------------------------------------
# Quotes and substitutions


def _set_quotes(root: _Box, quotes: tuple[str, str]) -> None:
    opening = True
    for leaf in _leaves(root):
        if not leaf.editable or '"' not in leaf.text:
            continue
        out = []
        for char in leaf.text:
            if char == '"':
                out.append(quotes[0] if opening else quotes[1])
                opening = not opening
            else:
                out.append(char)
        leaf.text = "".join(out)


def _apply_rule(root: _Box, rule: languages.TypographyRule) -> None:
    """Run ``rule`` over the paragraph's whole text; put each change into the leaves it touches."""
    leaves = list(_leaves(root))
    text = "".join(leaf.text for leaf in leaves)
    owners = [(leaf, index) for leaf in leaves for index in range(len(leaf.text))]
    edits = []
    for match in rule.pattern.finditer(text):
        new = match.expand(rule.replace)
        if new != match.group():
            edits.append((match.start(), match.end(), new))
    # From the end, so that the offsets of earlier edits stay true.
    for start, end, new in reversed(edits):
        _splice(text, owners, start, end, new)


def _splice(text: str, owners: list[tuple[_Leaf, int]], start: int, end: int, new: str) -> None:
    """Replace ``text[start:end]`` by ``new`` in the leaves, touching as few characters as can be."""
    old = text[start:end]
    while old and new and old[0] == new[0]:
        old, new, start = old[1:], new[1:], start + 1
    while old and new and old[-1] == new[-1]:
        old, new, end = old[:-1], new[:-1], end - 1
    if start == end:
        # A pure insertion: into the leaf before the boundary, else the one after.
        before = owners[start - 1] if start > 0 else None
        after = owners[start] if start < len(owners) else None
        if before is not None and before[0].editable:
            leaf, index = before[0], before[1] + 1
        elif after is not None and after[0].editable:
            leaf, index = after
        else:
            return
        leaf.text = leaf.text[:index] + new + leaf.text[index:]
        return
    touched = owners[start:end]
    if not all(leaf.editable for leaf, _ in touched):
        return  # code, a reference or another language's phrase keeps its characters
    first, index = touched[0]
    # The new characters go where the first replaced one was; the others are removed.
    for leaf, position in reversed(touched[1:]):
        if leaf is not first:
            leaf.text = leaf.text[:position] + leaf.text[position + 1:]
    count = sum(1 for leaf, _ in touched if leaf is first)
    first.text = first.text[:index] + new + first.text[index + count:]


# --------------------------------------------------------------------------
# Note calls


def _place_note_calls(root: _Box, placement: str) -> None:
    """Move each run of note calls to its language's side of the punctuation next to it."""
    leaves = list(_leaves(root))
    index = 0
    while index < len(leaves):
        if not _is_call(leaves[index]):
            index += 1
            continue
        last = index
        while last + 1 < len(leaves) and (_is_call(leaves[last + 1]) or not leaves[last + 1].text):
            last += 1
        calls = [leaf for leaf in leaves[index:last + 1] if _is_call(leaf)]
        if placement == "before-punctuation":
            neighbour = next((leaf for leaf in reversed(leaves[:index]) if leaf.text), None)
            if neighbour is not None and neighbour.editable and neighbour.text[-1] in _PUNCTUATION:
                mark, neighbour.text = neighbour.text[-1], neighbour.text[:-1]
                _put_beside(calls[-1], mark, after=True)
        elif placement == "after-punctuation":
            neighbour = next((leaf for leaf in leaves[last + 1:] if leaf.text), None)
            if neighbour is not None and neighbour.editable and neighbour.text[0] in _PUNCTUATION:
                mark, neighbour.text = neighbour.text[0], neighbour.text[1:]
                _put_beside(calls[0], mark, after=False)
        index = last + 1


def _is_call(leaf: _Leaf) -> bool:
    return isinstance(leaf.node, NoteCall) and leaf.editable


def _put_beside(call: _Leaf, mark: str, *, after: bool) -> None:
    siblings = call.parent.children
    position = siblings.index(call) + (1 if after else 0)
    siblings.insert(position, _Leaf(mark, True, call.parent))


def _separate_calls(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Mark each note call that stands right after another one (the writers put a comma between)."""
    out: list[Inline] = []
    for inline in inlines:
        if isinstance(inline, NoteCall) and out and isinstance(out[-1], NoteCall):
            inline = replace(inline, follows_call=True)
        out.append(inline)
    return tuple(out)
