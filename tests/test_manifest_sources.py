"""The manifest says when outputs come from sources that are not the commit it names."""

from __future__ import annotations

import json
import subprocess

from conftest import add_document

from councildoc.cli import main

TEXT = "---\nlang: {lang}\ntitle: T\n---\n\n# S\n\nText.\n"


def git(root, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root, check=True,
                   capture_output=True)


def manifest(project) -> tuple[list[str], dict[str, bool]]:
    data = json.loads((project / "output/manifest.json").read_text(encoding="utf-8"))
    return data["uncommitted"], {a["path"]: a["from-uncommitted-sources"] for a in data["artifacts"]}


def build(project) -> None:
    assert main(["--format", "txt", "--project", str(project)]) == 0


def test_outputs_from_changed_staged_or_untracked_sources_are_marked(project):
    add_document(project, "a", {"en": TEXT.format(lang="en")})
    add_document(project, "b", {"en": TEXT.format(lang="en")})
    git(project, "init", "-q")
    git(project, "add", "source", "templates", "styles")
    git(project, "commit", "-q", "-m", "v1")
    build(project)
    assert manifest(project) == ([], {"a/en/a.txt": False, "b/en/b.txt": False})

    (project / "source/a/en.md").write_text(TEXT.format(lang="en") + "\nMore.\n", encoding="utf-8")
    build(project)
    assert manifest(project) == (["source/a/en.md"], {"a/en/a.txt": True, "b/en/b.txt": False})

    git(project, "add", "source/a/en.md")  # staged is not committed either
    (project / "source/b/fr.md").write_text(TEXT.format(lang="fr"), encoding="utf-8")  # untracked
    build(project)
    assert manifest(project) == (["source/a/en.md", "source/b/fr.md"],
                                 {"a/en/a.txt": True, "b/en/b.txt": True, "b/fr/b.txt": True})

    git(project, "commit", "-q", "-am", "v2")
    git(project, "add", "source")
    git(project, "commit", "-q", "-m", "v3")
    (project / "styles/council.css").write_text("p { color: black }\n", encoding="utf-8")  # every output uses it
    assert main(["index", "--project", str(project)]) == 0
    assert manifest(project) == (["styles/council.css"],
                                 {"a/en/a.txt": True, "b/en/b.txt": True, "b/fr/b.txt": True})


def test_outside_git_the_manifest_claims_nothing(project):
    add_document(project, "a", {"en": TEXT.format(lang="en")})
    build(project)
    data = json.loads((project / "output/manifest.json").read_text(encoding="utf-8"))
    assert data["commit"] == "unknown" and "uncommitted" not in data
    assert "from-uncommitted-sources" not in data["artifacts"][0]
