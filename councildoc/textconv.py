"""``textconv``: the review text read back out of a built HTML, DOCX or PDF.

``git diff`` calls it (``diff.councildoc.textconv``) to show what changed inside
binary outputs. Each reader knows councildoc's own outputs — the HTML's classes,
the DOCX's styles, the PDF's layout — and gives the same text as
``--format txt`` (see ``writers/text.py``): a round trip the tests check.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from .writers.text import normalize

SUPERSCRIPT = re.compile(r"\[(\d+)\]")


class TextconvError(Exception):
    """The file is not one councildoc can read back."""


def _sniff(path: Path) -> str:
    """The kind of a file by its first bytes (git hands textconv a temporary file)."""
    with path.open("rb") as stream:
        head = stream.read(512)
    if head.startswith(b"%PDF"):
        return ".pdf"
    if head.startswith(b"PK"):
        return ".docx"
    if b"<html" in head.lower() or head.lstrip().lower().startswith(b"<!doctype html"):
        return ".html"
    return ".txt"


def textconv(path: Path) -> str:
    """The canonical review text of a built ``.html``, ``.docx``, ``.pdf`` (or ``.txt``)."""
    suffix = path.suffix.lower() if path.suffix.lower() in (".html", ".docx", ".pdf", ".txt") else _sniff(path)
    if suffix == ".txt":
        return path.read_text(encoding="utf-8")
    if suffix == ".html":
        return from_html(path.read_bytes())
    if suffix == ".docx":
        return from_docx(path)
    if suffix == ".pdf":
        return from_pdf(path)
    raise TextconvError(f"{path}: not a councildoc output (.html, .docx, .pdf or .txt)")


def _join(blocks: list[list[str]]) -> str:
    return "\n\n".join("\n".join(block) for block in blocks if block) + "\n"


# --------------------------------------------------------------------------
# HTML


def _html_text(element, skip=("para-num", "note-num", "backref")) -> str:
    out: list[str] = []

    def walk(node, top: bool) -> None:
        classes = (node.get("class") or "").split()
        if any(c in skip for c in classes):
            if not top:
                out.append(node.tail or "")
            return
        if node.tag == "sup":
            out.append(f"[{node.text_content().strip()}]")
        elif node.tag == "br":
            out.append(" ")
        else:
            out.append(node.text or "")
            for child in node:
                walk(child, False)
        if not top:
            out.append(node.tail or "")

    walk(element, True)
    return normalize("".join(out))


def from_html(data: bytes) -> str:
    page = lxml_html.fromstring(data)
    masthead = page.xpath("//header[contains(@class,'masthead')]")[0]
    lines = [_html_text(p) for p in masthead.xpath("p")]
    lines[3:] = [line.upper() for line in lines[3:]]  # the session line is set in capitals
    title = masthead.xpath("h1")[0]
    subtitle = title.xpath("span[@class='subtitle']")
    title_only = normalize("".join(title.xpath("text()")))
    lines.append(title_only.upper())
    if subtitle:
        lines.append(_html_text(subtitle[0]).upper())
    blocks = [lines]
    body_title = page.xpath("//p[contains(@class,'body-title')]")[0]
    text = _html_text(body_title)
    # On screen the title's note hangs on the masthead's title; on paper, on the body's.
    calls = SUPERSCRIPT.findall(text) or SUPERSCRIPT.findall(_html_text(title))
    text = SUPERSCRIPT.sub("", text).upper() + "".join(f"[{n}]" for n in calls)
    blocks.append([text])
    for part in page.xpath("//main/*[contains(@class,'part')]"):
        if "annex" in part.get("class"):
            blocks.append([_html_text(part.xpath(".//h2[@class='annex-designation']")[0])])
            for title in part.xpath(".//p[@class='annex-title']"):
                blocks.append([_html_text(title).upper()])
        for node in part.iter("h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "blockquote"):
            classes = (node.get("class") or "").split()
            if node.xpath("ancestor::nav") or node.xpath("ancestor::footer") or "annex-designation" in classes:
                continue
            if "heading" in classes:
                text = _html_text(node)
                if "body" in part.get("class") and "level-1" in classes:
                    text = text.upper()
                blocks.append([text])
            elif "para" in classes and not node.xpath("ancestor::li") and not node.xpath("ancestor::blockquote"):
                number = node.xpath("string(a[@class='para-num'])")
                text = _html_text(node)
                blocks.append([normalize(f"{number[:-1]}. {text}" if number else text)])
            elif node.tag in ("ul", "ol") and node.getparent().get("class") == "para-group":
                blocks[-1] += [f"- {_html_text(li)}" for li in node.xpath("li")]
            elif node.tag == "blockquote":
                blocks[-1] += [f"> {_html_text(p)}" for p in node.xpath("p")]
        notes = part.xpath("./footer//li")
        if notes:
            blocks.append([normalize(f"[{li.get('value')}] {_html_text(li)}") for li in notes])
    return _join(blocks)


# --------------------------------------------------------------------------
# DOCX

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_text(paragraph, marks: dict[str, int]) -> str:
    out = []
    for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}footnoteReference"):
        if node.tag == f"{W}t":
            out.append(node.text or "")
        elif node.tag == f"{W}footnoteReference":
            out.append(f"[{marks[node.get(f'{W}id')]}]")
        else:
            out.append(" ")
    return normalize("".join(out))


def _note_marks(body) -> dict[str, int]:
    """Each footnote's number as Word shows it: in order, from 1 again where a section restarts."""
    paragraphs = body.findall(f"{W}p")
    ends = [p.find(f"{W}pPr/{W}sectPr") for p in paragraphs]
    sections = [s for s in ends if s is not None] + [body.find(f"{W}sectPr")]

    def restarts(index: int) -> bool:
        return index < len(sections) and sections[index].find(f"{W}footnotePr/{W}numRestart") is not None

    marks: dict[str, int] = {}
    count, section = 0, 0
    for paragraph, end in zip(paragraphs, ends, strict=True):
        for reference in paragraph.iter(f"{W}footnoteReference"):
            count += 1
            marks[reference.get(f"{W}id")] = count
        if end is not None:
            section += 1
            if restarts(section):
                count = 0
    return marks


def from_docx(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml")).find(f"{W}body")
        notes = etree.fromstring(archive.read("word/footnotes.xml"))
    marks = _note_marks(body)
    note_text = {n.get(f"{W}id"): _docx_text(n, {}) for n in notes.findall(f"{W}footnote")}
    blocks: list[list[str]] = [[]]
    part_notes: list[str] = []
    upper = {"Session", "Title", "Subtitle", "AnnexTitle", "Heading2"}
    for paragraph in body.findall(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        style = style.get(f"{W}val") if style is not None else ""
        text = _docx_text(paragraph, marks)
        if not text:
            continue
        if style == "AnnexHeading" and part_notes:
            blocks.append(part_notes)
            part_notes = []
        if style in ("MastheadSymbol", "MastheadLine", "Session", "Title", "Subtitle"):
            blocks[0].append(text.upper() if style in upper else text)
            continue
        if style == "DocumentTitle":
            calls = SUPERSCRIPT.findall(text)
            text = SUPERSCRIPT.sub("", text).upper() + "".join(f"[{n}]" for n in calls)
        elif style in upper:
            text = text.upper()
        if style == "BlockText":
            blocks[-1].append(f"> {text}")
        elif style == "Compact" or paragraph.find(f"{W}pPr/{W}numPr") is not None:
            blocks[-1].append(f"- {text}")
        else:
            blocks.append([text])
        for reference in paragraph.iter(f"{W}footnoteReference"):
            number = marks[reference.get(f"{W}id")]
            part_notes.append(normalize(f"[{number}] {note_text[reference.get(f'{W}id')]}"))
    if part_notes:
        blocks.append(part_notes)
    return _join(blocks)


# --------------------------------------------------------------------------
# PDF


MARGIN = 2.5 / 2.54 * 72
BODY_SIZE = 11.5
"""Text of 12 pt is body text; 10 pt is notes; smaller is a note call or a note's mark."""


def _lines(chars: list[dict], small: float) -> list[list[dict]]:
    """Characters grouped into lines by their baseline, each line left to right.

    Raised small characters (note calls and marks) join the line they stand on.
    """
    lines: dict[float, list[dict]] = {}
    raised = []
    for char in chars:
        if char["size"] < small and char["text"].strip():
            raised.append(char)
        else:
            lines.setdefault(round(char["bottom"], 0), []).append(char)
    for char in raised:
        near = [key for key, line in lines.items()
                if min(c["top"] for c in line) - 6 < char["top"] < key]
        key = min(near, key=lambda k: abs(char["bottom"] - k), default=round(char["bottom"], 0))
        lines.setdefault(key, []).append(char)
    return [sorted(lines[key], key=lambda c: c["x0"]) for key in sorted(lines)]


def _line_text(line: list[dict], small: float) -> str:
    """A line's text; runs of characters smaller than ``small`` (calls, marks) become ``[n]``."""
    out: list[str] = []
    previous = None
    in_call = False
    for char in line:
        is_call = char["size"] < small and char["text"].isdigit()
        if previous is not None and not in_call and not is_call and char["text"] != " " \
                and previous["text"] != " " and char["x0"] - previous["x1"] > 0.2 * char["size"]:
            out.append(" ")
        if is_call and not in_call:
            out.append("[")
        if in_call and not is_call:
            out.append("]")
            if char["x0"] - previous["x1"] > 0.2 * char["size"] and char["text"] != " ":
                out.append(" ")
        out.append(char["text"])
        in_call = is_call
        previous = char
    if in_call:
        out.append("]")
    return "".join(out)


def _join_lines(texts: list[str]) -> str:
    out = ""
    for text in texts:
        if not out:
            out = text
        elif out.endswith(("-", "/")):
            # A line may break after a hyphen or a slash of the text: nothing to put back.
            out += text.lstrip()
        else:
            out += " " + text
    return normalize(out)


def from_pdf(path: Path) -> str:
    import pdfplumber

    blocks: list[list[str]] = []
    notes: list[str] = []
    with pdfplumber.open(path) as pdf:
        cover = pdf.pages[0]
        blocks.append([normalize(_line_text(line, 9.5)) for line in _lines(cover.chars, 9.5)])
        right = cover.width - MARGIN
        current: list[str] | None = None  # the lines of the block being read
        last_full = False  # the page's last line ran to the right margin: its paragraph goes on
        head_kind = None
        for page in pdf.pages[1:]:
            head = [c for c in page.chars if c["bottom"] < MARGIN]
            kind = re.sub(r"\d", "", "".join(c["text"] for c in head))
            if head_kind is not None and kind != head_kind:
                # A new part (an annex): the previous part's notes come first.
                if current:
                    blocks.append([_join_lines(current)])
                    current = None
                if notes:
                    blocks.append(notes)
                    notes = []
                last_full = False
            head_kind = kind
            chars = [c for c in page.chars if c["bottom"] >= MARGIN]
            note_top = min((c["top"] for c in chars if 9.5 <= c["size"] < BODY_SIZE), default=page.height)
            body = [c for c in chars if c["top"] < note_top - 1]
            foot = [c for c in chars if c["top"] >= note_top - 4]
            lines = _lines(body, 9.5)
            previous_bottom = None
            for index, line in enumerate(lines):
                text = _line_text(line, 9.5)
                bottom = max(c["bottom"] for c in line)
                starts_numbered = bool(re.match(r"\d+\.", text)) and abs(line[0]["x0"] - MARGIN) < 1
                new_block = (
                    current is None
                    or (previous_bottom is not None and bottom - previous_bottom > 20)
                    or (previous_bottom is None and (not last_full or starts_numbered))
                )
                if new_block:
                    if current:
                        blocks.append([_join_lines(current)])
                    current = []
                current.append(text)
                previous_bottom = bottom
                if index == len(lines) - 1:
                    last_full = max(c["x1"] for c in line) > right - 2
            for line in _lines(foot, 8.5):
                text = _line_text(line, 8.5)
                if text.startswith("[") and abs(line[0]["x0"] - MARGIN) < 1:
                    notes.append(normalize(re.sub(r"^\[(\d+)\]\s*", r"[\1] ", text)))
                elif notes:
                    notes[-1] = _join_lines([notes[-1], text])
        if current:
            blocks.append([_join_lines(current)])
        if notes:
            blocks.append(notes)
    return _join(blocks)
