"""Hostile repositories: what an untrusted pull request (built by CI) or branch (diffed by a
reviewer) can craft — commits with ``..`` entries and symbolic links, links in ``source/`` and
``output/``, control characters, huge counts — must neither write outside ``output/``, read
outside the project, exhaust the machine, nor publish a broken or mixed set of artifacts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT, add_document

from councildoc.cli import main

GOOD = "---\nlang: en\ntitle: Test\n---\n\n# S\n\nText.\n"
ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin"}


def git(project: Path, *args: str, data: bytes | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, input=data,
                            env={**ENV, "HOME": str(project)})
    return result.stdout.decode().strip()


def files_around(top: Path, project: Path) -> set[str]:
    """Every file and folder under ``top`` but the project's ``output/`` and ``.git``."""
    skip = (project / "output", project / ".git")
    return {p.relative_to(top).as_posix() for p in top.rglob("*")
            if not any(p == s or s in p.parents for s in skip)}


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """Temporary folders (the revisions' scratch copies) go under tmp_path/tmp, where a test can see them."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def commit_tree(project: Path, entries: list[str], branch: str) -> None:
    """A commit whose root tree is ``entries`` (``mode type oid\\tname`` lines), as ``refs/heads/<branch>``."""
    tree = git(project, "mktree", data="".join(f"{e}\n" for e in entries).encode())
    commit = git(project, "commit-tree", tree, "-m", "crafted")
    git(project, "update-ref", f"refs/heads/{branch}", commit)


def nested_dotdot(project: Path, inner: str, levels: int) -> str:
    """A tree holding ``inner`` under ``levels`` nested entries named ``..``."""
    tree = git(project, "mktree", data=f"{inner}\n".encode())
    for _ in range(levels):
        tree = git(project, "mktree", data=f"040000 tree {tree}\t..\n".encode())
    return tree


@pytest.fixture
def repo(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "templates", project / "templates")
    shutil.copytree(ROOT / "styles", project / "styles")
    add_document(project, "doc", {"en": GOOD})
    git(project, "init", "-q")
    git(project, "add", "source")
    git(project, "commit", "-q", "-m", "v1")
    return project


def test_diff_of_a_commit_with_dotdot_entries_writes_nothing_outside(repo, tmp_path, scratch, capsys):
    blob = git(repo, "hash-object", "-w", "--stdin", data=b"pwned\n")
    for levels in (1, 2, 3, 4, 6):
        tree = nested_dotdot(repo, f"100644 blob {blob}\tpwned.txt", levels)
        commit_tree(repo, [f"040000 tree {tree}\tsource"], f"evil{levels}")
    before = files_around(tmp_path, repo)
    for levels in (1, 2, 3, 4, 6):
        assert main(["diff", f"evil{levels}", "--project", str(repo)]) == 1
        err = capsys.readouterr().err
        assert f"cannot read revision 'evil{levels}': refused the path 'source/{'../' * levels}pwned.txt'" in err
    assert files_around(tmp_path, repo) == before
    assert not (repo / "output" / "redline").exists()


@pytest.mark.parametrize(("mode", "kind", "what"), [("120000", "blob", "a symbolic link"),
                                                      ("160000", "commit", "a submodule")])
def test_diff_refuses_links_and_submodules_in_a_revision(repo, scratch, capsys, mode, kind, what):
    target = git(repo, "hash-object", "-w", "--stdin", data=b"/etc/passwd")
    oid = target if kind == "blob" else git(repo, "rev-parse", "HEAD")
    doc = git(repo, "mktree", data=f"{mode} {kind} {oid}\ten.md\n".encode())
    source = git(repo, "mktree", data=f"040000 tree {doc}\tdoc\n".encode())
    commit_tree(repo, [f"040000 tree {source}\tsource"], "evil")
    assert main(["diff", "evil", "--project", str(repo)]) == 1
    assert f"cannot read revision 'evil': 'source/doc/en.md' is {what}" in capsys.readouterr().err


def test_diff_passes_revisions_as_revisions_never_as_options(repo, capsys, monkeypatch):
    calls = []
    real_run = subprocess.run

    def spy(args, *rest, **kwargs):
        calls.append(list(args))
        return real_run(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    with pytest.raises(SystemExit) as stop:  # no such revision: a usage error that names it
        main(["--project", str(repo), "diff", "--", "--full-tree"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "unknown revision '--full-tree'" in err and "Traceback" not in err
    given = [args for args in calls if any(arg.startswith("--full-tree") for arg in args)]

    def position(args):
        return next(i for i, arg in enumerate(args) if arg.startswith("--full-tree"))

    assert given and all(args.index("--end-of-options") < position(args) for args in given)


def test_diff_reads_a_non_ascii_file_name(repo, capsys):
    folder = repo / "source/doc"
    (folder / "notas-ñ.txt").write_text("not a source\n", encoding="utf-8")
    git(repo, "add", "source")
    git(repo, "commit", "-q", "-m", "v2")
    (folder / "en.md").write_text(GOOD.replace("Text.", "Other text."), encoding="utf-8")
    assert main(["diff", "HEAD", "--project", str(repo)]) == 0
    assert "doc [en]: paragraphs 1 added, 1 removed" in capsys.readouterr().out
    assert (repo / "output/redline/doc/en/doc.redline.html").is_file()


# --------------------------------------------------------------------------
# Links and special files in the project (cases 3 and 4)


@pytest.fixture
def built(project):
    """A project with one document built once in HTML and text."""
    add_document(project, "doc", {"en": GOOD})
    assert main(["--format", "html,txt", "--jobs", "1", "--project", str(project)]) == 0
    return project


def outputs(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes()
            for p in sorted((project / "output").rglob("*")) if p.is_file()}


def test_an_edition_linked_to_a_device_is_refused_at_once(project, capsys):
    folder = add_document(project, "doc", {})
    (folder / "en.md").symlink_to("/dev/zero")
    assert main(["--format", "txt", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "source/doc/en.md:1:1: error: it is a symbolic link" in err
    assert not (project / "output/doc").exists()


@pytest.mark.parametrize("linked", ["en.md", "document.yaml", "folder"])
def test_links_to_files_outside_the_project_are_never_read(project, tmp_path, capsys, linked):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "en.md").write_text(GOOD.replace("Text.", "hunter2-token-xyz"), encoding="utf-8")
    (outside / "document.yaml").write_text("symbol: MC/1\ndate: hunter2-token-xyz\nsession: 1\n"
                                           "original-language: en\n", encoding="utf-8")
    if linked == "folder":
        (project / "source/doc").symlink_to(outside)
    else:
        folder = add_document(project, "doc", {"en": GOOD} if linked != "en.md" else {})
        (folder / linked).unlink(missing_ok=True)
        (folder / linked).symlink_to(outside / linked)
    for command in ("check", "build"):
        assert main([command, "--format", "txt", "--project", str(project)]) == 1
        err = capsys.readouterr().err
        assert "hunter2" not in err and "it is a symbolic link" in err
    assert "hunter2" not in "".join(str(v) for v in outputs(project).values())


def test_a_fifo_in_the_sources_is_refused(project, capsys):
    folder = add_document(project, "doc", {})
    os.mkfifo(folder / "en.md")
    assert main(["--format", "txt", "--project", str(project)]) == 1
    assert "source/doc/en.md:1:1: error: it is not a regular file or folder" in capsys.readouterr().err


@pytest.mark.parametrize("linked", ["output", "output/doc/en", "output/.councildoc.lock"])
def test_a_linked_output_is_refused_and_its_target_untouched(built, tmp_path, capsys, linked):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / ".keep.tmp").write_bytes(b"a stale-looking file that is not ours\n")
    (outside / "notes.html").write_bytes(b"unrelated\n")
    link = built / linked
    if link.is_dir():
        shutil.rmtree(link)
    else:
        link.unlink(missing_ok=True)
    link.symlink_to(outside)
    before = {p.name: p.read_bytes() for p in outside.iterdir()}
    (built / "source/doc/en.md").write_text(GOOD.replace("Text.", "Changed text."), encoding="utf-8")
    assert main(["--format", "html,txt", "--jobs", "1", "--project", str(built)]) == 1
    assert f"{linked}:1:1: error: it is a symbolic link" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == before
    for command in (["index"], ["diff", "HEAD"]):
        assert main([*command, "--project", str(built)]) == 1
        assert f"{linked}:1:1: error: it is a symbolic link" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == before


# --------------------------------------------------------------------------
# Names that become paths and URLs (cases 5 and 9)


def test_a_folder_named_like_a_script_url_is_refused_and_never_linked(built, capsys):
    name = "javascript:document.title=1%0A"
    (built / "source" / name).mkdir()
    (built / "source" / name / "document.yaml").write_text(
        "symbol: MC/2\ndate: 2026-11-28\nsession: 1\noriginal-language: en\n", encoding="utf-8")
    (built / "source" / name / "en.md").write_text(GOOD, encoding="utf-8")
    (built / "output" / "javascript:x").mkdir()  # planted: not a folder a build could have made
    (built / "output/javascript:x/a.html").write_bytes(b"x")
    assert main(["--format", "html,txt", "--force", "--jobs", "1", "--project", str(built)]) == 1
    assert f"source/{name}/document.yaml:1:1: error: the folder name '{name}' is not allowed" \
        in capsys.readouterr().err
    from lxml import html

    hrefs = html.parse(str(built / "output/index.html")).getroot().xpath("//a/@href")
    assert hrefs and not any(h.lower().startswith("javascript") for h in hrefs)
    assert "javascript" not in (built / "output/manifest.json").read_text(encoding="utf-8")


def test_a_non_ascii_folder_name_under_an_ascii_locale_is_a_diagnostic(project):
    add_document(project, "documento-ñ", {"en": GOOD})
    result = subprocess.run(
        [sys.executable, "-c", "from councildoc.cli import run; run()", "--format", "txt",
         "--project", str(project)], capture_output=True, env={**os.environ, "PYTHONIOENCODING": "ascii"})
    err = result.stderr.decode("ascii")
    assert result.returncode == 1 and "Traceback" not in err
    assert "source/documento-\\xf1/document.yaml:1:1: error: the folder name 'documento-\\xf1' is not allowed" in err


# --------------------------------------------------------------------------
# Valid artifacts or none: an edition is published whole (case 8)


def manifest_matches(project: Path) -> bool:
    """Every artifact the manifest lists is on disk with its size and SHA-256, and nothing else is."""
    import hashlib
    import json

    listed = json.loads((project / "output/manifest.json").read_text(encoding="utf-8"))["artifacts"]
    on_disk = {p.relative_to(project / "output").as_posix() for p in (project / "output/doc").rglob("*")
               if p.is_file()}
    return on_disk == {a["path"] for a in listed} and all(
        hashlib.sha256((project / "output" / a["path"]).read_bytes()).hexdigest() == a["sha256"] for a in listed)


def test_a_failed_format_publishes_no_format_of_its_edition(built, capsys, monkeypatch):
    from councildoc import pipeline
    from councildoc.diagnostics import SourcePos, error

    before = outputs(built)
    (built / "source/doc/en.md").write_text(GOOD.replace("Text.", "Changed text."), encoding="utf-8")

    real_render = pipeline.render

    def render(document, fmt, context):
        if fmt == "txt":
            return None, [error(SourcePos("source/doc/en.md", 1, 1), "the text writer failed")]
        return real_render(document, fmt, context)

    monkeypatch.setattr(pipeline, "render", render)
    assert main(["--format", "html,txt", "--jobs", "1", "--project", str(built)]) == 1
    assert "source/doc/en.md:1:1: error: the text writer failed" in capsys.readouterr().err
    assert outputs(built) == before and manifest_matches(built)


class _FullDisk:
    def __init__(self, stream) -> None:
        self.stream = stream

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.stream.close()

    def write(self, data: bytes) -> int:
        raise OSError(28, "No space left on device")  # ENOSPC


def test_a_full_disk_gives_a_diagnostic_and_no_mixed_set(built, capsys, monkeypatch):
    before = outputs(built)
    (built / "source/doc/en.md").write_text(GOOD.replace("Text.", "Changed text."), encoding="utf-8")
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, mode="r", *args, **kwargs:
                        _FullDisk(real_fdopen(fd, mode)) if mode == "wb" else real_fdopen(fd, mode, *args, **kwargs))
    assert main(["--format", "html,txt", "--jobs", "1", "--project", str(built)]) == 1
    err = capsys.readouterr().err
    assert "output/doc/en/doc.html:1:1: error: cannot write it: No space left on device" in err
    assert "Traceback" not in err
    assert outputs(built) == before and manifest_matches(built)
    monkeypatch.undo()
    assert main(["--format", "html,txt", "--jobs", "1", "--project", str(built)]) == 0
    assert b"Changed text." in (built / "output/doc/en/doc.txt").read_bytes() and manifest_matches(built)


def test_a_read_only_output_gives_a_diagnostic(built, capsys, monkeypatch):
    (built / "source/doc/en.md").write_text(GOOD.replace("Text.", "Changed text."), encoding="utf-8")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(built / "output/doc/en"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert main(["--format", "html,txt", "--jobs", "1", "--project", str(built)]) == 1
    err = capsys.readouterr().err
    assert "error: cannot write it: Permission denied" in err and "Traceback" not in err


@pytest.mark.parametrize("state", [b"[1, 2]", b'{"doc/en/doc.html": 3}', b"{" * 100_000, b"\xff\xfe"])
def test_a_corrupt_build_state_means_a_rebuild(built, capsys, state):
    (built / "output/.councildoc-state.json").write_bytes(state)
    assert main(["--format", "html,txt", "--jobs", "1", "--project", str(built)]) == 0
    assert "wrote output/doc/en/doc.html" in capsys.readouterr().out


# --------------------------------------------------------------------------
# Project language files (case 9)


@pytest.mark.parametrize(("text", "expected"), [
    ("annex: Annex\nsurprise: 1\n", "languages/xx.yaml:1:1: error: not a language data file: unknown key 'surprise'"),
    ("annex: [unclosed\n", "languages/xx.yaml:2:1: error: invalid YAML"),
    ("a: &a [1]\nb: *a\n", "languages/xx.yaml:1:4: error: invalid YAML: anchors and aliases"),
    ("- a list\n", "languages/xx.yaml:1:1: error: not a language data file: it must be a mapping"),
    ("annex: Annex\nreference-words: {nota: [nota]}\n",
     "languages/xx.yaml:1:1: error: not a language data file: 'reference-words' has an unknown key 'nota'"),
    ("annex: Annex\nreference-words: {note: nota}\n",
     "languages/xx.yaml:1:1: error: not a language data file: 'reference-words: note' must be a list of words"),
])
def test_a_broken_project_language_file_is_a_diagnostic(built, capsys, text, expected):
    (built / "languages").mkdir()
    (built / "languages/xx.yaml").write_text(text, encoding="utf-8")
    assert main(["--format", "txt", "--force", "--project", str(built)]) == 1
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert main(["check", "--project", str(built)]) == 1
    assert expected in capsys.readouterr().err


# --------------------------------------------------------------------------
# Bounded work (case 7) and smaller cases (case 11)


def test_twelve_thousand_references_in_one_paragraph_take_seconds():
    import time

    from conftest import compile_text

    start = time.perf_counter()
    document, diagnostics = compile_text(GOOD.replace("Text.", "{#para:a}\nFirst.\n\n" + "@para:a " * 12_000))
    assert document is not None and diagnostics == []
    assert time.perf_counter() - start < 15  # a scan per reference took about a minute


def test_a_two_paragraph_title_note_keeps_a_space():
    from conftest import compile_text

    from councildoc.writers.text import write_text

    note = "title: Test\ntitle-note: |\n  One.\n\n  Two.\n"
    document, diagnostics = compile_text(GOOD.replace("title: Test\n", note))
    assert diagnostics == [] and "One. Two." in write_text(document)


def test_project_given_as_the_current_folder_is_used(project, monkeypatch):
    add_document(project, "doc", {"en": GOOD})
    monkeypatch.chdir(project)
    assert main(["--format", "txt", "--project", str(project)], project_root=project.parent) == 0
    assert (project / "output/doc/en/doc.txt").is_file()


def test_textconv_under_an_ascii_stdout_prints_utf8(built):
    (built / "source/doc/en.md").write_text(GOOD.replace("Text.", "Café text."), encoding="utf-8")
    assert main(["--format", "html", "--jobs", "1", "--project", str(built)]) == 0
    result = subprocess.run(
        [sys.executable, "-c", "from councildoc.cli import run; run()", "textconv",
         str(built / "output/doc/en/doc.html")], capture_output=True, env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert "Café text.".encode() in result.stdout


def test_a_template_that_reaches_for_python_internals_is_refused(built, capsys):
    page = built / "templates/document.html.j2"
    page.write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\n" + page.read_text(encoding="utf-8"),
                    encoding="utf-8")
    before = outputs(built)
    assert main(["--format", "html,txt", "--jobs", "1", "--project", str(built)]) == 1
    err = capsys.readouterr().err
    assert "error: the template failed: access to attribute '__class__' of 'str' object is unsafe." in err
    assert "Traceback" not in err and outputs(built) == before


@pytest.mark.parametrize("failing", ["manifest.json", "doc.side-by-side.html"])
def test_a_disk_full_after_the_editions_leaves_no_stale_manifest(built, capsys, monkeypatch, failing):
    (built / "source/doc/fr.md").write_text(GOOD.replace("lang: en", "lang: fr"), encoding="utf-8")
    (built / "source/doc/en.md").write_text(GOOD.replace("Text.", "Changed text."), encoding="utf-8")
    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args, prefix="", **kwargs):
        if prefix.startswith(f".{failing}."):
            raise OSError(28, "No space left on device")
        return real_mkstemp(*args, prefix=prefix, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    assert main(["--format", "html,txt", "--jobs", "1", "--project", str(built)]) == 1
    err = capsys.readouterr().err
    assert f"{failing}:1:1: error: cannot write it: No space left on device" in err and "Traceback" not in err
    manifest = built / "output/manifest.json"
    assert (not manifest.exists() and not (built / "output/index.html").exists()) if failing == "manifest.json" \
        else manifest_matches(built)
