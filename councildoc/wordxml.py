"""What Pandoc's DOCX reader loses, written into the DOCX as text before it reads it.

Word's **automatic numbering** (``w:numPr`` on a paragraph or its style, the levels of
``numbering.xml``) is not text: Pandoc makes numbered paragraphs an ordered list (its own numbers)
and drops a heading's number. :class:`Numbering` computes the number Word displays for each
paragraph — the level's ``numFmt`` (decimal, upperRoman, lowerLetter…), its ``lvlText`` (``%1.``,
``(%1)``, ``%1.%2``), ``start``, a ``w:num``'s ``startOverride``, deeper levels restarting after a
shallower one (``lvlRestart``) — and :func:`prepare` writes it before the paragraph's text as if it
had been typed, the paragraph's numbering removed: the importer then reads it exactly as a typed
number (structure, references, slips).

Word's **cross-reference fields** (``NOTEREF _Ref8``, ``REF _Ref12 \\r``, simple or complex) show a
number that is a reference to a bookmark. :func:`prepare` writes each as a marker holding the
bookmark's name and the field's shown text, and a bookmark's start as a marker in its paragraph;
the importer makes them references to the note or paragraph the bookmark holds.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from .languages import small_letter, small_roman

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

BOOKMARK, FIELD, END = "\ue000", "\ue001", "\ue002"
"""Private-use characters around what :func:`prepare` writes as text: a bookmark's start
(``BOOKMARK name END``) and a cross-reference field (``FIELD kind:name:shown END``)."""
MARKER = re.compile(f"{FIELD}(note|ref):([^:{END}]*):([^{END}]*){END}")
BOOKMARK_MARKER = re.compile(f"{BOOKMARK}([^{END}]*){END}")

PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")


def _val(element: etree._Element | None, name: str = "val") -> str | None:
    return None if element is None else element.get(f"{W}{name}")


# --------------------------------------------------------------------------
# Word's automatic numbering


FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "upperRoman": lambda n: small_roman(n).upper(),
    "lowerRoman": small_roman,
    "upperLetter": lambda n: small_letter(n).upper(),
    "lowerLetter": small_letter,  # Word's letters too: a…z, then aa…zz
    "none": lambda n: "",
}
"""The number formats a council document uses, as Word writes them; a bullet is no number."""


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None
    """``lvlRestart``: the (1-based) level whose use restarts this one; 0 never; None: any shallower level."""
    legal: bool = False
    """``isLgl``: every level's number shown in decimal."""
    style: str | None = None
    """``pStyle``: the paragraph style this level belongs to (outline numbering of headings)."""


@dataclass
class Numbering:
    """The numbers Word displays, paragraph after paragraph in document order (:meth:`label`)."""

    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    """Each abstract numbering's levels, by ``abstractNumId``."""
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)
    """Each ``numId``: its abstract numbering and its levels' ``startOverride``."""
    styles: dict[str, tuple[str | None, int | None, str | None]] = field(default_factory=dict)
    """Each paragraph style: its ``numId``, ``ilvl`` and the style it is based on."""
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    """The counters so far, by abstract numbering: Word continues a list across its ``w:num`` instances."""
    overridden: set[str] = field(default_factory=set)
    """The ``w:num``s whose start overrides have been applied (at their first paragraph)."""

    @classmethod
    def read(cls, numbering_xml: bytes | None, styles_xml: bytes | None) -> Numbering:
        numbering = cls()
        if numbering_xml:
            root = etree.fromstring(numbering_xml)
            for abstract in root.iter(f"{W}abstractNum"):
                levels = {}
                for lvl in abstract.iter(f"{W}lvl"):
                    restart = _val(lvl.find(f"{W}lvlRestart"))
                    levels[int(_val(lvl, "ilvl") or 0)] = Level(
                        start=int(_val(lvl.find(f"{W}start")) or 1),
                        fmt=_val(lvl.find(f"{W}numFmt")) or "decimal",
                        text=_val(lvl.find(f"{W}lvlText")) or "",
                        restart=int(restart) if restart is not None else None,
                        legal=lvl.find(f"{W}isLgl") is not None and _val(lvl.find(f"{W}isLgl")) not in ("0", "false"),
                        style=_val(lvl.find(f"{W}pStyle")))
                numbering.abstract[_val(abstract, "abstractNumId") or ""] = levels
            for num in root.iter(f"{W}num"):
                overrides = {}
                for override in num.iter(f"{W}lvlOverride"):
                    start = _val(override.find(f"{W}startOverride"))
                    if start is not None:
                        overrides[int(_val(override, "ilvl") or 0)] = int(start)
                numbering.nums[_val(num, "numId") or ""] = (_val(num.find(f"{W}abstractNumId")) or "", overrides)
        if styles_xml:
            for style in etree.fromstring(styles_xml).iter(f"{W}style"):
                if _val(style, "type") != "paragraph":
                    continue
                num_pr = style.find(f"{W}pPr/{W}numPr")
                ilvl = _val(num_pr.find(f"{W}ilvl")) if num_pr is not None else None
                numbering.styles[_val(style, "styleId") or ""] = (
                    _val(num_pr.find(f"{W}numId")) if num_pr is not None else None,
                    int(ilvl) if ilvl is not None else None,
                    _val(style.find(f"{W}basedOn")))
        return numbering

    def numbered(self, paragraph: etree._Element) -> tuple[str, int] | None:
        """The ``numId`` and level of a paragraph Word numbers: its own ``numPr``, else its style's (or the
        style's it is based on); ``numId`` 0 is "no numbering"."""
        num_pr = paragraph.find(f"{W}pPr/{W}numPr")
        num_id = _val(num_pr.find(f"{W}numId")) if num_pr is not None else None
        ilvl = _val(num_pr.find(f"{W}ilvl")) if num_pr is not None else None
        style = _val(paragraph.find(f"{W}pPr/{W}pStyle"))
        seen: set[str] = set()
        while (num_id is None or ilvl is None) and style and style not in seen:
            seen.add(style)
            style_num, style_lvl, based_on = self.styles.get(style, (None, None, None))
            num_id = num_id if num_id is not None else style_num
            if ilvl is None and style_lvl is not None:
                ilvl = str(style_lvl)
            if ilvl is None and num_id in self.nums:  # outline numbering: the level that names the style
                levels = self.abstract.get(self.nums[num_id][0], {})
                ilvl = next((str(n) for n, level in levels.items() if level.style == style), None)
            style = based_on
        if num_id in (None, "0") or num_id not in self.nums:
            return None
        return num_id, int(ilvl or 0)

    def label(self, paragraph: etree._Element) -> str | None:
        """The number Word displays before ``paragraph`` (``IV.``, ``12.``, ``(a)``), counting it; None for
        a paragraph Word does not number, or marks with a bullet."""
        found = self.numbered(paragraph)
        if found is None:
            return None
        num_id, ilvl = found
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        level = levels.get(ilvl)
        if level is None or level.fmt == "bullet":
            return None
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.overridden:
            self.overridden.add(num_id)
            for overridden, start in overrides.items():
                counters[overridden] = start - 1
                for deeper in [n for n in counters if n > overridden]:
                    del counters[deeper]
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [n for n in counters if n > ilvl]:
            restart = levels.get(deeper, Level()).restart
            if restart is None or (restart and ilvl + 1 <= restart):
                del counters[deeper]

        def shown(match: re.Match) -> str:
            n = int(match[1]) - 1
            shown_level = levels.get(n, Level())
            value = counters.get(n, shown_level.start)
            fmt = "decimal" if level.legal and n < ilvl else shown_level.fmt
            return FORMATS.get(fmt, str)(value)
        return re.sub(r"%([1-9])", shown, level.text)


# --------------------------------------------------------------------------
# The DOCX prepared for Pandoc


@dataclass
class Prepared:
    docx: bytes
    """The DOCX with numbers and fields written as text."""
    document_xml: bytes
    """Its ``word/document.xml``."""
    note_of: dict[str, int] = field(default_factory=dict)
    """A bookmark's name → the rank (from 1, in document order) of the footnote whose call it holds."""


def _text_run(text: str) -> etree._Element:
    run = etree.Element(f"{W}r")
    t = etree.SubElement(run, f"{W}t")
    t.text = text
    t.set(XML_SPACE, "preserve")
    return run


def _field_kind(instr: str) -> tuple[str, str, list[str]] | None:
    """``NOTEREF _Ref8 \\h`` → (``NOTEREF``, ``_Ref8``, switches)."""
    words = instr.split()
    if len(words) >= 2 and words[0].upper() in ("NOTEREF", "REF"):
        return words[0].upper(), words[1], [w.lower() for w in words[2:]]
    return None


def _marker(kind: str, name: str, switches: list[str], shown: str, note_of: dict[str, int]) -> str:
    shown = shown.replace(":", "\u2236") if ":" in shown else shown  # the marker's separator stays one
    if name in note_of:
        return f"{FIELD}note:{name}:{shown}{END}"
    if kind == "REF" and not ({"\\r", "\\n", "\\w"} & set(switches)) and not re.fullmatch(r"[\w().]+", shown):
        return shown  # the bookmarked text itself, not a number: it stays text
    return f"{FIELD}ref:{name}:{shown}{END}"


def _rewrite_fields(root: etree._Element, note_of: dict[str, int]) -> None:
    for simple in list(root.iter(f"{W}fldSimple")):
        found = _field_kind(simple.get(f"{W}instr", ""))
        if found is None:
            continue
        shown = "".join(t.text or "" for t in simple.iter(f"{W}t"))
        run = _text_run(_marker(*found, shown, note_of))
        simple.getparent().replace(simple, run)
    for paragraph in root.iter(f"{W}p"):
        stack: list[dict] = []
        done: list[dict] = []
        for run in list(paragraph.iter(f"{W}r")):
            char = run.find(f"{W}fldChar")
            kind = _val(char, "fldCharType")
            if kind == "begin":
                stack.append({"runs": [run], "instr": "", "shown": "", "result": False})
                continue
            if not stack:
                continue
            current = stack[-1]
            current["runs"].append(run)
            if kind == "separate":
                current["result"] = True
            elif kind == "end":
                stack.pop()
                done.append(current)
                if stack:
                    stack[-1]["shown"] += current["shown"] if current["result"] else ""
            elif current["result"]:
                current["shown"] += "".join(t.text or "" for t in run.iter(f"{W}t"))
            else:
                current["instr"] += "".join(t.text or "" for t in run.iter(f"{W}instrText"))
        for complete in done:
            found = _field_kind(complete["instr"])
            if found is None or any(run.getparent() is None for run in complete["runs"]):
                continue
            first = complete["runs"][0]
            first.getparent().replace(first, _text_run(_marker(*found, complete["shown"], note_of)))
            for run in complete["runs"][1:]:
                if run.getparent() is not None:
                    run.getparent().remove(run)


def _instructions(root: etree._Element) -> list[str]:
    """Every field's instruction in a part (complex fields' ``instrText`` joined per field)."""
    found = [simple.get(f"{W}instr", "") for simple in root.iter(f"{W}fldSimple")]
    current: list[str] = []
    for element in root.iter(f"{W}fldChar", f"{W}instrText"):
        if element.tag == f"{W}instrText":
            if current:
                current[-1] += element.text or ""
        elif _val(element, "fldCharType") == "begin":
            current.append("")
        elif _val(element, "fldCharType") == "end" and current:
            found.append(current.pop())
    return found


def _notes_by_bookmark(body: etree._Element) -> dict[str, int]:
    """Each bookmark that holds a footnote's call and no text besides (what Word bookmarks for a NOTEREF
    field), and that footnote's rank in document order."""
    open_marks: dict[str, dict] = {}
    note_of: dict[str, int] = {}
    rank = 0
    for element in body.iter(f"{W}bookmarkStart", f"{W}bookmarkEnd", f"{W}footnoteReference", f"{W}t"):
        if element.tag == f"{W}bookmarkStart":
            open_marks[_val(element, "id") or ""] = {"name": _val(element, "name") or "", "note": 0, "text": ""}
        elif element.tag == f"{W}bookmarkEnd":
            mark = open_marks.pop(_val(element, "id") or "", None)
            if mark and mark["note"] and not mark["text"].replace("\u2060", "").strip():  # the call's word joiner
                note_of[mark["name"]] = mark["note"]
        elif element.tag == f"{W}t":
            for mark in open_marks.values():
                mark["text"] += element.text or ""
        else:
            rank += 1
            for mark in open_marks.values():
                mark["note"] = mark["note"] or rank
    return note_of


def prepare(data: bytes) -> Prepared:
    """The DOCX ``data`` with Word's numbers written before their paragraphs' text, its cross-reference
    fields and bookmarks as markers (see the module's docstring)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        parts = {name: archive.read(name) for name in names}
    numbering = Numbering.read(parts.get("word/numbering.xml"), parts.get("word/styles.xml"))
    root = etree.fromstring(parts["word/document.xml"])
    note_of = _notes_by_bookmark(root)
    for paragraph in root.iter(f"{W}p"):
        label = numbering.label(paragraph)
        properties = paragraph.find(f"{W}pPr")
        if properties is None:
            properties = etree.SubElement(paragraph, f"{W}pPr")
            paragraph.insert(0, properties)
        if label is not None:
            # The number as text, the paragraph's numbering off (Pandoc would make it a list of its own).
            for old in properties.findall(f"{W}numPr"):
                properties.remove(old)
            num_pr = etree.Element(f"{W}numPr")
            etree.SubElement(num_pr, f"{W}numId").set(f"{W}val", "0")
            properties.insert(1 if properties.find(f"{W}pStyle") is not None else 0, num_pr)
            if label:
                properties.addnext(_text_run(f"{label} "))
    targets = {found[1] for name in PARTS if name in parts for found in map(_field_kind, _instructions(
        root if name == PARTS[0] else etree.fromstring(parts[name]))) if found}
    for mark in list(root.iter(f"{W}bookmarkStart")):
        name = _val(mark, "name") or ""
        # Only what a field refers to, where a run may stand (a bookmark may also open between paragraphs).
        if name in targets and name not in note_of and mark.getparent().tag == f"{W}p":
            mark.addnext(_text_run(f"{BOOKMARK}{name}{END}"))
    _rewrite_fields(root, note_of)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    for name in PARTS[1:]:
        if name in parts:
            part = etree.fromstring(parts[name])
            _rewrite_fields(part, note_of)
            parts[name] = etree.tostring(part, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, parts[name])
    return Prepared(out.getvalue(), parts["word/document.xml"], note_of)
