"""``build.py corrigendum REV_A [REV_B] --doc D``: the corrigendum of an issued document, written by the build.

When an issued document needs a correction, the secretariat issues a corrigendum: a short council
document with the original's symbol and ``/Corr.N``, its own masthead, and the list of the
corrections located by paragraph, in every language — "Paragraph 12: For “2009” read “2010”",
"Delete …", "After … insert …", "Replace the paragraph with the following:", "Note 8 should read:".

Here REV_A is the issued text and REV_B (default: the working tree) the corrected one. Both are
read as ``build.py diff`` reads them; each edition's changes (``redline.compare``) become its
corrections, in its language's words (the ``corr-*`` keys of the language data). A corrigendum only
corrects: when the changes add, delete or renumber paragraphs, notes, items or rows, or are more than
``MAX_CORRECTIONS``, the command writes nothing and recommends a revision (``/Rev.1``) instead.

The corrigendum is written as a document of the project, ``source/<doc>-corr-<N>/`` (its
``document.yaml`` and one source per language), then built like any other: every format and the
index. ``N`` is the next number no document of the project has taken.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, SourcePos, error
from .languages import Language
from .model import Document
from .pipeline import Project, build, write_atomically
from .redline import Change, ItemChange, Redline, Token, compare
from .revisions import RevisionError, load_revisions, revision_author

MAX_CORRECTIONS = 15
"""More corrections than this in one edition call for a revised text, not a corrigendum."""
REPLACE_SHARE = 0.5
"""A paragraph whose words changed more than this (or in more than MAX_PLACES places) is replaced whole."""
MAX_PLACES = 3


@dataclass(frozen=True)
class Correction:
    """One correction: where, and what to do (``text`` is set after ``instruction``, quoted)."""

    place: str
    instruction: str
    text: str | None = None
    """A paragraph's or a note's whole new text, for "Replace … with the following"."""


def _shown(tokens: list[Token]) -> str:
    out = ""
    for index, token in enumerate(tokens):
        out += ("" if index == 0 or token.glued else " ") + token.shown
    return out


def _quoted(tokens: list[Token], words: Language) -> str:
    return f"{words.quotes[0]}{_shown(tokens)}{words.quotes[1]}"


def _hunks(words: list[tuple[str, Token]]) -> list[tuple[int, int]]:
    """Each run of changed words: ``(start, end)`` in ``words``."""
    runs, start = [], None
    for index, (op, _) in enumerate([*words, ("=", None)]):
        if op != "=" and start is None:
            start = index
        elif op == "=" and start is not None:
            runs.append((start, index))
            start = None
    return runs


def _count(needle: list[str], haystack: list[str]) -> int:
    n = len(needle)
    return sum(haystack[i:i + n] == needle for i in range(len(haystack) - n + 1)) if n else 0


def line_of(phrase: str, lines: list[str] | None) -> int | None:
    """The line (from 1) of the issued PDF's ``lines`` of a paragraph on which ``phrase`` starts."""
    if not lines:
        return None
    joined, starts = "", []
    for line in lines:
        starts.append(len(joined))
        joined += " ".join(line.split()) + " "
    at = joined.find(" ".join(phrase.split()))
    if at < 0:
        return None
    return sum(start <= at for start in starts)


def word_corrections(words: list[tuple[str, Token]], place: str, language: Language,
                     lines: list[str] | None = None) -> list[Correction]:
    """The changes of one text as "For … read …", "Delete …", "After … insert …": each quoting just
    enough words around the change to be found once in the issued text, located by its line in the
    issued PDF where ``lines`` are known."""
    old_text = [t.identity for op, t in words if op != "+"]
    out = []
    for start, end in _hunks(words):
        lo, hi = start, end

        def old(a: int, b: int) -> list[Token]:
            return [t for op, t in words[a:b] if op != "+"]

        def new(a: int, b: int) -> list[Token]:
            return [t for op, t in words[a:b] if op != "-"]

        # Widen with unchanged words, the one before first, until the old words quoted stand once.
        while not old(lo, hi) or _count([t.identity for t in old(lo, hi)], old_text) != 1:
            if lo > 0 and words[lo - 1][0] == "=":
                lo -= 1
            elif hi < len(words) and words[hi][0] == "=":
                hi += 1
            else:
                break
        before, after = old(lo, start), old(end, hi)
        inserted = new(start, end)
        if not old(start, end) and before:
            text = language.corr_insert_after.format(before=_quoted(before, language),
                                                     new=_quoted(inserted, language))
        elif not old(start, end):
            text = language.corr_insert_before.format(after=_quoted(after, language),
                                                      new=_quoted(inserted, language))
        elif not inserted and (lo, hi) == (start, end):
            text = language.corr_delete.format(old=_quoted(old(lo, hi), language))
        else:
            text = language.corr_for_read.format(old=_quoted(old(lo, hi), language),
                                                 new=_quoted(new(lo, hi), language))
        line = line_of(_shown(old(lo, hi)), lines)
        out.append(Correction(place + (language.corr_line.format(n=line) if line else ""), text))
    return out


def _text_corrections(change: Change | ItemChange, place: str, language: Language, *, note: bool = False,
                      lines: list[str] | None = None) -> list[Correction]:
    words = change.words
    changed = sum(op != "=" for op, _ in words)
    if len(_hunks(words)) > MAX_PLACES or changed > REPLACE_SHARE * max(1, len(words)):
        new = [t for op, t in words if op != "-"]
        return [Correction(place, language.corr_note_reads if note else language.corr_replace, _shown(new))]
    return word_corrections(words, place, language, lines)


def corrections(redline: Redline, language: Language, lines: dict[str, list[str]] | None = None
                ) -> tuple[list[Correction], list[str]]:
    """The corrections of one edition, and why they cannot be a corrigendum (empty when they can)."""
    found: list[Correction] = []
    why: list[str] = []
    counts = redline.counts()
    for kind in ("paragraphs", "notes", "items", "tables", "cells"):
        c = counts[kind]
        if c["added"] or c["removed"]:
            why.append(f"{kind} added or deleted ({c['added']} added, {c['removed']} deleted)")
        if c["renumbered"]:
            why.append(f"{c['renumbered']} {kind} renumbered")
    for part in redline.parts:
        if any(h.kind != "same" or h.old_number != h.new_number for h in part.headings):
            why.append("headings changed")
        for change in part.paragraphs:
            if change.kind != "changed":
                continue
            place = language.corr_paragraph.format(n=change.new_number)
            if part.title:
                place = f"{part.title}, {place[:1].lower()}{place[1:]}"
            lines = lines or {}
            if any(op != "=" for op, _ in change.words):
                found += _text_corrections(change, place, language, lines=lines.get(change.old_node.anchor))
            for item in change.changed_items:
                marker = f" {item.marker}" if item.marker and item.marker not in ("•", "›") else ""
                anchor = getattr(item.old_node, "anchor", None)
                found += _text_corrections(item, place + marker, language, lines=lines.get(anchor))
        for change in part.notes:
            if change.kind == "changed":
                found += _text_corrections(change, language.corr_note.format(n=change.new_number), language,
                                           note=True)
        for table in part.tables:
            for cell in table.changed_items:
                place = language.corr_table.format(n=table.new_number, cell=cell.marker)
                found += word_corrections(cell.words, place, language)
    if len(found) > MAX_CORRECTIONS:
        why.append(f"{len(found)} corrections (a corrigendum holds at most {MAX_CORRECTIONS}, MAX_CORRECTIONS)")
    return found, why


_ESCAPE = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>@^~:\"'$&%=])")


def _markdown(text: str) -> str:
    """Text as CommonMark that reads back as itself (every ASCII punctuation mark escaped)."""
    return _ESCAPE.sub(r"\\\1", text)


def edition_source(document: Document, found: list[Correction]) -> str:
    """The Markdown source of one language edition of the corrigendum."""
    meta, words = document.meta, document.language
    from .transforms import plain_text

    lines = ["---", f"lang: {meta.lang}", f"title: {_yaml(plain_text(meta.title))}",
             f"subtitle: {_yaml(words.corrigendum)}"]
    if meta.session_title:
        lines.append(f"session-title: {_yaml(meta.session_title)}")
    lines += ["---", ""]
    for correction in found:
        lines.append(f"*{_markdown(correction.place)}*\\")
        lines.append(_markdown(correction.instruction))
        lines.append("")
        if correction.text is not None:
            lines.append(f"> {_markdown(correction.text)}")
            lines.append("")
    return "\n".join(lines)


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def issued_lines(document: Document, project: Project) -> dict[str, list[str]]:
    """The lines of each paragraph and sub-paragraph of an issued edition, by anchor, as its PDF sets
    them (laid out again by WeasyPrint with the project's templates and styles)."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    from .writers.html import make_environment, write_html
    from .writers.pdf import FONT_DIR, PRINT_STYLESHEET, make_url_fetcher

    styles = project.styles_dir
    page = write_html(document, make_environment(project.templates_dir),
                      (styles / PRINT_STYLESHEET).read_text(encoding="utf-8"), for_print=True)
    rendered = HTML(string=page, base_url=styles.resolve().as_uri() + "/",
                    url_fetcher=make_url_fetcher((styles, FONT_DIR))).render()
    lines: dict[str, list[str]] = {}

    def text(box) -> str:
        element = getattr(box, "element", None)
        if element is not None and "footnote" in (element.get("class") or "").split():
            return ""  # a note's text is set at the foot of the page, not on the line
        if isinstance(box, boxes.TextBox):
            return box.text
        return "".join(text(child) for child in getattr(box, "children", ()))

    def walk(box, anchor: str | None) -> None:
        element = getattr(box, "element", None)
        if isinstance(box, boxes.BlockBox) and element is not None and element.get("id") \
                and element.tag in ("p", "li"):
            anchor = element.get("id")
        if isinstance(box, boxes.LineBox) and anchor:
            lines.setdefault(anchor, []).append(text(box))
            return
        for child in getattr(box, "children", ()):
            walk(child, anchor)

    for page_box in rendered.pages:
        walk(page_box._page_box, None)
    return lines


def next_number(project: Project, symbol: str) -> int:
    """The first ``N`` no document of the project has taken for ``symbol/Corr.N``."""
    taken = set()
    pattern = re.compile(rf"^symbol:\s*{re.escape(symbol)}/Corr\.(\d+)\s*$", re.MULTILINE)
    for meta in project.source_dir.glob("*/document.yaml"):
        taken |= {int(n) for n in pattern.findall(meta.read_text(encoding="utf-8", errors="replace"))}
    number = 1
    while number in taken:
        number += 1
    return number


def corrigendum(project: Project, old_rev: str, new_rev: str | None, document: str,
                langs: list[str] | None = None) -> tuple[list[Path], list[str], list[Diagnostic]]:
    """Write and build the corrigendum of ``document`` from ``old_rev`` (issued) to ``new_rev``.

    Returns the files written, what to tell the user, and the diagnostics (a recommendation of a
    revision is an error: nothing is written)."""
    where = SourcePos(f"source/{document}", 1, 1)
    old_docs, new_docs, diagnostics = load_revisions(project, old_rev, new_rev)
    if old_docs is None:
        return [], [], diagnostics
    keys = sorted(key for key in set(old_docs) & set(new_docs)
                  if key[0] == document and (langs is None or key[1] in langs))
    if not keys:
        return [], [], [*diagnostics, error(where, f"no edition of '{document}' is in both revisions")]
    editions: dict[str, tuple[Document, list[Correction]]] = {}
    for key in keys:
        redline = compare(old_docs[key], new_docs[key])
        lines = issued_lines(old_docs[key], project) if redline.changed else {}
        found, why = corrections(redline, new_docs[key].language, lines)
        if why:
            diagnostics.append(error(
                SourcePos(new_docs[key].path, 1, 1),
                f"these changes cannot be a corrigendum: {'; '.join(why)}",
                f"issue a revised text ({new_docs[key].meta.symbol}/Rev.1) instead"))
        editions[key[1]] = (new_docs[key], found)
    if any(d.severity.name == "ERROR" for d in diagnostics):
        return [], [], diagnostics
    if not any(found for _, found in editions.values()):
        return [], [f"{document}: nothing to correct between {old_rev} and {new_rev or 'the working tree'}"], \
            diagnostics
    first = next(iter(editions.values()))[0]
    number = next_number(project, first.meta.symbol)
    symbol = f"{first.meta.symbol}/Corr.{number}"
    try:
        _, date = revision_author(project.root, new_rev)
    except RevisionError as exc:
        return [], [], [*diagnostics, error(where, f"cannot read the date of revision '{new_rev}': {exc}")]
    name = f"{document}-corr-{number}"
    folder = project.source_dir / name
    if folder.exists():
        return [], [], [*diagnostics, error(SourcePos(f"source/{name}", 1, 1),
                                            f"source/{name} already exists and is not {symbol}",
                                            "give that folder's document.yaml its symbol, or move it")]
    meta = first.meta
    write_atomically(folder / "document.yaml",
                     f"# The corrigendum {symbol}, written by build.py corrigendum {old_rev} "
                     f"{new_rev or ''}".rstrip() + "\n"
                     f"symbol: {symbol}\ndate: {date[:10]}\nsession: {meta.session}\n"
                     f"original-language: {meta.original_lang}\n")
    written = [folder / "document.yaml"]
    for lang, (edition, found) in sorted(editions.items()):
        write_atomically(folder / f"{lang}.md", edition_source(edition, found))
        written.append(folder / f"{lang}.md")
    report = build(project, [name], langs)
    messages = [f"{symbol} [{lang}]: {len(found)} correction(s)" for lang, (_, found) in sorted(editions.items())]
    return written + report.written, messages, diagnostics + report.diagnostics


def run_corrigendum(parser, project: Project, revisions: list[str], documents: list[str] | None,
                    langs: list[str] | None) -> int:
    """``build.py corrigendum REV_A [REV_B] --doc D``: print what was written, or why not; the exit status."""
    if not 1 <= len(revisions) <= 2 or not documents or len(documents) != 1:
        parser.error("corrigendum takes REV_A [REV_B] and one --doc")
    written, messages, diagnostics = corrigendum(project, revisions[0], revisions[1] if len(revisions) == 2
                                                 else None, documents[0], langs)
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
    for message in messages:
        print(message)
    for path in written:
        print(f"wrote {path.relative_to(project.root)}")
    return 1 if any(d.severity.name == "ERROR" for d in diagnostics) else 0
