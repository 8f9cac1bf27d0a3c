"""XLIFF 1.2 for translators: an edition's text out to a CAT tool, the translation back in as an edition.

``build.py xliff export --doc D --from en --to fr`` writes one ``trans-unit`` per heading,
paragraph, sub-paragraph, list item, quoted paragraph and note paragraph, and per table title,
cell with text, source line and table note paragraph (the units of :mod:`councildoc.markdown`),
with ids from labels and numbers, and the ``fr`` edition's text as the target where there is one.
``build.py xliff import FILE --doc D`` writes the target edition's source from the translation:
the source edition's structure and labels, the translator's text.

Why XLIFF 1.2 and not 2.0: 1.2 is what SDL Trados Studio, memoQ and OmegaT (through Okapi) all
read and write without loss, and translate-toolkit's 1.2 support is its mature one (its 2.0 module
is young and has no inline codes); XLIFF 2.0 is still imported with restrictions by several of them.
Files are read and written through translate-toolkit's ``xlifffile``, the inline codes made with lxml.

Inline codes are protected: a note call, a cross-reference, literal text and a line break are
``<x/>`` (the translator moves them, never edits them); emphasis, bold, a phrase in another
language and a link are ``<g>`` around text the translator translates. Their ids (``n1``, ``r2``,
``i1``…) are numbered per unit and kind, so an edition in step gives the same ids. A code of the
source missing from a target, doubled or moved before another, and a code the source has not, is
an error at the target's line — except emphasis, bold and a language span (``ctype`` ``italic``,
``bold``, ``x-lang-en``), which a translation may add.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from translate.storage import xliff as ttk_xliff

from .diagnostics import Diagnostic, SourcePos, error
from .markdown import units, write_markdown
from .model import (
    INLINE_TYPES,
    Code,
    CrossRef,
    Document,
    Emphasis,
    Inline,
    LineBreak,
    Link,
    NoteCall,
    Span,
    Strong,
    Text,
)
from .visitor import Visitor

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
DATATYPE = "x-councildoc-markdown"


class XliffUnit(ttk_xliff.xliffunit):
    namespace = XLIFF_NS


class XliffFile(ttk_xliff.xlifffile):
    """translate-toolkit's XLIFF store, writing version 1.2 (its default skeleton says 1.1)."""

    namespace = XLIFF_NS
    UnitClass = XliffUnit
    XMLskeleton = ttk_xliff.xlifffile.XMLskeleton.replace("1.1", "1.2")


def _q(name: str) -> str:
    return f"{{{XLIFF_NS}}}{name}"


# --------------------------------------------------------------------------
# Inlines → XLIFF content with inline codes


@dataclass(frozen=True)
class Codes:
    """The inline codes of one unit's source, by id: what each stands for in the model."""

    by_id: dict[str, Inline]
    order: list[str]
    """The ids in the order they open in the text."""


_KIND = {NoteCall: "n", CrossRef: "r", Code: "c", LineBreak: "l", Emphasis: "i", Strong: "b", Span: "s", Link: "a"}


class XliffContent(Visitor):
    """Model inlines appended to a ``source`` or ``target`` element, recording each code's id."""

    covers = INLINE_TYPES

    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.codes = Codes({}, [])

    def write(self, inlines: tuple[Inline, ...], parent: etree._Element) -> etree._Element:
        for inline in inlines:
            self.visit(inline, parent)
        return parent

    def code_id(self, node: Inline) -> str:
        kind = _KIND[type(node)]
        self.counts[kind] += 1
        code_id = f"{kind}{self.counts[kind]}"
        self.codes.by_id[code_id] = node
        self.codes.order.append(code_id)
        return code_id

    def visit_Text(self, node: Text, parent: etree._Element) -> None:
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + node.text
        else:
            parent.text = (parent.text or "") + node.text

    def placeholder(self, node: Inline, parent: etree._Element, ctype: str, shows: str) -> None:
        etree.SubElement(parent, _q("x"), id=self.code_id(node), ctype=ctype, **{"equiv-text": shows})

    def visit_NoteCall(self, node: NoteCall, parent: etree._Element) -> None:
        self.placeholder(node, parent, "x-note-call", f"[^{node.label}]")

    def visit_CrossRef(self, node: CrossRef, parent: etree._Element) -> None:
        self.placeholder(node, parent, "x-cross-reference", node.text or f"@{node.label}")

    def visit_Code(self, node: Code, parent: etree._Element) -> None:
        self.placeholder(node, parent, "x-literal", node.text)

    def visit_LineBreak(self, node: LineBreak, parent: etree._Element) -> None:
        self.placeholder(node, parent, "lb", "\n")

    def paired(self, node: Emphasis | Strong | Span | Link, parent: etree._Element, ctype: str) -> None:
        self.write(node.children, etree.SubElement(parent, _q("g"), id=self.code_id(node), ctype=ctype))

    def visit_Emphasis(self, node: Emphasis, parent: etree._Element) -> None:
        self.paired(node, parent, "italic")

    def visit_Strong(self, node: Strong, parent: etree._Element) -> None:
        self.paired(node, parent, "bold")

    def visit_Span(self, node: Span, parent: etree._Element) -> None:
        self.paired(node, parent, f"x-lang-{node.lang}")

    def visit_Link(self, node: Link, parent: etree._Element) -> None:
        self.paired(node, parent, "link")


def content(inlines: tuple[Inline, ...], tag: str) -> tuple[etree._Element, Codes]:
    writer = XliffContent()
    element = writer.write(inlines, etree.Element(_q(tag)))
    return element, writer.codes


# --------------------------------------------------------------------------
# Export


def export(source: Document, target: Document | None, target_lang: str, source_path: str) -> bytes:
    """The XLIFF of ``source``'s units into ``target_lang``, with ``target``'s text (the existing
    edition in that language, if any) for the units it has."""
    store = XliffFile(sourcelanguage=source.meta.lang, targetlanguage=target_lang)
    existing = {unit.id: unit for unit in units(target)} if target else {}
    for unit in units(source):
        trans = store.addsourceunit("", filename=source_path, createifmissing=True)
        trans.setid(unit.id)
        trans.xmlelement.set("resname", unit.id)
        trans.source_dom = content(unit.inlines, "source")[0]
        if unit.id in existing:
            trans.set_target_dom(content(existing[unit.id].inlines, "target")[0])
            trans.xmlelement.find(_q("target")).set("state", "translated")
        trans.addlocation(f"{unit.pos.path}:{unit.pos.line}")
    store.removedefaultfile()
    store.getfilenode(source_path).set("datatype", DATATYPE)
    return bytes(store)


# --------------------------------------------------------------------------
# Import


@dataclass
class Reader:
    """A target element read back into model inlines, against its source's codes."""

    codes: Codes
    pos: SourcePos
    unit_id: str

    def read(self, target: etree._Element) -> tuple[tuple[Inline, ...] | None, list[Diagnostic]]:
        seen: list[str] = []
        problems: list[Diagnostic] = []
        inlines = self.children(target, seen, problems)
        missing = [code for code in self.codes.order if code not in seen]
        if missing:
            problems.append(error(self.pos, f"unit '{self.unit_id}': the target lacks the inline code(s) "
                                            f"{', '.join(missing)} of its source",
                                  "keep every note call, reference and formatting code of the source"))
        doubled = sorted(code for code, count in Counter(seen).items() if count > 1)
        if doubled:
            problems.append(error(self.pos, f"unit '{self.unit_id}': inline code(s) {', '.join(doubled)} "
                                            f"stand more than once in the target"))
        kept = [code for code in seen if code in self.codes.order]
        if not missing and not doubled and kept != self.codes.order:
            problems.append(error(self.pos, f"unit '{self.unit_id}': the inline codes are in the order "
                                            f"{' '.join(kept)}, the source's are {' '.join(self.codes.order)}",
                                  "notes are numbered in the order they are called: keep the source's order"))
        return (None if problems else inlines), problems

    def children(self, element: etree._Element, seen: list[str], problems: list[Diagnostic]) -> tuple[Inline, ...]:
        out: list[Inline] = []
        if element.text:
            out.append(Text(element.text))
        for child in element:
            tag = etree.QName(child).localname
            code_id = child.get("id", "")
            seen.append(code_id)
            node = self.codes.by_id.get(code_id)
            if node is None and tag == "g":
                node = added_formatting(child.get("ctype", ""))
            paired = isinstance(node, (Emphasis, Strong, Span, Link))
            if tag not in ("x", "g") or node is None or (tag == "g") != paired:
                problems.append(error(self.pos, f"unit '{self.unit_id}': <{tag} id=\"{code_id}\"> is no inline "
                                                f"code of its source"))
            elif tag == "x":
                out.append(node)
            else:
                out.append(_with_children(node, self.children(child, seen, problems)))
            if child.tail:
                out.append(Text(child.tail))
        return tuple(out)


def added_formatting(ctype: str) -> Inline | None:
    """What a ``<g>`` the source has not stands for, where a translator may add it: emphasis, bold,
    a phrase in another language (a French edition marks an English title ``lang=en``)."""
    if ctype == "italic":
        return Emphasis(())
    if ctype == "bold":
        return Strong(())
    if ctype.startswith("x-lang-") and len(ctype) > len("x-lang-"):
        return Span((), ctype[len("x-lang-"):])
    return None


def _with_children(node: Emphasis | Strong | Span | Link, children: tuple[Inline, ...]) -> Inline:
    from dataclasses import replace

    return replace(node, children=children)


def read_targets(data: bytes, path: str, source: Document
                 ) -> tuple[dict[str, tuple[Inline, ...]], str | None, list[Diagnostic]]:
    """Each unit's translated inlines, by id; the target language; what is wrong, at its line."""
    store = XliffFile.parsestring(data)
    expected = {unit.id: unit for unit in units(source)}
    targets: dict[str, tuple[Inline, ...]] = {}
    problems: list[Diagnostic] = []
    for trans in store.units:
        element = trans.xmlelement
        unit_id = element.get("id", "")
        pos = SourcePos(path, element.sourceline or 1, 1)
        unit = expected.get(unit_id)
        if unit is None:
            problems.append(error(pos, f"unit '{unit_id}' is not in the source edition",
                                  "export again: the source's structure has changed"))
            continue
        target = element.find(_q("target"))
        if target is None:
            problems.append(error(pos, f"unit '{unit_id}' has no translation"))
            continue
        pos = SourcePos(path, target.sourceline or pos.line, 1)
        inlines, found = Reader(content(unit.inlines, "source")[1], pos, unit_id).read(target)
        problems += found
        if inlines is not None:
            targets[unit_id] = inlines
    for unit_id in expected.keys() - targets.keys() - {e.get("id") for e in (u.xmlelement for u in store.units)}:
        problems.append(error(SourcePos(path, 1, 1), f"unit '{unit_id}' of the source is missing"))
    return targets, store.gettargetlanguage(), problems


def import_edition(data: bytes, path: str, source: Document, target_lang: str,
                   existing: Document | None) -> tuple[str | None, list[Diagnostic]]:
    """The target edition's Markdown, or the diagnostics that stop it."""
    targets, _, problems = read_targets(data, path, source)
    if problems:
        return None, problems
    annex_langs = {}
    if existing is not None:
        for index, part in enumerate(existing.annexes, start=1):
            annex_langs[f"{part.label}/" if part.label else f"annex-{index}/"] = part.lang
    return write_markdown(source, lambda unit: targets[unit.id], target_lang, annex_langs), []


# --------------------------------------------------------------------------
# The command line: ``build.py xliff export|import``


def main(argv: list[str], project_root: Path | None = None) -> int:
    from .pipeline import Project, load_edition, load_info, write_atomically

    parser = argparse.ArgumentParser(prog="build.py xliff", description="XLIFF 1.2 for translators")
    parser.add_argument("--project", type=Path, help="the project folder (default: the current one)")
    sub = parser.add_subparsers(dest="action", required=True)
    out = sub.add_parser("export", help="write an edition's units, with the target edition's text where there is one")
    out.add_argument("--doc", required=True)
    out.add_argument("--from", dest="source", required=True, help="the source language")
    out.add_argument("--to", dest="target", required=True, help="the target language")
    out.add_argument("--output", type=Path, help="default: output/<doc>/<doc>.<from>-<to>.xlf")
    back = sub.add_parser("import", help="write the target edition's source from a translated XLIFF file")
    back.add_argument("file", type=Path)
    back.add_argument("--doc", required=True)
    args = parser.parse_args(argv)
    project = Project((args.project or project_root or Path.cwd()).resolve())
    sources = next((s for s in project.documents() if s.name == args.doc), None)
    if sources is None:
        parser.error(f"unknown document '{args.doc}'")
    info, problems = load_info(project, sources)
    if info is None:
        return _report(problems)

    def edition(lang: str) -> tuple[Document | None, list[Diagnostic]]:
        if lang not in sources.editions:
            return None, []
        return load_edition(project, sources, info, lang)

    if args.action == "export":
        source, problems = edition(args.source)
        if args.source not in sources.editions:
            parser.error(f"'{args.doc}' has no '{args.source}' edition")
        target, found = edition(args.target)
        if source is None or (args.target in sources.editions and target is None):
            return _report(problems + found)
        path = args.output or project.output_dir / args.doc / f"{args.doc}.{args.source}-{args.target}.xlf"
        path.parent.mkdir(parents=True, exist_ok=True)
        shown = sources.editions[args.source].relative_to(project.root).as_posix()
        write_atomically(path, export(source, target, args.target, shown))
        print(f"wrote {path}")
        return 0

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        parser.error(f"cannot read {args.file}: {exc.strerror}")
    try:
        store = XliffFile.parsestring(data)
    except etree.XMLSyntaxError as exc:
        return _report([error(SourcePos(str(args.file), exc.lineno or 1, exc.offset or 1), f"not XML: {exc.msg}")])
    source_lang, target_lang = store.getsourcelanguage(), store.gettargetlanguage()
    if source_lang not in sources.editions or not target_lang:
        return _report([error(SourcePos(str(args.file), 1, 1),
                              f"the file's languages ({source_lang} → {target_lang}) do not name an edition "
                              f"of '{args.doc}' and a target")])
    source, problems = edition(source_lang)
    existing, _ = edition(target_lang)
    if source is None:
        return _report(problems)
    markdown, problems = import_edition(data, str(args.file), source, target_lang, existing)
    if markdown is None:
        return _report(problems)
    path = sources.meta_path.parent / f"{target_lang}.md"
    write_atomically(path, markdown)
    print(f"wrote {path.relative_to(project.root)}")
    return 0


def _report(diagnostics: list[Diagnostic]) -> int:
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
    return 1
