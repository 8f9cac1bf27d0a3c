"""Reproducible artifacts, incremental and parallel builds, shards, the published index."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, add_document
from lxml import html

from councildoc import formats
from councildoc.cli import main

ARTIFACTS = [f"mc-inf-298/{lang}/mc-inf-298.{fmt}" for lang in ("en", "es", "fr") for fmt in ("html", "pdf", "docx")]


def copy_project(target):
    for folder in ("source", "templates", "styles"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


def cli(project, *args, env=None):
    """The real command, in its own process (a clean interpreter, another clock if asked)."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project), *args],
                          capture_output=True, text=True, env={**os.environ, **(env or {})})


def test_two_clean_builds_give_identical_bytes_whatever_the_clock_or_order(real_project, tmp_path):
    other = copy_project(tmp_path / "other")
    result = cli(other, "--lang", "fr,es,en", "--jobs", "1",
                 env={"TZ": "Pacific/Kiritimati", "SOURCE_DATE_EPOCH": "1", "LANG": "C"})
    assert result.returncode == 0, result.stderr
    for artifact in ARTIFACTS + ["mc-inf-298/mc-inf-298.side-by-side.html"]:
        first = (real_project / "output" / artifact).read_bytes()
        assert (other / "output" / artifact).read_bytes() == first, artifact


@pytest.fixture
def built_copy(real_project, tmp_path):
    """A project whose outputs and build state are those of a full build."""
    project = copy_project(tmp_path / "p")
    shutil.copytree(real_project / "output", project / "output")
    return project


def snapshot(project):
    return {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (project / "output").rglob("*") if p.is_file()}


def test_a_rebuild_with_nothing_changed_writes_nothing_and_loads_no_renderer(built_copy):
    assert main(["--project", str(built_copy)]) == 0  # the state file now knows this project's outputs
    before = snapshot(built_copy)
    # What docs/performance.md says a rebuild with nothing to do never loads: no renderer, no writer,
    # no template engine, no transform.
    never = ["weasyprint", "jinja2", "lxml", "pypandoc", "pdfplumber", "councildoc.transforms",
             "councildoc.writers", "councildoc.typography"]
    probe = ("import sys; from councildoc.cli import main; status = main(['--project', sys.argv[1]]); "
             f"loaded = [m for m in {never!r} if m in sys.modules]; "
             "assert not loaded, f'loaded: {loaded}'; sys.exit(status)")
    result = subprocess.run([sys.executable, "-c", probe, str(built_copy)], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "wrote" not in result.stdout
    assert snapshot(built_copy) == before


def test_editing_one_edition_rebuilds_only_its_artifacts(built_copy, capsys):
    assert main(["--project", str(built_copy)]) == 0
    capsys.readouterr()
    source = built_copy / "source/mc-inf-298/fr.md"
    source.write_text(source.read_text(encoding="utf-8").replace("L’OIM est attachée", "L’OIM est très attachée"),
                      encoding="utf-8")
    assert main(["--project", str(built_copy)]) == 0
    written = sorted(line.split()[1] for line in capsys.readouterr().out.splitlines() if line.startswith("wrote"))
    assert written == sorted([f"output/mc-inf-298/fr/mc-inf-298.{fmt}" for fmt in formats.names()]
                             + ["output/mc-inf-298/mc-inf-298.side-by-side.html", "output/manifest.json",
                                "output/index.html"])


def test_index_and_manifest_list_every_artifact_with_size_and_sha256(real_project):
    manifest = json.loads((real_project / "output/manifest.json").read_text(encoding="utf-8"))
    assert manifest["commit"] == "unknown"  # a copy of the project outside any git checkout
    listed = {a["path"]: a for a in manifest["artifacts"]}
    for artifact in ARTIFACTS:
        data = (real_project / "output" / artifact).read_bytes()
        assert listed[artifact]["size"] == len(data)
        assert listed[artifact]["sha256"] == hashlib.sha256(data).hexdigest()
        assert listed[artifact]["lang"] == artifact.split("/")[1]
    page = html.parse(str(real_project / "output/index.html")).getroot()
    links = page.xpath("//a/@href")
    assert set(ARTIFACTS) <= set(links)
    shas = page.xpath("//code/text()")
    assert listed[ARTIFACTS[0]]["sha256"] in shas


def test_shards_split_the_editions_and_merge_into_one_index(tmp_path):
    one, two = copy_project(tmp_path / "one"), copy_project(tmp_path / "two")
    assert cli(one, "--shard", "1/2", "--format", "html").returncode == 0
    assert cli(two, "--shard", "2/2", "--format", "html").returncode == 0
    built_one = {p.parent.name for p in (one / "output/mc-inf-298").glob("*/mc-inf-298.html")}
    built_two = {p.parent.name for p in (two / "output/mc-inf-298").glob("*/mc-inf-298.html")}
    assert built_one and built_two and not built_one & built_two
    assert built_one | built_two == {"en", "es", "fr"}
    shutil.copytree(two / "output/mc-inf-298", one / "output/mc-inf-298", dirs_exist_ok=True)
    assert cli(one, "index").returncode == 0
    manifest = json.loads((one / "output/manifest.json").read_text(encoding="utf-8"))
    assert {a["lang"] for a in manifest["artifacts"] if a["format"] == "html"} == {"en", "es", "fr"}


def test_errors_from_one_parallel_job_never_hide_the_others(project, capsys):
    good = "---\nlang: {lang}\ntitle: T\n---\n\n# S\n\nText.\n"
    add_document(project, "doc", {"en": good.format(lang="en"), "es": good.format(lang="es") + "\nSee @note:x.\n",
                                  "fr": good.format(lang="fr") + "\n<b>raw</b>\n"})
    assert main(["--format", "html", "--jobs", "3", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "source/doc/es.md:10:5: error: unknown label 'note:x'" in err
    assert "source/doc/fr.md:10:1: error: raw html ('<b>') is not supported" in err
    assert (project / "output/doc/en/doc.html").is_file()


def test_bad_shard_and_jobs_are_usage_errors(project):
    add_document(project, "doc", {"en": "---\nlang: en\ntitle: T\n---\n\n# S\n\nText.\n"})
    for args in (["--shard", "3/2"], ["--shard", "x"], ["--jobs", "0"]):
        with pytest.raises(SystemExit) as stop:
            main([*args, "--project", str(project)])
        assert stop.value.code == 2


def test_the_manifest_names_the_commit_the_sources_come_from(project):
    add_document(project, "doc", {"en": "---\nlang: en\ntitle: T\n---\n\n# S\n\nText.\n"})
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "source"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "sources"], cwd=project, check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=project, capture_output=True, text=True).stdout.strip()
    assert main(["--format", "txt", "--project", str(project)]) == 0
    assert json.loads((project / "output/manifest.json").read_text(encoding="utf-8"))["commit"] == head


def test_the_index_fits_a_phone(real_project, tmp_path):
    """At 390 px the index is no wider than the window: an edition's format links (AKN DOCX HTML
    PDF TXT) wrap in their cell. They were written with nothing between them, one unbreakable run
    that pushed the page sideways (525 px wide). The accessibility check builds HTML only, one
    link an edition, and did not see it."""
    from browser import Chromium
    from conftest import require_tool

    page = real_project / "output/index.html"
    assert len(html.parse(str(page)).getroot().xpath("(//td[@class='formats'])[1]/a")) == 5
    browser = Chromium(require_tool("chromium"), page.as_uri(), tmp_path / "profile")
    try:
        ready = "document.readyState === 'complete' && document.querySelectorAll('td.formats').length > 0"
        browser.wait_for(ready, 30)
        # A headless window is at least 500 px wide: the phone's width is set as axe-check.js sets it.
        browser.send("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 800, "deviceScaleFactor": 1,
                                                            "mobile": False}, session=browser.session)
        browser.wait_for(f"window.innerWidth === 390 && {ready}", 10)
        assert browser.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        browser.close()
