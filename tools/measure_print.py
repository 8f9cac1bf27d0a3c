"""Every figure the docs quote that is a measurement of a built output, measured on the build.

    python tools/measure_print.py [--output DIR]           # print each figure, its name and what it measures
    python tools/measure_print.py [--output DIR] --write   # write them into docs/*.md
    python tools/measure_print.py [--output DIR] --check   # exit 1 where a doc's figure is not the build's

A measured figure stands in the docs between markers, inline in its sentence:
``needs <!-- measure:annex-line-natural-width -->453.557<!-- /measure --> pt``. The figures are read
from the outputs a build writes (default: ``output/``; build them first:
``python build.py --format pdf --format docx``): the PDFs with pdfplumber, the DOCX's section
properties with lxml, the DOCX as LibreOffice renders it (``soffice --convert-to pdf``, in a
scratch folder with a profile of its own), the validator's verdicts on the PDFs (``page``). What
the docs say of other builds is measured on builds this script makes of the same sources in scratch
copies of the project: the ``pdf/a-2b`` and ``untagged`` variants, and a redline of a revision it
makes in a scratch git repository. Figures derived from a measurement (twips to points, a width in
lines of the body's pitch) are computed here too, from the values the outputs declare.

``tests/test_doc_figures.py`` runs this on the test suite's build and fails if a doc's figure is not
what this script prints, or if a marker names no figure here (or a figure here is in no doc).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MARKER = re.compile(r"<!-- measure:([\w-]+) -->(.*?)<!-- /measure -->", re.S)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TWIPS_PER_PT = 20
CM = 72 / 2.54
ES_298 = "mc-inf-298/es/mc-inf-298"
EN_INF_7 = "c-111-inf-7/en/c-111-inf-7"
WORDS = {0: "none", 1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
         9: "nine", 10: "ten"}


class MeasureError(Exception):
    """A figure could not be measured: the build is not what the docs describe (or is missing)."""


@dataclass
class Build:
    """The outputs of one build, read once each."""

    output: Path
    scratch: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="measure-print-")))
    _read: dict = field(default_factory=dict)

    def path(self, edition: str, suffix: str) -> Path:
        path = self.output / f"{edition}.{suffix}"
        if not path.is_file():
            raise MeasureError(f"{path}: no such file (build it: python build.py --format pdf --format docx)")
        return path

    def pdf_lines(self, edition: str) -> list[tuple[int, list[dict]]]:
        """Every body-size line of an edition's PDF: (page index, its characters left to right)."""
        if edition not in self._read:
            self._read[edition] = self._lines(self.path(edition, "pdf"))
        return self._read[edition]

    @staticmethod
    def _lines(pdf_path: Path) -> list[tuple[int, list[dict]]]:
        import pdfplumber

        from councildoc.textconv import _lines

        with pdfplumber.open(pdf_path) as pdf:
            return [(index, line) for index, page in enumerate(pdf.pages)
                    for line in _lines(page.chars, 9.5) if line[0]["size"] > 11]

    def layout(self, edition: str) -> dict[str, float]:
        """The print stylesheet's ``:root`` lengths the PDF declares it was set by (``/CouncildocLayout``)."""
        import pdfplumber

        with pdfplumber.open(self.path(edition, "pdf")) as pdf:
            declared = pdf.metadata.get("CouncildocLayout")
        if not declared:
            raise MeasureError(f"{edition}.pdf declares no CouncildocLayout")
        return {name: float(value) for name, _, value in (item.partition("=") for item in declared.split())}

    def section(self, edition: str) -> dict[str, int]:
        """The first section's page width and left and right margins in the DOCX, in twips."""
        from lxml import etree

        with zipfile.ZipFile(self.path(edition, "docx")) as archive:
            body = etree.fromstring(archive.read("word/document.xml"))
        sect = next(body.iter(f"{W}sectPr"))
        size, margins = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
        return {"width": int(size.get(f"{W}w")), "left": int(margins.get(f"{W}left")),
                "right": int(margins.get(f"{W}right"))}

    def variant(self, variant: str, *selection: str) -> Path:
        """The output folder of a build of the same project's sources (the folder above ``output``)
        in another PDF variant, made in a scratch copy (``selection``: more options, e.g. ``--doc``)."""
        import contextlib
        import io

        from councildoc.cli import main

        key = (variant, *selection)
        if key not in self._read:
            project = self.scratch / f"variant-{len(self._read)}"
            for folder in ("source", "templates", "styles", "languages"):
                if (self.output.parent / folder).is_dir():
                    shutil.copytree(self.output.parent / folder, project / folder)
            said = io.StringIO()
            with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
                status = main(["--project", str(project), "--format", "pdf", "--pdf-variant", variant, *selection])
            if status != 0:
                raise MeasureError(f"the {variant} build failed:\n{said.getvalue()}")
            self._read[key] = project / "output"
        return self._read[key]

    @cached_property
    def libreoffice_298(self) -> Path:
        """The Spanish MC/INF/298's DOCX as LibreOffice renders it to PDF."""
        soffice = shutil.which("soffice")
        if not soffice:
            raise MeasureError("LibreOffice (soffice) is not installed: ./setup.sh installs it")
        docx = self.path(ES_298, "docx")
        subprocess.run([soffice, f"-env:UserInstallation=file://{self.scratch / 'profile'}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(self.scratch), str(docx)],
                       check=True, capture_output=True, timeout=600)
        pdf = self.scratch / f"{docx.stem}.pdf"
        if not pdf.is_file():
            raise MeasureError(f"LibreOffice wrote no PDF of {docx}")
        return pdf


FIGURES: dict[str, tuple[Callable[[Build], str], str]] = {}


def figure(name: str, what: str):
    """Register a measured figure: its name in the docs' markers and what it is."""
    def register(function: Callable[[Build], str]) -> Callable[[Build], str]:
        FIGURES[name] = (function, what)
        return function
    return register


def _pt(value: float, places: int = 1) -> str:
    return f"{value:.{places}f}"


# ---- the measure: Word's margins and text block, and the annex line that needs it (docs/pdf.md) -----


@figure("docx-margin-twips", "the DOCX's left margin, in twips (Word's 2.5 cm)")
def docx_margin_twips(build: Build) -> str:
    return str(build.section(ES_298)["left"])


def _text_block_twips(build: Build) -> int:
    section = build.section(ES_298)
    return section["width"] - section["left"] - section["right"]


@figure("docx-text-block-twips", "the DOCX's text block: A4's width less both margins, in twips")
def docx_text_block_twips(build: Build) -> str:
    return str(_text_block_twips(build))


@figure("docx-text-block-pt", "the DOCX's text block in points")
def docx_text_block_pt(build: Build) -> str:
    return _pt(_text_block_twips(build) / TWIPS_PER_PT, 1)


@figure("sixteen-cm-pt", "16 cm in points (A4's 21 cm less two margins of exactly 2.5 cm)")
def sixteen_cm_pt(build: Build) -> str:
    return _pt(16 * CM, 3)


def _annex_line(build: Build) -> list[dict]:
    from councildoc.textconv import _line_text

    for _, line in build.pdf_lines(ES_298):
        if _line_text(line, 9.5).endswith("The outcomes of these workshops were"):
            return line
    raise MeasureError(f"{ES_298}.pdf has no line ending 'The outcomes of these workshops were'")


def _regular_font() -> Path:
    """The font file the print stylesheet sets the text in (its upright, normal-weight face)."""
    css = (ROOT / "styles" / "council-print.css").read_text(encoding="utf-8")
    for rule in re.findall(r"@font-face\s*{([^}]*)}", css):
        if "font-weight: normal" in rule and "font-style: normal" in rule:
            return Path(re.search(r'url\("file://([^"]+)"\)', rule)[1])
    raise MeasureError("styles/council-print.css names no regular font face")


@figure("annex-line-natural-width", "the natural width of the Spanish MC/INF/298's annex line '…The outcomes of "
                                    "these workshops were': its text, read from the PDF, in the advances of the "
                                    "font file the stylesheet names, at the line's size, in points")
def annex_line_natural_width(build: Build) -> str:
    from fontTools.ttLib import TTFont

    from councildoc.textconv import _line_text

    line = _annex_line(build)
    sizes = {c["size"] for c in line}
    if len(sizes) != 1 or any(c["fontname"].split("+")[-1] != "Liberation-Serif" for c in line):
        raise MeasureError("the annex line is not all in one size of Liberation Serif's regular face")
    font = TTFont(_regular_font())
    cmap, advances = font.getBestCmap(), font["hmtx"]
    units = sum(advances[cmap[ord(char)]][0] for char in _line_text(line, 9.5))
    return _pt(units * sizes.pop() / font["head"].unitsPerEm, 3)


@figure("pdf-margin-pt", "the PDF's left margin: where the annex line (justified) starts, in points")
def pdf_margin_pt(build: Build) -> str:
    return _pt(_annex_line(build)[0]["x0"], 2)


# ---- the space under the body title and under "Anexo" (docs/pdf.md) ----------------------------------


def _space_below(build: Build, above: str, below: str) -> float:
    """The blank space between two body lines of the Spanish MC/INF/298: their baselines' distance
    less the line pitch the PDF declares."""
    from councildoc.textconv import _line_text

    lines = [(max(c["bottom"] for c in line), _line_text(line, 9.5)) for _, line in build.pdf_lines(ES_298)]
    for (first, text), (second, next_text) in zip(lines, lines[1:], strict=False):
        if text == above and next_text.startswith(below):
            return second - first - build.layout(ES_298)["line-pitch"]
    raise MeasureError(f"{ES_298}.pdf has no line {above!r} followed by {below!r}")


@figure("body-title-space", "the blank space between the body title's last line and heading I, in points")
def body_title_space(build: Build) -> str:
    return _pt(_space_below(build, "POLÍTICA Y ACTIVIDADES DE LA OIM[1]", "I. INTRODUCCIÓN"))


@figure("annex-designation-space", "the blank space between 'Anexo' and the annex's title, in points")
def annex_designation_space(build: Build) -> str:
    return _pt(_space_below(build, "Anexo", "IOM ACTIVITIES"))


def _blank_line(build: Build) -> float:
    layout = build.layout(ES_298)
    return layout["line-pitch"] + layout["space-after"]


@figure("old-body-title-space", "the stylesheet's earlier space under the body title, "
                                "calc(var(--space-after) + 2 * var(--blank-line)), at the values the PDF declares")
def old_body_title_space(build: Build) -> str:
    return _pt(build.layout(ES_298)["space-after"] + 2 * _blank_line(build))


@figure("old-body-title-lines", "that earlier space in lines of the declared pitch")
def old_body_title_lines(build: Build) -> str:
    layout = build.layout(ES_298)
    return _pt((layout["space-after"] + 2 * _blank_line(build)) / layout["line-pitch"])


@figure("old-annex-designation-space", "the stylesheet's earlier space under 'Anexo', "
                                       "calc(var(--space-after) + 3 * var(--blank-line)), at the declared values")
def old_annex_designation_space(build: Build) -> str:
    return _pt(build.layout(ES_298)["space-after"] + 3 * _blank_line(build))


@figure("annex-pages-not-compared", "how many of the build's annex pages tools/compare_original.py does not "
                                    "compare (those after the last page end the seed shows)")
def annex_pages_not_compared(build: Build) -> str:
    compare_original = _load_tool("compare_original")
    rows = compare_original.compare(compare_original.original_pages(),
                                    compare_original.build_pages(build.path(ES_298, "pdf")))
    row = next(row for row in rows if not row["page"].known_end)
    return WORDS.get(row["last_page"] - row["page"].number + 1, str(row["last_page"] - row["page"].number + 1))


# ---- a loose line after a reference: C/111/INF/7, English, paragraph 27 (docs/pdf.md) ------------------


def _loose_line(build: Build) -> tuple[list[dict], list[dict]]:
    lines = [line for _, line in build.pdf_lines(EN_INF_7)]
    texts = ["".join(c["text"] for c in line) for line in lines]
    try:
        index = texts.index("on legal advice described in paragraph 10,")
    except ValueError:
        raise MeasureError(f"{EN_INF_7}.pdf no longer ends a line after 'paragraph 10,'") from None
    return lines[index], lines[index + 1]


@figure("loose-line-measure", "the loose line's width, first glyph to last, in points")
def loose_line_measure(build: Build) -> str:
    line, _ = _loose_line(build)
    return _pt(line[-1]["x1"] - line[0]["x0"])


def _glyphs(line: list[dict]) -> float:
    return sum(c["x1"] - c["x0"] for c in line if c["text"] != " ")


@figure("loose-line-glyphs", "the width its glyphs take, spaces left out, in points")
def loose_line_glyphs(build: Build) -> str:
    return _pt(_glyphs(_loose_line(build)[0]))


@figure("loose-line-spaces", "how many spaces the loose line has")
def loose_line_spaces(build: Build) -> str:
    line, _ = _loose_line(build)
    count = sum(c["text"] == " " for c in line)
    return WORDS.get(count, str(count))


@figure("loose-line-space-width", "what each of its spaces is stretched to, in points")
def loose_line_space_width(build: Build) -> str:
    line, _ = _loose_line(build)
    return _pt((line[-1]["x1"] - line[0]["x0"] - _glyphs(line)) / sum(c["text"] == " " for c in line))


@figure("loose-line-next-word", "the width of 'including', the next line's first word, in points")
def loose_line_next_word(build: Build) -> str:
    _, following = _loose_line(build)
    text = "".join(c["text"] for c in following)
    if not text.startswith("including "):
        raise MeasureError(f"the line after the loose line starts {text[:20]!r}, not 'including'")
    return _pt(following[len("including") - 1]["x1"] - following[0]["x0"])


# ---- the note separator: the PDF's and LibreOffice's (docs/docx.md) -------------------------------------


def _separators(pdf_path: Path) -> list[tuple[int, float, bool]]:
    """For each page: its index, the width of the widest thin horizontal rule drawn on it (0 if
    none), and whether it starts with an annex's running head."""
    import pdfplumber

    out = []
    with pdfplumber.open(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages):
            rules = [r["x1"] - r["x0"] for r in page.rects if r["height"] < 1]
            head = page.extract_text()[:60]
            out.append((index, max(rules, default=0.0), bool(re.search(r"\b(Anexo|Annex|Annexe)\b[^\n]*, ", head))))
    return out


@figure("pdf-note-separator-width", "the rule above the notes in the Spanish MC/INF/298's PDF, in points")
def pdf_note_separator_width(build: Build) -> str:
    widths = {round(width, 1) for _, width, _ in _separators(build.path(ES_298, "pdf")) if width}
    if len(widths) != 1:
        raise MeasureError(f"the PDF's note separators are not one width: {sorted(widths)}")
    return f"{widths.pop():.0f}"


def _libreoffice_body_separators(build: Build) -> set[float]:
    return {round(width, 1) for index, width, annex in _separators(build.libreoffice_298)
            if width and not annex and index > 0}


@figure("libreoffice-note-separator-width", "the rule LibreOffice draws above the notes of the body's pages "
                                            "(the Spanish MC/INF/298's DOCX), in points")
def libreoffice_note_separator_width(build: Build) -> str:
    widths = _libreoffice_body_separators(build)
    if len(widths) != 1:
        raise MeasureError(f"LibreOffice's note separators are not one width: {sorted(widths)}")
    return f"{widths.pop():.0f}"


@figure("libreoffice-note-separator-share", "that rule's share of LibreOffice's text width (page width less "
                                            "the DOCX's margins), in words")
def libreoffice_note_separator_share(build: Build) -> str:
    width = next(iter(_libreoffice_body_separators(build)), 0.0)
    share = width / (_text_block_twips(build) / TWIPS_PER_PT)
    for words, fraction in (("a quarter", 1 / 4), ("a third", 1 / 3), ("half", 1 / 2)):
        if abs(share - fraction) < 0.005:
            return words
    return f"{share:.2f}"


@figure("libreoffice-version", "the LibreOffice that renders the DOCX (soffice --version: major.minor)")
def libreoffice_version(build: Build) -> str:
    soffice = shutil.which("soffice")
    if not soffice:
        raise MeasureError("LibreOffice (soffice) is not installed: ./setup.sh installs it")
    said = subprocess.run([soffice, f"-env:UserInstallation=file://{build.scratch / 'profile'}", "--version"],
                          capture_output=True, text=True, timeout=120).stdout
    found = re.search(r"LibreOffice (\d+\.\d+)", said)
    if not found:
        raise MeasureError(f"soffice --version said {said!r}")
    return found[1]


@figure("libreoffice-annex-note-separators", "how many of the annexes' pages that carry notes LibreOffice draws "
                                             "a separator on ('none' when none)")
def libreoffice_annex_note_separators(build: Build) -> str:
    import pdfplumber

    with pdfplumber.open(build.libreoffice_298) as pdf:  # a page with notes: 10 pt text in its lower half
        small = [any(c["size"] <= 10.5 and c["text"].strip() for c in page.chars if c["top"] > page.height / 2)
                 for page in pdf.pages]
    annex_with_notes = [(index, width) for index, width, annex in _separators(build.libreoffice_298)
                        if annex and small[index]]
    if not annex_with_notes:
        raise MeasureError("LibreOffice's rendering has no annex page with notes")
    drawn = sum(1 for _, width in annex_with_notes if width)
    return "none" if drawn == 0 else f"{drawn} of {len(annex_with_notes)}"


# ---- the PDF/UA-1 and PDF/A-2b validator's verdicts (docs/pdf.md) ---------------------------------------


EDITIONS = [f"{doc}/{lang}/{doc}" for doc in ("mc-inf-298", "c-111-inf-7", "c-111-3") for lang in ("en", "es", "fr")]


def _validate(output: Path, editions: list[str], profile: str) -> list[tuple[int, list[str]]]:
    """For each edition's PDF: how many rules the validator (``page``, PyPI page-validation) checks,
    and the ids of the rules it fails."""
    try:
        import page
    except ImportError:
        raise MeasureError("the validator page (PyPI page-validation, the test extra) is not installed") from None
    out = []
    for edition in editions:
        path = output / f"{edition}.pdf"
        if not path.is_file():
            raise MeasureError(f"{path}: no such file")
        report = page.validate_pdf(path, profile=profile)
        out.append((report.rules.total, sorted({f.rule_id for f in report.failures})))
    return out


def _one(values: set, what: str) -> str:
    if len(values) != 1:
        raise MeasureError(f"{what} differ between editions: {sorted(values)}")
    return str(values.pop())


@figure("pdf-ua1-rules", "how many rules of PDF/UA-1 the validator checks on every edition's default PDF")
def pdf_ua1_rules(build: Build) -> str:
    return _one({total for total, _ in _validate(build.output, EDITIONS, "ua1")}, "the rules checked")


@figure("pdf-ua1-failed", "how many of them fail, all editions together")
def pdf_ua1_failed(build: Build) -> str:
    return str(sum(len(failed) for _, failed in _validate(build.output, EDITIONS, "ua1")))


@figure("pdf-a2b-rules", "how many rules of PDF/A-2b the validator checks on every edition built --pdf-variant "
                         "pdf/a-2b (in a scratch copy of the project)")
def pdf_a2b_rules(build: Build) -> str:
    return _one({total for total, _ in _validate(build.variant("pdf/a-2b"), EDITIONS, "2b")}, "the rules checked")


@figure("pdf-a2b-failed", "how many of them fail, all editions together")
def pdf_a2b_failed(build: Build) -> str:
    return str(sum(len(failed) for _, failed in _validate(build.variant("pdf/a-2b"), EDITIONS, "2b")))


def _untagged(build: Build) -> tuple[int, list[str]]:
    output = build.variant("untagged", "--doc", "c-111-inf-7", "--lang", "es")
    return _validate(output, ["c-111-inf-7/es/c-111-inf-7"], "ua1")[0]


@figure("pdf-untagged-ua1-rules", "how many rules of PDF/UA-1 the validator checks on C/111/INF/7 es built "
                                  "--pdf-variant untagged")
def pdf_untagged_ua1_rules(build: Build) -> str:
    return str(_untagged(build)[0])


@figure("pdf-untagged-ua1-failed", "how many of them it fails (PDFUA1-TAGGED-DOCUMENT-001 must be one)")
def pdf_untagged_ua1_failed(build: Build) -> str:
    failed = _untagged(build)[1]
    if "PDFUA1-TAGGED-DOCUMENT-001" not in failed:
        raise MeasureError(f"the untagged PDF does not fail PDFUA1-TAGGED-DOCUMENT-001: {failed}")
    return str(len(failed))


# ---- a redline's summary line (docs/review.md) ------------------------------------------------------------

REDLINE_DOC = "mc-inf-298"
REDLINE_HEADING = "# Introducción {#sec:introduccion}\n\n"
REDLINE_INSERTED = "Un párrafo insertado en esta revisión, antes del primero.\n\n"
REDLINE_NOTE = "politica-genero-1995"


@figure("redline-summary", "the summary line build.py diff prints after a revision of the Spanish MC/INF/298 "
                           "that inserts a paragraph at the start of section I and removes the note "
                           f"[^{REDLINE_NOTE}] (made in a scratch git repository), as a code block")
def redline_summary(build: Build) -> str:
    import contextlib
    import io
    import os

    from councildoc.cli import main

    project = build.scratch / "redline"
    for folder in ("source", "templates", "styles", "languages"):
        if (build.output.parent / folder).is_dir():
            shutil.copytree(build.output.parent / folder, project / folder)
    env = {**os.environ, "GIT_AUTHOR_NAME": "measure", "GIT_AUTHOR_EMAIL": "measure@example.org",
           "GIT_COMMITTER_NAME": "measure", "GIT_COMMITTER_EMAIL": "measure@example.org", "HOME": str(project)}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("add", "source")
    git("commit", "-q", "-m", "issued")
    git("tag", "issued")
    source = project / "source" / REDLINE_DOC / "es.md"
    text = source.read_text(encoding="utf-8")
    call, definition = re.compile(rf"\[\^{REDLINE_NOTE}\](?!:)"), re.compile(rf"^\[\^{REDLINE_NOTE}\]:.*\n\n", re.M)
    if text.count(REDLINE_HEADING) != 1 or len(call.findall(text)) != 1 or len(definition.findall(text)) != 1:
        raise MeasureError(f"source/{REDLINE_DOC}/es.md no longer has the heading and the note the revision edits")
    text = definition.sub("", call.sub("", text.replace(REDLINE_HEADING, REDLINE_HEADING + REDLINE_INSERTED)))
    source.write_text(text, encoding="utf-8")
    git("commit", "-q", "-am", "revised")
    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
        status = main(["diff", "issued", "HEAD", "--project", str(project), "--doc", REDLINE_DOC, "--lang", "es"])
    lines = [line for line in said.getvalue().splitlines() if line.startswith(f"{REDLINE_DOC} [es]: ")]
    if status != 0 or len(lines) != 1:
        raise MeasureError(f"build.py diff did not print one summary line:\n{said.getvalue()}")
    return f"\n\n```\n{lines[0]}\n```\n\n"


# ---- a table too wide for the page (docs/authoring.md) ---------------------------------------------------

WIDE_COLUMNS = 9
WIDE_SOURCE = ("---\nlang: en\ntitle: Wide\n---\n\n# Staff\n\nThe figures.\n\n"
               + "| " + " | ".join(f"Posts {2010 + n}" for n in range(WIDE_COLUMNS)) + " |\n"
               + "|" + "--:|" * WIDE_COLUMNS + "\n"
               + "| " + " | ".join(f"{n * 1_000_000 + 1:,}.5" for n in range(1, WIDE_COLUMNS + 1)) + " |\n\n"
               + ": Posts by year {#tbl:wide}\n")


@figure("wide-table-error", "the error a PDF build gives for a table of nine columns of figures in the "
                            "millions (made in a scratch project), as inline code")
def wide_table_error(build: Build) -> str:
    import contextlib
    import io

    from councildoc.cli import main

    project = build.scratch / "wide"
    for folder in ("templates", "styles"):
        shutil.copytree(build.output.parent / folder, project / folder)
    (project / "source" / "doc").mkdir(parents=True)
    (project / "source" / "doc" / "document.yaml").write_text(
        "symbol: MC/WIDE/1\ndate: 2026-11-28\nsession: 117\noriginal-language: en\n", encoding="utf-8")
    (project / "source" / "doc" / "en.md").write_text(WIDE_SOURCE, encoding="utf-8")
    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
        main(["--project", str(project), "--format", "pdf"])
    errors = [line for line in said.getvalue().splitlines() if ": error: table " in line]
    if len(errors) != 1:
        raise MeasureError(f"the wide table gave no single error:\n{said.getvalue()}")
    return f"`{errors[0][errors[0].index('en.md:'):]}`"


# ---- the test corpus (docs/reliability.md) --------------------------------------------------------------


@figure("corpus-cases", "how many broken and hostile sources tests/corpus/ holds (one .expected file each)")
def corpus_cases(build: Build) -> str:
    return str(len(list((ROOT / "tests" / "corpus").glob("*.expected"))))


# ---- the docs ----------------------------------------------------------------------------------------


def _load_tool(name: str):
    import importlib.util

    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def measure(output: Path, names: list[str] | None = None, built: dict[str, Path] | None = None) -> dict[str, str]:
    """Each figure, measured on the build in ``output``; ``built``: the output folders of whole builds in
    other PDF variants already made from the same sources (``{"pdf/a-2b": …/output}``), used as they are."""
    build = Build(output)
    build._read.update({(variant, ): folder for variant, folder in (built or {}).items()})
    try:
        return {name: FIGURES[name][0](build) for name in (names or FIGURES)}
    finally:
        shutil.rmtree(build.scratch, ignore_errors=True)


def in_docs(docs: list[Path] = DOCS) -> list[tuple[Path, int, str, str]]:
    """Every figure the docs carry between markers: (file, line, name, figure)."""
    found = []
    for doc in docs:
        text = doc.read_text(encoding="utf-8")
        for match in MARKER.finditer(text):
            found.append((doc, text.count("\n", 0, match.start()) + 1, match[1], match[2]))
    return found


def differences(figures: dict[str, str], docs: list[Path] = DOCS) -> list[str]:
    """What the docs say that the build does not: one message a figure, as ``path:line: …``."""
    out = []
    named = set()
    for doc, line, name, value in in_docs(docs):
        named.add(name)
        where = f"{doc.relative_to(doc.parent.parent) if doc.parent.name == 'docs' else doc.name}:{line}"
        if name not in figures:
            out.append(f"{where}: measure:{name} names no figure tools/measure_print.py measures")
        elif value != figures[name]:
            out.append(f"{where}: measure:{name} says {value!r}, the build measures {figures[name]!r}")
    for name in figures.keys() - named:
        out.append(f"tools/measure_print.py: {name} is in no doc")
    return out


def write(figures: dict[str, str], docs: list[Path] = DOCS) -> list[Path]:
    """Put each measured figure between its markers; returns the files changed."""
    changed = []
    for doc in docs:
        text = doc.read_text(encoding="utf-8")
        new = MARKER.sub(lambda m: f"<!-- measure:{m[1]} -->{figures.get(m[1], m[2])}<!-- /measure -->", text)
        if new != text:
            doc.write_text(new, encoding="utf-8")
            changed.append(doc)
    return changed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, default=ROOT / "output", help="the build's output folder")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="write the figures into the docs")
    mode.add_argument("--check", action="store_true", help="exit 1 if a doc's figure is not the build's")
    args = parser.parse_args(argv)
    try:
        figures = measure(args.output)
    except MeasureError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.write:
        for doc in write(figures):
            print(f"wrote {doc.relative_to(ROOT)}")
    problems = differences(figures)
    if args.check or args.write:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    for name, value in figures.items():
        print(f"{name}\t{value}\t{FIGURES[name][1]}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
