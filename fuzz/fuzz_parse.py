#!/usr/bin/env python3
"""Fuzz councildoc's reading, parsing and checking with generated and mutated sources.

Kept out of the test run: ``python fuzz/fuzz_parse.py --runs 100000 --jobs 2``.
Each source goes through what a build does before writing — decode the bytes,
parse the front matter and (with Pandoc) the Markdown, number, resolve, check —
and must come out as a document or as diagnostics, never as an exception.
Sources that raise are saved in fuzz/crashes/ with the traceback. The summary
(runs, time, crashes, diagnostics seen) is printed as JSON; ``--write-docs`` also writes it, as
tables, into docs/reliability.md between its ``fuzz:start`` and ``fuzz:end`` markers.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import hashlib
import json
import multiprocessing
import random
import re
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from councildoc.diagnostics import has_errors  # noqa: E402
from councildoc.parse import DocumentInfo, parse_edition  # noqa: E402
from councildoc.read import read_source  # noqa: E402
from councildoc.transforms import apply_transforms  # noqa: E402

INFO = DocumentInfo("MC/FUZZ/1", datetime.date(2026, 11, 28), 117, "en")
CRASHES = Path(__file__).parent / "crashes"
TOKENS = [
    "*", "**", "_", "[^a]", "[^b]:", "[^a]: note", "@note:a", "@para:x", "@sec:s", "@annex:z", "@fig:1",
    ":::", "::: {.annex #annex:z}", "::: {.annex lang=xx}", "{#sec:s}", "{#para:x}", "{.unnumbered}",
    "{.numbered}", "{style=x}", "[Term]{.entry}", "[x]{lang=fr}", "[", "]", "(", ")", "\n\n", "\n", "# ",
    "## ", "### ", "> ", "- ", "1. ", "    ", "<b>", "</b>", "<script>", "`", "```", "```{=html}", "{=latex}",
    "---", "...", "\\", "<http://x.org>", "[l](../x)", "![i](file:///etc/passwd)", "|a|b|\n|-|-|",
    "{{ x }}", "{% y %}", "\u00a0", "\u202f", "«", "»", "“", "\x00", "\r", "\r\n", "\ufeff", "é", "𝔘",
    "lang: fr", "title: [a]", "title-note: x", "session-title: y",
]


def seeds() -> list[bytes]:
    found = [p.read_bytes() for p in sorted((ROOT / "tests/corpus").glob("*.md"))]
    for edition in sorted((ROOT / "source").glob("*/*.md")):
        text = edition.read_text(encoding="utf-8")
        front, _, body = text.partition("\n---\n")
        blocks = body.split("\n\n")
        for start in range(0, len(blocks), 6):
            found.append((front + "\n---\n\n" + "\n\n".join(blocks[start:start + 6])).encode())
    return found


def mutate(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    text = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        choice = rng.random()
        position = rng.randint(0, len(text))
        if choice < 0.35:
            text[position:position] = rng.choice(TOKENS).encode()
        elif choice < 0.5 and text:
            end = min(len(text), position + rng.randint(1, 40))
            del text[position:end]
        elif choice < 0.6 and text:
            text[min(position, len(text) - 1)] = rng.randrange(256)
        elif choice < 0.75:
            other = rng.choice(pool)
            start = rng.randint(0, len(other))
            text[position:position] = other[start:start + rng.randint(1, 200)]
        elif choice < 0.85 and text:
            end = min(len(text), position + rng.randint(1, 80))
            text[position:position] = text[position:end]
        else:
            lines = bytes(text).split(b"\n")
            rng.shuffle(lines) if rng.random() < 0.2 else lines.reverse() if rng.random() < 0.1 else None
            text = bytearray(b"\n".join(lines))
    return bytes(text)


def generate(rng: random.Random) -> bytes:
    """A source made from tokens alone."""
    parts = ["---\nlang: en\ntitle: Generated\n---\n\n"] if rng.random() < 0.9 else []
    parts += [rng.choice(TOKENS + ["word", "Text.", "Paragraph text here."]) for _ in range(rng.randint(1, 60))]
    return " ".join(parts).encode()


def check_one(data: bytes, scratch: Path) -> tuple[str, list[str]]:
    """('ok'|'errors'|'crash', messages)."""
    path = scratch / "en.md"
    path.write_bytes(data)
    try:
        source, diagnostics = read_source(path, scratch)
        if source is None:
            return "errors", [d.message for d in diagnostics]
        lang = re.search(r"^lang:\s*(\S+)", source.text, re.M)
        document, found = parse_edition(source, INFO, "fuzz", lang[1] if lang else "en")
        diagnostics += found
        if document is not None:
            # Stricter than a build, which stops at parse errors: the transforms must survive them too.
            document, found = apply_transforms(document)
            diagnostics += found
        return ("errors" if has_errors(diagnostics) else "ok"), [d.message for d in diagnostics]
    except Exception:  # noqa: BLE001 - what the fuzzer is looking for
        return "crash", [traceback.format_exc()]


def worker(args: tuple[int, int, int]) -> dict:
    index, runs, seed = args
    rng = random.Random(seed + index)
    pool = seeds()
    scratch = Path(f"/tmp/councildoc-fuzz-{index}")
    scratch.mkdir(exist_ok=True)
    outcome = collections.Counter()
    messages = collections.Counter()
    crashes = []
    for _ in range(runs):
        data = generate(rng) if rng.random() < 0.2 else mutate(rng.choice(pool), rng, pool)
        status, found = check_one(data, scratch)
        outcome[status] += 1
        if status == "crash":
            digest = hashlib.sha256(data).hexdigest()[:16]
            CRASHES.mkdir(exist_ok=True)
            (CRASHES / f"{digest}.md").write_bytes(data)
            (CRASHES / f"{digest}.txt").write_text(found[0], encoding="utf-8")
            crashes.append(digest)
        else:
            for message in found:
                messages[re.sub(r"'[^']*'|\[\^[^\]]*\]|@\S+|\d[\d,]*", "…", message)] += 1
    return {"outcome": outcome, "messages": messages, "crashes": crashes}


START, END = "<!-- fuzz:start -->", "<!-- fuzz:end -->"
SHOWN = 10
"""How many of the most frequent diagnostics the docs list."""


def markdown(summary: dict, date: datetime.date) -> str:
    """The run as docs/reliability.md shows it: what was run, the outcome, the most frequent diagnostics."""
    outcomes = summary["outcomes"]
    run = f"--runs {summary['runs']} --jobs {summary['jobs']} --seed {summary['seed']}"
    lines = [f"Run on {date.isoformat()}, `{run}`, on a machine of {multiprocessing.cpu_count()} cores:", "",
             "| runs | seconds | crashes | ended with errors | ended clean | distinct diagnostics |",
             "| ---: | ---: | ---: | ---: | ---: | ---: |",
             f"| {summary['runs']:,} | {summary['seconds']:,.1f} | {outcomes.get('crash', 0):,} | "
             f"{outcomes.get('errors', 0):,} | {outcomes.get('ok', 0):,} | {summary['distinct_diagnostics']:,} |", "",
             "The most frequent diagnostics (names and numbers folded):", "",
             "| diagnostic | times |", "| --- | ---: |"]
    lines += [f"| {message.replace('|', chr(92) + '|')} | {times:,} |"
              for message, times in summary["most_frequent"][:SHOWN]]
    return "\n".join(lines) + "\n"


def write_docs(doc: Path, block: str) -> None:
    """Put ``block`` between the doc's markers; the rest of the page stays as it is."""
    text = doc.read_text(encoding="utf-8")
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    if not rest or END not in rest:
        raise SystemExit(f"{doc}: no {START} … {END} markers")
    doc.write_text(before + START + "\n" + block + END + after, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=multiprocessing.cpu_count())
    parser.add_argument("--seed", type=int, default=298)
    parser.add_argument("--write-docs", action="store_true", help="write the run's tables into the docs")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "reliability.md", help="the page to write")
    args = parser.parse_args()
    start = time.perf_counter()
    share = [args.runs // args.jobs + (1 if i < args.runs % args.jobs else 0) for i in range(args.jobs)]
    with multiprocessing.Pool(args.jobs) as pool:
        results = pool.map(worker, [(i, n, args.seed) for i, n in enumerate(share)])
    outcome, messages, crashes = collections.Counter(), collections.Counter(), []
    for result in results:
        outcome.update(result["outcome"])
        messages.update(result["messages"])
        crashes += result["crashes"]
    summary = {
        "runs": sum(outcome.values()),
        "seconds": round(time.perf_counter() - start, 1),
        "outcomes": dict(outcome),
        "crashes": sorted(set(crashes)),
        "distinct_diagnostics": len(messages),
        "most_frequent": messages.most_common(12),
        "seed": args.seed,
        "jobs": args.jobs,
    }
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    if args.write_docs:
        write_docs(args.docs, markdown(summary, datetime.date.today()))
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
