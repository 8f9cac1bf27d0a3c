"""Where the Spanish MC/INF/298 ends its pages and places its notes, against the 2009 original.

    python tools/compare_original.py [PDF]     (default: output/mc-inf-298/es/mc-inf-298.pdf)

The original is known through its plain text, ``tests/data/mc-inf-298-es-seed.txt``: its blocks of
notes stand where the 2009 edition's pages ended, and a block that starts in lower case continues the
sentence the page broke (with or without notes before it). So the seed shows, for each of those
pages, the words its last line ended with and the notes printed on it. The build's pages are read
from the PDF with pdfplumber: body lines (text size) under the running head, which names the part
and page ("Página 3", "Anexo, página 2"), and the notes' numbers at the start of note lines.

For each original page the script finds the words it ended with in the build's lines of the same
part (spaces ignored) and prints a Markdown table: the original's last words, the build's last line
on that page, how many lines the build's page ends after (+) or before (−) the original's, and the
notes on the page in both. docs/pdf.md carries this table; tests/writers/test_pdf_original.py checks
that it is what this script prints for the current build.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "data" / "mc-inf-298-es-seed.txt"
PDF = ROOT / "output" / "mc-inf-298" / "es" / "mc-inf-298.pdf"
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
NOTE_BLOCK = re.compile(r"([⁰¹²³⁴⁵⁶⁷⁸⁹]+) ")
WORDS_SHOWN = 6


@dataclass
class Page:
    """One page of a part: the text of its body, in order, and the notes printed on it."""

    part: str
    number: int
    text: str = ""
    lines: list[str] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)
    ends_mid_sentence: bool = False
    known_end: bool = True


def flat(text: str) -> str:
    """Text for matching: no emphasis marks, no note numbers, no URL brackets, no spaces at all."""
    text = re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", "", text.replace("**", "").replace("*", ""))
    text = re.sub(r"\[\d+\]", "", text)
    return re.sub(r"[\s<>\u2060\u00a0\u202f\u00ad]", "", text)


def original_pages(seed: Path = SEED) -> list[Page]:
    """The original's pages that the seed shows the end of (the cover left out)."""
    blocks = [" ".join(b.split()) for b in seed.read_text(encoding="utf-8").split("\n\n")]
    blocks = [b for b in blocks if b]
    start = next(i for i, b in enumerate(blocks) if b.endswith("¹") and not NOTE_BLOCK.match(b))  # body title
    pages = [Page("body", 1)]
    after_notes = False
    for block in blocks[start:]:
        page = pages[-1]
        note = NOTE_BLOCK.match(block)
        if block == "Anexo":
            pages.append(Page("annex", 1, text=block))
            after_notes = False
        elif note:
            page.notes.append(int(note[1].translate(SUPERSCRIPTS)))
            after_notes = True
        elif block[0].islower():  # the sentence the page broke goes on: a new page
            page.ends_mid_sentence = True
            pages.append(Page(page.part, page.number + 1, text=block))
            after_notes = False
        else:
            if after_notes:  # a page ended between paragraphs, after its notes
                pages.append(Page(page.part, page.number + 1))
                after_notes = False
            pages[-1].text += " " + block
    # The last page of a part ends with the part; the annex's pages after its last shown break
    # ended between paragraphs, which the seed does not show: the last annex page's end is unknown.
    pages[-1].known_end = False
    return pages


_RUNNING = re.compile(r"(?:(Anexo), )?[Pp]ágina (\d+)")


def build_pages(pdf_path: Path) -> list[Page]:
    """The build's pages after the cover: the part and number its running head gives, its body
    lines and the numbers of the notes at its foot."""
    import pdfplumber

    from councildoc.textconv import _Layout, _line_text, _lines

    layout = _Layout()
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for pdf_page in pdf.pages:
            head = "".join(c["text"] for c in pdf_page.chars if c["bottom"] < layout.margin)
            found = _RUNNING.search(head)
            if not found:
                continue  # the cover
            page = Page("annex" if found[1] else "body", int(found[2]))
            body = [c for c in pdf_page.chars if c["bottom"] >= layout.margin]
            for line in _lines(body, layout.body_small):
                sizes = sorted(c["size"] for c in line if c["text"].strip())
                if not sizes:
                    continue
                if sizes[len(sizes) // 2] > layout.body_threshold:
                    page.lines.append(_line_text(line, layout.body_small))
                else:
                    mark = re.match(r"\[(\d+)\]", _line_text(line, layout.note_small))
                    if mark and line[0]["size"] < layout.note_small:
                        page.notes.append(int(mark[1]))
            pages.append(page)
    return pages


def _tail(text: str, words: int = WORDS_SHOWN) -> str:
    text = re.sub(r"\[\d+\]|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\*|\u2060", "", text)
    return "…" + " ".join(text.split()[-words:])


def compare(original: list[Page], built: list[Page]) -> list[dict]:
    """One row per original page: where it ended, where the build's page of that number ends."""
    rows = []
    for part in ("body", "annex"):
        lines = [(page.number, line) for page in built if page.part == part for line in page.lines]
        # Where each line ends in the part's flat text.
        ends, stream = [], ""
        for _, line in lines:
            stream += flat(line)
            ends.append(len(stream))
        cursor = 0
        for page in (p for p in original if p.part == part):
            target = flat(page.text)
            at = stream.find(target[-60:], cursor)
            row = {"page": page, "built": next((p for p in built if (p.part, p.number) == (part, page.number)),
                                               None)}
            if at < 0:
                row["error"] = "the original's words are not in the build"
                rows.append(row)
                continue
            end = at + len(target[-60:])
            cursor = end
            index = next(i for i, e in enumerate(ends) if e >= end)
            row["mid_line"] = ends[index] != end
            built_page = row["built"]
            last = max((i for i, (number, _) in enumerate(lines)
                        if number == page.number or (not page.known_end and number > page.number)), default=None)
            row["last_page"] = lines[-1][0] if lines else page.number
            row["lines_off"] = None if last is None else last - index
            row["build_last"] = lines[last][1] if last is not None else ""
            rows.append(row)
            if built_page is None:
                row["error"] = "no such page in the build"
    return rows


def _notes(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers)) or "–"


def _off(row: dict) -> str:
    page = row["page"]
    if "error" in row:
        return row["error"]
    if not page.known_end:
        return "not compared"
    off = row["lines_off"]
    text = "match" if off == 0 else f"{off:+d} line{'s' if abs(off) != 1 else ''}".replace("-", "−")
    if row["mid_line"]:
        text += " (the original breaks inside the build's line)"
    return text


def table(rows: list[dict]) -> str:
    out = ["| page | original: last words | build: last line on the page | build's end | notes: original | "
           "notes: build |",
           "| --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        page, built = row["page"], row["built"]
        name = f"{page.part} {page.number}"
        original_end = _tail(page.text)
        if not page.known_end:
            name += f"–{row['last_page']}"
            original_end = "(the rest: its page ends fell between paragraphs, which the seed does not show)"
        out.append(f"| {name} | {original_end} | {_tail(row.get('build_last', ''))} | {_off(row)} | "
                   f"{_notes(page.notes)} | {_notes(built.notes if built else [])} |")
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    pdf = Path(argv[0]) if argv else PDF
    if not pdf.is_file():
        print(f"{pdf}: no such file (build it: python build.py --doc mc-inf-298 --lang es --format pdf)",
              file=sys.stderr)
        return 1
    sys.stdout.write(table(compare(original_pages(), build_pages(pdf))))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
