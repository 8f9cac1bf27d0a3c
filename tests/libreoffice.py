"""LibreOffice as a reader's word processor: it renders DOCX files to PDF, and this module reads,
page by page, the note calls in the text and the notes at the foot of that PDF."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from conftest import require_tool

RAISED = 0.75
"""A character under this fraction of its line's largest size is raised: a note call or mark."""
NOTE_SIZE = 10.5
"""The notes are 10 pt (``Footnote Text``), the text 12 pt: the foot of a page is its last lines
set at no more than this."""


def render(docx: list[Path], folder: Path) -> list[Path]:
    """The PDFs LibreOffice makes of ``docx``, in one run (it starts slowly), with a profile of its
    own (another LibreOffice running on the machine does not block it)."""
    soffice = require_tool("soffice")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), *map(str, docx)],
                   check=True, capture_output=True, timeout=600)
    pdfs = [folder / f"{path.stem}.pdf" for path in docx]
    missing = [pdf.name for pdf in pdfs if not pdf.is_file()]
    assert not missing, f"LibreOffice wrote no {missing}"
    return pdfs


@dataclass
class Page:
    number: int
    calls: list[str]
    """The note calls in the text, in reading order."""
    notes: list[tuple[str, str]]
    """Each note that starts at the foot: its mark and its text."""
    text: str
    """The page's text above the notes."""


def _raised(char: dict, line_size: float) -> bool:
    return char["size"] < line_size * RAISED


def pages(pdf_path: Path) -> list[Page]:
    out = []
    with pdfplumber.open(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages, start=1):
            lines = [line for line in page.extract_text_lines(return_chars=True)
                     if any(c["text"].strip() for c in line["chars"])]
            foot = len(lines)
            while foot and max(c["size"] for c in lines[foot - 1]["chars"]) <= NOTE_SIZE:
                foot -= 1
            calls: list[str] = []
            text = []
            for line in lines[:foot]:
                size = max(c["size"] for c in line["chars"])
                raised = "".join(c["text"] if _raised(c, size) and c["text"] in "0123456789," else " "
                                 for c in line["chars"])
                calls += [n for n in raised.replace(",", " ").split()]
                text.append(line["text"])
            notes: list[tuple[str, str]] = []
            mark, words = None, ""
            for line in lines[foot:]:
                size = max(c["size"] for c in line["chars"])
                previous = None
                for char in line["chars"]:
                    if previous is not None and char["x0"] - previous["x1"] > 0.15 * char["size"]:
                        words += " "  # LibreOffice writes no space characters: a gap is one
                    previous = char
                    if _raised(char, size) and char["text"].isdigit() and (mark is None or words.strip()):
                        if mark is not None:
                            notes.append((mark, " ".join(words.split())))
                        mark, words = char["text"], ""
                    elif _raised(char, size) and char["text"].isdigit() and not words.strip():
                        mark += char["text"]
                    else:
                        words += char["text"]
                words += " "
            if mark is not None:
                notes.append((mark, " ".join(words.split())))
            out.append(Page(index, calls, notes, "\n".join(text)))
    return out
