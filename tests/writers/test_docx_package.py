"""The DOCX package as a publishing unit receives it: no schema or semantic errors from an OOXML
validator (openxml-audit), only the styles the document uses plus the council's, no style based on
one that is missing, and no proofing state claimed that nobody checked."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT, require_module
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
EDITIONS = [f"{doc}/{lang}/{doc}.docx" for doc in ("mc-inf-298", "c-111-inf-7") for lang in ("en", "es", "fr")]


def _styles(path):
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    return parts, etree.fromstring(parts["word/styles.xml"])


def test_openxml_audit_finds_no_error_in_any_edition(real_project):
    require_module("openxml_audit")  # a test extra: ./setup.sh installs it
    results = []
    for edition in EDITIONS:  # one file a run: the command takes one path
        run = subprocess.run([sys.executable, "-m", "openxml_audit", "-o", "json", "-m", "0",
                              str(real_project / "output" / edition)], capture_output=True, text=True, timeout=600)
        results += json.loads(run.stdout)
    assert len(results) == len(EDITIONS)
    assert [(r["file"], r["errors"]) for r in results if r["error_count"] or not r["valid"]] == []


@pytest.mark.parametrize("edition", EDITIONS)
def test_only_used_and_council_styles_and_none_based_on_a_missing_one(real_project, edition):
    parts, styles = _styles(real_project / "output" / edition)
    ids = {s.get(f"{{{W}}}styleId") for s in styles.iter(f"{{{W}}}style")}
    house = etree.parse(str(ROOT / "styles/docx-styles.xml"))
    council = {s.get(f"{{{W}}}styleId") for s in house.iter(f"{{{W}}}style")}
    used = {v.decode() for name, data in parts.items() if name.startswith("word/") and name != "word/styles.xml"
            for v in re.findall(rb'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', data)}
    assert used <= ids, "every style the text names is defined"
    for leftover in ("KeywordTok", "Bibliography", "SourceCode", "TOCHeading", "Abstract", "Author"):
        assert leftover not in ids
    for style in styles.iter(f"{{{W}}}style"):
        for ref in style.iter(f"{{{W}}}basedOn", f"{{{W}}}link", f"{{{W}}}next"):
            assert ref.get(f"{{{W}}}val") in ids, (style.get(f"{{{W}}}styleId"), ref.get(f"{{{W}}}val"))
    referenced = {ref.get(f"{{{W}}}val") for ref in styles.iter(f"{{{W}}}basedOn", f"{{{W}}}link", f"{{{W}}}next")}
    defaults = {s.get(f"{{{W}}}styleId") for s in styles.iter(f"{{{W}}}style") if s.get(f"{{{W}}}default") == "1"}
    assert ids <= used | council | referenced | defaults, "no style the document neither uses nor owns"
    assert b"proofState" not in parts["word/settings.xml"], "spelling and grammar are not claimed checked"
