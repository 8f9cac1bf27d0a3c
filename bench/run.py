#!/usr/bin/env python3
"""councildoc's benchmark: the build against the raw renderers and the tools users would pick instead.

    .venv/bin/python bench/run.py                 # the full run (about ten minutes)
    .venv/bin/python bench/run.py --write-docs    # … and keep the table in docs/performance.md
    .venv/bin/python bench/run.py --smoke         # one tiny document, one repeat (what the tests run)

Times are medians of ``--repeats`` runs, measured with ``time.perf_counter`` around whole
processes (start-up included, as a user pays it); peak memory is the largest resident set of
the process and its children (``resource``). Peers that cannot be installed on the machine
are skipped with a line that says why. Nothing here asserts a time: the table is the result.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DOC = "mc-inf-298"


# -- helpers ------------------------------------------------------------------------------------


def run(args: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    return time.perf_counter() - start, result


def median_time(action, repeats: int) -> float:
    return statistics.median(action() for _ in range(repeats))


def copy_project(target: Path, source_dir: Path | None = None) -> Path:
    for folder in ("templates", "styles"):
        shutil.copytree(ROOT / folder, target / folder)
    shutil.copytree(source_dir or ROOT / "source", target / "source")
    return target


def build(project: Path, *extra: str) -> tuple[float, subprocess.CompletedProcess]:
    elapsed, result = run([PYTHON, str(ROOT / "build.py"), "--project", str(project), *extra])
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stderr}")
    return elapsed, result


MEASURE = """
import resource, sys, time
sys.argv = ["build.py"] + sys.argv[1:]
start = time.perf_counter()
from councildoc.cli import main
status = main(sys.argv[1:])
elapsed = time.perf_counter() - start
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("MEASURE", elapsed, max(own, children), status)
"""


def build_with_memory(project: Path, *extra: str) -> tuple[float, float]:
    """Seconds and peak resident megabytes of one build (its worker processes included)."""
    _, result = run([PYTHON, "-c", MEASURE, "--project", str(project), *extra], cwd=ROOT)
    line = next(line for line in result.stdout.splitlines() if line.startswith("MEASURE"))
    _, seconds, peak_kb, status = line.split()
    if status != "0":
        raise SystemExit(f"build failed:\n{result.stderr}")
    return float(seconds), int(peak_kb) / 1024


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, TypeError):
        pass
    from importlib import metadata

    return (f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; WeasyPrint {metadata.version('weasyprint')}; "
            f"pypandoc-binary {metadata.version('pypandoc-binary')}")


# -- what is measured -----------------------------------------------------------------------------


def councildoc_builds(scratch: Path, repeats: int, source: Path | None) -> dict:
    cores = str(os.cpu_count() or 1)
    rows = {}
    for jobs in ("1", cores):
        def cold(jobs=jobs) -> float:
            project = copy_project(Path(tempfile.mkdtemp(dir=scratch)), source)
            return build(project, "--jobs", jobs)[0]
        rows[f"jobs={jobs}"] = median_time(cold, repeats)
    project = copy_project(Path(tempfile.mkdtemp(dir=scratch)), source)
    build(project)
    rows["no-op"] = median_time(lambda: build(project)[0], repeats)
    edited = project / "source" / DOC / "fr.md"
    written: list[str] = []

    def one_word() -> float:
        text = edited.read_text(encoding="utf-8")
        text = text.replace("très attachée", "attachée", 1) if "très attachée" in text else text.replace(
            "attachée", "très attachée", 1)
        edited.write_text(text, encoding="utf-8")
        elapsed, result = build(project)
        written[:] = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("wrote")]
        return elapsed

    if edited.is_file():
        rows["one-word edit (fr)"] = median_time(one_word, repeats)
        rows["rebuilt"] = sorted(written)
    return rows


FLOOR = """
import json, sys, time, subprocess
from pathlib import Path
pages, asts, reference, pandoc = json.loads(sys.argv[1])
start = time.perf_counter()
from weasyprint import HTML
for page in pages:
    HTML(filename=page, base_url=str(Path(page).parent) + "/").write_pdf()
weasy = time.perf_counter() - start
start = time.perf_counter()
for ast in asts:
    subprocess.run([pandoc, "--sandbox", "-f", "json", "-t", "docx", "--reference-doc", reference, "-o",
                    ast + ".docx", ast], check=True)
print(json.dumps({"weasyprint": weasy, "pandoc": time.perf_counter() - start}))
"""


def floor(scratch: Path, repeats: int, source: Path | None) -> dict:
    """WeasyPrint alone on our print HTML, Pandoc alone on our AST: what no build can go below."""
    sys.path.insert(0, str(ROOT))
    from councildoc.parse import pandoc_path
    from councildoc.pipeline import Project, load_edition, load_info
    from councildoc.writers.docx import build_reference, to_pandoc
    from councildoc.writers.html import make_environment, write_html
    from councildoc.writers.pdf import PRINT_STYLESHEET

    project = Project(copy_project(Path(tempfile.mkdtemp(dir=scratch)), source))
    environment = make_environment(project.templates_dir)
    stylesheet = (project.styles_dir / PRINT_STYLESHEET).read_text(encoding="utf-8")
    pages, asts = [], []
    for sources in project.documents():
        info, _ = load_info(project, sources)
        for lang in sources.editions:
            document, _ = load_edition(project, sources, info, lang)
            page = project.styles_dir / f"print-{lang}.html"
            page.write_text(write_html(document, environment, stylesheet, for_print=True), encoding="utf-8")
            ast = project.root / f"ast-{lang}.json"
            ast.write_text(json.dumps(to_pandoc(document)), encoding="utf-8")
            pages.append(str(page))
            asts.append(str(ast))
    reference = project.root / "reference.docx"
    reference.write_bytes(build_reference(project.styles_dir))
    argument = json.dumps([pages, asts, str(reference), pandoc_path()])
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        _, result = run([PYTHON, "-c", FLOOR, argument], cwd=ROOT)
        total = time.perf_counter() - start
        parts = json.loads(result.stdout)
        samples.append((total, parts["weasyprint"], parts["pandoc"]))
    return {
        "floor": statistics.median(s[0] for s in samples),
        "weasyprint": statistics.median(s[1] for s in samples),
        "pandoc": statistics.median(s[2] for s in samples),
        "pages": pages,
        "asts": asts,
        "project": project.root,
    }


def export_markdown(ast: str, target: Path) -> Path:
    """The document as plain Pandoc Markdown (what a user of Pandoc or Quarto would write)."""
    from councildoc.parse import pandoc_path

    data = json.loads(Path(ast).read_text(encoding="utf-8"))
    data["blocks"] = [b for b in data["blocks"] if b.get("t") != "RawBlock"]
    clean = target.with_suffix(".json")
    clean.write_text(json.dumps(data), encoding="utf-8")
    subprocess.run([pandoc_path(), "-f", "json", "-t", "markdown", "-o", str(target), str(clean)], check=True)
    text = target.read_text(encoding="utf-8")
    text = re.sub(r"`<w:[^`]*`\{=openxml\}", "\t", text)
    text = re.sub(r"\{custom-style=\"[^\"]*\"( lang=\"[^\"]*\")?\}", "", text)
    text = re.sub(r"^:::+.*$", "", text, flags=re.M)
    target.write_text(text, encoding="utf-8")
    return target


def peers(scratch: Path, repeats: int, floor_data: dict) -> tuple[dict, list[str]]:
    from councildoc.parse import pandoc_path

    found, skipped = {}, []
    markdowns = [export_markdown(ast, Path(ast).with_suffix(".md")) for ast in floor_data["asts"]]
    if shutil.which("xelatex"):
        def latex() -> float:
            start = time.perf_counter()
            for md in markdowns:
                result = subprocess.run([pandoc_path(), str(md), "-o", str(md.with_suffix(".latex.pdf")),
                                         "--pdf-engine=xelatex", "-V", "mainfont=Liberation Serif",
                                         "-V", "geometry:a4paper,margin=2.5cm"], capture_output=True, text=True,
                                        cwd=md.parent)  # TeX leaves its logs where it runs
                if result.returncode != 0:
                    raise RuntimeError(result.stderr[-400:])
            return time.perf_counter() - start
        try:
            found["Pandoc → PDF through LaTeX (xelatex)"] = median_time(latex, repeats)
        except RuntimeError as exc:
            skipped.append(f"Pandoc + xelatex: failed ({exc})")
    else:
        skipped.append("Pandoc + LaTeX: xelatex is not installed (Debian: texlive-xetex, about 500 MB)")
    if shutil.which("quarto"):
        def quarto() -> float:
            start = time.perf_counter()
            for md in markdowns:
                qmd = md.with_suffix(".qmd")
                shutil.copy(md, qmd)
                for fmt in ("pdf", "docx", "html"):
                    subprocess.run(["quarto", "render", str(qmd), "--to", fmt], capture_output=True, check=True)
            return time.perf_counter() - start
        found["Quarto (PDF, DOCX, HTML)"] = median_time(quarto, repeats)
    else:
        skipped.append("Quarto: the quarto-cli package cannot be installed here: its install downloads Quarto "
                       "from github.com, which this machine cannot reach")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        docxs = sorted(floor_data["project"].glob("*.json.docx"))

        def libreoffice() -> float:
            start = time.perf_counter()
            for docx in docxs:
                subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(docx.parent),
                                str(docx)], capture_output=True, check=True)
            return time.perf_counter() - start
        found["LibreOffice: our DOCX → PDF"] = median_time(libreoffice, repeats)
    else:
        skipped.append("LibreOffice: not installed (Debian: libreoffice-writer-nogui)")
    return found, skipped


def synthetic(pages: int, target: Path) -> Path:
    """A Spanish document of about ``pages`` pages, made of MC/INF/298's own paragraphs and notes."""
    source = (ROOT / "source" / DOC / "es.md").read_text(encoding="utf-8")
    front, _, body = source.partition("\n---\n")
    body = body.split("::: {.annex")[0]
    blocks = [b.strip() for b in body.split("\n\n") if b.strip() and not b.strip().startswith("#")]
    paragraphs = [b for b in blocks if not b.startswith("[^")]
    notes = {re.match(r"\[\^([^\]]+)\]:", b)[1]: b for b in blocks if b.startswith("[^")}
    out = [front + "\n---\n"]
    per_page = 5  # the Spanish body sets about five paragraphs and three notes a page
    count = 0
    for section in range(1, pages // 4 + 2):
        out.append(f"# Sección {section}")
        for _ in range(4 * per_page):
            if count >= pages * per_page:
                break
            paragraph = paragraphs[count % len(paragraphs)]
            calls = re.findall(r"\[\^([^\]]+)\]", paragraph)
            renamed = paragraph
            defs = []
            for label in calls:
                renamed = renamed.replace(f"[^{label}]", f"[^{label}-{count}]")
                definition = notes[label].replace(f"[^{label}]:", f"[^{label}-{count}]:", 1)
                definition = re.sub(r"@note:[\w-]+", "8", definition)
                defs.append(definition)
            out += [re.sub(r"@annex:field", "Anexo", renamed), *defs]
            count += 1
        if count >= pages * per_page:
            break
    folder = target / "source" / "synthetic"
    folder.mkdir(parents=True)
    (folder / "document.yaml").write_text((ROOT / "source" / DOC / "document.yaml").read_text(), encoding="utf-8")
    (folder / "es.md").write_text("\n\n".join(out) + "\n", encoding="utf-8")
    return target / "source"


def growth(scratch: Path, sizes: list[int]) -> list[dict]:
    import pypdf

    rows = []
    for pages in sizes:
        target = Path(tempfile.mkdtemp(dir=scratch))
        source = synthetic(pages, target)
        project = copy_project(target / "p", source)
        seconds, peak = build_with_memory(project, "--jobs", "1", "--format", "html,pdf,docx")
        printed = len(pypdf.PdfReader(project / "output/synthetic/es/synthetic.pdf").pages)
        rows.append({"pages": printed, "seconds": seconds, "per_page": seconds / printed, "peak_mb": peak})
    return rows


# -- the table --------------------------------------------------------------------------------------


def table(ours: dict, floor_data: dict, peer_times: dict, skipped: list[str], grown: list[dict],
          repeats: int, smoke: bool) -> str:
    cores = str(os.cpu_count() or 1)
    floor_s = floor_data["floor"]
    lines = [
        f"Machine: {machine()}.",
        f"Medians of {repeats} run(s); " + ("two tiny editions (smoke run)" if smoke else
                                            f"every edition of {DOC} (es, en, fr)") +
        " in HTML, PDF, DOCX and review text unless said.",
        "",
        "| measurement | seconds | × floor | notes |",
        "| --- | ---: | ---: | --- |",
        f"| floor: WeasyPrint alone on our print HTML + Pandoc alone on our AST | {floor_s:.2f} | 1.00 | "
        f"WeasyPrint {floor_data['weasyprint']:.2f} s, Pandoc {floor_data['pandoc']:.2f} s, one process |",
        f"| councildoc, full cold build, --jobs 1 | {ours['jobs=1']:.2f} | {ours['jobs=1'] / floor_s:.2f} | "
        "start-up, reading, numbering, HTML, PDF, DOCX, text, index |",
        f"| councildoc, full cold build, --jobs {cores} | {ours[f'jobs={cores}']:.2f} | "
        f"{ours[f'jobs={cores}'] / floor_s:.2f} | the machine's cores |",
        f"| councildoc, rebuild with nothing changed | {ours['no-op']:.2f} | – | target < 0.3 s |",
    ]
    if "one-word edit (fr)" in ours:
        rebuilt = ", ".join(Path(p).name if "/fr/" not in p else f"fr/{Path(p).name}" for p in ours["rebuilt"])
        lines.append(f"| councildoc, one-word edit to the French edition | {ours['one-word edit (fr)']:.2f} | – | "
                     f"rebuilt: {rebuilt} |")
    for name, seconds in peer_times.items():
        versus = ours[f"jobs={cores}"] / seconds
        lines.append(f"| {name} | {seconds:.2f} | {seconds / floor_s:.2f} | councildoc takes {versus:.2f}× its time |")
    for line in skipped:
        lines.append(f"| ~~{line.split(':')[0]}~~ | – | – | skipped: {line.split(':', 1)[1].strip()} |")
    if grown:
        lines += ["", "| synthetic document | pages | seconds | seconds per page | peak memory (MB) |",
                  "| --- | ---: | ---: | ---: | ---: |"]
        for row in grown:
            lines.append(f"| {row['pages']} pages (HTML, PDF, DOCX; --jobs 1) | {row['pages']} | "
                         f"{row['seconds']:.2f} | {row['per_page']:.3f} | {row['peak_mb']:.0f} |")
        spread = max(r["per_page"] for r in grown) / min(r["per_page"] for r in grown) - 1
        lines.append("")
        lines.append(f"Time per page varies by {spread:.0%} from the smallest to the largest document.")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="one tiny document, one repeat, no peers")
    parser.add_argument("--write-docs", action="store_true", help="keep the table in docs/performance.md")
    args = parser.parse_args()
    repeats = 1 if args.smoke else args.repeats
    with tempfile.TemporaryDirectory(prefix="councildoc-bench-") as scratch_name:
        scratch = Path(scratch_name)
        source = None
        if args.smoke:
            source = scratch / "smoke-source"
            (source / DOC).mkdir(parents=True)
            (source / DOC / "document.yaml").write_text((ROOT / "source" / DOC / "document.yaml").read_text())
            for lang, title in (("es", "Prueba"), ("fr", "Essai")):
                (source / DOC / f"{lang}.md").write_text(
                    f"---\nlang: {lang}\ntitle: {title}\nsession-title: X\n---\n\n# S\n\nattachée.[^a]\n\n[^a]: Nota.\n",
                    encoding="utf-8")
        ours = councildoc_builds(scratch, repeats, source)
        floor_data = floor(scratch, repeats, source)
        peer_times, skipped = ({}, ["peers: not measured in a smoke run"]) if args.smoke else peers(
            scratch, repeats, floor_data)
        grown = [] if args.smoke else growth(scratch, [10, 50, 200])
        text = table(ours, floor_data, peer_times, skipped, grown, repeats, args.smoke)
    print(text)
    if args.write_docs:
        doc = ROOT / "docs" / "performance.md"
        current = doc.read_text(encoding="utf-8")
        start, end = "<!-- bench:start -->", "<!-- bench:end -->"
        updated = current[:current.index(start) + len(start)] + "\n" + text + current[current.index(end):]
        doc.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
