"""The benchmark script runs (a smoke version: one tiny document, one repeat); no time is asserted."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_benchmark_smoke_run_prints_its_table():
    result = subprocess.run([sys.executable, str(ROOT / "bench/run.py"), "--smoke"], capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Machine: ")
    for row in ("| floor: WeasyPrint alone on our print HTML + Pandoc alone on our AST |",
                "| councildoc, full cold build, --jobs 1 |", "| councildoc, rebuild with nothing changed |",
                "| councildoc, one-word edit to the French edition |"):
        assert row in out
    edit = next(line for line in out.splitlines() if "one-word edit" in line)
    assert "fr/mc-inf-298.pdf" in edit and "es/" not in edit, "only the edited edition is rebuilt"
