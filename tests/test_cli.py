"""The command line as editors and CI use it: exit codes, messages, what is written and what is not."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, add_document

from councildoc import formats
from councildoc.cli import main

GOOD = "---\nlang: en\ntitle: A document\n---\n\n# Section\n\nA paragraph.[^n]\n\n[^n]: A note.\n"
BROKEN = "---\nlang: en\ntitle: A document\n---\n\n# Section\n\nSee @note:nowhere and @para:nothing.\n"


def test_build_writes_one_html_per_edition(project, capsys):
    add_document(project, "doc", {"en": GOOD, "fr": GOOD.replace("lang: en", "lang: fr")})
    assert main(["--project", str(project)]) == 0
    assert (project / "output/doc/en/doc.html").is_file()
    assert (project / "output/doc/fr/doc.html").is_file()
    assert "wrote output/doc/en/doc.html" in capsys.readouterr().out


def test_lang_and_format_take_several_values(project):
    add_document(project, "doc", {"en": GOOD, "fr": GOOD.replace("lang: en", "lang: fr"),
                                  "es": GOOD.replace("lang: en", "lang: es")})
    assert main(["--lang", "en,fr", "--format", "html", "--project", str(project)]) == 0
    assert sorted(p.parent.name for p in (project / "output/doc").glob("*/doc.html")) == ["en", "fr"]
    assert main(["--lang", "es, EN", "--project", str(project), "--verbose"]) == 0
    assert (project / "output/doc/es/doc.html").is_file()


def test_errors_are_all_reported_with_positions_and_exit_1(project, capsys):
    add_document(project, "doc", {"en": BROKEN})
    assert main(["--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "source/doc/en.md:8:5: error: unknown label 'note:nowhere'" in err
    assert "source/doc/en.md:8:23: error: unknown label 'para:nothing'" in err
    assert "1 edition(s) checked: 2 error(s), 0 warning(s)" in err
    assert "Traceback" not in err
    assert not (project / "output/doc/en/doc.html").exists()


def test_a_failed_document_leaves_its_earlier_outputs_untouched(project):
    folder = add_document(project, "doc", {"en": GOOD})
    assert main(["--project", str(project)]) == 0
    outputs = sorted((project / "output/doc/en").iterdir())
    assert [p.name for p in outputs] == sorted(f"doc.{fmt}" for fmt in formats.names())
    before = [p.read_bytes() for p in outputs]
    (folder / "en.md").write_text(BROKEN, encoding="utf-8")
    assert main(["--project", str(project)]) == 1
    assert [p.read_bytes() for p in outputs] == before
    assert sorted((project / "output/doc/en").iterdir()) == outputs, "no temporary file left behind"


def test_one_broken_document_does_not_stop_the_others(project):
    add_document(project, "bad", {"en": BROKEN})
    add_document(project, "good", {"en": GOOD})
    assert main(["--format", "html", "--project", str(project)]) == 1
    assert (project / "output/good/en/good.html").is_file()
    assert not (project / "output/bad").exists()


def test_check_validates_without_writing(project, capsys):
    add_document(project, "doc", {"en": GOOD})
    assert main(["check", "--project", str(project)]) == 0
    assert not (project / "output").exists()
    assert "1 edition(s) checked: 0 error(s), 0 warning(s)" in capsys.readouterr().err


def test_every_format_by_default(project, capsys):
    add_document(project, "doc", {"en": GOOD})
    assert main(["--project", str(project)]) == 0
    names = sorted(p.name for p in (project / "output/doc/en").iterdir())
    assert names == sorted(f"doc.{fmt}" for fmt in formats.names())


def test_usage_errors_exit_2(project, capsys):
    add_document(project, "doc", {"en": GOOD})
    for argv in (["--format", "odt"], ["--doc", "nope"], ["frobnicate"]):
        try:
            main([*argv, "--project", str(project)])
            raise AssertionError("no usage error")
        except SystemExit as stop:
            assert stop.code == 2
    err = capsys.readouterr().err
    assert "unknown format 'odt'" in err and "unknown document 'nope'" in err


def test_bad_bytes_and_bad_document_metadata_are_diagnostics(project, capsys):
    folder = add_document(project, "doc", {}, meta="symbol: MC/X\ndate: 2009-02-30\nsession: ninety\n")
    (folder / "en.md").write_bytes(GOOD.encode() + b"\nbad \xff byte\n")
    assert main(["--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "source/doc/document.yaml:1:1: error: missing metadata 'original-language'" in err
    assert "source/doc/document.yaml:2:7: error: invalid date '2009-02-30'" in err
    assert "source/doc/document.yaml:3:10: error: 'session' must be a positive whole number" in err


def test_invalid_utf8_nul_and_bom(project, capsys):
    add_document(project, "a", {})
    (project / "source/a/en.md").write_bytes(b"---\nlang: en\ntitle: T\n---\n\nna\xefve\n")
    add_document(project, "b", {})
    (project / "source/b/en.md").write_bytes(b"---\nlang: en\ntitle: T\n---\n\nab\x00c\n")
    add_document(project, "c", {})
    (project / "source/c/en.md").write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    assert main(["--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "source/a/en.md:6:3: error: invalid UTF-8 byte 0xef" in err
    assert "source/b/en.md:6:3: error: NUL character in text" in err
    assert "source/c/en.md:1:1: warning: byte-order mark ignored" in err
    assert (project / "output/c/en/c.html").is_file(), "CRLF and a BOM still build"


def test_strict_makes_warnings_fatal(project):
    add_document(project, "c", {})
    (project / "source/c/en.md").write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert main(["check", "--strict", "--project", str(project)]) == 1


def test_build_py_runs_as_a_script_with_help():
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "--lang" in result.stdout and "check" in result.stdout and "output/<document>" in result.stdout
