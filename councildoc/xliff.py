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
Files are written and read with lxml and checked against the OASIS XLIFF 1.2 strict schema
(``councildoc/schemas/xliff/``); translate-toolkit (GPL-3.0-or-later) is no dependency of councildoc,
only of its tests, where it reads the files as an independent CAT-tool library (docs/translating.md).

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
import copy
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

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
XML_NS = "http://www.w3.org/XML/1998/namespace"
DATATYPE = "x-councildoc-markdown"
SCHEMAS = Path(__file__).resolve().parent / "schemas"
SCHEMA = SCHEMAS / "xliff" / "xliff-core-1.2-strict.xsd"


def _q(name: str) -> str:
    return f"{{{XLIFF_NS}}}{name}"


_schema: etree.XMLSchema | None = None


def schema() -> etree.XMLSchema:
    """The OASIS XLIFF 1.2 strict schema, its import of the ``xml:`` namespace's schema read from the copy
    beside the Akoma Ntoso schema (nothing is fetched)."""
    global _schema
    if _schema is None:
        tree = etree.parse(str(SCHEMA))
        for element in tree.getroot().iter("{http://www.w3.org/2001/XMLSchema}import"):
            if element.get("namespace") == XML_NS:
                element.set("schemaLocation", (SCHEMAS / "akn" / "xml.xsd").as_uri())
        _schema = etree.XMLSchema(tree)
    return _schema


def schema_errors(root: etree._Element, path: str) -> list[Diagnostic]:
    """What the schema finds wrong with an XLIFF file, at its lines. What a CAT tool adds in a namespace of its own
    (``sdl:``, ``mq:``), which the standard allows and the strict schema would want a schema for, is left
    out of the check: councildoc does not read it."""
    checked = copy.deepcopy(root)  # keeps each element's line
    for element in list(checked.iter()):
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).namespace != XLIFF_NS and element.getparent() is not None:
            element.getparent().remove(element)
            continue
        for name in list(element.attrib):
            namespace = etree.QName(name).namespace
            if namespace not in (None, XLIFF_NS, XML_NS):
                del element.attrib[name]
    if schema().validate(checked):
        return []
    found = []
    for entry in schema().error_log:
        message = entry.message.replace(f"{{{XLIFF_NS}}}", "")
        found.append(error(SourcePos(path, entry.line or 1, 1), f"not valid XLIFF 1.2: {message}"))
    return found


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
    root = etree.Element(_q("xliff"), version="1.2", nsmap={None: XLIFF_NS})
    file_node = etree.SubElement(root, _q("file"), {"original": source_path, "source-language": source.meta.lang,
                                                    "target-language": target_lang, "datatype": DATATYPE})
    body = etree.SubElement(file_node, _q("body"))
    existing = {unit.id: unit for unit in units(target)} if target else {}
    for unit in units(source):
        trans = etree.SubElement(body, _q("trans-unit"), id=unit.id, resname=unit.id)
        trans.set(f"{{{XML_NS}}}space", "preserve")
        trans.append(content(unit.inlines, "source")[0])
        if unit.id in existing:
            translated = content(existing[unit.id].inlines, "target")[0]
            translated.set("state", "translated")
            trans.append(translated)
        where = etree.SubElement(trans, _q("context-group"), purpose="location")
        etree.SubElement(where, _q("context"), {"context-type": "sourcefile"}).text = unit.pos.path
        etree.SubElement(where, _q("context"), {"context-type": "linenumber"}).text = str(unit.pos.line)
    _indent(root, "\n")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8") + b"\n"


def _indent(element: etree._Element, newline: str) -> None:
    """Line breaks and indents between the file's structural elements, never inside a ``source`` or
    ``target`` (their whitespace is text: lxml's ``pretty_print`` would add some where one holds only codes)."""
    if etree.QName(element).localname in ("source", "target", "context"):
        return
    inner = newline + "  "
    for child in element:
        child.tail = inner
        _indent(child, inner)
    if len(element):
        element.text = inner
        element[-1].tail = newline


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
            if not isinstance(child.tag, str):  # a comment or processing instruction a tool left
                if child.tail:
                    out.append(Text(child.tail))
                continue
            tag = etree.QName(child).localname
            if tag == "mrk" and child.get("mtype") == "seg":  # a CAT tool's segment (seg-source): no code
                out += self.children(child, seen, problems)
                if child.tail:
                    out.append(Text(child.tail))
                continue
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


def parse(data: bytes, path: str) -> tuple[etree._Element | None, list[Diagnostic]]:
    """An XLIFF 1.2 file's root, or why it is none (not XML, not valid against the schema), at its lines."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return None, [error(SourcePos(path, exc.lineno or 1, exc.offset or 1), f"not XML: {exc.msg}")]
    problems = schema_errors(root, path)
    if not problems and root.find(_q("file")) is None:  # the schema wants one file: this stays a check of ours
        problems = [error(SourcePos(path, 1, 1), "no <file> in it")]
    return (None if problems else root), problems


def read_targets(root: etree._Element, path: str, source: Document
                 ) -> tuple[dict[str, tuple[Inline, ...]], list[Diagnostic]]:
    """Each unit's translated inlines, by id; what is wrong, at its line."""
    expected = {unit.id: unit for unit in units(source)}
    targets: dict[str, tuple[Inline, ...]] = {}
    problems: list[Diagnostic] = []
    seen: set[str] = set()
    for element in root.iter(_q("trans-unit")):
        unit_id = element.get("id", "")
        seen.add(unit_id)
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
    for unit_id in expected.keys() - seen:
        problems.append(error(SourcePos(path, 1, 1), f"unit '{unit_id}' of the source is missing"))
    return targets, problems


def import_edition(root: etree._Element, path: str, source: Document, target_lang: str,
                   existing: Document | None) -> tuple[str | None, list[Diagnostic]]:
    """The target edition's Markdown, or the diagnostics that stop it."""
    targets, problems = read_targets(root, path, source)
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
    root, problems = parse(data, str(args.file))
    if root is None:
        return _report(problems)
    file_node = root.find(_q("file"))
    source_lang, target_lang = file_node.get("source-language"), file_node.get("target-language")
    if source_lang not in sources.editions or not target_lang:
        return _report([error(SourcePos(str(args.file), 1, 1),
                              f"the file's languages ({source_lang} → {target_lang}) do not name an edition "
                              f"of '{args.doc}' and a target")])
    source, problems = edition(source_lang)
    existing, _ = edition(target_lang)
    if source is None:
        return _report(problems)
    markdown, problems = import_edition(root, str(args.file), source, target_lang, existing)
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
