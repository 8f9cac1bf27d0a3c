"""Importing a legacy Word document: typed numbers become structure, typed references become labels.

``build.py import FILE.docx --doc D --lang L`` writes ``source/D/L.md`` (and ``document.yaml``
when the folder has none). Pandoc's DOCX reader gives the text, the footnotes and the emphasis
(``docx+styles`` also gives each paragraph's Word style, a hint where the document has councildoc's
styles); everything else is read from the text the secretariat typed:

- the masthead: the symbol, the date (in the edition's language, from CLDR's month names), the
  session line, the title and subtitle, and a note on the title;
- ``IV.`` / ``B.`` / ``3.`` before a heading, ``12.`` before a paragraph, ``(a)``, ``(i)``, ``a.``,
  ``i.`` before a sub-paragraph: removed, the build numbers them again; a number out of sequence is
  a warning that says what it will become;
- a line "Annex", "Anexo II"…: an annex, its next line its title, short lines in it its headings;
- a paragraph led by a bold term ending in a colon: an annex entry;
- "note 8", "paragraph 12 (b)", "section IV", "Annex II" typed in the text (in the edition's
  language, by the ``reference-words`` of its language data file): references to generated, readable
  labels; one that points at nothing is reported with the DOCX paragraph it is in.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from .diagnostics import Diagnostic, SourcePos, error, warning
from .languages import Catalogue
from .markdown import escape
from .wordxml import BOOKMARK_MARKER, MARKER, W, prepare

ROMAN = re.compile(r"^(?=[IVXLC])(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
SECTION_NUMBER = re.compile(r"^([IVXLC]+|[A-Z]|\d+)\.\s+(.+)$", re.S)
PARAGRAPH_NUMBER = re.compile(r"^(\d+)\.\s+", re.S)
SUB_MARKER = re.compile(r"^(\(([a-z]{1,2}|[ivxl]+)\)|([a-z]{1,2}|[ivxl]+)[.)])\s+", re.S)

def roman_value(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for i, ch in enumerate(numeral):
        value = values[ch]
        total += -value if i + 1 < len(numeral) and values[numeral[i + 1]] > value else value
    return total


def to_roman(number: int) -> str:
    out = ""
    for value, numeral in [(100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")]:
        count, number = divmod(number, value)
        out += numeral * count
    return out


def slug(text: str, taken: set[str], kind: str) -> str:
    """A readable label from the first words of ``text``: ``para:migrant-workers``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = [w for w in re.findall(r"[a-z0-9]+", ascii_text) if len(w) > 3][:3] or ["x"]
    base = f"{kind}:{'-'.join(words)}"
    label, n = base, 1
    while label in taken:
        n += 1
        label = f"{base}-{n}"
    taken.add(label)
    return label


# --------------------------------------------------------------------------
# Pandoc's inlines as Markdown (and as plain text, to read typed numbers)


@dataclass
class Inlines:
    """Pandoc inlines turned into Markdown, notes collected."""

    notes: list[tuple[str, list[dict]]]
    """Each footnote met, in call order: a placeholder and its Pandoc blocks."""
    part: int = 0
    """The part being read (0 the body, 1… the annexes): notes are numbered in their part."""
    parts: list[int] = field(default_factory=list)
    """Each note's part."""
    dropped: list[str] = field(default_factory=list)
    """What could not be written, since the last paragraph was reported."""
    calling: Any = None
    """The paragraph being read."""
    callers: list[Any] = field(default_factory=list)
    """Each note's calling paragraph."""

    def markdown(self, inlines: list[dict]) -> str:
        return "".join(self.inline(node) for node in inlines)

    def inline(self, node: dict) -> str:
        kind, content = node["t"], node.get("c")
        if kind == "Str":
            return escape(content)
        if kind in ("Space", "SoftBreak"):
            return " "
        if kind == "LineBreak":
            return "\\\n"
        if kind == "Emph":
            return f"*{self.markdown(content)}*"
        if kind == "Strong":
            return f"**{self.markdown(content)}**"
        if kind == "Quoted":
            marks = ("“", "”") if content[0]["t"] == "DoubleQuote" else ("‘", "’")
            return marks[0] + self.markdown(content[1]) + marks[1]
        if kind == "Code":
            return f"`{content[1]}`"
        if kind == "Link":
            return f"[{self.markdown(content[1])}](<{content[2][0]}>)"
        if kind == "Span":
            attributes = dict(content[0][2])
            inner = self.markdown(content[1])
            if re.search(r"strong|bold|term", attributes.get("custom-style", ""), re.I):
                return f"**{inner}**"
            lang = attributes.get("lang")
            return f"[{inner}]{{lang={lang}}}" if lang else inner
        if kind == "Note":
            self.notes.append((f"\x00note{len(self.notes)}\x00", content))
            self.parts.append(self.part)
            self.callers.append(self.calling)
            return self.notes[-1][0]
        if kind in ("Superscript", "Subscript", "SmallCaps", "Underline", "Strikeout"):
            return self.markdown(content)
        self.dropped.append(kind)  # an image, raw OOXML: reported with the paragraph
        return ""


def plain(inlines: list[dict]) -> str:
    out = []
    for node in inlines:
        kind, content = node["t"], node.get("c")
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Emph", "Strong", "Superscript", "Subscript", "SmallCaps", "Underline", "Strikeout"):
            out.append(plain(content))
        elif kind == "Quoted":
            out.append(plain(content[1]))
        elif kind in ("Link", "Span"):
            out.append(plain(content[1]))
    return MARKER.sub(r"\3", "".join(out))  # a Word field reads as what it shows


def drop_prefix(inlines: list[dict], count: int) -> list[dict]:
    """``inlines`` without their first ``count`` characters of text (a typed number and its space)."""
    out = list(inlines)
    while count > 0 and out:
        node = out[0]
        if node["t"] == "Str":
            if len(node["c"]) <= count:
                count -= len(node["c"])
                out.pop(0)
            else:
                out[0] = {"t": "Str", "c": node["c"][count:]}
                count = 0
        elif node["t"] in ("Space", "SoftBreak"):
            count -= 1
            out.pop(0)
        elif node["t"] in ("Strong", "Emph"):
            inner = plain(node["c"])
            if len(inner) <= count:
                count -= len(inner)
                out.pop(0)
            else:
                out[0] = {"t": node["t"], "c": drop_prefix(node["c"], count)}
                count = 0
        else:
            break
    while out and out[0]["t"] in ("Space", "SoftBreak"):
        out.pop(0)
    return out


# --------------------------------------------------------------------------
# The document, paragraph by paragraph


@dataclass
class Para:
    """One paragraph of the DOCX and what it was recognised as."""

    index: int
    """Its rank in the DOCX body, from 1 (diagnostics name it)."""
    style: str
    inlines: list[dict]
    kind: str = "text"
    """``heading``, ``para``, ``sub``, ``annex``, ``annex-title``, ``entry``, ``text``, ``bullet``, ``quote``."""
    level: int = 0
    number: str = ""
    label: str = ""
    lang: str | None = None
    """The language most of its text is in, where Word says it is not the document's."""
    spans: list[tuple[str, str]] = field(default_factory=list)
    """Runs of text in another language than the paragraph's: (language, text)."""
    bookmarks: list[str] = field(default_factory=list)
    """The Word bookmarks a cross-reference field points at that open in it."""


@dataclass
class Imported:
    markdown: str
    meta: dict[str, str] = field(default_factory=dict)


def without_bookmarks(inlines: list[dict], found: list[str]) -> list[dict]:
    """``inlines`` without the bookmark markers :func:`wordxml.prepare` wrote, their names in ``found``."""
    out = []
    for node in inlines:
        if node["t"] == "Str" and BOOKMARK_MARKER.search(node["c"]):
            found += BOOKMARK_MARKER.findall(node["c"])
            node = {"t": "Str", "c": BOOKMARK_MARKER.sub("", node["c"])}
            if not node["c"]:
                continue
        elif node["t"] in ("Emph", "Strong", "Underline", "SmallCaps", "Superscript", "Subscript", "Strikeout"):
            node = {"t": node["t"], "c": without_bookmarks(node["c"], found)}
        elif node["t"] in ("Span", "Link"):
            node = {"t": node["t"], "c": [node["c"][0], without_bookmarks(node["c"][1], found), *node["c"][2:]]}
        out.append(node)
    return out


def paragraphs(blocks: list[dict]) -> list[Para]:
    out: list[Para] = []

    def para(style: str, inlines: list[dict]) -> Para:
        found: list[str] = []
        inlines = without_bookmarks(inlines, found)
        return Para(len(out) + 1, style, inlines, bookmarks=found)

    def add(block: dict, style: str) -> None:
        kind = block["t"]
        if kind in ("Para", "Plain"):
            out.append(para(style, block["c"]))
        elif kind == "Header":
            out.append(para(f"Heading {block['c'][0]}", block["c"][2]))
        elif kind == "Div":
            inner = dict(block["c"][0][2]).get("custom-style", style)
            for child in block["c"][1]:
                add(child, inner)
        elif kind == "BlockQuote":
            for child in block["c"]:
                add(child, "Block Text")
        elif kind in ("BulletList", "OrderedList"):
            items = block["c"] if kind == "BulletList" else block["c"][1]
            for item in items:
                for child in item:
                    add(child, "List Bullet" if kind == "BulletList" else "List Number")
        elif kind == "LineBlock":
            for line in block["c"]:
                out.append(para(style, line))
        elif kind not in ("HorizontalRule", "Null"):
            out.append(Para(len(out) + 1, f"unsupported {kind}", []))  # a table, a figure: reported

    for block in blocks:
        add(block, "")
    return out


def import_docx(path: Path, lang: str, catalogue: Catalogue, shown: str
                ) -> tuple[Imported | None, list[Diagnostic]]:
    """The Markdown edition of the DOCX at ``path`` and what ``document.yaml`` should say."""
    import tempfile
    import zipfile

    import pypandoc

    try:
        # Word's own numbers and cross-reference fields written as text first: Pandoc's reader loses them.
        prepared = prepare(path.read_bytes())
    except (OSError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        return None, [error(SourcePos(shown, 1, 1), f"not a Word document: {exc}")]
    try:
        with tempfile.TemporaryDirectory() as folder:
            docx = Path(folder) / "prepared.docx"
            docx.write_bytes(prepared.docx)
            text = pypandoc.convert_file(str(docx), "json", format="docx+styles")
        # The word joiner councildoc's writer glues a note call with is layout, not text.
        ast = json.loads(text.replace("\u2060", "").replace("\\u2060", ""))
    except (RuntimeError, OSError) as exc:
        return None, [error(SourcePos(shown, 1, 1), f"Pandoc cannot read it as a Word document: {exc}")]
    importer = Importer(ast["blocks"], lang, catalogue, shown)
    importer.note_of = prepared.note_of
    importer.attach_languages(run_languages(prepared.document_xml))
    return importer.run()


def run_languages(document_xml: bytes) -> list[tuple[str, list[tuple[str | None, str]]]]:
    """What Pandoc's reader drops, read from the OOXML: each body paragraph's text and its runs'
    languages (``w:lang``), in document order."""
    root = etree.fromstring(document_xml)
    found = []
    for paragraph in root.iter(f"{W}p"):
        runs: list[tuple[str | None, str]] = []
        for run in paragraph.iter(f"{W}r"):
            text = BOOKMARK_MARKER.sub("", "".join(t.text or "" for t in run.iter(f"{W}t")))
            if not text:
                continue
            lang = run.find(f"{W}rPr/{W}lang")
            runs.append((lang.get(f"{W}val") if lang is not None else None, text))
        if runs:
            found.append(("".join(text for _, text in runs), runs))
    return found


def _squash(text: str) -> str:
    return re.sub(r"[\s\u2060]+", "", text)  # the word joiner before a note call is layout, not text


class Importer:
    def __init__(self, blocks: list[dict], lang: str, catalogue: Catalogue, shown: str) -> None:
        self.paras = paragraphs(blocks)
        self.lang = lang
        self.catalogue = catalogue
        self.language = catalogue.load(lang)
        # A line holding only an annex's word, in any language the project knows ("Anexo II", "ANNEX").
        names = {catalogue.load_or(code, self.language).annex for code in catalogue.available()} | {self.language.annex}
        self.annex_words = "|".join(re.escape(w) for name in sorted(names) for w in (name, name.upper()))
        self.shown = shown
        self.diagnostics: list[Diagnostic] = []
        self.labels: set[str] = set()
        self.used: set[str] = set()
        """The labels a reference points at: the only ones written."""
        self.targets: dict[tuple[int, str, str], str] = {}
        self.part_langs: dict[int, str] = {}
        self.annex_parts: dict[str, int] = {}
        """An annex's part, by its typed numeral."""
        self.note_refs: list[tuple[int, str, Para, str]] = []
        """Each typed note reference: its part, the number typed, its paragraph and its text."""
        self.note_of: dict[str, int] = {}
        """A Word bookmark holding a note's call → that note's rank in the document (from 1)."""
        self.note_fields: list[int] = []
        """Each note a cross-reference field points at, by its rank in the document."""
        self.bookmark_labels: dict[str, str] = {}
        """A Word bookmark a field points at → the label of the heading or paragraph it opens in."""

    def attach_languages(self, runs: list[tuple[str, list[tuple[str | None, str]]]]) -> None:
        """Each paragraph's language and its phrases in other languages, matched to the OOXML paragraphs by text."""
        queue = list(runs)
        for para in self.paras:
            text = _squash(plain(para.inlines))
            if not text:
                continue
            while queue and _squash(queue[0][0]) != text:
                queue.pop(0)
            if not queue:
                return
            _, pieces = queue.pop(0)
            weight: dict[str | None, int] = {}
            for lang, piece in pieces:
                weight[lang] = weight.get(lang, 0) + len(piece.strip())
            main = max(weight, key=weight.get)
            para.lang = main if main not in (None, self.lang) else None
            merged: list[list] = []
            for lang, piece in pieces:
                lang = lang or self.lang
                if merged and merged[-1][0] == lang:
                    merged[-1][1] += piece
                else:
                    merged.append([lang, piece])
            para.spans = [(lang, piece.strip()) for lang, piece in merged
                          if lang != (main or self.lang) and piece.strip()]

    def where(self, para: Para) -> SourcePos:
        return SourcePos(self.shown, para.index, 1)

    def warn(self, para: Para, message: str) -> None:
        self.diagnostics.append(warning(self.where(para), message))

    # -- the masthead

    def masthead(self) -> tuple[dict[str, str], int]:
        """What the lines before the first heading or numbered paragraph say, and where the body starts."""
        meta: dict[str, str] = {}
        start = next((i for i, p in enumerate(self.paras)
                      if p.style.startswith("Heading") or PARAGRAPH_NUMBER.match(plain(p.inlines))
                      or SECTION_NUMBER.match(plain(p.inlines)) and len(plain(p.inlines)) < 120
                      and ROMAN.match(SECTION_NUMBER.match(plain(p.inlines))[1])), len(self.paras))
        lines = [p for p in self.paras[:start] if plain(p.inlines).strip()]
        texts: list[Para] = []
        months = {name.lower(): n for n, name in self.language.locale.months["format"]["wide"].items()}
        # The session line's own word, from the language's pattern ("{ordinal} reunión").
        session_word = re.escape(self.language.session_line.replace("{ordinal}", "").strip())
        for para in lines:
            text = plain(para.inlines).strip()
            if re.fullmatch(r"[A-Z]{1,4}(/[A-Z0-9.]+)+", text):
                meta["symbol"] = text
            elif text.startswith(self.language.original.rstrip(":\u00a0 ")):
                rest = text[len(self.language.original.rstrip(":\u00a0 ")):].lstrip(":\u00a0 ")
                names = {name.lower(): code for code, name in self.language.locale.languages.items()}
                original = next((names[w] for w in sorted(names, key=len, reverse=True)
                                 if rest.lower().startswith(w)), None)
                if original:
                    meta["original-language"] = original
                if (date := self.parse_date(rest, months)) is not None:  # "Original: inglés 12 de noviembre…"
                    meta["date"] = date
            elif (date := self.parse_date(text, months)) is not None:
                meta["date"] = date
            elif para.style == "Session" or session_word and re.search(rf"\b{session_word}\b", text, re.I):
                meta["session-title"] = text
            else:
                texts.append(para)
        inlines = Inlines([])
        if texts:
            meta["title"] = inlines.markdown(texts[0].inlines).strip()
        if len(texts) > 1 and not any(n["t"] == "Note" for n in texts[1].inlines):
            meta["subtitle"] = inlines.markdown(texts[1].inlines).strip()
        # The title repeated with its note, as councildoc's own DOCX and PDF set it.
        for para in texts:
            notes = [n for n in para.inlines if n["t"] == "Note"]
            if notes:
                meta["title-note"] = Inlines([]).markdown(paragraphs(notes[0]["c"])[0].inlines).strip()
        return meta, start

    @staticmethod
    def parse_date(text: str, months: dict[str, int]) -> str | None:
        numbers = re.findall(r"\d+", text)
        month = next((n for name, n in months.items() if re.search(rf"\b{re.escape(name)}\b", text.lower())), None)
        if month is None or len(numbers) != 2:
            return None
        day, year = (int(numbers[0]), int(numbers[1])) if int(numbers[0]) <= 31 else (int(numbers[1]), int(numbers[0]))
        return f"{year:04d}-{month:02d}-{day:02d}"

    # -- the structure

    def classify(self, paras: list[Para]) -> None:
        in_annex = False
        expect_title = False
        styled = [int(p.style.split()[1]) for p in paras if re.fullmatch(r"Heading \d", p.style)]
        top = min(styled, default=1)
        counters = {"roman": 0, "letter": 0}
        markers: list[str] = []
        for para in paras:
            text = plain(para.inlines).strip()
            if para.style.startswith("unsupported "):
                para.kind = "empty"
                what = {"Table": "a table", "Figure": "a figure"}.get(para.style.split()[1], "a block")
                self.warn(para, f"{what}: councildoc has no such element yet, its content is not imported")
                continue
            if not text:
                para.kind = "empty"
                continue
            if re.fullmatch(rf"({self.annex_words})(\s+[IVXLC]+)?", text):
                para.kind, in_annex, expect_title = "annex", True, True
                para.number = text.split()[1] if len(text.split()) > 1 else ""
                continue
            if expect_title:
                para.kind, expect_title = "annex-title", False
                continue
            number = PARAGRAPH_NUMBER.match(text)
            section = SECTION_NUMBER.match(text)
            marker = SUB_MARKER.match(text)
            if para.style.startswith("Heading") or (section and not number and len(text) < 120
                                                     and not text.endswith(".")):
                para.kind = "heading"
                style_level = int(para.style.split()[1]) - top + 1 if re.fullmatch(r"Heading \d", para.style) else 0
                if section:
                    para.number = section[1]
                    para.level = style_level or self.section_level(section[1], counters)
                else:
                    para.level = style_level or (2 if in_annex else 1)
            elif number:
                para.kind, para.number = "para", number[1]
                markers = []
            elif marker:
                para.kind, para.number = "sub", marker[1]
                style_degree = re.fullmatch(r"Sub-paragraph (\d)", para.style)
                para.level = int(style_degree[1]) if style_degree else self.degree(marker[1], markers)
            elif para.style == "Annex Region Heading" or (in_annex and len(text) < 60 and text[-1] not in ".:;,"):
                para.kind, para.level = "heading", 2
            elif para.style == "List Bullet":
                para.kind = "bullet"
            elif para.style == "Block Text":
                para.kind = "quote"

    def run(self) -> tuple[Imported | None, list[Diagnostic]]:
        meta, start = self.masthead()
        body = self.paras[start:]
        self.classify(body)
        self.check_sequences(body)
        markdown = self.write(meta, body)
        return Imported(markdown, meta), self.diagnostics

    def check_sequences(self, paras: list[Para]) -> None:
        """Typed numbers out of sequence: a warning naming what the build will number them."""
        section = 0
        paragraph = 0
        for para in paras:
            if para.kind == "annex":
                paragraph = 0
            elif para.kind == "heading" and para.level == 1 and ROMAN.match(para.number or "-"):
                section += 1
                if roman_value(para.number) != section:
                    text = plain(para.inlines).strip()
                    self.warn(para, f"section '{text}' follows {to_roman(section - 1) or 'nothing'}: "
                                    f"it will be numbered {to_roman(section)}")
            elif para.kind == "para":
                paragraph += 1
                if int(para.number) != paragraph:
                    self.warn(para, f"paragraph {para.number} follows {paragraph - 1}: "
                                    f"it will be numbered {paragraph}")

    # -- writing the Markdown, references resolved

    def write(self, meta: dict[str, str], paras: list[Para]) -> str:
        import yaml

        notes = Inlines([])
        # First pass: labels of what typed references may point at.
        part = 0
        current, path = "", []
        targets: dict[tuple[int, str, str], str] = {}
        sections: list[str] = []
        for para in paras:
            text = plain(para.inlines).strip()
            if para.kind == "annex":
                part += 1
                current = ""
                para.label = slug(f"{para.number or part} " + text, self.labels, "annex")
                targets[(0, "annex", para.number or "")] = para.label
                self.annex_parts[para.number or ""] = part
            elif para.kind == "heading" and not para.number:
                title = plain(para.inlines).strip()
                para.label = slug(title, self.labels, "sec")
                targets[(part, "title", title)] = para.label
            elif para.kind == "heading" and para.number:
                while len(sections) >= para.level:
                    sections.pop()
                sections.append(para.number)
                para.label = slug(SECTION_NUMBER.match(text)[2], self.labels, "sec")
                targets[(part, "sec", ".".join(sections))] = para.label
            elif para.kind == "para":
                para.label = slug(text[len(para.number) + 1:], self.labels, "para")
                targets[(part, "para", para.number)] = para.label
                current, path = para.number, []
            elif para.kind == "sub" and current:
                path = [*path[:para.level - 1], para.number]
                para.label = slug(text[len(para.number):], self.labels, "para")
                targets[(part, "para", marker_key(f"{current} {' '.join(path)}"))] = para.label
            for name in para.bookmarks if para.label else ():
                self.bookmark_labels[name] = para.label
        front = {"lang": self.lang, **{k: v for k, v in meta.items()
                                       if k in ("title", "subtitle", "session-title", "title-note")}}
        lines = ["---", yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=10_000).rstrip("\n"),
                 "---", ""]
        part = 0
        open_annex = False
        degree_markers: list[str] = []
        self.targets = targets
        annex_langs = self.part_langs = self.annex_languages(paras)
        for para in paras:
            text_inlines = para.inlines
            notes.calling = para
            if para.kind == "empty":
                continue
            if para.kind == "annex":
                if open_annex:
                    lines += [":::", ""]
                part += 1
                notes.part = part
                lang = annex_langs.get(part)
                lines += [f"::: {{.annex #{para.label}{f' lang={lang}' if lang else ''}}}", ""]
                open_annex = True
                continue
            if para.kind == "annex-title":
                lines += [f"# {notes.markdown(text_inlines).strip()}", ""]
                continue
            if para.kind == "heading":
                text = plain(text_inlines).strip()
                if para.number:
                    text_inlines = drop_prefix(text_inlines, len(para.number) + 1)
                title = notes.markdown(text_inlines).strip()
                if title.isupper():
                    title = title[:1] + title[1:].lower()
                level = para.level if part == 0 else max(2, para.level)
                attributes = f" {{#{para.label}}}" if para.label else ""
                if part and para.number:
                    attributes = f" {{#{para.label} .numbered}}"
                lines += [f"{'#' * level} {title}{attributes}", ""]
                continue
            if para.kind == "para":
                degree_markers = []
                text_inlines = drop_prefix(text_inlines, len(para.number) + 1)
                body = self.text(notes, text_inlines, part, para)
                body = self.entry(body)
                lines += [f"{{#{para.label}}}", body, ""]
                continue
            if para.kind == "sub":
                marker = para.number
                degree = para.level or self.degree(marker, degree_markers)
                text_inlines = drop_prefix(text_inlines, len(marker))
                body = self.text(notes, text_inlines, part, para)
                indent = "    " * (degree - 1)
                if para.label:
                    lines += [f"{indent}1.  {{#{para.label}}}", f"{indent}    {body}", ""]
                else:
                    lines += [f"{indent}1.  {body}", ""]
                continue
            if para.kind == "bullet":
                lines += [f"- {self.text(notes, text_inlines, part, para)}", ""]
                continue
            if para.kind == "quote":
                lines += [f"> {self.text(notes, text_inlines, part, para)}", ""]
                continue
            body = self.text(notes, text_inlines, part, para)
            lines += ["{.unnumbered}", body, ""]
        if open_annex:
            lines += [":::", ""]
        markdown = "\n".join(lines)
        numbers: dict[tuple[int, str], str] = {}
        counts = {0: 1 if "title-note" in meta else 0}
        # Every note's label by its rank in the document (a field's target): the title's note first.
        ranked = ["title"] if "title-note" in meta else []
        for n, (placeholder, blocks) in enumerate(notes.notes, start=1):
            note_paras = paragraphs(blocks)
            label = slug(" ".join(plain(p.inlines) for p in note_paras), self.labels, "note").split(":", 1)[1]
            caller = notes.callers[n - 1]
            text = "\n\n    ".join(self.references(Inlines(notes.notes).markdown(p.inlines).strip(),
                                                    notes.parts[n - 1], self.targets, caller)
                                    for p in note_paras)
            markdown = markdown.replace(placeholder, f"[^{label}]", 1)
            markdown += f"\n[^{label}]: {text.strip()}\n"
            ranked.append(label)
            part_of = notes.parts[n - 1]
            counts[part_of] = counts.get(part_of, 0) + 1
            numbers[(part_of, str(counts[part_of]))] = label
        if "title-note" in meta:
            numbers[(0, "1")] = "title"
        for index, rank in enumerate(self.note_fields):
            markdown = markdown.replace(f"\x00notefield{index}\x00", f"@note:{ranked[rank - 1]}")
        for index, (part_of, number, para, typed) in enumerate(self.note_refs):
            label = numbers.get((part_of, number))
            if label is None:
                self.warn(para, f"'{typed}' refers to no note: it is left as text "
                                f"(paragraph {para.index}: '{plain(para.inlines)[:60]}')")
                markdown = markdown.replace(f"\x00noteref{index}\x00", number)
            else:
                markdown = markdown.replace(f"\x00noteref{index}\x00", f"@note:{label}")
        # Only the labels something refers to are kept.
        def unused(match: re.Match) -> str:
            return match[0] if match[1] in self.used else ""
        markdown = re.sub(r"^\{#((?:para):[^}\s]+)\}\n", unused, markdown, flags=re.M)
        markdown = re.sub(r"^( *1\.  )\{#(para:[^}\s]+)\}\n *",
                          lambda m: m[0] if m[2] in self.used else m[1], markdown, flags=re.M)
        markdown = re.sub(r" \{#((?:sec):[^}\s]+)\}$", unused, markdown, flags=re.M)
        return markdown

    @staticmethod
    def section_level(numeral: str, counters: dict[str, int]) -> int:
        """1 for a roman numeral, 2 for a capital letter, 3 for a number; ``C``, ``D``, ``L``, ``I``, ``V``,
        ``X`` are letters where they come next in a run of letters, not next in the roman numerals."""
        if numeral.isdigit():
            return 3
        if ROMAN.match(numeral) and (roman_value(numeral) == counters["roman"] + 1 or len(numeral) > 1):
            counters["roman"], counters["letter"] = roman_value(numeral), 0
            return 1
        if len(numeral) == 1 and ord(numeral) - 64 == counters["letter"] + 1:
            counters["letter"] += 1
            return 2
        if ROMAN.match(numeral):
            counters["roman"], counters["letter"] = roman_value(numeral), 0
            return 1
        counters["letter"] = ord(numeral) - 64
        return 2

    def annex_languages(self, paras: list[Para]) -> dict[int, str]:
        """An annex's language, where most of its paragraphs are in one other than the edition's."""
        found: dict[int, list[str | None]] = {}
        part = 0
        for para in paras:
            if para.kind == "annex":
                part += 1
            elif part and para.kind != "empty":
                found.setdefault(part, []).append(para.lang)
        out = {}
        for part, langs in found.items():
            top = max(set(langs), key=langs.count)
            if top and langs.count(top) * 2 > len(langs):
                out[part] = top
        return out

    def text(self, notes: Inlines, inlines: list[dict], part: int, para: Para) -> str:
        """A paragraph's Markdown: its phrases in another language marked, its typed references resolved."""
        markdown = notes.markdown(inlines)
        if notes.dropped:
            self.warn(para, f"{', '.join(sorted(set(notes.dropped)))} in this paragraph is not imported")
            notes.dropped.clear()
        position = 0
        for lang, piece in para.spans:
            escaped = escape(piece)
            found = markdown.find(escaped, position)
            if found < 0:
                continue
            wrapped = f"[{escaped}]{{lang={lang}}}"
            markdown = markdown[:found] + wrapped + markdown[found + len(escaped):]
            position = found + len(wrapped)
        return self.references(markdown, part, self.targets, para)

    @staticmethod
    def degree(marker: str, seen: list[str]) -> int:
        """A typed marker's degree where no style says it: ``(a)`` the first, ``(i)`` the second — except an
        ``(i)``, ``(v)``, ``(x)`` that comes next in a run of letters (``(h)``, ``(i)``). ``seen`` holds the
        letters of the first degree met since the paragraph began."""
        letter = marker.strip("().").lower()
        follows = bool(seen) and len(letter) == 1 and ord(letter) == ord(seen[-1]) + 1
        if re.fullmatch(r"[ivxl]+", letter) and not follows:
            return 2
        seen.append(letter)
        return 1

    @staticmethod
    def entry(body: str) -> str:
        match = re.match(r"^\*\*(.+?)\s*:\*\*\s*", body)
        if match:
            rest = body[match.end():]
            return f"[{match[1]}]{{.entry}}{'' if rest.startswith('[^') or rest.startswith(chr(0)) else ' '}{rest}"
        return body

    def references(self, text: str, part: int, targets: dict, para: Para) -> str:
        """Typed references in ``text`` (Markdown) made ``@kind:label``; a note's waits for the notes' labels."""
        text = MARKER.sub(lambda match: self.field(match, para), text)
        # An annex in English reads English.
        words = self.catalogue.load_or(self.part_langs.get(part, self.lang), self.language).reference_words
        conjunction = rf"(?:,\s*|\s+(?:{words.pattern('conjunction')})\s+)"
        for kind, name in words.KINDS.items():
            number = r"[IVXLC]+(?:\.[A-Z](?:\.\d+)?)?" if kind in ("sec", "annex") else r"\d+"
            sub = r"(?:\s+\(?[a-z]{1,4}\))*" if kind == "para" else ""
            one = rf"{number}\b{sub}"
            regex = re.compile(rf"(?<!\w)({words.pattern(name)})\s+({one})((?:{conjunction}{one})*)", re.I)

            def replace(match: re.Match, kind: str = kind, one: str = one) -> str:
                scope = part
                after = match.string[match.end():]
                annex = re.match(rf"\s+(?:{words.pattern('of_annex')})\s*(?:{words.pattern('annex')})\s+([IVXLC]+)",
                                 after, re.I)
                if kind == "para" and annex:
                    scope = self.annex_parts.get(annex[1], part)
                if re.match(rf"\s+(?:{words.pattern('of_body')})\b", after, re.I):
                    scope = 0
                first = self.resolve(kind, match[2], scope, targets, para)
                rest = re.sub(one, lambda n: self.resolve(kind, n[0], scope, targets, para), match[3])
                lead = "" if kind == "annex" and first.startswith("@") else f"{match[1]} "
                return f"{lead}{first}{rest}"
            text = regex.sub(replace, text)
        return self.titles_and_lone_annex(text, part, para)

    def titles_and_lone_annex(self, text: str, part: int, para: Para) -> str:
        """A quoted heading title ("the “Middle East” heading") and "Annex" alone, where there is one annex."""
        def title(match: re.Match) -> str:
            label = self.targets.get((part, "title", match[2].strip("\u00a0\u202f "))) or self.targets.get(
                (0, "title", match[2].strip("\u00a0\u202f ")))
            if label is None:
                return match[0]
            self.used.add(label)
            return f"{match[1]}@{label}{match[3]}"
        text = re.sub(r"([“«]\s?)([^”»]{2,80}?)(\s?[”»])", title, text)
        if len(self.annex_parts) == 1 and "" in self.annex_parts:
            label = self.targets[(0, "annex", "")]

            def lone(match: re.Match) -> str:
                self.used.add(label)
                return f"@{label}"
            # Only "the Annex to this document": a lone "Annex" elsewhere is often another document's.
            words = self.catalogue.load_or(self.part_langs.get(part, self.lang), self.language).reference_words
            text = re.sub(rf"(?<![@:\w])(?:{self.annex_words})\b(?=\s+(?:{words.pattern('this_document')})\b)",
                          lone, text)
        return text

    def field(self, match: re.Match, para: Para) -> str:
        """A Word cross-reference field (``NOTEREF``, ``REF``), marked by :func:`wordxml.prepare`: a reference to
        the note whose call its bookmark holds, or to the heading or paragraph its bookmark opens in."""
        kind, name, shown = match[1], match[2].replace("\\", ""), match[3]
        if kind == "note":
            self.note_fields.append(self.note_of[name])
            return f"\x00notefield{len(self.note_fields) - 1}\x00"
        return self.reference_to(self.bookmark_labels.get(name), para, shown,
                                 f"a cross-reference field to '{name}', which is no numbered heading or "
                                 f"paragraph: its text '{shown}' is kept")

    def resolve(self, kind: str, typed: str, part: int, targets: dict, para: Para) -> str:
        if kind == "note":
            self.note_refs.append((part, typed, para, typed))
            return f"\x00noteref{len(self.note_refs) - 1}\x00"
        key = marker_key(typed) if kind == "para" else typed
        label = targets.get((0 if kind == "annex" else part, kind, key)) or targets.get((0, kind, key))
        return self.reference_to(label, para, typed,
                                 f"'{typed}' ({kind}) refers to nothing in the document: it is left as text")

    def reference_to(self, label: str | None, para: Para, text: str, problem: str) -> str:
        """A reference to ``label``; with no label, ``text`` as it was, and ``problem`` said with the
        DOCX paragraph it is in."""
        if label is None:
            self.warn(para, f"{problem} (DOCX paragraph {para.index}: '{plain(para.inlines)[:60]}')")
            return text
        self.used.add(label)
        return f"@{label}"


def marker_key(typed: str) -> str:
    """``31 (b) (i)``, ``31 b) i)`` → ``31 b i``."""
    return " ".join(re.findall(r"\d+|[a-z]+", typed))


# --------------------------------------------------------------------------
# The command line: ``build.py import FILE.docx --doc D --lang L``


def main(argv: list[str], project_root: Path | None = None) -> int:
    import argparse
    import sys

    import yaml

    from . import languages
    from .pipeline import Project, write_atomically

    parser = argparse.ArgumentParser(prog="build.py import",
                                     description="a legacy Word document as an edition's source")
    parser.add_argument("file", type=Path)
    parser.add_argument("--doc", required=True, help="the document's folder under source/")
    parser.add_argument("--lang", required=True, help="the edition's language")
    parser.add_argument("--session", type=int, help="the session number, where the masthead spells it")
    parser.add_argument("--project", type=Path)
    args = parser.parse_args(argv)
    project = Project((args.project or project_root or Path.cwd()).resolve())
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", args.doc):
        parser.error("--doc names a folder: lower-case letters, digits and hyphens")
    try:
        catalogue = languages.Catalogue.for_project(project.languages_dir)
        catalogue.load(args.lang)
    except KeyError:
        parser.error(f"no language data for '{args.lang}'")
    if not args.file.is_file():
        parser.error(f"no such file: {args.file}")
    imported, diagnostics = import_docx(args.file, args.lang, catalogue, str(args.file))
    folder = project.source_dir / args.doc
    meta_path = folder / "document.yaml"
    if imported is not None and not meta_path.exists():
        meta = imported.meta
        session = args.session or next((int(n) for n in re.findall(r"\d+", meta.get("session-title", ""))), None)
        missing = [k for k, v in (("symbol", meta.get("symbol")), ("date", meta.get("date")), ("session", session))
                   if v is None]
        if missing:
            diagnostics.append(error(SourcePos(str(args.file), 1, 1),
                                     f"the masthead does not give the document's {', '.join(missing)}",
                                     "give --session N for a session spelt in words" if missing == ["session"] else
                                     "write source/<doc>/document.yaml by hand, then import again"))
            imported = None
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
    if imported is None:
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    if not meta_path.exists():
        info = {"symbol": imported.meta["symbol"], "date": imported.meta["date"], "session": session,
                "original-language": imported.meta.get("original-language", args.lang)}
        write_atomically(meta_path, yaml.safe_dump(info, allow_unicode=True, sort_keys=False))
        print(f"wrote {meta_path.relative_to(project.root)}")
    path = folder / f"{args.lang}.md"
    write_atomically(path, imported.markdown)
    print(f"wrote {path.relative_to(project.root)}")
    return 0
