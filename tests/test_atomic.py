"""Artifacts are whole or absent: a killed build leaves the earlier ones readable; two builds
at once take turns."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile

import pypdf
import pytest
from conftest import ROOT

FORMATS = ("html", "pdf", "docx", "txt")


def start(project, *args):
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--project", str(project), "--jobs", "1", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def built(tmp_path):
    for folder in ("source", "templates", "styles"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(tmp_path), "--lang", "es"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return tmp_path


def outputs(project):
    folder = project / "output/mc-inf-298/es"
    return {fmt: (folder / f"mc-inf-298.{fmt}").read_bytes() for fmt in FORMATS}


def whole(fmt: str, data: bytes, earlier: bytes) -> bool:
    """An artifact as only a finished writer leaves it."""
    if fmt == "pdf":
        return data.rstrip().endswith(b"%%EOF") and len(pypdf.PdfReader(io.BytesIO(data)).pages) > 10
    if fmt == "docx":
        return zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    if fmt == "html":
        return data.endswith(b"</html>\n")
    return data.endswith(earlier.splitlines(keepends=True)[-1])  # txt: its last note is unchanged


@pytest.mark.parametrize("delay", [0.6, 1.5])
def test_a_build_killed_while_rendering_leaves_earlier_artifacts_whole(built, delay):
    before = outputs(built)
    source = built / "source/mc-inf-298/es.md"
    source.write_text(source.read_text(encoding="utf-8").replace("consagrada", "dedicada"), encoding="utf-8")
    process = start(built, "--lang", "es", "--format", "pdf,docx,html,txt")
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    after = outputs(built)
    for fmt in FORMATS:
        # Each artifact is the earlier one or a complete new one — never a truncated file.
        assert after[fmt] == before[fmt] or whole(fmt, after[fmt], before[fmt]), fmt
    # The next build clears what the killed one left and completes.
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(built), "--lang", "es"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not list((built / "output").rglob(".*.tmp"))
    assert "dedicada" in (built / "output/mc-inf-298/es/mc-inf-298.txt").read_text(encoding="utf-8")


def test_two_builds_at_once_take_turns(built):
    first = start(built, "--lang", "es", "--format", "pdf", "--force")
    time.sleep(0.3)
    second = start(built, "--lang", "es", "--format", "pdf", "--force")
    out_first, err_first = first.communicate(timeout=120)
    out_second, err_second = second.communicate(timeout=120)
    assert first.returncode == 0 and second.returncode == 0, err_first + err_second
    assert "waiting for another build of this project to finish" in err_second
    pypdf.PdfReader(built / "output/mc-inf-298/es/mc-inf-298.pdf")
    assert not list((built / "output").rglob(".*.tmp"))


def test_stale_temporaries_are_removed(built):
    stale = built / "output/mc-inf-298/es/.mc-inf-298.pdf.abc123.tmp"
    stale.write_bytes(b"half a PDF")
    os.utime(stale)
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(built), "--lang", "es"],
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert not stale.exists()
