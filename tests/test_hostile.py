"""Hostile repositories: what an untrusted pull request (built by CI) or branch (diffed by a
reviewer) can craft — commits with ``..`` entries and symbolic links, links in ``source/`` and
``output/``, control characters, huge counts — must neither write outside ``output/``, read
outside the project, exhaust the machine, nor publish a broken or mixed set of artifacts."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import add_document

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
    import shutil

    from conftest import ROOT

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
    assert main(["--project", str(repo), "diff", "--", "--full-tree"]) == 1
    err = capsys.readouterr().err
    assert "cannot read revision '--full-tree'" in err and "Traceback" not in err
    given = [args for args in calls if "--full-tree" in args]
    assert given and all(args.index("--end-of-options") < args.index("--full-tree") for args in given)


def test_diff_reads_a_non_ascii_file_name(repo, capsys):
    folder = repo / "source/doc"
    (folder / "notas-ñ.txt").write_text("not a source\n", encoding="utf-8")
    git(repo, "add", "source")
    git(repo, "commit", "-q", "-m", "v2")
    (folder / "en.md").write_text(GOOD.replace("Text.", "Other text."), encoding="utf-8")
    assert main(["diff", "HEAD", "--project", str(repo)]) == 0
    assert "doc [en]: paragraphs 1 added, 1 removed" in capsys.readouterr().out
    assert (repo / "output/redline/doc/en/doc.redline.html").is_file()
