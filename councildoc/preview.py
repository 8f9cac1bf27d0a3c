"""``build.py preview``: the HTML editions served on 127.0.0.1, rebuilt on every save, reloaded in the browser.

As ``quarto preview``, ``mkdocs serve`` and sphinx-autobuild do: the sources, templates, styles and
language files are watched (``watchfiles``); a change rebuilds only the editions it touches (an
edition's source: that edition; ``document.yaml``: the document's editions; a template, a style or a
language file: every one), in memory — ``output/`` is neither read nor written — and the open page
reloads itself where it was scrolled to. While a source has errors the page keeps its last good text
and shows the diagnostics above it (``path:line:col: error: message``) until they are fixed.

The reloading script and the diagnostics are added to the pages as they are served, never to a
built file. A PDF is rendered when it is asked for (``<document>.pdf`` beside the page).
"""

from __future__ import annotations

import html
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from . import languages
from .diagnostics import Diagnostic, Severity, SourcePos, error, sort_key
from .pipeline import Project, load_edition, load_info, render, render_context, unsafe_paths

if TYPE_CHECKING:
    from .model import Document

WATCHED = ("source", "templates", "styles", "languages")
"""The project folders a build reads: a change in any of them is seen."""
PREFIX = "/__councildoc__/"
"""The preview's own URLs (the version of a page), apart from the documents'."""
POLL_MS = 200


@dataclass
class Page:
    """The latest build of one edition: its last good HTML, and the diagnostics of the latest try."""

    html: str | None = None
    document: Document | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    version: int = 0


class Preview:
    """The editions being previewed and their pages, rebuilt as their inputs change."""

    def __init__(self, project: Project, documents: list[str] | None, langs: list[str] | None,
                 say=None) -> None:
        self.project, self.documents, self.langs = project, documents, langs
        self.pages: dict[tuple[str, str], Page] = {}
        self.lock = threading.Lock()
        self.say = say or (lambda message: None)

    def editions(self) -> list[tuple[str, str]]:
        """The chosen editions as the sources are now (a new edition file appears in the preview)."""
        return [(sources.name, lang) for sources in self.project.documents()
                if self.documents is None or sources.name in self.documents
                for lang in sorted(sources.editions) if self.langs is None or lang in self.langs]

    def touched(self, changed: set[Path]) -> list[tuple[str, str]]:
        """The editions a change to ``changed`` affects."""
        chosen = self.editions()
        touched: set[tuple[str, str]] = set()
        for path in changed:
            try:
                parts = path.resolve().relative_to(self.project.root.resolve()).parts
            except ValueError:
                continue
            if not parts or parts[0] not in WATCHED:
                continue
            if parts[0] != "source" or len(parts) < 3:
                return chosen  # a template, a style, a language file: every edition
            document, name = parts[1], parts[2]
            stem = name[:-3] if len(parts) == 3 and name.endswith(".md") else None
            touched |= {(d, lang) for d, lang in chosen if d == document and (stem is None or lang == stem)}
        return sorted(touched)

    def rebuild(self, editions: list[tuple[str, str]]) -> None:
        """Build the HTML of ``editions`` in memory; a page whose result changed gets a new version."""
        project = self.project
        common = unsafe_paths(project) + languages.Catalogue.for_project(project.languages_dir).problems()
        by_name = {sources.name: sources for sources in project.documents()}
        for name, lang in editions:
            start = time.perf_counter()
            sources = by_name.get(name)
            diagnostics, document, data = list(common), None, None
            if sources is not None and lang in sources.editions and not common:
                info, found = load_info(project, sources)
                diagnostics += found
                if info is not None:
                    document, found = load_edition(project, sources, info, lang)
                    diagnostics += found
                if document is not None:
                    # The page as a build of the web pages writes it: linking the document's other editions.
                    here = render_context(project, editions=tuple(sorted(sources.editions)), published=("html",))
                    data, found = render(document, "html", here)
                    diagnostics += found
            elif sources is None or lang not in sources.editions:
                diagnostics.append(error(SourcePos(f"source/{name}/{lang}.md", 1, 1), "this edition's source is gone",
                                         "restore it, or stop the preview"))
            diagnostics.sort(key=sort_key)
            failed = any(d.severity is Severity.ERROR for d in diagnostics) or data is None
            with self.lock:
                page = self.pages.setdefault((name, lang), Page())
                before = (page.html, [str(d) for d in page.diagnostics])
                if not failed:
                    page.html, page.document = data, document
                page.diagnostics = diagnostics
                if (page.html, [str(d) for d in page.diagnostics]) != before:
                    page.version += 1
            for diagnostic in diagnostics:
                self.say(str(diagnostic))
            self.say(f"{'failed' if failed else 'rebuilt'} {name} [{lang}] html "
                     f"({time.perf_counter() - start:.2f} s)")

    def page(self, name: str, lang: str) -> Page | None:
        with self.lock:
            return self.pages.get((name, lang))

    def serve_html(self, name: str, lang: str) -> str | None:
        """The page as served: its HTML, the diagnostics above it, and the script that reloads it."""
        page = self.page(name, lang)
        if page is None:
            return None
        body = page.html or (f"<!DOCTYPE html><html lang='{html.escape(lang)}'><head><meta charset='utf-8'>"
                             f"<title>{html.escape(name)} [{html.escape(lang)}]</title></head><body></body></html>")
        extra = diagnostics_box(page.diagnostics) + reload_script(name, lang, page.version)
        at = body.rfind("</body>")
        return body[:at] + extra + body[at:] if at >= 0 else body + extra

    def index_html(self) -> str:
        items = "".join(
            f"<li><a href='/{name}/{lang}/{name}.html'>{html.escape(name)} [{html.escape(lang)}]</a>"
            f" · <a href='/{name}/{lang}/{name}.pdf'>PDF</a></li>"
            for name, lang in sorted(self.pages))
        return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>councildoc preview</title></head>"
                f"<body><h1>councildoc preview</h1><ul>{items}</ul></body></html>")


def diagnostics_box(diagnostics: list[Diagnostic]) -> str:
    if not diagnostics:
        return ""
    lines = "\n".join(html.escape(str(d)) for d in diagnostics)
    errors = any(d.severity is Severity.ERROR for d in diagnostics)
    return (f"<div id='councildoc-diagnostics' role='alert' style='position:fixed;top:0;left:0;right:0;"
            f"z-index:2147483647;max-height:50vh;overflow:auto;margin:0;padding:0.5em 1em;"
            f"background:{'#fde8e8' if errors else '#fff6d6'};color:#222;border-bottom:3px solid "
            f"{'#c00' if errors else '#b80'};font:13px/1.4 monospace;white-space:pre-wrap'>"
            f"{'The page shows the last text that built; fix these and save:' if errors else 'Warnings:'}"
            f"\n{lines}</div>")


def reload_script(name: str, lang: str, version: int) -> str:
    """Polls the page's version; reloads it when it changed, where it was scrolled to."""
    return f"""<script id="councildoc-preview">(function () {{
  var key = "councildoc-scroll:" + location.pathname, version = "{version}";
  // The scroll position is kept by this script, the same in every browser (not left to each one's own restoring).
  if ("scrollRestoration" in history) history.scrollRestoration = "manual";
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {{
    var restore = function () {{ window.scrollTo(0, parseFloat(saved)); }};
    restore(); window.addEventListener("load", restore);
    window.addEventListener("load", function () {{ sessionStorage.removeItem(key); }});
  }}
  function poll() {{
    fetch("{PREFIX}version/{name}/{lang}", {{cache: "no-store"}}).then(function (r) {{ return r.text(); }})
      .then(function (now) {{
        if (now !== version) {{ sessionStorage.setItem(key, String(window.scrollY)); location.reload(); }}
        else setTimeout(poll, {POLL_MS});
      }}, function () {{ setTimeout(poll, 1000); }});
  }}
  setTimeout(poll, {POLL_MS});
}})();</script>"""


def make_handler(preview: Preview):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args) -> None:  # noqa: A002 — quiet: the terminal shows rebuilds
            pass

        def send(self, status: HTTPStatus, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 — http.server's name
            path = unquote(urlsplit(self.path).path)
            parts = [p for p in path.split("/") if p]
            if path == "/":
                return self.send(HTTPStatus.OK, preview.index_html().encode(), "text/html; charset=utf-8")
            if path.startswith(PREFIX + "version/") and len(parts) == 4:
                page = preview.page(parts[2], parts[3])
                if page is not None:
                    return self.send(HTTPStatus.OK, str(page.version).encode(), "text/plain")
            elif len(parts) == 3 and parts[2] == f"{parts[0]}.html":
                served = preview.serve_html(parts[0], parts[1])
                if served is not None:
                    return self.send(HTTPStatus.OK, served.encode("utf-8"), "text/html; charset=utf-8")
            elif len(parts) == 3 and parts[2] == f"{parts[0]}.pdf":
                page = preview.page(parts[0], parts[1])
                if page is not None and page.document is not None:
                    data, problems = render(page.document, "pdf", render_context(preview.project))
                    if data is not None:
                        return self.send(HTTPStatus.OK, bytes(data), "application/pdf")
                    text = "\n".join(str(d) for d in problems)
                    return self.send(HTTPStatus.INTERNAL_SERVER_ERROR, text.encode(), "text/plain; charset=utf-8")
            self.send(HTTPStatus.NOT_FOUND, b"not in this preview\n", "text/plain")

    return Handler


def watch(preview: Preview, stop: threading.Event) -> None:
    """Rebuild what each batch of changes touches, until ``stop`` is set."""
    import watchfiles

    folders = [str(preview.project.root / name) for name in WATCHED if (preview.project.root / name).is_dir()]
    for changes in watchfiles.watch(*folders, stop_event=stop, step=30, debounce=400, rust_timeout=500):
        touched = preview.touched({Path(path) for _, path in changes})
        if touched:
            preview.rebuild(touched)


def preview(project: Project, documents: list[str] | None, langs: list[str] | None, *, port: int = 0,
            verbose: bool = False) -> int:
    """Serve, watch and rebuild until Ctrl-C; 0 then."""
    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        import watchfiles  # noqa: F401 — a dependency since the preview came: an older environment lacks it
    except ImportError:
        say("preview: the watchfiles package is missing from this environment\n"
            "hint: run ./setup.sh again (it installs what pyproject.toml lists)")
        return 2
    state = Preview(project, documents, langs, say)
    chosen = state.editions()
    if not chosen:
        say("preview: no edition to show (check --doc and --lang)")
        return 1
    state.rebuild(chosen)
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(state))
    except OSError as exc:
        say(f"preview: cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}; "
            "try another --port, or 0 for a free one")
        return 2
    server.daemon_threads = True
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(state, stop), name="councildoc-watch", daemon=True)
    watcher.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"preview: serving {base}/ (Ctrl-C stops it)", flush=True)
    for name, lang in chosen:
        print(f"  {base}/{name}/{lang}/{name}.html", flush=True)
    def interrupt(signum, frame) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)  # a terminal closed, a supervisor stopping it: as Ctrl-C
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
        watcher.join(timeout=5)
    say("preview: stopped")
    return 0
