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

from councildoc import formats

FORMATS = formats.names()


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
    if fmt == "akn":
        return data.endswith(b"</akomaNtoso>\n")
    return data.endswith(earlier.splitlines(keepends=True)[-1])  # txt: its last note is unchanged


# Runs the build with a crash injected at a chosen write: SIGKILL after the N-th rename of a file
# into place ("replace N"), or half-way through writing the N-th temporary file ("write N").
CRASH = r"""
import os, signal, sys
mode, when = sys.argv[1], int(sys.argv[2])
calls = [0]
if mode == "replace":
    real_replace = os.replace
    def replace(source, target):
        calls[0] += 1
        if calls[0] > when:
            os.kill(os.getpid(), signal.SIGKILL)
        return real_replace(source, target)
    os.replace = replace
else:
    real_fdopen = os.fdopen
    class Half:
        def __init__(self, stream):
            self.stream = stream
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return self.stream.__exit__(*exc)
        def write(self, data):
            self.stream.write(data[: len(data) // 2])
            self.stream.flush()
            os.kill(os.getpid(), signal.SIGKILL)
    def fdopen(fd, mode="r", *args, **kwargs):
        stream = real_fdopen(fd, mode, *args, **kwargs)
        if mode == "wb":
            calls[0] += 1
            if calls[0] >= when:
                return Half(stream)
        return stream
    os.fdopen = fdopen
sys.argv = ["build.py", *sys.argv[3:]]
from councildoc.cli import run
run()
"""


def crash(project, mode: str, when: int):
    result = subprocess.run([sys.executable, "-c", CRASH, mode, str(when), "--project", str(project), "--jobs", "1",
                             "--lang", "es", "--format", ",".join(FORMATS)], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.returncode == -signal.SIGKILL, result.stderr  # the crash landed where it was aimed


def edit(project):
    source = project / "source/mc-inf-298/es.md"
    source.write_text(source.read_text(encoding="utf-8").replace("consagrada", "dedicada"), encoding="utf-8")


def is_new(fmt: str, data: bytes, earlier: bytes) -> bool:
    return data != earlier and whole(fmt, data, earlier)


@pytest.mark.parametrize("when", [1, 3])
def test_a_build_killed_while_writing_a_file_leaves_the_earlier_artifacts(built, when):
    before = outputs(built)
    edit(built)
    crash(built, "write", when)  # half of the first (or third) temporary file written, then killed
    assert outputs(built) == before
    # The next build clears what the killed one left and completes.
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(built), "--lang", "es"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not list((built / "output").rglob(".*.tmp"))
    assert "dedicada" in (built / "output/mc-inf-298/es/mc-inf-298.txt").read_text(encoding="utf-8")


def test_a_build_killed_between_two_renames_is_finished_by_the_next_one(built):
    from councildoc.lock import JOURNAL, finish_publishing

    before = outputs(built)
    edit(built)
    crash(built, "replace", 2)  # the journal and one format renamed into place, then killed
    after = outputs(built)
    assert sum(after[fmt] != before[fmt] for fmt in FORMATS) == 1, "the kill did not land between renames"
    assert (built / "output/mc-inf-298/es" / JOURNAL).is_file()
    finish_publishing(built / "output")  # what the next build does first, under its lock
    finished = outputs(built)
    assert [fmt for fmt in FORMATS if not is_new(fmt, finished[fmt], before[fmt])] == []
    assert "dedicada" in finished["txt"].decode("utf-8")
    assert not list((built / "output").rglob(".*.tmp")) and not (built / "output/mc-inf-298/es" / JOURNAL).exists()


def test_a_journal_planted_in_output_moves_nothing_outside_its_folder(built):
    from councildoc.lock import JOURNAL, finish_publishing

    folder = built / "output/mc-inf-298/es"
    victim = built / "source/mc-inf-298/es.md"
    text = victim.read_bytes()
    (folder / ".es.md.abc.tmp").write_bytes(b"planted")
    (folder / JOURNAL).write_text('[["../../../source/mc-inf-298/es.md", "x"], [".es.md.abc.tmp", "../../es.md"], '
                                  '[".es.md.abc.tmp", "mc-inf-298.pdf"]]', encoding="utf-8")
    before = outputs(built)
    assert finish_publishing(built / "output") == []
    assert victim.read_bytes() == text and outputs(built) == before and not (folder / JOURNAL).exists()


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
