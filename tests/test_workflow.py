"""The publish workflow is a valid GitHub Actions workflow (actionlint cannot be installed here: the
workflow schema that check-jsonschema vendors stands in for it)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

WORKFLOW = ROOT / ".github/workflows/publish.yml"


def validate(path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(path)], capture_output=True, text=True, timeout=120)


def test_the_publish_workflow_is_valid():
    result = validate(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_check_catches_a_broken_workflow(tmp_path):
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "runs-on:" in text
    broken = tmp_path / "publish.yml"
    broken.write_text(text.replace("runs-on:", "run-on:", 1), encoding="utf-8")
    result = validate(broken)
    assert result.returncode == 1 and "run-on" in result.stdout + result.stderr
