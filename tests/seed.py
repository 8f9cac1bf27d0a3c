"""Reads the seed (the plain text of the 2009 Spanish edition) into paragraphs and notes.

Blocks of notes interrupt the text where the original's pages ended; a block
that starts in lower case continues the paragraph before the notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SEED = Path(__file__).parent / "data" / "mc-inf-298-es-seed.txt"
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


@dataclass
class SeedPart:
    paragraphs: dict[int, str] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)
    headings: list[str] = field(default_factory=list)


def read_seed() -> dict[str, SeedPart]:
    parts = {"body": SeedPart(), "annex": SeedPart()}
    part = None
    last: tuple[str, int] | None = None
    for block in SEED.read_text(encoding="utf-8").split("\n\n"):
        block = " ".join(block.split())
        if not block:
            continue
        if re.fullmatch(r"[IVX]+\. [A-ZÁÉÍÓÚÑ ]+", block):
            part = "body"
            parts[part].headings.append(block)
        elif block == "Anexo":
            part = "annex"
        elif part is None:
            continue  # the cover
        elif match := re.fullmatch(r"(\d+)\. (.*)", block):
            parts[part].paragraphs[int(match[1])] = match[2]
            last = (part, int(match[1]))
        elif match := re.fullmatch(r"([⁰¹²³⁴⁵⁶⁷⁸⁹]+) (.*)", block):
            parts[part].notes[int(match[1].translate(SUPERSCRIPTS))] = match[2]
        elif block[0].islower() and last:
            parts[last[0]].paragraphs[last[1]] += " " + block
        else:
            parts[part].headings.append(block)
    return parts


def plain(text: str) -> str:
    """Seed text without its Markdown-ish marks (bold, italics, autolink brackets).

    The 2009 edition sets its note calls after the punctuation but once before a comma
    (paragraph 22, "Unidas¹⁴, en"); the build applies the Spanish rule everywhere, so
    the seed is read with that rule applied too; and with the typographic apostrophe every
    language sets for one typed straight after a letter ("droits de l'homme" → "l’homme").
    """
    text = re.sub(r"[*<>]", "", text)
    text = re.sub(r"(?<=[^\W\d_])'", "\u2019", text)
    return re.sub(r"([⁰¹²³⁴⁵⁶⁷⁸⁹]+)([.,;:])", r"\2\1", text)
