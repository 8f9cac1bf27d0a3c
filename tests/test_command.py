"""The command as an editor types it: ``python build.py …`` with any Python, options in any order,
language codes in any case, and usage errors that list what there is."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, add_document

from councildoc.cli import COMMANDS, main
from councildoc.formats import REGISTRY

GOOD = "---\nlang: {lang}\ntitle: A document\n---\n\n# Section\n\nA paragraph.[^n]\n\n[^n]: A note.\n"


def edition(lang: str) -> str:
    return GOOD.format(lang=lang)


def usage_error(argv: list[str], capsys, **kwargs) -> str:
    """The message of the usage error ``argv`` must give (exit status 2)."""
    with pytest.raises(SystemExit) as stop:
        main(argv, **kwargs)
    assert stop.value.code == 2
    return capsys.readouterr().err


# -- python build.py with a Python that lacks the dependencies ---------------------------------------------


def bare_python() -> list[str]:
    """An interpreter without councildoc's dependencies: the base Python of this environment, without
    its site-packages (as the system's ``python`` is before ``./setup.sh``)."""
    return [getattr(sys, "_base_executable", sys.executable), "-S"]


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "COUNCILDOC_REEXEC")}
    env["PYTHONPATH"] = str(ROOT)  # this checkout's councildoc, as an editable install would give
    return env


def test_bare_python_without_an_environment_says_what_to_run_and_exits_2(copied):
    result = subprocess.run([*bare_python(), "build.py", "--lang", "es", "--format", "pdf"], cwd=copied,
                            capture_output=True, text=True, env=environment(), timeout=60)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    assert "jinja2" in lines[0] and "no .venv" in lines[0]
    assert lines[1] == "run once: ./setup.sh   then again: python build.py --lang es --format pdf"
    assert "Traceback" not in result.stderr and not (copied / "output").exists()


def test_bare_python_runs_again_with_the_project_environment(copied):
    venv_python = copied / ".venv/bin/python"
    venv_python.parent.mkdir(parents=True)
    # The environment ./setup.sh makes, standing in: the interpreter running these tests.
    venv_python.write_text(f"#!/bin/sh\nexec {sys.executable} \"$@\"\n")
    venv_python.chmod(0o755)
    result = subprocess.run([*bare_python(), "build.py", "--lang", "es", "--format", "pdf"], cwd=copied,
                            capture_output=True, text=True, env=environment(), timeout=300)
    assert result.returncode == 0, result.stderr
    assert (copied / "output/mc-inf-298/es/mc-inf-298.pdf").read_bytes().startswith(b"%PDF-")
    assert "wrote output/mc-inf-298/es/mc-inf-298.pdf" in result.stdout


def test_help_uses_the_name_it_was_called_by(copied, capsys):
    result = subprocess.run([sys.executable, "build.py", "--help"], cwd=copied, capture_output=True, text=True,
                            env=environment(), timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: build.py ") and "python build.py check" in result.stdout
    assert "councildoc " not in result.stdout
    with pytest.raises(SystemExit):
        main(["--help"], prog="councildoc")
    out = capsys.readouterr().out
    assert out.startswith("usage: councildoc ") and "  councildoc check" in out and "build.py" not in out


# -- the councildoc command finds its project ---------------------------------------------------------------


def test_the_console_command_finds_the_project_from_a_folder_inside_it(project, monkeypatch, capsys):
    add_document(project, "doc", {"en": edition("en")})
    monkeypatch.chdir(project / "source/doc")
    assert main(["check"]) == 0
    assert "1 edition(s) checked: 0 error(s)" in capsys.readouterr().err
    monkeypatch.chdir(project.parent)
    assert main(["check", "--project", project.name]) == 0
    err = usage_error(["check"], capsys)
    assert "not inside a councildoc project" in err and "--project" in err


# -- options in any order -----------------------------------------------------------------------------------


def test_an_option_before_the_command_does_not_swallow_it(project, capsys):
    add_document(project, "doc", {"en": edition("en"), "fr": edition("fr")})
    for argv in (["--lang", "en", "check"], ["--doc", "doc", "check"], ["check", "--lang", "en"],
                 ["--lang", "en", "check", "--doc", "doc"]):
        assert main([*argv, "--project", str(project)]) == 0, argv
        err = capsys.readouterr().err
        assert "edition(s) checked: 0 error(s)" in err, argv
        assert not (project / "output").exists(), f"{argv} wrote outputs"


def test_language_codes_in_any_case_and_lists_with_commas_and_spaces(project):
    add_document(project, "doc", {"en": edition("en"), "fr": edition("fr"), "es": edition("es")})
    assert main(["--lang", "ES", "--format", "HTML", "--project", str(project)]) == 0
    assert main(["--lang", "fr, En", "--format", "txt", "--project", str(project)]) == 0
    assert main(["--lang", "en", "--lang", "es", "--format", "txt", "--project", str(project)]) == 0
    built = sorted(p.relative_to(project / "output/doc").as_posix() for p in (project / "output/doc").glob("*/*"))
    assert built == ["en/doc.txt", "es/doc.html", "es/doc.txt", "fr/doc.txt"]


def test_unknown_language_document_format_and_command_are_usage_errors_listing_the_choices(project, capsys):
    add_document(project, "alpha", {"en": edition("en"), "fr": edition("fr")})
    add_document(project, "beta", {"en": edition("en"), "es": edition("es")})
    at = ["--project", str(project)]
    assert "unknown language 'de' (there are: en, es, fr)" in usage_error(["--lang", "de", *at], capsys)
    # Over one document, the languages are that document's.
    assert "unknown language 'es' (there are: en, fr)" in usage_error(["--doc", "alpha", "--lang", "es", *at], capsys)
    assert "unknown document 'gamma' (there are: alpha, beta)" in usage_error(["--doc", "gamma", *at], capsys)
    assert f"unknown format 'odt' (there are: {', '.join(REGISTRY)})" in usage_error(["--format", "odt", *at], capsys)
    err = usage_error(["frobnicate", *at], capsys)
    assert f"unknown command 'frobnicate' (commands: {', '.join(COMMANDS)})" in err
    assert "--lang es,en" in usage_error(["--lang", "en", "fr", *at], capsys), "a hint for the space-separated form"
    assert not (project / "output").exists()


def test_a_language_some_documents_lack_builds_the_others_and_says_which(project, capsys):
    add_document(project, "alpha", {"en": edition("en"), "fr": edition("fr")})
    add_document(project, "beta", {"en": edition("en"), "es": edition("es")})
    assert main(["--lang", "es", "--format", "html", "--project", str(project)]) == 0
    err = capsys.readouterr().err
    assert "source/alpha/document.yaml:1:1: warning: alpha has no 'es' edition (it has en, fr)" in err
    assert (project / "output/beta/es/beta.html").is_file()
    assert not (project / "output/alpha").exists()
    assert main(["--lang", "es", "--format", "html", "--strict", "--project", str(project)]) == 1


# -- messages -----------------------------------------------------------------------------------------------


def test_verbose_reports_phases_with_timings_and_outputs_with_sizes(project, capsys):
    add_document(project, "doc", {"en": edition("en")})
    assert main(["-v", "--format", "html,txt", "--project", str(project)]) == 0
    captured = capsys.readouterr()
    assert re.search(r"^reading: 1 of 1 edition\(s\) to build  \[\d+\.\d\d s, \d+\.\d\d s in all\]$",
                     captured.err, re.M), captured.err
    assert re.search(r"^\[1/1\] built doc \[en\] html txt \(\d+\.\d s\)$", captured.err, re.M)
    # Each phase of the edition, in the worker that ran it: reading to transforming, then each format.
    assert re.search(r"^    reading, parsing, transforming \d+\.\d\d s; writing html \d+\.\d\d s; "
                     r"writing txt \d+\.\d\d s$", captured.err, re.M), captured.err
    assert re.search(r"^done in \d+\.\d\d s$", captured.err, re.M)
    html = project / "output/doc/en/doc.html"
    size = html.stat().st_size
    assert f"wrote output/doc/en/doc.html ({size / 1000:.1f} kB)" in captured.out
    assert f"wrote output/doc/en/doc.txt ({(project / 'output/doc/en/doc.txt').stat().st_size} B)" in captured.out


def test_a_build_with_nothing_to_do_says_it_is_up_to_date(project, capsys):
    add_document(project, "doc", {"en": edition("en"), "fr": edition("fr")})
    assert main(["--format", "html,txt", "--project", str(project)]) == 0
    capsys.readouterr()
    assert main(["--format", "html,txt", "--project", str(project)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == "up to date (4 outputs; --force rebuilds them)"


def test_index_with_nothing_built_says_so(project, capsys):
    add_document(project, "doc", {"en": edition("en")})
    assert main(["index", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "error: no built file to index" in err and "build first" in err
    assert not (project / "output/manifest.json").exists()


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root, check=True,
                   capture_output=True)


def test_diff_of_an_unknown_revision_is_a_usage_error_naming_it(project, capsys):
    add_document(project, "doc", {"en": edition("en")})
    at = ["--project", str(project)]
    assert "not in a git repository" in usage_error(["diff", "HEAD", *at], capsys)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "source")
    git(project, "commit", "-q", "-m", "v1")
    git(project, "tag", "v1")
    err = usage_error(["diff", "badrev", *at], capsys)
    assert "unknown revision 'badrev' (a commit, HEAD~1, or a branch or tag: main, v1)" in err
    assert "fatal:" not in err
    assert main(["--lang", "EN", "diff", "v1", *at]) == 0, "options before the command, and any case"
