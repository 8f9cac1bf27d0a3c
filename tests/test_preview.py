"""``build.py preview``: a page open in a real (headless) Chromium follows the source as it is saved."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.request

from browser import Chromium
from conftest import ROOT, require_tool

from councildoc.pipeline import Project
from councildoc.preview import Preview

OLD = "IOM is committed to the principle that orderly and humane migration benefits migrants and society."
NEW = "IOM is committed, as this preview shows, to orderly and humane migration."


def read_url(process: subprocess.Popen, timeout: float) -> str:
    """The page's address, from the first lines the preview prints (read by a thread: never a blocked read)."""
    lines: queue.Queue = queue.Queue()
    def read() -> None:
        try:
            for line in process.stdout:
                lines.put(line)
        except (ValueError, OSError):  # closed by communicate() at the end
            pass

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5).strip()
        except queue.Empty:
            continue
        if line.endswith(".html"):
            return line
    process.kill()
    raise AssertionError(f"the preview printed no address in {timeout} s: {process.stderr.read()}")


def text_of(expression: str) -> str:
    return f"(function () {{ var e = {expression}; return e ? e.innerText : ''; }})()"


def test_the_open_page_follows_the_source_its_errors_and_their_fix(copied, tmp_path):
    chromium = require_tool("chromium")
    source = copied / "source/mc-inf-298/en.md"
    original = source.read_text(encoding="utf-8")
    assert OLD in original
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "preview", "--lang", "EN", "--doc", "mc-inf-298",
         "--project", str(copied)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    browser = None
    try:
        url = read_url(server, 60)
        assert url.startswith("http://127.0.0.1:") and url.endswith("/mc-inf-298/en/mc-inf-298.html")
        browser = Chromium(chromium, url, tmp_path / "profile")
        browser.wait_for(f"document.body && document.body.innerText.includes({json.dumps(OLD)})", 20)
        assert browser.evaluate("document.getElementById('councildoc-diagnostics')") is None
        with urllib.request.urlopen(url[:-len(".html")] + ".pdf", timeout=60) as response:  # a PDF on request
            assert response.headers["Content-Type"] == "application/pdf" and response.read(5) == b"%PDF-"
        browser.evaluate("window.scrollTo(0, 900)")
        browser.wait_for("window.scrollY > 850", 5)

        # An edit: the page shows the new text, where the reader was.
        source.write_text(original.replace(OLD, NEW), encoding="utf-8")
        seconds = browser.wait_for(f"document.body.innerText.includes({json.dumps(NEW)})", 10)
        print(f"the edit showed in {seconds:.2f} s")
        browser.wait_for("Math.abs(window.scrollY - 900) < 5", 5)

        # An error: the diagnostics show in the page, above the last text that built.
        broken = original.replace(OLD, NEW + " See @para:nowhere.")
        source.write_text(broken, encoding="utf-8")
        line = broken[:broken.index("@para:nowhere")].count("\n") + 1
        column = len(broken[:broken.index("@para:nowhere")].rsplit("\n", 1)[-1]) + 1
        expected = f"source/mc-inf-298/en.md:{line}:{column}: error: unknown label 'para:nowhere'"
        box = text_of("document.getElementById('councildoc-diagnostics')")
        browser.wait_for(f"{box}.includes({json.dumps(expected)})", 10)
        assert NEW in browser.evaluate("document.body.innerText"), "the last good text stays"

        # Fixed: the diagnostics go.
        source.write_text(original, encoding="utf-8")
        browser.wait_for(f"document.getElementById('councildoc-diagnostics') === null && "
                         f"document.body.innerText.includes({json.dumps(OLD)})", 10)
    finally:
        if browser is not None:
            browser.close()
        server.send_signal(signal.SIGINT)  # Ctrl-C
        try:
            _, err = server.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
    assert server.returncode == 0, err
    assert "preview: stopped" in err and "Traceback" not in err
    assert not (copied / "output").exists(), "the preview writes no built file"


def test_built_files_never_get_the_reloading_script(copied):
    from councildoc.cli import main

    assert main(["--format", "html", "--lang", "en", "--project", str(copied)]) == 0
    built = (copied / "output/mc-inf-298/en/mc-inf-298.html").read_text(encoding="utf-8")
    assert "councildoc-preview" not in built and "__councildoc__" not in built
    state = Preview(Project(copied), ["mc-inf-298"], ["en"])
    state.rebuild(state.editions())
    served = state.serve_html("mc-inf-298", "en")
    assert served.replace(served[served.index('<script id="councildoc-preview">'):served.index("</script>") + 9],
                          "") == built


def test_a_change_rebuilds_only_what_it_touches(copied):
    (copied / "languages").mkdir()
    project = Project(copied)
    state = Preview(project, None, None)
    every = state.editions()
    assert ("c-111-inf-7", "es") in every and ("mc-inf-298", "fr") in every
    assert state.touched({copied / "source/mc-inf-298/fr.md"}) == [("mc-inf-298", "fr")]
    assert state.touched({copied / "source/mc-inf-298/document.yaml"}) == [
        ("mc-inf-298", "en"), ("mc-inf-298", "es"), ("mc-inf-298", "fr")]
    for shared in ("templates/document.html.j2", "styles/council.css", "languages/de.yaml"):
        assert state.touched({copied / shared}) == every, shared
    assert state.touched({copied / "output/mc-inf-298/en/mc-inf-298.html", copied / "README.md"}) == []
    only_en = Preview(project, None, ["en"])
    assert only_en.touched({copied / "source/mc-inf-298/fr.md"}) == []
    assert only_en.touched({copied / "styles/council.css"}) == [
        (folder.name, "en") for folder in sorted((copied / "source").iterdir()) if (folder / "en.md").is_file()]
