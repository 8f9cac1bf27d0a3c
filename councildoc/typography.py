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
from .model import Code, CrossRef, Emphasis, Inline, LineBreak, Link, NoteCall, Span, Strong, Text

_PUNCTUATION = ".,;:"
"""The marks a note call changes sides with."""


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


def typeset(inlines: tuple[Inline, ...], language: languages.Language) -> tuple[Inline, ...]:
    """A run of text set in ``language``'s typography: quotes, no-break spaces, note calls.

    Straight double quotes become the language's marks (opening and closing in turn),
    the language's substitutions apply to the text as a whole, inline boundaries
    transparent (never changing code, a reference or a link's address), and a note
    call moves to its side of an adjacent full stop, comma, semicolon or colon.
    """
    root = _Box(None)
    _flatten(inlines, root, language, editable=True)
    _set_quotes(root, language.quotes)
    for rule in language.typography:
        _apply_rule(root, rule)
    _place_note_calls(root, language.note_call)
    return _rebuild(root)


# --------------------------------------------------------------------------
# Flattening and rebuilding


def _flatten(inlines: tuple[Inline, ...], box: _Box, language: languages.Language, editable: bool) -> None:
    for inline in inlines:
        if isinstance(inline, Text):
            box.children.append(_Leaf(inline.text, editable, box))
        elif isinstance(inline, (Emphasis, Strong)):
            box.children.append(_container(inline, inline.children, language, editable))
        elif isinstance(inline, Link):
            box.children.append(_container(inline, inline.children, language, editable and not _is_autolink(inline)))
        elif isinstance(inline, Span):
            own = languages.load_or(inline.lang, language)
            if own is language:
                box.children.append(_container(inline, inline.children, language, editable))
            else:
                # Set in its own language first; this language's rules then read it, unchanged.
                children = typeset(inline.children, own) if editable else inline.children
                box.children.append(_container(inline, children, own, editable=False))
        elif isinstance(inline, Code):
            box.children.append(_Leaf(inline.text, False, box, inline))
        elif isinstance(inline, CrossRef):
            box.children.append(_Leaf(inline.text or f"¿{inline.label}?", False, box, inline))
        elif isinstance(inline, LineBreak):
            box.children.append(_Leaf("\n", False, box, inline))
        elif isinstance(inline, NoteCall):
            box.children.append(_Leaf("", editable, box, inline))
        else:
            raise NotImplementedError(f"typography does not know the inline {type(inline).__name__}")


def _container(node: Inline, children: tuple[Inline, ...], language: languages.Language, editable: bool) -> _Box:
    box = _Box(node)
    _flatten(children, box, language, editable)
    return box


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
