#!/usr/bin/env python3
"""councildoc's benchmark: the build against the raw renderers it drives, at growing sizes, and
against the tools a secretariat would pick instead; it writes every figure docs/performance.md quotes.

    .venv/bin/python bench/run.py                 # the full run (see docs/performance.md for its length)
    .venv/bin/python bench/run.py --write-docs    # … and write the tables into docs/performance.md
    .venv/bin/python bench/run.py --smoke         # tiny documents, one repeat (what the tests run)

Every time is the *minimum* of ``--repeats`` runs of a whole process (start-up included, as a user
pays it), measured with ``time.perf_counter`` from outside, with the one-minute load average
(``os.getloadavg``) read just before that run beside it: on a shared machine the minimum is the
run least disturbed, and the load says how quiet the machine was. Peak memory is the largest
resident set of the process (``resource``); where it goes is read with ``tracemalloc``. Peers that
cannot be run here are listed with the reason. Nothing here asserts a time: the tables are the result.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DOC = "mc-inf-298"
TABLES_DOC = "c-111-3"
CORES = os.cpu_count() or 1
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
NODE_MODULES = [ROOT / ".tools" / "node_modules"] + [
    Path(p) for p in os.environ.get("COUNCILDOC_BENCH_NODE_MODULES", "").split(os.pathsep) if p]
"""Where Paged.js and puppeteer-core are looked for (setup.sh installs both into .tools/)."""


# -- measuring ----------------------------------------------------------------------------------------


@dataclass
class Sample:
    """The fastest of several runs, with the load average just before it and what it reported."""

    seconds: float
    load: float
    runs: int = 1
    info: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.seconds:.2f}"


def load_now() -> float:
    return os.getloadavg()[0]


def fastest(action, repeats: int) -> Sample:
    """``action()`` returns seconds, or (seconds, info); the fastest run is kept."""
    best: Sample | None = None
    for _ in range(repeats):
        load = load_now()
        outcome = action()
        seconds, info = outcome if isinstance(outcome, tuple) else (outcome, {})
        if best is None or seconds < best.seconds:
            best = Sample(seconds, load, repeats, info)
    assert best is not None
    return best


def timed(args: list[str], cwd: Path | None = None, env: dict | None = None,
          check: bool = True) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    elapsed = time.perf_counter() - start
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args[:4]))} … failed:\n{result.stderr[-2000:]}")
    return elapsed, result


def child_report(result: subprocess.CompletedProcess) -> dict:
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH "))
    return json.loads(line[6:])


def copy_project(target: Path, source_dir: Path | None = None) -> Path:
    for folder in ("templates", "styles"):
        shutil.copytree(ROOT / folder, target / folder)
    shutil.copytree(source_dir or ROOT / "source", target / "source")
    return target


INSTRUMENTED = r"""
import json, os, resource, sys, time
conf = json.loads(os.environ.get("BENCH_CONF", "{}"))
layouts = []
if conf.get("count_layouts"):
    import weasyprint
    original = weasyprint.HTML.render
    def render(self, *args, **kwargs):
        start = time.perf_counter()
        rendered = original(self, *args, **kwargs)
        if sys._getframe(1).f_globals.get("__name__") == "councildoc.writers.pdf":  # an edition's layout
            # (not a figure drawn for the DOCX, nor WeasyPrint's own write_pdf calling render)
            layouts.append(round(time.perf_counter() - start, 3))
        return rendered
    weasyprint.HTML.render = render
if "keep_notes" in conf:
    import councildoc.writers.pdf as pdf
    pdf.KEEP_NOTES_IN_FIRST_LAYOUT = conf["keep_notes"]
if "by_parts" in conf:
    import councildoc.writers.pdf as pdf
    pdf.BY_PARTS = conf["by_parts"]
if conf.get("overlap") is False:  # the PDF's parts laid out at once, but the other formats only after it
    import dataclasses
    import councildoc.formats as formats
    formats.REGISTRY["pdf"] = dataclasses.replace(formats.REGISTRY["pdf"], start=None)
joins = []
if conf.get("time_joins"):
    import councildoc.writers.pdfjoin as pdfjoin
    join_parts = pdfjoin.join_parts
    def timed_join(*args, **kwargs):
        start = time.perf_counter()
        joined = join_parts(*args, **kwargs)
        joins.append(round(time.perf_counter() - start, 3))
        return joined
    pdfjoin.join_parts = timed_join
from councildoc.cli import main
status = main(sys.argv[1:])
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
# VmHWM: the build process's own peak resident set (ru_maxrss keeps, across exec, the resident set
# of the process that started it: the bench's, which may have read the documents). Its children apart:
# with --jobs 1 Pandoc's runs (reading each source, writing each DOCX: the Haskell runtime's heap), and
# the processes that lay an edition's parts out at once (a child's count starts from its parent's size).
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print("BENCH " + json.dumps({"status": status, "layouts": layouts, "joins": joins, "rss_mb": hwm / 1024,
                             "own_mb": hwm / 1024, "children_rss_mb": children / 1024,
                             "modules": sorted(m for m in sys.modules if m.split(".")[0] in
                                               ("weasyprint", "jinja2", "lxml", "councildoc"))}))
"""


def councildoc_run(project: Path, *extra: str, conf: dict | None = None) -> tuple[float, dict]:
    """One build in its own process: (seconds, what it reported: layouts, peak RSS, modules loaded)."""
    seconds, result = timed([PYTHON, "-c", INSTRUMENTED, "--project", str(project), *extra], cwd=ROOT,
                            env={"BENCH_CONF": json.dumps(conf or {}), "PYTHONPATH": str(ROOT)})
    report = child_report(result)
    if report["status"] != 0:
        raise RuntimeError(f"build failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    report["written"] = sorted(line.split()[1] for line in result.stdout.splitlines() if line.startswith("wrote"))
    return seconds, report


# -- the renderers alone: the honest floor -------------------------------------------------------------


FLOOR = r"""
import json, os, resource, subprocess, sys, time
from multiprocessing import get_context
job = json.loads(sys.argv[1])
import weasyprint  # once, before the workers fork (councildoc does the same: pipeline._run_jobs)

def edition(i):
    page, ast = job["pages"][i], job["asts"][i]
    # The PDF the build writes by default: tagged, PDF/UA-1 (WeasyPrint's own tagging is part of the floor).
    weasyprint.HTML(filename=page, base_url=os.path.dirname(page) + "/").write_pdf(page + ".pdf",
                                                                                  pdf_variant="pdf/ua-1")
    subprocess.run([job["pandoc"], "--sandbox", "-f", "json", "-t", "docx", "--reference-doc", job["reference"],
                    "-o", ast + ".docx", ast], check=True)
    return hwm()

def hwm():
    # This process's own peak resident set, in kB (ru_maxrss would start from the bench's, across exec).
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))

indices = range(len(job["pages"]))
if job["processes"] <= 1:
    peaks = [edition(i) for i in indices]
else:
    with get_context("fork").Pool(job["processes"]) as pool:
        peaks = list(pool.imap_unordered(edition, indices, chunksize=1))
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Pandoc (and, forked, the workers)
print("BENCH " + json.dumps({"rss_mb": max([hwm(), *peaks]) / 1024, "children_rss_mb": children / 1024}))
"""


@dataclass
class Content:
    """What the renderers get: our print HTML and our Pandoc AST of each edition."""

    project: Path
    pages: list[str]
    asts: list[str]
    reference: str


def prepare_content(project_root: Path, documents: list[str] | None = None) -> Content:
    """Each edition's print page (as the PDF writer gives WeasyPrint) and its Pandoc AST (as the DOCX
    writer gives Pandoc), written beside the project's styles so that they load the same files."""
    sys.path.insert(0, str(ROOT))
    from councildoc.pipeline import Project, load_edition, load_info
    from councildoc.writers.docx import build_reference, to_pandoc
    from councildoc.writers.html import make_environment, write_html
    from councildoc.writers.pdf import PRINT_STYLESHEET

    project = Project(project_root)
    environment = make_environment(project.templates_dir)
    stylesheet = (project.styles_dir / PRINT_STYLESHEET).read_text(encoding="utf-8")
    pages, asts = [], []
    for sources in project.documents():
        if documents is not None and sources.name not in documents:
            continue
        info, _ = load_info(project, sources)
        for lang in sorted(sources.editions):
            document, diagnostics = load_edition(project, sources, info, lang)
            if document is None:
                raise RuntimeError("\n".join(map(str, diagnostics)))
            page = project.styles_dir / f"floor-{sources.name}-{lang}.html"
            page.write_text(write_html(document, environment, stylesheet, for_print=True), encoding="utf-8")
            ast = project.root / f"floor-{sources.name}-{lang}.json"
            ast.write_text(json.dumps(to_pandoc(document)), encoding="utf-8")
            pages.append(str(page))
            asts.append(str(ast))
    reference = project.root / "reference.docx"
    reference.write_bytes(build_reference(project.styles_dir))
    return Content(project.root, pages, asts, str(reference))


def floor_run(content: Content, processes: int) -> tuple[float, dict]:
    from councildoc.parse import pandoc_path

    job = {"pages": content.pages, "asts": content.asts, "reference": content.reference, "pandoc": pandoc_path(),
           "processes": processes}
    seconds, result = timed([PYTHON, "-c", FLOOR, json.dumps(job)], cwd=ROOT)
    return seconds, child_report(result)


# -- the documents ---------------------------------------------------------------------------------


def _table(n: int) -> str:
    rows = "\n".join(f"| Partida {n}.{r} | {1000 + 37 * r + n:,}".replace(",", ".") +
                     f",{r} | {900 + 41 * r + n:,}".replace(",", ".") + f",{(r * 3) % 10} |" for r in range(1, 7))
    return (f"| Partida | 2020 | 2021 |\n|:--|--:|--:|\n{rows}\n\n"
            f": Gastos por partida, sección {n}[^tn{n}] {{#tbl:t{n}}}\n\n"
            f"[^tn{n}]: En miles de francos suizos.")


def _figure(n: int) -> str:
    return (f"![Parte de Administración del Presupuesto por partida, sección {n}](budget-by-item.svg)"
            f'{{#fig:f{n} fig-alt="Gráfico de barras de las cuatro partidas de la sección {n}."}}')


def synthetic(pages: int, target: Path, annexes: int = 0, name: str = "synthetic") -> Path:
    """A Spanish document of about ``pages`` pages made of MC/INF/298's own paragraphs and notes,
    with a table (and a table note) in every section and a figure in every other one (C/111/3's
    SVG); the last ``annexes`` × 10 % of it in that many annexes (each on new pages, numbered
    anew: the independent parts of issue 15's item 3)."""
    source = (ROOT / "source" / DOC / "es.md").read_text(encoding="utf-8")
    front, _, body = source.partition("\n---\n")
    body = body.split("::: {.annex")[0]
    blocks = [b.strip() for b in body.split("\n\n") if b.strip() and not b.strip().startswith("#")]
    paragraphs = [b for b in blocks if not b.startswith("[^")]
    notes = {re.match(r"\[\^([^\]]+)\]:", b)[1]: b for b in blocks if b.startswith("[^")}
    per_page = 4.4  # about 4.4 of these paragraphs a page, with the tables and figures
    total = max(3, round(pages * per_page))
    in_annex = round(total * annexes / 10)
    annex_starts = {total - in_annex + k * (in_annex // annexes) for k in range(annexes)} if annexes else set()
    out = [front + "\n---\n"]
    section = 0
    open_annex = False
    for count in range(total):
        if count in annex_starts:
            out.append(":::" if open_annex else "")
            out.append(f"::: {{.annex #annex:a{count}}}\n# Anexo de la sección {count}")
            open_annex = True
        if count % 18 == 0 or count in annex_starts:
            section += 1
            out.append(f"# Sección {section}")
            out.append(_table(section))
            if section % 2 == 0:
                out.append(_figure(section))
        paragraph = paragraphs[count % len(paragraphs)]
        defs = []
        for label in re.findall(r"\[\^([^\]]+)\]", paragraph):
            paragraph = paragraph.replace(f"[^{label}]", f"[^{label}-{count}]")
            definition = notes[label].replace(f"[^{label}]:", f"[^{label}-{count}]:", 1)
            defs.append(re.sub(r"@note:[\w-]+", "8", definition))
        out += [re.sub(r"@annex:field", "Anexo", paragraph), *defs]
    if open_annex:
        out.append(":::")
    folder = target / "source" / name
    folder.mkdir(parents=True)
    meta = (ROOT / "source" / DOC / "document.yaml").read_text(encoding="utf-8")
    (folder / "document.yaml").write_text(meta, encoding="utf-8")
    shutil.copy(ROOT / "source" / TABLES_DOC / "budget-by-item.svg", folder)
    (folder / "es.md").write_text("\n\n".join(b for b in out if b) + "\n", encoding="utf-8")
    return target / "source"


WORDS = {
    "en": ("Test", "One hundred and eleventh session", "The Organization is committed to the principle that "
           "humane and orderly migration benefits migrants and society.", "A note."),
    "es": ("Prueba", "Centésima undécima reunión", "La OIM está consagrada al principio de que la migración en "
           "forma ordenada y en condiciones humanas beneficia a los migrantes y a la sociedad.", "Una nota."),
    "fr": ("Essai", "Cent onzième session", "L’OIM est attachée au principe selon lequel les migrations "
           "s’effectuant en bon ordre et dans le respect de la dignité humaine sont bénéfiques.", "Une note."),
}


def many_documents(target: Path, count: int, langs: tuple[str, ...]) -> Path:
    """``count`` small documents (two pages: a section of paragraphs and a note) × ``langs``."""
    for n in range(1, count + 1):
        folder = target / "source" / f"doc-{n:03d}"
        folder.mkdir(parents=True)
        (folder / "document.yaml").write_text(f"symbol: C/111/{n}\ndate: 2020-10-05\nsession: 111\n"
                                              "original-language: en\n", encoding="utf-8")
        for lang in langs:
            title, session, sentence, note = WORDS[lang]
            paragraphs = "\n\n".join(sentence + (f"[^n{k}]" if k == 2 else "") for k in range(8))
            (folder / f"{lang}.md").write_text(
                f"---\nlang: {lang}\ntitle: {title} {n}\nsession-title: {session}\n---\n\n# {title}\n\n"
                f"{paragraphs}\n\n[^n2]: {note}\n", encoding="utf-8")
    return target / "source"


def pdf_pages(path: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(path).pages)


# -- what is measured ---------------------------------------------------------------------------------


def real_documents(scratch: Path, repeats: int, source: Path | None, doc: str) -> dict:
    """Every edition of the project's documents: councildoc (``--jobs 1`` and the cores) against the
    floor at the same parallelism, no-op and one-word rebuilds; and ``doc``'s PDFs alone (what the
    peers are compared with)."""
    found: dict = {}
    content = prepare_content(copy_project(Path(tempfile.mkdtemp(dir=scratch)), source))
    editions = len(content.pages)
    found["editions"] = editions
    found["documents"] = sorted({Path(p).stem.removeprefix("floor-").rsplit("-", 1)[0] for p in content.pages})
    for jobs in (1, CORES):
        def cold(jobs=jobs):
            project = copy_project(Path(tempfile.mkdtemp(dir=scratch)), source)
            return councildoc_run(project, "--jobs", str(jobs), conf={"count_layouts": jobs == 1})
        found[f"build-{jobs}"] = fastest(cold, repeats)
        found[f"floor-{jobs}"] = fastest(lambda jobs=jobs: floor_run(content, min(jobs, editions)), repeats)

    alone = Path(tempfile.mkdtemp(dir=scratch)) / "source"
    shutil.copytree((source or ROOT / "source") / doc, alone / doc)
    found["content"] = prepare_content(copy_project(alone.parent / "p", alone))

    def pdf_only():
        project = copy_project(Path(tempfile.mkdtemp(dir=scratch)), alone)
        return councildoc_run(project, "--jobs", "1", "--format", "pdf")
    found["pdf-only"] = fastest(pdf_only, repeats)

    project = copy_project(Path(tempfile.mkdtemp(dir=scratch)), source)
    councildoc_run(project)
    found["no-op"] = fastest(lambda: councildoc_run(project), repeats)
    edited = project / "source" / doc / "fr.md"

    def one_word():
        text = edited.read_text(encoding="utf-8")
        text = text.replace("très attachée", "attachée", 1) if "très attachée" in text else text.replace(
            "attachée", "très attachée", 1)
        edited.write_text(text, encoding="utf-8")
        return councildoc_run(project)
    found["one-word"] = fastest(one_word, repeats)
    return found


def growth(scratch: Path, sizes: list[int], repeats: int, repair_sizes: tuple[int, ...]) -> list[dict]:
    """Synthetic documents: the build (``--jobs 1``, every format) against the floor (one WeasyPrint
    layout and one Pandoc run), layouts, time per page, peak memory; and the repair passes alone."""
    rows = []
    for pages in sizes:
        target = Path(tempfile.mkdtemp(dir=scratch))
        source = synthetic(pages, target, annexes=0)
        content = prepare_content(copy_project(target / "floor", source))

        def cold(source=source):
            project = copy_project(Path(tempfile.mkdtemp(dir=scratch)), source)
            seconds, report = councildoc_run(project, "--jobs", "1", conf={"count_layouts": True})
            report["pages"] = pdf_pages(project / "output/synthetic/es/synthetic.pdf")
            shutil.rmtree(project)
            return seconds, report
        build = fastest(cold, repeats)
        floor = fastest(lambda content=content: floor_run(content, 1), repeats)
        row = {"asked": pages, "pages": build.info["pages"], "build": build, "floor": floor}
        if pages in repair_sizes:
            project = copy_project(Path(tempfile.mkdtemp(dir=scratch)), source)
            load = load_now()
            try:
                seconds, report = councildoc_run(project, "--jobs", "1", "--format", "pdf",
                                                 conf={"count_layouts": True, "keep_notes": False})
                row["repair"] = Sample(seconds, load, 1, report)
            except RuntimeError:
                row["repair"] = None  # the repair passes ran out (MAX_LAYOUT_PASSES)
            seconds, report = councildoc_run(project, "--jobs", "1", "--format", "pdf", "--force",
                                             conf={"count_layouts": True})
            row["kept"] = Sample(seconds, load_now(), 1, report)
        rows.append(row)
        shutil.rmtree(target)
    return rows


MEMORY = r"""
import json, sys, time, tracemalloc
from collections import Counter
mode, path = sys.argv[1], sys.argv[2]
import weasyprint
sys.path.insert(0, sys.argv[3])

def where(snapshot):
    shares = Counter()
    for stat in snapshot.statistics("filename"):
        name = stat.traceback[0].filename
        for key in ("weasyprint", "pydyf", "tinycss2", "cssselect2", "tinyhtml5", "html5lib", "fontTools", "PIL",
                    "councildoc", "jinja2", "lxml"):
            if f"/{key}/" in name:
                shares[key] += stat.size
                break
        else:
            shares["other"] += stat.size
    return {k: v / 2**20 for k, v in shares.most_common()}

tracemalloc.start(1)
if mode == "weasyprint":
    from pathlib import Path
    page = Path(path)
    rendered = weasyprint.HTML(filename=str(page), base_url=str(page.parent) + "/").render(pdf_variant="pdf/ua-1")
    after_layout = where(tracemalloc.take_snapshot())
    rendered.write_pdf(pdf_variant="pdf/ua-1")  # tagged, as the build writes it
else:
    from councildoc.pipeline import Project, load_edition, load_info
    from councildoc.writers.html import make_environment
    from councildoc.writers import pdf
    project = Project(__import__("pathlib").Path(path))
    sources = project.documents()[0]
    info, _ = load_info(project, sources)
    document, _ = load_edition(project, sources, info, "es")
    reading_peak = tracemalloc.get_traced_memory()[1] / 2**20  # reading, parsing, transforming
    tracemalloc.reset_peak()
    original = weasyprint.HTML.render
    after_layout = {}
    def render(self, *args, **kwargs):
        rendered = original(self, *args, **kwargs)
        after_layout.update(where(tracemalloc.take_snapshot()))
        return rendered
    weasyprint.HTML.render = render
    data, problems = pdf.write_pdf(document, make_environment(project.templates_dir), project.styles_dir)
    assert data is not None, problems
print("BENCH " + json.dumps({"peak_mb": tracemalloc.get_traced_memory()[1] / 2**20, "after_layout": after_layout,
                             "reading_peak_mb": reading_peak if mode != "weasyprint" else None}))
"""


def memory(scratch: Path, pages: int) -> dict:
    """tracemalloc's peak of the PDF writer against WeasyPrint alone on the same page, and what is
    held once the layout is done, by package."""
    target = Path(tempfile.mkdtemp(dir=scratch))
    source = synthetic(pages, target)
    project = copy_project(target / "p", source)
    content = prepare_content(project)
    found = {}
    for mode, path in (("weasyprint", content.pages[0]), ("councildoc", str(project))):
        _, result = timed([PYTHON, "-c", MEMORY, mode, path, str(ROOT)], cwd=ROOT, env={"PYTHONPATH": str(ROOT)})
        found[mode] = child_report(result)
    found["pages"] = pages
    return found


WEASYPRINT_PAGES = r"""
import json, resource, sys, time, weasyprint
from pathlib import Path
seconds = {}
for p in sys.argv[1:]:
    s = time.perf_counter()
    r = weasyprint.HTML(filename=p, base_url=str(Path(p).parent) + '/').render()
    r.write_pdf()
    seconds[p] = [time.perf_counter() - s, len(r.pages)]
    r = None
# VmHWM: this process's own peak (ru_maxrss keeps, across exec, the resident set of the process
# that forked it: the bench's, which has read the documents)
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print("BENCH " + json.dumps({"seconds": seconds, "rss_mb": hwm / 1024}))
"""


def by_parts(scratch: Path, pages: int, annexes: int, repeats: int) -> dict:
    """One edition with annexes (the last 40 % of it in four): councildoc laying its parts out one
    after another (``--jobs 1``) and at once (``--jobs`` the cores), the PDF alone and every format,
    with the time of the join; against its single layout, and WeasyPrint alone on the same pages
    (the whole print page; each part's alone, one after another in one process: the same layouts
    as councildoc's by parts)."""
    from lxml import html as lxml_html

    target = Path(tempfile.mkdtemp(dir=scratch))
    source = synthetic(pages, target, annexes=annexes)
    found: dict = {}

    def build(jobs: int, formats: str, parts: bool = True, overlap: bool = True) -> Sample:
        def run():
            project = copy_project(Path(tempfile.mkdtemp(dir=scratch)), source)
            extra = ("--format", "pdf") if formats == "pdf" else ()
            return councildoc_run(project, "--jobs", str(jobs), *extra,
                                  conf={"by_parts": parts, "time_joins": True, "overlap": overlap})
        return fastest(run, repeats)

    for formats in ("pdf", "all"):
        for jobs in (1, CORES):
            found[f"{formats}-{jobs}"] = build(jobs, formats)
    found[f"all-{CORES}-after"] = build(CORES, "all", overlap=False)
    found["pdf-1-whole"] = build(1, "pdf", parts=False)

    def check():  # reading, parsing, transforming and checking the edition, nothing written
        return councildoc_run(copy_project(Path(tempfile.mkdtemp(dir=scratch)), source), "check")
    found["check"] = fastest(check, 1)

    content = prepare_content(copy_project(target / "p", source))
    whole = Path(content.pages[0])
    split = []
    for index, keep in enumerate(lxml_html.parse(str(whole)).xpath(PART_XPATH)):
        single = lxml_html.parse(str(whole))
        for i, element in enumerate(single.xpath(PART_XPATH)):
            if i != index:
                element.getparent().remove(element)
        if index:  # the cover goes with the body
            for element in single.xpath("//header[contains(concat(' ', @class, ' '), ' masthead ')]"):
                element.getparent().remove(element)
        path = whole.with_name(f"part-{index}.html")
        path.write_bytes(lxml_html.tostring(single, encoding="utf-8", doctype="<!DOCTYPE html>"))
        split.append((keep.get("id"), path))
    for name, pages_ in (("weasyprint-whole", [whole]), ("weasyprint-parts", [p for _, p in split])):
        def alone(pages_=pages_):
            _, result = timed([PYTHON, "-c", WEASYPRINT_PAGES, *map(str, pages_)], cwd=ROOT)
            report = child_report(result)
            return sum(t for t, _ in report["seconds"].values()), report
        found[name] = fastest(alone, repeats)
    seconds = found["weasyprint-parts"].info["seconds"]
    found["each"] = {name: seconds[str(path)][0] for name, path in split}
    found["pages"] = found["weasyprint-whole"].info["seconds"][str(whole)][1]
    return found


PART_XPATH = "//main/*[contains(concat(' ', @class, ' '), ' part ')]"


def joined_sizes(scratch: Path, source: Path | None) -> dict[str, tuple[int, int]]:
    """Each real edition's PDF, in bytes: one layout, and by parts joined (each part embeds its own
    font subsets)."""
    built = {}
    for parts in (False, True):
        project = copy_project(Path(tempfile.mkdtemp(dir=scratch)), source)
        councildoc_run(project, "--jobs", "1", "--format", "pdf", conf={"by_parts": parts})
        built[parts] = {path.relative_to(project / "output").parent.as_posix(): path.stat().st_size
                        for path in sorted((project / "output").glob("*/*/*.pdf"))}
    return {edition: (size, built[True][edition]) for edition, size in built[False].items()}


def many(scratch: Path, count: int, langs: tuple[str, ...], repeats: int) -> dict:
    """A project of ``count`` documents × ``langs``: the rebuild with nothing changed, and after a
    one-word edit to one edition (with what it rewrote)."""
    target = Path(tempfile.mkdtemp(dir=scratch))
    project = copy_project(target / "p", many_documents(target, count, langs))
    load = load_now()
    cold_seconds, _ = councildoc_run(project, "--jobs", str(CORES))
    found = {"documents": count, "editions": count * len(langs), "cold": Sample(cold_seconds, load)}
    found["no-op"] = fastest(lambda: councildoc_run(project), repeats)
    middle = f"doc-{(count + 1) // 2:03d}"
    edited = project / "source" / middle / f"{langs[-1]}.md"

    def one_word():
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text.replace("bon ordre", "très bon ordre", 1) if "très bon" not in text
                          else text.replace("très bon ordre", "bon ordre", 1), encoding="utf-8")
        return councildoc_run(project)
    found["one-word"] = fastest(one_word, repeats)
    found["edited"] = f"{middle}/{langs[-1]}"
    found["profile"] = profile(scratch, None, project)  # a rebuild with nothing changed
    return found


PROFILE = r"""
import cProfile, json, pstats, sys
from collections import Counter
from councildoc.cli import main
profiler = cProfile.Profile()
profiler.enable()
status = main(sys.argv[1:])
profiler.disable()
stats = pstats.Stats(profiler).stats
shares = Counter()
groups = (("WeasyPrint (layout, drawing, PDF)", ("/weasyprint/", "/pydyf/", "/tinycss2/", "/cssselect2/", "/tinyhtml5/",
                                                 "/fontTools/", "/PIL/", "/pyphen/")),
          ("waiting for Pandoc (reading the sources, writing the DOCX)", ("subprocess.py", "selectors.py",
                                                                          "'poll' of 'select.poll'", "posix.waitpid",
                                                                          "posix.read", "_posixsubprocess")),
          ("YAML (document.yaml, language data)", ("/yaml/",)),
          ("reading, hashing, listing files", ("sha256", "openssl_", "posix.stat", "posix.lstat", "posix.open",
                                               "posix.scandir", "io.open", "'read' of", "pathlib.py")),
          ("councildoc", ("/councildoc/",)), ("Jinja", ("/jinja2/", "/markupsafe/")), ("lxml", ("/lxml/",)))
OTHER = "other (start-up, imports, YAML, I/O)"
found = {}

def group_of(func, seen=()):
    # A function of no package above (a built-in such as zlib's compress or isinstance, the standard
    # library's json decoder) counts for the package that calls it most: pydyf's compressing is
    # WeasyPrint's, decoding Pandoc's JSON is councildoc's reading (not "other").
    if func in found:
        return found[func]
    filename, _, name = func
    label = f"{filename}:{name}"
    group = next((g for g, keys in groups if any(k in label for k in keys)), None)
    if group is None:
        callers = stats[func][4]
        caller = max(callers, key=lambda c: callers[c][3], default=None)
        group = group_of(caller, (*seen, func)) if caller is not None and caller not in seen else OTHER
        if label.startswith("<frozen importlib") or "importlib" in filename:
            group = OTHER  # importing a module is start-up, whoever imports it
    if not seen:
        found[func] = group
    return group

for func, (_, _, tottime, _, _) in stats.items():
    shares[group_of(func)] += tottime
total = sum(shares.values())
shares = {k: v / total for k, v in shares.most_common()}
print("BENCH " + json.dumps({"status": status, "total": total, "shares": shares}))
"""


def profile(scratch: Path, source: Path | None, project: Path | None = None) -> dict:
    """cProfile's own time by package, of a cold ``--jobs 1`` build (or of a build of ``project``)."""
    project = project or copy_project(Path(tempfile.mkdtemp(dir=scratch)), source)
    _, result = timed([PYTHON, "-c", PROFILE, "--project", str(project), "--jobs", "1"], cwd=ROOT,
                      env={"PYTHONPATH": str(ROOT)})
    return child_report(result)


# -- the peers ------------------------------------------------------------------------------------------


def export_markdown(ast: str, target: Path) -> Path:
    """The document as plain Pandoc Markdown (what a user of Pandoc, Typst or Quarto would write)."""
    from councildoc.parse import pandoc_path

    data = json.loads(Path(ast).read_text(encoding="utf-8"))
    data["blocks"] = [b for b in data["blocks"] if b.get("t") != "RawBlock"]
    clean = target.with_suffix(".clean.json")
    clean.write_text(json.dumps(data), encoding="utf-8")
    subprocess.run([pandoc_path(), "-f", "json", "-t", "markdown", "-o", str(target), str(clean)], check=True)
    text = target.read_text(encoding="utf-8")
    text = re.sub(r"`<w:[^`]*`\{=openxml\}", "\t", text)
    text = re.sub(r"\{custom-style=\"[^\"]*\"( lang=\"[^\"]*\")?\}", "", text)
    text = re.sub(r"^:::+.*$", "", text, flags=re.M)
    target.write_text(text, encoding="utf-8")
    return target


TYPST = r"""
import sys, typst
typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]])
"""

BROWSER = r"""
// One Chromium, each edition in a new tab, laid out by Paged.js or Vivliostyle and printed to PDF.
// argv: node_modules, chromium, engine ("paged" | "vivliostyle"), asset (Paged.js's polyfill, or the
// Vivliostyle page), seconds allowed for one edition, the editions' print pages.
const [modules, chromium, engine, asset, seconds, ...pages] = process.argv.slice(2);
const puppeteer = require(modules + "/puppeteer-core");
let browser;
(async () => {
  browser = await puppeteer.launch({executablePath: chromium, headless: true, protocolTimeout: 300000,
                                    args: ["--no-sandbox", "--allow-file-access-from-files"]});
  for (const page of pages) {
    const tab = await browser.newPage();
    // An uncaught error in the page ends its layout (nothing would set the flag): fail at once, with it.
    let fail;
    const failed = new Promise((_, reject) => { fail = reject; });
    failed.catch(() => {});
    tab.on("pageerror", (e) => fail(new Error("PAGE ERROR " + String((e && e.message) || e).split("\n")[0])));
    if (engine === "paged") {
      // The polyfill lays the page out once it is added (the document has loaded), then calls after().
      await tab.evaluateOnNewDocument(() => {
        window.PagedConfig = {auto: true, after: () => { window.__laidOut = true; }};
      });
      await tab.goto("file://" + page, {waitUntil: "load"});
      await tab.addScriptTag({path: asset});
    } else {
      await tab.goto("file://" + asset + "#" + encodeURIComponent("file://" + page), {waitUntil: "load"});
    }
    await Promise.race([failed, tab.waitForFunction(() => window.__laidOut, {timeout: seconds * 1000, polling: 100})]);
    await tab.pdf({path: page + "." + engine + ".pdf", preferCSSPageSize: true, printBackground: true});
    await tab.close();
  }
})().then(() => browser.close(), async (e) => {
  console.error(String((e && e.message) || e));
  if (browser) await browser.close();
  process.exit(1);
});
"""

VIVLIOSTYLE = r"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Vivliostyle</title><style>html, body { margin: 0; padding: 0; }</style></head>
<body><div id="viewport" data-vivliostyle-viewer-viewport></div>
<script>var module = {exports: {}}, exports = module.exports;</script>
<script src="CORE"></script>
<script>
// @vivliostyle/core lays out the print page named after '#' (all its pages) in this page's viewport.
const vivliostyle = module.exports;
const viewer = new vivliostyle.CoreViewer({viewportElement: document.getElementById("viewport")},
                                         {renderAllPages: true, autoResize: false});
viewer.addListener("readystatechange", () => { if (viewer.readyState === "complete") window.__laidOut = true; });
viewer.loadDocument({url: decodeURIComponent(location.hash.slice(1))});
</script></body></html>
"""

BROWSER_SECONDS = 120
"""How long a browser peer may take for one edition before it is given up."""

PAGE_GROUP = re.compile(r"@page\s*:nth\([^()]*\bof\s+[\w-]+\s*\)\s*\{[^{}]*\}")
"""A CSS GCPM page-group rule (``@page :nth(1 of annex1) {…}``: the first page of the pages named
annex1), with which the print page restarts each annex's page numbers."""


def package_version(folder: Path) -> str:
    try:
        return json.loads((folder / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return "(unknown version)"


def find_node_module(name: str) -> Path | None:
    return next((base / name for base in NODE_MODULES if (base / name).is_dir()), None)


def chromium_version(chromium: str) -> str:
    try:
        out = subprocess.run([chromium, "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "Chromium"
    found = re.search(r"Chromium (\d+)", out)
    return f"Chromium {found[1]}" if found else "Chromium"


def write_browser_driver(folder: Path) -> Path:
    driver = folder / "browser.js"
    driver.write_text(BROWSER, encoding="utf-8")
    return driver


def write_vivliostyle_viewer(folder: Path, core: Path) -> Path:
    """The page in which @vivliostyle/core (``core``: its package folder) lays an edition out."""
    viewer = folder / "vivliostyle.html"
    viewer.write_text(VIVLIOSTYLE.replace("CORE", (core / "lib" / "vivliostyle.js").as_uri()), encoding="utf-8")
    return viewer


def lay_out_in_browser(driver: Path, puppeteer: Path, chromium: str, engine: str, asset: Path,
                       pages: list[str]) -> tuple[float, dict]:
    """Each print page laid out by ``engine`` in one Chromium and printed to ``<page>.<engine>.pdf``;
    the seconds and the PDFs' pages. Raises CalledProcessError (see :func:`browser_failure`)."""
    start = time.perf_counter()
    subprocess.run(["node", str(driver), str(puppeteer.parent), chromium, engine, str(asset), str(BROWSER_SECONDS),
                    *pages], capture_output=True, text=True, check=True, timeout=BROWSER_SECONDS * len(pages) + 120)
    return time.perf_counter() - start, {"pages": sum(pdf_pages(Path(f"{p}.{engine}.pdf")) for p in pages)}


def browser_failure(exc: Exception) -> str:
    """Why a browser peer did not make its PDFs, from what the driver said."""
    said = str(getattr(exc, "stderr", "") or "").strip()
    if isinstance(exc, subprocess.TimeoutExpired) or "Waiting failed" in said:
        return f"did not finish laying out an edition's print page within {BROWSER_SECONDS} s"
    error = re.search(r"PAGE ERROR (.*)", said)
    if error:
        return f"its script throws in the page and stops: `{error[1].strip()[:300]}`"
    return f"failed ({said[-300:] or exc})"


def without_page_groups(pages: list[str]) -> tuple[list[str], list[str]]:
    """Copies of the print pages without their page-group rules, beside them (so that they load the
    same styles and fonts), and the rules removed."""
    removed: list[str] = []
    copies = []
    for page in pages:
        text = Path(page).read_text(encoding="utf-8")
        removed += [rule for rule in PAGE_GROUP.findall(text) if rule not in removed]
        copy = Path(page).with_name(Path(page).stem + ".no-page-groups.html")
        copy.write_text(PAGE_GROUP.sub("", text), encoding="utf-8")
        copies.append(str(copy))
    return copies, removed


def weasyprint_alone(content: Content) -> tuple[float, dict]:
    """WeasyPrint laying out and writing each print page, one after another, in one process."""
    script = ("import sys, weasyprint\nfrom pathlib import Path\nfor p in sys.argv[1:]:\n"
              "    weasyprint.HTML(filename=p, base_url=str(Path(p).parent) + '/').write_pdf(p + '.alone.pdf', "
              "pdf_variant='pdf/ua-1')\n")  # tagged, as councildoc's PDF
    seconds, _ = timed([PYTHON, "-c", script, *content.pages], cwd=ROOT)
    return seconds, {"pages": sum(pdf_pages(Path(p + ".alone.pdf")) for p in content.pages)}


TEX_PACKAGES = ("texlive-xetex", "lmodern", "texlive-latex-recommended", "texlive-fonts-recommended")
"""What ``./setup.sh --bench-peers`` installs for the Pandoc → LaTeX peer (the same list as setup.sh's)."""


def tex_size() -> str:
    """What installing the LaTeX peer brings (from apt's own simulation and records)."""
    try:
        simulated = subprocess.run(["apt-get", "install", "-s", "--no-install-recommends", *TEX_PACKAGES],
                                   capture_output=True, text=True, timeout=120).stdout
        packages = sorted({line.split()[1] for line in simulated.splitlines() if line.startswith("Inst ")})
        shown = subprocess.run(["apt-cache", "show", "--no-all-versions", *packages], capture_output=True, text=True,
                               timeout=120).stdout if packages else ""
    except (OSError, subprocess.TimeoutExpired):
        return "of unknown size here"
    kilobytes = sum(int(line.split()[1]) for line in shown.splitlines() if line.startswith("Installed-Size:"))
    if not packages or not kilobytes:
        return "of unknown size here (apt-get update first)"
    return f"{len(packages)} Debian packages, {kilobytes / 1024:.0f} MB installed (without recommends)"


def peers(content: Content, repeats: int) -> tuple[dict, list[str]]:
    """The same editions through the tools a secretariat would try, one after another (as
    councildoc with ``--jobs 1``); each peer's PDF pages are counted as a check that it made one."""
    from councildoc.parse import pandoc_path

    found: dict[str, Sample] = {}
    skipped: list[str] = []
    found["WeasyPrint alone on our print pages (the PDF's floor; no DOCX)"] = fastest(
        lambda: weasyprint_alone(content), repeats)
    folder = Path(content.asts[0]).parent / "peers"
    folder.mkdir(exist_ok=True)
    markdowns = [export_markdown(ast, folder / (Path(ast).stem + ".md")) for ast in content.asts]
    font_dir = "/usr/share/fonts/truetype/liberation2"

    try:
        import typst  # noqa: F401

        def through_typst():
            start = time.perf_counter()
            for md in markdowns:
                typ = md.with_suffix(".typ")
                subprocess.run([pandoc_path(), str(md), "-s", "-t", "typst", "-o", str(typ), "-V", "papersize=a4",
                                "-V", "mainfont=Liberation Serif", "-V", "fontsize=12pt"], check=True)
                subprocess.run([PYTHON, "-c", TYPST, str(typ), str(md.with_suffix(".typst.pdf")), font_dir], check=True,
                               capture_output=True)
            pages = sum(pdf_pages(m.with_suffix(".typst.pdf")) for m in markdowns)
            return time.perf_counter() - start, {"pages": pages}
        found["Pandoc → Typst (PDF only)"] = fastest(through_typst, repeats)
    except ImportError:
        skipped.append("Pandoc → Typst: the typst package is not installed (pip install typst)")

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        docxs = [ast + ".docx" for ast in content.asts]
        if not all(Path(d).is_file() for d in docxs):
            floor_run(content, 1)

        def libreoffice():
            start = time.perf_counter()
            subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(folder), *docxs],
                           capture_output=True, check=True)
            return time.perf_counter() - start, {"pages": sum(pdf_pages(folder / (Path(d).stem + ".pdf"))
                                                              for d in docxs)}
        found["LibreOffice: our DOCX → PDF (PDF only)"] = fastest(libreoffice, repeats)
    else:
        skipped.append("LibreOffice: not installed (Debian: libreoffice-writer-nogui)")

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    puppeteer = find_node_module("puppeteer-core")
    pagedjs, vivliostyle = find_node_module("pagedjs"), find_node_module("@vivliostyle/core")
    if chromium and puppeteer:
        driver = write_browser_driver(folder)
        browser = chromium_version(chromium)

        def in_browser(engine: str, asset: Path, pages: list[str]):
            return lambda: lay_out_in_browser(driver, puppeteer, chromium, engine, asset, pages)
    failures = (subprocess.CalledProcessError, subprocess.TimeoutExpired)

    if chromium and puppeteer and pagedjs:
        name = f"Paged.js {package_version(pagedjs)} on {browser}"
        polyfill = pagedjs / "dist" / "paged.polyfill.js"
        try:
            found[f"{name}, our print HTML (PDF only)"] = fastest(in_browser("paged", polyfill, content.pages), repeats)
        except failures as exc:
            why = browser_failure(exc)
            # What it stops on was found by taking our CSS rules out one by one: the page-group rules.
            # Without them, and nothing else changed, it is measured again.
            adapted, rules = without_page_groups(content.pages)
            if rules and "throws" in why:
                shown = ", ".join(f"`{rule.split('{')[0].strip()}`" for rule in rules)
                try:
                    found[f"{name}, our print HTML without {shown} (so its annex is not numbered from 1) "
                          "(PDF only)"] = fastest(in_browser("paged", polyfill, adapted), repeats)
                    why = (f"stops on our CSS GCPM page-group rule ({shown}, which restarts the annex's page "
                           f"numbers): {why}; without that rule it finishes: measured in its own row")
                except failures as again:
                    why += f"; without the page-group rules ({shown}) it still fails: {browser_failure(again)}"
            skipped.append(f"{name}: {why}")
    else:
        skipped.append("Paged.js: needs chromium, puppeteer-core and pagedjs (setup.sh installs them into .tools/)")

    if chromium and puppeteer and vivliostyle:
        name = f"Vivliostyle {package_version(vivliostyle)} on {browser}"
        viewer = write_vivliostyle_viewer(folder, vivliostyle)
        try:
            found[f"{name}, our print HTML (PDF only)"] = fastest(in_browser("vivliostyle", viewer, content.pages),
                                                                  repeats)
        except failures as exc:
            skipped.append(f"{name}: {browser_failure(exc)}")
    else:
        skipped.append("Vivliostyle: needs chromium, puppeteer-core and @vivliostyle/core (setup.sh installs them "
                       "into .tools/)")

    if shutil.which("xelatex"):
        def latex():
            start = time.perf_counter()
            for md in markdowns:
                subprocess.run([pandoc_path(), str(md), "-o", str(md.with_suffix(".latex.pdf")), "--pdf-engine=xelatex",
                                "-V", "mainfont=Liberation Serif", "-V", "geometry:a4paper,margin=2.5cm"],
                               capture_output=True, check=True, cwd=folder)
            return time.perf_counter() - start, {"pages": sum(pdf_pages(md.with_suffix(".latex.pdf"))
                                                              for md in markdowns)}
        found["Pandoc → LaTeX (xelatex) (PDF only)"] = fastest(latex, repeats)
    else:
        skipped.append(f"Pandoc → LaTeX: no TeX engine here; `./setup.sh --bench-peers` installs it: "
                       f"{tex_size()}, for a peer only the benchmark uses")
    if shutil.which("quarto"):
        def quarto():
            start = time.perf_counter()
            for md in markdowns:
                subprocess.run(["quarto", "render", str(md), "--to", "typst"], capture_output=True, check=True)
            return time.perf_counter() - start
        found["Quarto (Typst PDF)"] = fastest(quarto, repeats)
    else:
        skipped.append("Quarto: not installable from the registries here: quarto-cli on PyPI is a 5 kB source "
                       "package whose setup.py downloads Quarto from github.com, which this machine cannot reach")
    return found, skipped


# -- the tables ---------------------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory_text = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
        memory_text = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, TypeError):
        pass
    from importlib import metadata

    return (f"{cpu}, {CORES} cores{memory_text}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; WeasyPrint {metadata.version('weasyprint')}; "
            f"pypandoc-binary {metadata.version('pypandoc-binary')}")


def row(*cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def status(met: bool, detail: str) -> str:
    return ("**met**: " if met else "**not met**: ") + detail


def tables(data: dict, smoke: bool, repeats: int, started: float) -> str:
    real = data["real"]
    out = [f"Machine: {machine()}.",
           f"Each time is the fastest of {repeats} run(s) of a whole process; *load* is the one-minute load "
           f"average just before that run (this machine has {CORES} cores). "
           + ("Smoke run: tiny documents, not figures to quote." if smoke else ""),
           f"The run took {(time.perf_counter() - started) / 60:.1f} minutes.", ""]
    editions = real["editions"]
    out += [f"### The build against the renderers alone ({', '.join(real['documents'])}: {editions} editions)", "",
            "The floor is WeasyPrint laying out and writing our print page of each edition (a tagged PDF/UA-1, "
            "the build's default), and Pandoc writing "
            "the DOCX from our AST of each edition, with nothing else: in one process for `--jobs 1`, spread "
            f"over {CORES} processes for `--jobs {CORES}`.", "",
            row("measurement", "seconds", "load", "× its floor", "notes"), row("---", "---:", "---:", "---:", "---")]
    for jobs in (1, CORES):
        build, floor = real[f"build-{jobs}"], real[f"floor-{jobs}"]
        layouts = f"; {len(build.info['layouts'])} WeasyPrint layouts for {editions} editions" if jobs == 1 else ""
        out.append(row(f"floor, {min(jobs, editions)} process(es)", floor, f"{floor.load:.2f}", "1.00",
                       f"peak {floor.info['rss_mb']:.0f} MB"))
        out.append(row(f"councildoc, full cold build, `--jobs {jobs}`", build, f"{build.load:.2f}",
                       f"{build.seconds / floor.seconds:.2f}",
                       f"HTML, PDF, DOCX, review text, side-by-side, index{layouts}"))
    pdf_only = real["pdf-only"]
    out.append(row(f"councildoc, {data['doc']} only, PDF only, `--jobs 1`", pdf_only, f"{pdf_only.load:.2f}", "–",
                   "what the peers below are compared with"))
    noop = real["no-op"]
    loaded = [m for m in noop.info["modules"] if m.split(".")[0] in ("weasyprint", "jinja2", "lxml")
              or m.startswith(("councildoc.writers", "councildoc.transforms"))]
    out.append(row("councildoc, rebuild with nothing changed", noop, f"{noop.load:.2f}", "–",
                   "loads " + (", ".join(loaded) if loaded else "no writer, transform, Jinja, lxml or WeasyPrint")))
    edit = real["one-word"]
    rebuilt = ", ".join(p.removeprefix("output/").replace(f"{data['doc']}/", "") for p in edit.info["written"])
    out.append(row("councildoc, one-word edit to the French edition", edit, f"{edit.load:.2f}", "–",
                   f"rewrote: {rebuilt}"))
    out.append("")

    prof = data.get("profile")
    if prof:
        out += [f"Where a `--jobs 1` build of {data['doc']} spends its time (cProfile, own time by package):", "",
                row("part", "share"), row("---", "---:")]
        out += [row(name, f"{share:.0%}") for name, share in prof["shares"].items()]
        out.append("")

    grown = data.get("growth", [])
    if grown:
        out += ["### Growth: one edition of 10 to 500 pages",
                "",
                "Synthetic Spanish documents made of MC/INF/298's paragraphs and notes, with a table (and its "
                "note) in every section and a figure in every other one; built with `--jobs 1` in every format, "
                "against the floor for the same edition (one WeasyPrint layout writing a tagged PDF/UA-1, as the "
                "build does, and one Pandoc run). Peak memory is the build's own process's resident set against "
                "the floor's own (WeasyPrint's, for the same layout). Pandoc runs in processes of its own (reading "
                "the source with positions, writing the DOCX): the last column is their peak as the kernel "
                "counts a child's, which starts from the build's own size when Pandoc is started.", "",
                row("pages", "build s", "load", "floor s", "load", "× floor", "s per page", "layouts",
                    "peak MB", "floor peak MB", "× WeasyPrint's", "Pandoc runs' peak MB"),
                row(*["---:"] * 12)]
        for g in grown:
            b, f = g["build"], g["floor"]
            out.append(row(g["pages"], b, f"{b.load:.2f}", f, f"{f.load:.2f}", f"{b.seconds / f.seconds:.2f}",
                           f"{b.seconds / g['pages']:.3f}", len(b.info["layouts"]), f"{b.info['rss_mb']:.0f}",
                           f"{f.info['rss_mb']:.0f}", f"{b.info['rss_mb'] / f.info['rss_mb']:.2f}",
                           f"{b.info['children_rss_mb']:.0f}"))
        out.append("")
        repaired = [g for g in grown if "kept" in g]
        if repaired:
            out += ["Every note on its call's page, two ways (the PDF alone, `--jobs 1`, one run each): the check "
                    "and repair passes alone (WeasyPrint's own layout, then the paragraphs concerned relaxed and "
                    "the whole edition laid out again until no note is off its call's page), and the first "
                    "layout with WeasyPrint's note-moving rule off (`writers/keep_notes.py`), checked the same way.",
                    "", row("pages", "repair passes: layouts", "seconds (each layout)", "load",
                            "notes kept: layouts", "seconds (each layout)", "load"), row(*["---:"] * 7)]
            for g in repaired:
                r, k = g["repair"], g["kept"]
                repair_cells = (("failed", "–", "–") if r is None else
                                (len(r.info["layouts"]), f"{r} ({', '.join(f'{x:.1f}' for x in r.info['layouts'])})",
                                 f"{r.load:.2f}"))
                out.append(row(g["pages"], *repair_cells, len(k.info["layouts"]),
                               f"{k} ({', '.join(f'{x:.1f}' for x in k.info['layouts'])})", f"{k.load:.2f}"))
            out.append("")

    mem = data.get("memory")
    if mem:
        w, c = mem["weasyprint"], mem["councildoc"]
        held = ", ".join(f"{k} {v:.0f} MB" for k, v in c["after_layout"].items() if v >= 1)
        out += [f"### Memory at {mem['pages']} pages (tracemalloc)", "",
                row("what", "peak traced MB", "held by package once the layout is done"), row("---", "---:", "---"),
                row("WeasyPrint alone on our print page (layout, then PDF)", f"{w['peak_mb']:.0f}",
                    ", ".join(f"{k} {v:.0f} MB" for k, v in w["after_layout"].items() if v >= 1)),
                row("councildoc's PDF writer, same edition (its page, layout, checks, PDF; the model held)",
                    f"{c['peak_mb']:.0f}", held),
                row("councildoc reading the same edition before (Pandoc's JSON, model, transforms)",
                    f"{c['reading_peak_mb']:.0f}", "–"),
                ""]

    pot = data.get("parts")
    if pot:
        one = pot["pdf-1"]

        def joins(sample: Sample) -> str:
            return ", ".join(f"{x:.2f}" for x in sample.info["joins"]) or "–"

        each = ", ".join(f"{k} {v:.1f} s" for k, v in pot["each"].items())
        out += [f"### One edition on {CORES} cores: its parts laid out at once", "",
                f"A synthetic document of {pot['pages']} pages whose last 40 % is in four annexes. By parts, the "
                "cover and body and each annex are laid out on their own and the PDFs joined (docs/pdf.md); at "
                f"`--jobs {CORES}` the edition's parts are laid out {CORES} at a time in forked processes, while the "
                "edition's own process writes its other formats (HTML, DOCX, review text, AKN). Peak "
                "memory is the build process's own peak resident set (`VmHWM`), beside the largest of its child "
                "processes' (`ru_maxrss`: Pandoc, the processes that lay parts out; a forked child counts the "
                "pages it shares with the build). WeasyPrint alone lays out and "
                "writes the same print page whole, and each part's page alone one after another in one process "
                "(the layouts a build by parts makes).", "",
                row("measurement", "seconds", "load", "× `--jobs 1`", "join s", "peak MB", "children's MB"),
                row("---", "---:", "---:", "---:", "---:", "---:", "---:")]
        for key, what in (("pdf-1-whole", "councildoc, PDF only, `--jobs 1`, one layout of the whole edition"),
                          ("pdf-1", "councildoc, PDF only, `--jobs 1`: by parts, one after another"),
                          (f"pdf-{CORES}", f"councildoc, PDF only, `--jobs {CORES}`: by parts, at once"),
                          ("all-1", "councildoc, every format, `--jobs 1`"),
                          (f"all-{CORES}-after", f"councildoc, every format, `--jobs {CORES}`: the parts at once, "
                                                 "the other formats after them"),
                          (f"all-{CORES}", f"councildoc, every format, `--jobs {CORES}`: the other formats written "
                                           "while the parts are laid out")):
            sample = pot[key]
            base = pot["all-1"] if key.startswith("all") else one
            out.append(row(what, sample, f"{sample.load:.2f}", f"{sample.seconds / base.seconds:.2f}", joins(sample),
                           f"{sample.info['own_mb']:.0f}", f"{sample.info['children_rss_mb']:.0f}"))
        sample = pot["check"]
        out.append(row("councildoc `check`: the edition read and checked, nothing laid out", sample,
                       f"{sample.load:.2f}", "–", "–", f"{sample.info['own_mb']:.0f}", "–"))
        for key, what in (("weasyprint-whole", "WeasyPrint alone, the whole page"),
                          ("weasyprint-parts", f"WeasyPrint alone, each part's page ({each})")):
            sample = pot[key]
            out.append(row(what, sample, f"{sample.load:.2f}", "–", "–", f"{sample.info['rss_mb']:.0f}", "–"))
        out += ["", "The size of each real edition's PDF, one layout against by parts joined (each part embeds the "
                "subsets of the fonts it uses):", "", row("edition", "one layout, bytes", "joined, bytes", "×"),
                row("---", "---:", "---:", "---:")]
        for edition, (alone, joined) in pot["sizes"].items():
            out.append(row(edition, f"{alone:,}", f"{joined:,}", f"{joined / alone:.2f}"))
        out.append("")

    crowd = data.get("many")
    if crowd:
        n, e = crowd["no-op"], crowd["one-word"]
        others = [p for p in e.info["written"] if crowd["edited"].split("/")[0] not in p
                  and p not in ("output/index.html", "output/manifest.json")]
        out += [f"### Many documents: {crowd['documents']} documents × {crowd['editions'] // crowd['documents']} "
                "editions", "",
                row("measurement", "seconds", "load", "notes"), row("---", "---:", "---:", "---"),
                row(f"cold build, `--jobs {CORES}`", crowd["cold"], f"{crowd['cold'].load:.2f}",
                    f"{crowd['editions']} editions in every format"),
                row("rebuild with nothing changed", n, f"{n.load:.2f}", "reads each document.yaml and hashes each "
                    "source; parses none (no Pandoc run)"),
                row(f"one-word edit to {crowd['edited']}", e, f"{e.load:.2f}",
                    f"rewrote {len(e.info['written'])} files: "
                    + ", ".join(p.removeprefix("output/") for p in e.info["written"])
                    + ("" if not others else f"; OTHER DOCUMENTS' FILES: {others}")), "",
                "Where the rebuild with nothing changed spends its time (cProfile, own time by package):", "",
                row("part", "share"), row("---", "---:")]
        out += [row(name, f"{share:.0%}") for name, share in crowd["profile"]["shares"].items()] + [""]

    peer_times, skipped = data.get("peers", ({}, []))
    if peer_times or skipped:
        out += [f"### Peers on the same editions of {data['doc']}", "",
                "Each peer makes only a PDF, one edition after another, so it is compared with councildoc making "
                f"only the PDFs of the same editions (`--format pdf --jobs 1`: {pdf_only} s, load "
                f"{pdf_only.load:.2f}). A ratio under 1 means councildoc is faster.", "",
                row("peer", "seconds", "load", "PDF pages", "councildoc ÷ peer"),
                row("---", "---:", "---:", "---:", "---:")]
        for name, sample in peer_times.items():
            out.append(row(name, sample, f"{sample.load:.2f}", sample.info.get("pages", "–"),
                           f"{pdf_only.seconds / sample.seconds:.2f}"))
        out += [row(f"~~{s.split(':')[0]}~~", "–", "–", "–", "skipped: " + s.split(":", 1)[1].strip())
                for s in skipped]
        out.append("")

    out += targets(data)
    return "\n".join(out) + "\n"


def targets(data: dict) -> list[str]:
    real = data["real"]
    lines = ["### The targets", "", row("target", "status"), row("---", "---")]
    ratios = [f"`--jobs {j}` {real[f'build-{j}'].seconds / real[f'floor-{j}'].seconds:.2f}×" for j in (1, CORES)]
    worst = max(real[f"build-{j}"].seconds / real[f"floor-{j}"].seconds for j in (1, CORES))
    grown = data.get("growth", [])
    by_size = [f"{g['pages']} p. {g['build'].seconds / g['floor'].seconds:.2f}×" for g in grown]
    worst_growth = max((g["build"].seconds / g["floor"].seconds for g in grown), default=0)
    lines.append(row("full build within 1.15× the honest floor", status(
        max(worst, worst_growth) <= 1.15, f"the {real['editions']} real editions: {', '.join(ratios)}"
        + (f"; one edition, `--jobs 1`: {', '.join(by_size)}" if by_size else ""))))
    if grown:
        per_page = [g["build"].seconds / g["pages"] for g in grown]
        spread = max(per_page) / min(per_page) - 1
        lines.append(row("time per page flat within 20 % from 10 to 500 pages", status(
            spread <= 0.20, f"varies by {spread:.0%} ({', '.join(f'{p:.3f}' for p in per_page)} s a page)")))
        memory_ratio = max(g["build"].info["rss_mb"] / g["floor"].info["rss_mb"] for g in grown)
        at_200 = [g for g in grown if g["asked"] == 200]
        lines.append(row("peak memory ≤ 1.2× WeasyPrint's own for the same layout", status(
            memory_ratio <= 1.2, f"at most {memory_ratio:.2f}× (resident sets, table above)")))
        if at_200:
            peak = at_200[0]["build"].info["rss_mb"]
            lines.append(row("peak memory under 400 MB at 200 pages", status(peak < 400, f"{peak:.0f} MB")))
    pot = data.get("parts")
    if pot:
        ratio = pot[f"all-{CORES}"].seconds / pot["all-1"].seconds  # the edition: every format
        lines.append(row(f"one 200-page edition on {CORES} cores in ≤ 0.65× its one-core time", status(
            ratio <= 0.65, f"{pot['pages']} pages, every format: {ratio:.2f}× (`--jobs {CORES}` against `--jobs 1`; "
                           f"the other formats after the PDF instead of meanwhile: "
                           f"{pot[f'all-{CORES}-after'].seconds / pot['all-1'].seconds:.2f}×); PDF only: "
                           f"{pot[f'pdf-{CORES}'].seconds / pot['pdf-1'].seconds:.2f}× "
                           f"({pot[f'pdf-{CORES}'].seconds / pot['pdf-1-whole'].seconds:.2f}× one layout); "
                           f"largest part {max(pot['each'].values()):.1f} s of {pot['weasyprint-whole'].seconds:.1f} s "
                           "for WeasyPrint alone")))
        rss, own = pot["pdf-1"].info["own_mb"], pot["weasyprint-parts"].info["rss_mb"]
        lines.append(row("by parts: peak memory ≤ 1.2× WeasyPrint's own for the same layouts, under 400 MB at "
                         "200 pages", status(rss <= 1.2 * own and rss < 400,
                                             f"{rss:.0f} MB, {rss / own:.2f}× WeasyPrint's {own:.0f} MB for the parts' "
                                             f"pages one after another (one layout: "
                                             f"{pot['pdf-1-whole'].info['own_mb']:.0f} MB, WeasyPrint's "
                                             f"{pot['weasyprint-whole'].info['rss_mb']:.0f} MB)")))
    crowd = data.get("many")
    if crowd:
        noop = crowd["no-op"].seconds
        lines.append(row(f"no-op rebuild of {crowd['documents']} documents × "
                         f"{crowd['editions'] // crowd['documents']} editions under 0.5 s",
                         status(noop < 0.5, f"{noop:.2f} s")))
        written = crowd["one-word"].info["written"]
        only = all(crowd["edited"] in p or p in ("output/index.html", "output/manifest.json")
                   or p.endswith(".side-by-side.html") and crowd["edited"].split("/")[0] in p for p in written)
        lines.append(row("a one-word edit rebuilds only that edition's outputs", status(
            only, f"{len(written)} files rewritten (the edition's formats, its document's side-by-side view, "
                  "the index and manifest)")))
    peer_times, _ = data.get("peers", ({}, []))
    if peer_times:
        pdf_only = real["pdf-only"].seconds
        slower = [n for n, s in peer_times.items() if s.seconds < pdf_only and not n.startswith("WeasyPrint alone")]
        lines.append(row("faster than every peer that makes a comparable PDF", status(
            not slower, "slower than " + ", ".join(slower) if slower else "every peer measured is slower")))
    lines.append("")
    return lines


def smoke_source(scratch: Path) -> Path:
    source = scratch / "smoke-source"
    (source / DOC).mkdir(parents=True)
    (source / DOC / "document.yaml").write_text((ROOT / "source" / DOC / "document.yaml").read_text())
    for lang, title in (("es", "Prueba"), ("fr", "Essai")):
        (source / DOC / f"{lang}.md").write_text(
            f"---\nlang: {lang}\ntitle: {title}\nsession-title: X\n---\n\n# S\n\nattachée.[^a]\n\n[^a]: Nota.\n",
            encoding="utf-8")
    return source


def write_docs(text: str, doc: Path) -> None:
    current = doc.read_text(encoding="utf-8")
    updated = current[:current.index(START) + len(START)] + "\n" + text + current[current.index(END):]
    doc.write_text(updated, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="tiny documents, one repeat")
    parser.add_argument("--write-docs", action="store_true", help="write the tables into docs/performance.md")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "performance.md", help=argparse.SUPPRESS)
    parser.add_argument("--sizes", default="10,50,200,500", help="the synthetic documents' pages (growth)")
    parser.add_argument("--skip", default="", help="comma-separated sections to leave out (while developing): "
                        "profile,growth,memory,parts,many,peers")
    args = parser.parse_args()
    started = time.perf_counter()
    repeats = 1 if args.smoke else args.repeats
    skip = set(filter(None, args.skip.split(",")))
    sizes = [2, 4] if args.smoke else [int(n) for n in args.sizes.split(",")]
    data: dict = {"doc": DOC}

    def say(what: str) -> None:
        print(f"[{(time.perf_counter() - started) / 60:5.1f} min, load {load_now():.2f}] {what}", file=sys.stderr,
              flush=True)

    with tempfile.TemporaryDirectory(prefix="councildoc-bench-") as scratch_name:
        scratch = Path(scratch_name)
        source = smoke_source(scratch) if args.smoke else None
        say("the real document")
        data["real"] = real_documents(scratch, repeats, source, DOC)
        if "profile" not in skip:
            say("profile")
            data["profile"] = profile(scratch, source)
        if "growth" not in skip:
            say(f"growth {sizes}")
            data["growth"] = growth(scratch, sizes, max(1, min(repeats, 2)), tuple(sizes[:3]))
        if "memory" not in skip:
            say("memory")
            data["memory"] = memory(scratch, 3 if args.smoke else 200)
        if "parts" not in skip:
            say("parts")
            data["parts"] = by_parts(scratch, 4 if args.smoke else 200, 4, 1 if args.smoke else min(repeats, 2))
            data["parts"]["sizes"] = joined_sizes(scratch, source)
        if "many" not in skip:
            say("many documents")
            data["many"] = many(scratch, 3 if args.smoke else 100, ("en", "fr") if args.smoke else ("en", "es", "fr"),
                                repeats)
        if "peers" not in skip:
            say("peers")
            try:
                data["peers"] = ({}, ["peers: not measured in a smoke run"]) if args.smoke else peers(
                    data["real"]["content"], repeats)
            except Exception as exc:  # noqa: BLE001 - a peer's failure must not lose the run's other tables
                data["peers"] = ({}, [f"peers: the run failed ({type(exc).__name__}: {str(exc)[:200]})"])
        text = tables(data, args.smoke, repeats, started)
    print(text)
    if args.write_docs:
        write_docs(text, args.docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
